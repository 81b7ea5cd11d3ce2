"""The workflow use-case helpers on real repositories: patch inputs, base findings and replays,
culprit search with a real test command, and the resolution memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mergekit.app import memory
from mergekit.app.integrate.culprits import build_chain, find_test_culprits
from mergekit.app.patches import UnappliedPatch, gather_inputs
from mergekit.app.wrongbase import base_findings, rebase_findings
from mergekit.engine import open_repo
from mergekit.merging import Merger
from mergekit.model import (
    BaseFindingKind,
    ConflictKind,
    HumanConflict,
    Skipped,
    SkipReason,
    TestRun,
    WrongBase,
)
from mergekit.state import run as run_state
from mergekit.state.run import RunState
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(4))


def _branch(repo: GitRepo, name: str, files: dict[str, str | bytes], start: str = "main") -> str:
    repo.checkout(name, create=True, start=start)
    tip = repo.commit(name, files)
    repo.checkout("main")
    return tip


def _patch(repo: GitRepo, files: dict[str, str | bytes], message: str, path: Path) -> None:
    _branch(repo, "tmp", files)
    path.write_text(repo.git("format-patch", "-1", "--stdout", "tmp"))
    repo.git("branch", "-q", "-D", "tmp")


def test_inputs_keep_argument_order_and_make_patches_commits(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("base", {"src/index.ts": BARREL})
    tip_b = _branch(repo, "feat/b", {"src/index.ts": BARREL + "export * from './b';\n"})
    _patch(repo, {"src/index.ts": BARREL + "export * from './c';\n"}, "c", tmp_path / "task-c.patch")
    engine = open_repo(repo.path)
    base = repo.rev("main")
    objects = repo.git("count-objects", "-v")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-02T12:00:00+00:00")  # a commit of its own
    with engine.scratch() as scratch:
        found = gather_inputs(
            scratch,
            base,
            [str(tmp_path / "task-c.patch"), "feat/b"],
            repo.path,
            lambda names: [(n, repo.rev(n)) for n in names],
        )
        (patch,) = found.patches
        assert [n for n, _ in found.tips] == ["task-c.patch", "feat/b"] and found.tips[1][1] == tip_b
        assert patch.made_on == "origin" and patch.onto == base and patch.commits == 1
        assert scratch.read_path(patch.tip, "src/index.ts") == (BARREL + "export * from './c';\n").encode()
        assert scratch.commit_message(patch.tip) == "tmp\n" and scratch.commit_parents(patch.tip) == [base]
    # written in the scratch view only
    assert repo.git("count-objects", "-v") == objects
    assert repo.git("cat-file", "-t", patch.tip, check=False) == ""


def test_a_patch_that_does_not_apply_is_reported_whole(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("base", {"a.txt": "1\n2\n3\n", "b.txt": "b\n"})
    # made elsewhere: on a version of a.txt this repository never had
    _branch(repo, "tmp", {"a.txt": "1\n2\n3\n4\n"})
    repo.checkout("tmp")
    repo.commit("agent", {"a.txt": "1\ntwo\n3\n4\n", "b.txt": "b\nmore\n"})
    (tmp_path / "x.diff").write_text(repo.git("diff", "tmp~1", "tmp"))
    repo.checkout("main")
    repo.git("branch", "-q", "-D", "tmp")
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    repo.commit("main rewrites line 2", {"a.txt": "1\nTWO\n3\n"})
    engine = open_repo(repo.path)
    found = gather_inputs(engine, repo.rev("main"), ["x.diff"], tmp_path, lambda names: [])
    (failed,) = found.unapplied
    assert isinstance(failed, UnappliedPatch) and found.tips == [] and failed.paths == ["a.txt"]
    assert [h.header for h in failed.files[0].hunks] == ["@@ -1,4 +1,4 @@"]


def test_base_findings_and_rebase_in_memory(repo: GitRepo) -> None:
    repo.commit("base", {"src/db/schema.ts": "export const tables = [];\n", "src/index.ts": BARREL})
    foundation = _branch(repo, "foundation", {"src/db/schema.ts": "export const tables = ['users'];\n"})
    ok = _branch(repo, "feat/ok", {"src/index.ts": BARREL + "export * from './ok';\n"}, start="foundation")
    lost = _branch(repo, "feat/lost", {"src/db/schema.ts": "export const tables = ['orders'];\n"})
    engine = open_repo(repo.path)
    base = repo.rev("main")
    tips = [("foundation", foundation), ("feat/ok", ok), ("feat/lost", lost)]
    (finding,) = base_findings(engine, "main", base, tips)
    assert finding.branch == "feat/lost" and finding.kind == "missing-foundation"
    assert finding.onto == foundation and finding.files == ("src/db/schema.ts",)
    assert finding.fix == f"git rebase --onto foundation {base[:12]} feat/lost"
    # the same branches without the foundation listed: feat/ok's commits beyond main are shared by nobody
    assert base_findings(engine, "main", base, [("feat/ok", ok), ("feat/lost", lost)]) == []
    with engine.scratch() as scratch:
        new_tips, (rebased,) = rebase_findings(Merger(scratch), [finding], tips)
        # both added to the same array: the resolver unions them while replaying
        assert rebased.tip is not None and new_tips == [*tips[:2], ("feat/lost", rebased.tip)]
        assert scratch.is_ancestor(foundation, rebased.tip)
        schema = scratch.read_path(rebased.tip, "src/db/schema.ts") or b""
        assert b"'users'" in schema and b"'orders'" in schema
        assert "rebased feat/lost onto foundation in memory (1 commit)" in rebased.note


def test_stale_branch_is_replayed_onto_base(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": "a\n", "b.txt": "b1\nb2\nb3\nb4\n"})
    old = _branch(repo, "old", {"b.txt": "b1\nb2\nb3\nb4\nold\n"})
    clash = _branch(repo, "clash", {"b.txt": "b1 clash\nb2\nb3\nb4\n"})
    for i in range(3):
        repo.commit(
            f"main {i}", {"a.txt": f"a{i}\n", "b.txt": "b1\nb2\nb3\nb4\n" if i < 2 else "B1\nb2\nb3\nb4\n"}
        )
    engine = open_repo(repo.path)
    base = repo.rev("main")
    tips = [("old", old), ("clash", clash)]
    assert base_findings(engine, "main", base, tips, stale_after=3) == []
    findings = base_findings(engine, "main", base, tips, stale_after=2)
    assert [(f.branch, f.kind, f.files) for f in findings] == [
        ("old", "stale", ("b.txt",)),
        ("clash", "stale", ("b.txt",)),
    ]
    with engine.scratch() as scratch:
        new_tips, (rebased, failed) = rebase_findings(Merger(scratch), findings, tips)
        assert rebased.tip is not None and new_tips == [("old", rebased.tip), ("clash", clash)]
        assert scratch.commit_parents(rebased.tip) == [base]
        assert scratch.read_path(rebased.tip, "b.txt") == b"B1\nb2\nb3\nb4\nold\n"
        assert failed.tip is None and failed.conflicts == ("b.txt",) and "rebase it by hand" in failed.note


def test_culprits_with_a_real_test_command(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("base", {"README": "x\n"})
    tips = [
        ("feat/a", _branch(repo, "feat/a", {"a.flag": "1\n"})),
        ("feat/c", _branch(repo, "feat/c", {"c.txt": "1\n"})),
        ("feat/b", _branch(repo, "feat/b", {"b.flag": "1\n"})),
    ]
    engine = open_repo(repo.path)
    base = repo.rev("main")
    chain = build_chain(Merger(engine), base, tips, "integration")
    assert chain is not None and engine.read_path(chain, "a.flag") == b"1\n"
    report = find_test_culprits(
        Merger(engine),
        base,
        tips,
        "echo checking; test ! -f a.flag || test ! -f b.flag",
        tmp_path / "scratch",
        tmp_path / "logs",
        passing_prefix=2,
    )
    assert report.culprits == ["feat/a", "feat/b"] and report.conclusive
    assert [(r.branches, r.failed) for r in report.runs] == [
        (("feat/b",), False),
        (("feat/a", "feat/b"), True),
    ]
    assert all(r.log is not None and Path(r.log).read_text() == "checking\n" for r in report.runs)
    assert "fails together: feat/a + feat/b" in report.summary
    assert not (tmp_path / "scratch").exists() and "scratch" not in repo.git("worktree", "list")


def test_memory_learns_recalls_and_forgets(repo: GitRepo) -> None:
    repo.commit("base", {"x": "head\nN = 1\nmiddle\ntail\n"})
    engine = open_repo(repo.path)
    base, ours, theirs = (
        b"head\nN = 1\nmiddle\ntail\n",
        b"head\nN = 2\nmiddle\ntail\n",
        b"head\nN = 3\nmiddle\ntail\n",
    )
    (entry,) = memory.learn(base, ours, theirs, b"head\nN = 5\nmiddle\ntail\n", "x")
    assert entry.resolution == "N = 5\n" and (entry.ours, entry.theirs) == ("N = 2\n", "N = 3\n")
    assert memory.remember(engine, [entry]) == 1 and memory.remember(engine, [entry]) == 0
    remembered = memory.load(engine)
    # the same region in a file that differs elsewhere, and seen from the other side
    top = b"new top\n"
    recalled = remembered.recall(top + base, top + theirs, top + ours, "y")
    assert recalled is not None and recalled.merged == b"new top\nhead\nN = 5\nmiddle\ntail\n"
    assert remembered.recall(base, ours, b"head\nN = 4\nmiddle\ntail\n", "x") is None
    # one region remembered, another one the line merge cannot settle: not recalled
    two = (base + b"Y = 1\n", ours + b"Y = 2\n", theirs + b"Y = 3\n")
    assert remembered.recall(*two, "x") is None
    assert [e.key for e in memory.forget(engine, prefixes=[entry.key[:6]])] == [entry.key]
    assert not memory.load(engine)
    assert (
        repo.git("log", "--format=%s", memory.MEMORY_REF)
        .splitlines()[0]
        .startswith("mergekit memory: forget")
    )


def test_memory_settles_its_regions_and_leaves_the_rest_to_the_resolver(repo: GitRepo) -> None:
    repo.commit("base", {"x": "x\n"})
    engine = open_repo(repo.path)
    base = b"export * from './a';\n\nexport const N = 1;\n"

    def side(export: str, n: int) -> bytes:
        return f"export * from './a';\nexport * from './{export}';\n\nexport const N = {n};\n".encode()

    resolved = b"export * from './a';\nexport * from './o';\nexport * from './t';\n\nexport const N = 5;\n"
    learned = memory.learn(base, side("o", 2), side("t", 3), resolved, "src/x.ts")
    assert [e.resolution for e in learned] == [
        "export * from './o';\nexport * from './t';\n",
        "export const N = 5;\n",
    ]
    memory.remember(engine, learned)
    # other branches append other exports: that region is new, the N region is remembered
    recalled = memory.load(engine).recall(base, side("p", 2), side("q", 3), "src/x.ts")
    assert recalled is not None and "the rest by typescript" in recalled.detail
    assert (
        recalled.merged
        == b"export * from './a';\nexport * from './p';\nexport * from './q';\n\nexport const N = 5;\n"
    )


def test_run_state_keeps_the_workflow_rows_and_reads_files_without_them() -> None:
    st = RunState(
        base="main",
        base_commit="b" * 40,
        result_branch="integration",
        result_before=None,
        result_commit="c" * 40,
        strategy="merge",
        order=["feat/a", "feat/b", "task.diff"],
        tips={"feat/a": "a" * 40, "feat/b": "d" * 40},
        test="make test",
        drop_failing=True,
        skipped=[
            Skipped("task.diff", SkipReason.PATCH, ("x.ts",), "task.diff does not apply"),
            Skipped("feat/b", SkipReason.FAILS_TEST, (), "together with feat/a"),
        ],
        conflicts=[HumanConflict("task.diff", "x.ts", ConflictKind.PATCH, "1 of 1 hunks do not apply")],
        base_findings=[
            WrongBase("feat/a", BaseFindingKind.STALE, "old", ("x.ts",), "git rebase ...", "main", True)
        ],
        culprits=["feat/a", "feat/b"],
        dropped=["feat/b"],
        test_runs=[TestRun(("feat/b",), False, 0, "/tmp/01.log", "ok"), TestRun(("feat/a",), None)],
    )
    data = json.loads(json.dumps(run_state.to_json(st)))
    assert data["version"] == run_state.STATE_VERSION and run_state.from_json(data) == st
    assert run_state.shape_problem(data) is None
    # a version 2 file written before these fields existed: a run that has none of them
    for key in ("drop_failing", "base_findings", "culprits", "dropped", "test_runs", "moving"):
        del data[key]
    for row in data["skipped"] + data["conflicts"]:
        del row["detail"]
    data["version"] = 2
    assert run_state.shape_problem(data) is None
    old = run_state.from_json(data)
    assert (old.drop_failing, old.base_findings, old.culprits, old.dropped, old.test_runs) == (
        False,
        [],
        [],
        [],
        [],
    )
    assert old.skipped[1] == Skipped("feat/b", SkipReason.FAILS_TEST)
    assert old.conflicts == [HumanConflict("task.diff", "x.ts", ConflictKind.PATCH)]
