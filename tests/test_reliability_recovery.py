"""Recovery after a kill: SIGKILL before every state, ref, commit and worktree call of `integrate`,
`continue` and `abort` (and inside every ref write and state-file rename), then only mergekit's own
commands — `status`, then `continue` (or `integrate` when no run is left), or `abort` then
`integrate` — always finish, without `--force`, with the same result as a run never interrupted:
no ref moved wrongly, no lock, temporary file or worktree left behind, `git fsck` clean.

The three windows issue 9 names are among the points swept: killed between moving the result
branch and saving the run state (`state.save` after `ref.update`), while the run file is being
created (`atomic.link`), and after the state is saved but before the result branch exists
(`ref.update` 1 of `integrate`). Each has its own small test too.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mergekit.entry import main
from mergekit.state.atomic import sweep_leftovers, write_atomically
from mergekit.state.run import OLDER_LEFTOVER_AGE
from tests.helpers.crash import REF_WRITES, CrashServer
from tests.helpers.gitrepo import GitRepo
from tests.helpers.sweep import (
    Scenario,
    Sweep,
    child_env,
    finish_by_continuing,
    mk,
    run_file,
    run_worktree,
)

BARREL = "".join(f"export * from './m{i}';\n" for i in range(6))
ARGS = ["integrate", "a", "b", "c", "--into", "main", "--order", "given"]
"""a merges cleanly, b with an auto-resolved barrel, c pauses on a genuine conflict (cfg.ts)."""
RESOLVED = "export const N = 23;\n"
"""What the human writes into cfg.ts."""


@pytest.fixture(scope="module")
def server() -> Iterator[CrashServer]:
    crash = CrashServer()
    yield crash
    crash.close()


def _build(repo: GitRepo) -> None:
    repo.commit("base", {"index.ts": BARREL, "cfg.ts": "export const N = 1;\n"})
    for name, n in (("a", None), ("b", 2), ("c", 3)):
        repo.checkout(name, create=True, start="main")
        files = {"index.ts": BARREL + f"export * from './{name}';\n"}
        if n is not None:
            files["cfg.ts"] = f"export const N = {n};\n"
        repo.commit(name, files)
    repo.checkout("main")


def _resolve(repo: GitRepo) -> None:
    """What the human does in the hand-off worktree: settle cfg.ts and stage it."""
    wt = run_worktree(repo)
    (wt / "cfg.ts").write_text(RESOLVED)
    repo.git("add", "cfg.ts", cwd=wt)


BASIC = Scenario(_build, tuple(ARGS), _resolve)


@pytest.mark.parametrize("command", ["integrate", "continue", "abort"])
def test_a_kill_at_any_call_is_recovered_by_mergekits_own_commands(
    tmp_path: Path,
    git_env: dict[str, str],
    server: CrashServer,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    sweep = Sweep(tmp_path, git_env, server, BASIC, command)
    points = {point for point, _, _ in sweep.kills()}
    assert {"state.save", "worktree.git"} <= points  # the sweep reaches the calls it must
    assert points & set(REF_WRITES)
    if command != "abort":
        assert "commit" in points
    if command == "continue":  # the person's resolution is remembered: that ref's write is swept too
        assert "refs/mergekit/memory" in sweep.refs
    problems = sweep.problems()
    capsys.readouterr()
    assert problems == [], "\n".join(problems)


# -- each window, the stale lock and the leftovers, one by one --------------------------------------


def _killed(repo: GitRepo, server: CrashServer, tmp: Path, point: str, after_step: int, how: str) -> None:
    """Kill `integrate` at the first call of `point` after the `after_step`-th ref write."""
    env = child_env(repo, tmp)
    args = [*ARGS, "-C", str(repo.path)]
    calls = server.calls(args, env, tmp / "child.log", tmp / "calls.txt")
    mk(repo, "abort")  # the recording run itself: dropped
    writes = [i for i, (p, _) in enumerate(calls) if p == "ref.update"]
    at = next(c for c in calls[writes[after_step - 1] :] if c[0] == point)
    assert server.run(args, env, tmp / "child.log", kill=(at[0], at[1], how)) == -9


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    where = tmp_path / "tmp"
    where.mkdir()
    return where


def test_killed_between_moving_the_branch_and_saving_the_state(
    repo: GitRepo, server: CrashServer, tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The branch holds a's merge, run.json does not say so yet: `continue` recognises the step."""
    _build(repo)
    _killed(repo, server, tmp, "state.save", 2, "before")  # 1: the start, 2: a's merge
    state = json.loads(run_file(repo).read_text())
    assert state["merged"] == [] and state["moving"]["branch"] == "a"
    assert repo.rev("integration") == state["moving"]["new"]  # the move was made
    capsys.readouterr()
    assert mk(repo, "status") == 0
    assert "interrupted during the move of integration to the merge of a" in capsys.readouterr().out
    assert mk(repo, "continue", "--json") == 1  # a recorded, b merged, c handed off
    report = json.loads(capsys.readouterr().out)
    assert report["merged"] == ["a", "b"]
    assert any("had been made before mergekit was interrupted" in n for n in report["notes"])
    assert mk(repo, "abort") == 0  # and abort restores (here: deletes) the branch it made
    assert "integration" not in repo.git("branch", "--list")


