"""One of each mechanism: the conflict-marker reader/writer, the atomic write, the git runner, the
run state's format (version 2 written, version 1 still read), collision rules on profile globs."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mergekit.app.integrate.abort import abort_run
from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.status import run_status
from mergekit.app.integrate.types import IntegrateOptions
from mergekit.collisions.rules import load_rules, parse_rules
from mergekit.engine.gitcli import GIT_MISSING, run_git
from mergekit.errors import MergekitError
from mergekit.model import ConflictKind, HumanConflict, RunStatus
from mergekit.resolve import markers
from mergekit.resolve.markers import Block
from mergekit.resolve.profiles import all_profiles
from mergekit.state import run as run_state
from mergekit.state.atomic import write_atomically
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import CONFIG, build_features

ROOT = Path(__file__).resolve().parent.parent

# -- markers ---------------------------------------------------------------------------------------

DIFF3 = (
    b"top\n<<<<<<< ours\nmine\n||||||| base\nold\n=======\nyours\n>>>>>>> theirs\n"
    b"middle\n<<<<<<< HEAD\r\nx\r\n=======\r\n>>>>>>> topic\r\nend"
)


def test_parse_reads_blocks_sections_and_labels() -> None:
    parts = markers.parse(DIFF3)
    assert parts[0] == b"top\n" and parts[2] == b"middle\n" and parts[-1] == b"end"
    first, second = parts[1], parts[3]
    assert first == Block((b"mine\n",), (b"old\n",), (b"yours\n",), "ours", "theirs")
    assert second == Block((b"x\r\n",), None, (), "HEAD", "topic")


def test_marker_lines_have_exactly_the_size() -> None:
    eight = b"<<<<<<<< a\nx\n========\ny\n>>>>>>>> b\n"
    assert markers.parse(eight) == markers.split_lines(eight)  # size 7: no block
    assert not markers.has_conflict(eight) and not markers.contains_markers(eight)
    assert markers.has_conflict(eight, 8) and markers.count_conflicts(eight, 8) == 1
    assert markers.labels(eight, 8) == {"ours": "a", "theirs": "b"}


def test_unclosed_block_stays_plain_text() -> None:
    text = b"a\n<<<<<<< ours\nb\n=======\nc\n"
    assert markers.parse(text) == markers.split_lines(text)
    assert not markers.has_conflict(text) and markers.contains_markers(text)


def test_written_block_is_read_back() -> None:
    block = markers.conflict_block(b"one", b"two\n", "ours", "theirs", size=9)
    assert block == b"<<<<<<<<< ours\none\n=========\ntwo\n>>>>>>>>> theirs\n"
    assert markers.parse(block, 9) == [Block((b"one\n",), None, (b"two\n",), "ours", "theirs")]
    assert markers.labels(block, 9) == {"ours": "ours", "theirs": "theirs"}


# -- the atomic write ------------------------------------------------------------------------------


def test_atomic_write_keeps_mode_follows_links_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "sub" / "fresh"
    write_atomically(fresh, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["file", "fresh", "link", "sub"]


# -- the git runner --------------------------------------------------------------------------------


def test_git_runner_says_how_git_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MergekitError, match=r"git rev-parse --verify failed in .*: fatal"):
        run_git(["rev-parse", "--verify", "nothing"], tmp_path)
    with pytest.raises(MergekitError, match="is not a directory"):
        run_git(["status"], Path(__file__))
    with pytest.raises(MergekitError, match="does not exist"):
        run_git(["status"], tmp_path / "missing")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MergekitError) as caught:
        run_git(["--version"], tmp_path)
    assert caught.value.message == GIT_MISSING


def test_one_git_runner_and_one_missing_git_message() -> None:
    sources = sorted((ROOT / "mergekit").rglob("*.py"))
    spawning = [p.relative_to(ROOT).as_posix() for p in sources if "import subprocess" in p.read_text()]
    # the user's --test command, the derived-file recipes (npm, cargo...) and the driver's program
    # (doctor runs it) are shell commands, not git
    assert spawning == [
        "mergekit/app/doctor.py",
        "mergekit/app/integrate/testrun.py",
        "mergekit/derived/run.py",
        "mergekit/engine/gitcli.py",
    ]
    saying = [p.name for p in sources if "git is not installed" in p.read_text()]
    assert saying == ["gitcli.py"]


# -- the run state ---------------------------------------------------------------------------------


def test_run_state_is_written_as_version_3_and_versions_1_and_2_are_read(repo: GitRepo) -> None:
    build_features(repo)
    report = integrate(
        IntegrateOptions(cwd=repo.path, into="main", branches=("feature/gamma", "feature/delta"))
    )
    assert report.status is RunStatus.CONFLICT
    path = repo.path / ".git" / "mergekit" / "run.json"
    data = json.loads(path.read_text())
    assert data["version"] == run_state.STATE_VERSION == 3
    assert data["moving"] is None  # no move of the result branch in flight
    assert data["conflicts"] == [{"branch": "feature/gamma", "path": CONFIG, "kind": "content"}]
    state = run_state.load(repo.path / ".git")
    assert state is not None and run_state.to_json(state) == data  # a faithful round trip

    del data["moving"]
    data["version"] = 2  # before moves were recorded: the same object without `moving`
    path.write_text(json.dumps(data))
    status = run_status(repo.path)
    assert status is not None and status.status is RunStatus.CONFLICT
    data["version"] = 1  # what mergekit wrote before typed rows: the same object
    path.write_text(json.dumps(data))
    status = run_status(repo.path)
    assert status is not None and status.status is RunStatus.CONFLICT
    assert status.conflicts == [HumanConflict("feature/gamma", CONFIG, ConflictKind.CONTENT)]
    assert abort_run(repo.path).restored_to is None

    data["version"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(MergekitError, match="another mergekit version"):
        run_status(repo.path)
    data["version"] = 2
    data["conflicts"][0]["kind"] = "sideways"
    path.write_text(json.dumps(data))
    with pytest.raises(MergekitError, match=r"is damaged.*sideways"):
        run_status(repo.path)


# -- collision rules on profile globs --------------------------------------------------------------


def test_collision_rules_read_the_globs_of_the_profiles_they_name() -> None:
    globs = {p.name: p.globs for p in all_profiles()}
    rules = {r.name: r for r in load_rules().keyed}
    web = globs["javascript"] + globs["typescript"] + globs["tsx"]
    for name in ("express-route", "ts-reexport", "ts-export"):
        assert rules[name].globs == web  # the same files everywhere, `*.cjs` and `*.cts` included
    assert rules["python-import"].globs == globs["python"]
    manifests = {r.name: r for r in load_rules().manifests}
    assert manifests["requirements-dependency"].globs[: len(globs["requirements"])] == globs["requirements"]
    with pytest.raises(ValueError, match="unknown profile 'klingon'"):
        parse_rules(
            '[[keyed]]\nname = "x"\nkind = "k"\nprofiles = ["klingon"]\npattern = "(?P<key>x)"\n', globs
        )
