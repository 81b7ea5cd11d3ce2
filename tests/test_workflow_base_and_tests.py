"""The wrong base (plan, check, integrate, --rebase-stale) and "passes alone, fails together"
(culprits, --drop-failing) end to end through the CLI on real repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mergekit.app.integrate.culprits import investigate_failure
from mergekit.engine import open_repo
from mergekit.entry import main
from mergekit.merging import Merger
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(4))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, _ = capsys.readouterr()
    return code, out


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out = _run(capsys, *args)
    return code, json.loads(out)


def _branch(repo: GitRepo, name: str, files: dict[str, str | bytes], start: str = "main") -> str:
    repo.checkout(name, create=True, start=start)
    tip = repo.commit(name, files)
    repo.checkout("main")
    return tip


def _wrong_base(repo: GitRepo) -> None:
    """foundation (schema), feat/ok built on it, feat/lost started from main and changing the schema."""
    repo.commit("base", {"src/db/schema.ts": "export const tables = [];\n", "src/index.ts": BARREL})
    _branch(repo, "foundation", {"src/db/schema.ts": "export const tables = ['users'];\n"})
    _branch(repo, "feat/ok", {"src/index.ts": BARREL + "export * from './ok';\n"}, start="foundation")
    _branch(
        repo,
        "feat/lost",
        {
            "src/db/schema.ts": "export const tables = ['orders'];\n",
            "src/index.ts": BARREL + "export * from './lost';\n",
        },
    )


BRANCHES = ("foundation", "feat/ok", "feat/lost")


def test_wrong_base_is_reported_by_plan_check_and_integrate(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _wrong_base(repo)
    where = ("--into", "main", "-C", str(repo.path))
    code, check = _json(capsys, "check", *BRANCHES, *where, "--format", "json")
    (finding,) = check["base_findings"]
    assert finding["branch"] == "feat/lost" and finding["kind"] == "missing-foundation"
    assert finding["fix"] == f"git rebase --onto foundation {repo.rev('main')[:12]} feat/lost"
    assert "lacks foundation" in finding["detail"] and finding["files"] == ["src/db/schema.ts"]
    assert code == 0 and check["passed"]  # a warning unless --strict
    strict, _ = _run(capsys, "check", *BRANCHES, *where, "--strict", "--no-collisions")
    assert strict == 1
    _, github = _run(capsys, "check", *BRANCHES, *where, "--format", "github")
    assert (
        "::warning file=src/db/schema.ts,line=1,title=mergekit%3A feat/lost lacks its foundation::" in github
    )
    _, text = _run(capsys, "check", *BRANCHES, *where)
    assert "Wrong base" in text and "git rebase --onto foundation" in text
    code, plan = _json(capsys, "plan", *BRANCHES, *where, "--json")
    assert code == 0 and [f["branch"] for f in plan["base_findings"]] == ["feat/lost"]
    code, run = _json(capsys, "integrate", *BRANCHES, *where, "--dry-run", "--json")
    assert [f["kind"] for f in run["base_findings"]] == ["missing-foundation"] and not run["base_findings"][
        0
    ]["rebased"]


def test_rebase_stale_replays_the_branch_onto_its_foundation(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _wrong_base(repo)
    lost = repo.rev("feat/lost")
    code, run = _json(
        capsys, "integrate", *BRANCHES, "--into", "main", "--rebase-stale", "--json", "-C", str(repo.path)
    )
    assert code == 0 and run["status"] == "done"
    assert run["base_findings"][0]["rebased"] is True
    assert any("rebased feat/lost onto foundation in memory" in n for n in run["notes"])
    assert run["order"].index("foundation") < run["order"].index("feat/lost")  # now built on it
    schema = repo.show("integration", "src/db/schema.ts")
    assert "'users'" in schema and "'orders'" in schema
    assert repo.rev("feat/lost") == lost  # the branch itself is left alone


def test_stale_branch_needs_to_be_behind_and_to_touch_what_changed(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("base", {"src/config.ts": "export const N = 1;\n", "docs.md": "d\n"})
    _branch(repo, "old/touching", {"src/config.ts": "export const N = 1;\nexport const X = 1;\n"})
    _branch(repo, "old/elsewhere", {"other.md": "o\n"})
    for i in range(4):
        repo.commit(f"main {i}", {"docs.md": f"d{i}\n"} if i else {"src/config.ts": "export const N = 2;\n"})
    args = ("plan", "old/touching", "old/elsewhere", "--into", "main", "--json", "-C", str(repo.path))
    _, plan = _json(capsys, *args, "--stale-after", "3")
    (finding,) = plan["base_findings"]
    assert (
        finding["branch"] == "old/touching"
        and finding["kind"] == "stale"
        and "4 commits behind" in finding["detail"]
    )
    _, plan = _json(capsys, *args, "--stale-after", "4")
    assert plan["base_findings"] == []


def _together(repo: GitRepo) -> None:
    repo.commit("base", {"src/index.ts": BARREL, "README": "x\n"})
    _branch(repo, "feat/a", {"a.flag": "1\n"})
    _branch(repo, "feat/c", {"c.txt": "1\n"})
    _branch(repo, "feat/b", {"b.flag": "1\n"})
    _branch(repo, "feat/d", {"d.txt": "1\n"})


TEST = "echo testing; test ! -f a.flag || test ! -f b.flag"


def test_fails_together_names_the_pair_and_keeps_each_runs_output(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _together(repo)
    code, run = _json(
        capsys,
        "integrate",
        "feat/a",
        "feat/c",
        "feat/b",
        "feat/d",
        "--into",
        "main",
        "--order",
        "given",
        "--test",
        TEST,
        "--json",
        "-C",
        str(repo.path),
    )
    assert code == 1 and run["status"] == "test_failed" and run["failed_branch"] == "feat/b"
    assert run["culprits"] == ["feat/a", "feat/b"] and run["dropped"] == []
    assert [(r["branches"], r["failed"]) for r in run["test_runs"]] == [
        (["feat/b"], False),
        (["feat/a", "feat/b"], True),
    ]
    assert all(Path(r["log"]).read_text() == "testing\n" for r in run["test_runs"])
    assert any("fails together: feat/a + feat/b" in n for n in run["notes"])
    assert run["worktree"] is not None  # the paused run: fix it there, or abort
    assert "culprits" not in repo.git("worktree", "list")
    assert main(["abort", "-C", str(repo.path)]) == 0


def test_drop_failing_leaves_the_culprit_out_and_goes_on(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _together(repo)
    args = ("integrate", "feat/a", "feat/c", "feat/b", "feat/d", "--into", "main", "--order", "given")
    code, run = _json(capsys, *args, "--test", TEST, "--drop-failing", "--json", "-C", str(repo.path))
    assert code == 1 and run["status"] == "test_failed" and run["dropped"] == ["feat/b"]
    assert run["culprits"] == ["feat/a", "feat/b"] and run["merged"] == ["feat/a", "feat/c", "feat/d"]
    assert {
        "branch": "feat/b",
        "reason": "fails the test",
        "paths": [],
        "detail": "together with feat/a",
    } in run["skipped"]
    files = repo.git("ls-tree", "--name-only", "integration").split()
    assert "a.flag" in files and "d.txt" in files and "b.flag" not in files
    assert run["worktree"] is None and main(["status", "-C", str(repo.path)]) == 0
    assert "no integration run" in capsys.readouterr().out
    _, text = _run(
        capsys,
        "integrate",
        *args[1:],
        "--branch",
        "again",
        "--test",
        TEST,
        "--drop-failing",
        "-C",
        str(repo.path),
    )
    assert (
        "Fails together: feat/a + feat/b" in text and "Dropped (--drop-failing, not merged): feat/b" in text
    )


def test_final_failure_is_rebuilt_without_the_culprit(repo: GitRepo, tmp_path: Path) -> None:
    _together(repo)
    engine = open_repo(repo.path)
    merged = [(n, repo.rev(n)) for n in ("feat/a", "feat/c", "feat/b", "feat/d")]
    verdict = investigate_failure(
        Merger(engine),
        repo.rev("main"),
        merged,
        TEST,
        tmp_path / "scratch",
        tmp_path / "logs",
        step=False,
        drop_failing=True,
    )
    assert verdict.report.culprits == ["feat/a", "feat/b"] and verdict.drop == "feat/b"
    assert verdict.rebuilt is not None
    rebuilt = repo.git("ls-tree", "--name-only", verdict.rebuilt).split()
    assert "a.flag" in rebuilt and "d.txt" in rebuilt and "b.flag" not in rebuilt
    assert len(list((tmp_path / "logs").iterdir())) == len(verdict.report.runs) + 1  # + the rebuilt run


def test_drop_failing_needs_a_test(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _together(repo)
    code = main(["integrate", "feat/a", "--into", "main", "--drop-failing", "-C", str(repo.path)])
    assert code == 2 and "pass --test CMD too" in capsys.readouterr().err
    assert "refs/heads/integration" not in repo.refs()


def test_a_fixed_failure_forgets_its_culprits(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _together(repo)
    args = ("integrate", "feat/a", "feat/b", "--into", "main", "--order", "given", "--test", TEST)
    code, run = _json(capsys, *args, "--json", "-C", str(repo.path))
    assert code == 1 and run["culprits"] == ["feat/a", "feat/b"]
    wt = Path(run["worktree"])
    repo.git("rm", "-q", "b.flag", cwd=wt)
    repo.git("commit", "-q", "-m", "b without its flag", cwd=wt)
    code, done = _json(capsys, "continue", "--json", "-C", str(wt))
    assert code == 0 and done["status"] == "done" and done["culprits"] == [] and done["test_runs"] == []