def test_a_run_file_never_filled_counts_as_no_run(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    """An older version killed between creating run.json and writing it left it empty."""
    _build(repo)
    run_file(repo).parent.mkdir(parents=True)
    run_file(repo).write_text("")
    capsys.readouterr()
    assert mk(repo, "status", "--json") == 0
    assert json.loads(capsys.readouterr().out)["status"] == "none"
    assert mk(repo, "abort") == 2  # nothing to abort: says so, changes nothing
    assert mk(repo, *ARGS) == 1  # a new run replaces the empty file
    assert json.loads(run_file(repo).read_text())["status"] == "conflict"


def test_killed_while_creating_the_run_file(repo: GitRepo, server: CrashServer, tmp: Path) -> None:
    """Killed with the run file written beside its place but not linked into it: no run, one leftover."""
    _build(repo)
    env = child_env(repo, tmp)
    args = [*ARGS, "-C", str(repo.path)]
    assert server.run(args, env, tmp / "child.log", kill=("atomic.link", 1, "before")) == -9
    folder = run_file(repo).parent
    assert not run_file(repo).exists() and len(list(folder.glob(".run.json.*.mergekit-tmp"))) == 1
    assert mk(repo, "status") == 0  # no run, and the leftover of the dead process is gone
    assert list(folder.glob("*.mergekit-tmp")) == []
    assert mk(repo, *ARGS) == 1


def test_killed_after_saving_the_state_before_the_branch_exists(
    repo: GitRepo, server: CrashServer, tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(repo)
    env = child_env(repo, tmp)
    args = [*ARGS, "-C", str(repo.path)]
    assert server.run(args, env, tmp / "child.log", kill=("ref.update", 1, "before")) == -9
    assert run_file(repo).exists() and "integration" not in repo.git("branch", "--list")
    capsys.readouterr()
    assert mk(repo, "continue", "--json") == 1  # the branch is made at BASE, then a, b, and c's hand-off
    report = json.loads(capsys.readouterr().out)
    assert report["merged"] == ["a", "b"] and any("made it now" in n for n in report["notes"])


def test_a_lock_left_by_a_killed_ref_write_is_removed_with_a_message(
    repo: GitRepo, server: CrashServer, tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(repo)
    _killed(repo, server, tmp, "ref.update", 2, "during")  # inside the write of a's merge
    lock = repo.path / ".git" / "refs" / "heads" / "integration.lock"
    assert lock.is_file()
    capsys.readouterr()
    assert mk(repo, "continue") == 1
    out = capsys.readouterr().out
    assert f"removed {lock}" in out and "killed while moving integration" in out
    assert not lock.exists()
    assert finish_by_continuing(repo, BASIC)[-1] == 0


def test_a_lock_that_is_not_the_killed_writes_is_never_removed(
    repo: GitRepo, server: CrashServer, tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another git process's lock (another id in it), or a mergekit still running: exit 2, untouched."""
    _build(repo)
    _killed(repo, server, tmp, "ref.update", 2, "during")
    lock = repo.path / ".git" / "refs" / "heads" / "integration.lock"
    other = repo.rev("c") + "\n"
    lock.write_text(other)  # someone else's update of the branch, in flight
    for command in ("continue", "abort"):
        capsys.readouterr()
        assert mk(repo, command) == 2
        assert "another git process holds" in capsys.readouterr().err
        assert lock.read_text() == other
    lock.unlink()
    _killed_again = json.loads(run_file(repo).read_text())
    assert _killed_again["moving"] is None  # a refused move is not left recorded
    assert finish_by_continuing(repo, BASIC)[-1] == 0


def test_a_move_of_a_live_mergekit_is_left_to_it(
    repo: GitRepo, server: CrashServer, tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(repo)
    _killed(repo, server, tmp, "ref.update", 2, "during")
    lock = repo.path / ".git" / "refs" / "heads" / "integration.lock"
    state = json.loads(run_file(repo).read_text())
    alive = subprocess.Popen(["sleep", "60"])
    try:
        state["moving"].update(pid=alive.pid, started="")  # as if that process were the writer
        run_file(repo).write_text(json.dumps(state))
        capsys.readouterr()
        assert mk(repo, "continue") == 2
        assert f"(process {alive.pid}) is moving integration right now" in capsys.readouterr().err
        assert lock.is_file()
    finally:
        alive.kill()
        alive.wait()
    assert finish_by_continuing(repo, BASIC)[-1] == 0 and not lock.exists()


def test_temporary_files_of_killed_writes_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    """Beside OURS (the driver) and in the state folder: a dead writer's leftover goes, a live one's stays."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    folder = tmp_path / "work"
    folder.mkdir()
    gone = folder / f"..merge_file_abc.{dead.pid}-0123abcd.mergekit-tmp"
    kept = folder / f"..merge_file_def.{1}-0123abcd.mergekit-tmp"  # process 1 always runs
    mine = folder / "notes.0-0123abcd.mergekit-tmp"  # not named as ours: never touched
    for path in (gone, kept, mine):
        path.write_bytes(b"half a file")
    (folder / "base").write_text("a\n")
    (folder / "ours").write_text("a\nb\n")
    (folder / "theirs").write_text("a\nc\n")
    assert main(["merge-file", str(folder / "base"), str(folder / "ours"), str(folder / "theirs")]) == 1
    assert not gone.exists() and kept.exists() and mine.exists()
    state = tmp_path / "state"
    write_atomically(state / "run.json", b"{}")
    leftover = state / f".run.json.{dead.pid}-89abcdef.mergekit-tmp"
    leftover.write_bytes(b"{")
    assert sweep_leftovers(state) == [leftover]


def test_older_versions_temporary_state_files_are_swept_once_old(repo: GitRepo) -> None:
    """`run.json.*.tmp` (and `.run.json.<hex>.mergekit-tmp`) name no writer: removed once a minute old."""
    _build(repo)
    folder = run_file(repo).parent
    folder.mkdir(parents=True)
    old = [folder / "run.json.k2j4h5xq.tmp", folder / "results.json.a1b2c3d4.tmp"]
    old.append(folder / ".run.json.0123abcd.mergekit-tmp")
    fresh = folder / "run.json.zz99yy88.tmp"  # an older mergekit may be writing it right now
    other = folder / "notes.tmp"
    for path in (*old, fresh, other):
        path.write_text("{")
    then = fresh.stat().st_mtime - OLDER_LEFTOVER_AGE - 5
    for path in (*old, other):
        os.utime(path, (then, then))
    assert mk(repo, "status") == 0
    assert [p.exists() for p in old] == [False] * 3
    assert fresh.exists() and other.exists()
