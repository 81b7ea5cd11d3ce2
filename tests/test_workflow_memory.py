"""The resolution memory end to end through the CLI on real repositories: a hand-off resolved and
continued, then the same conflict in a new run, in `mergekit check`, and in `mergekit resolve`
after a plain `git merge`; listing and forgetting; nothing recorded without a person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mergekit.entry import main
from mergekit.workflow.recall import MEMORY_REF
from tests.helpers.cli import run_json
from tests.helpers.gitrepo import GitRepo

CONFIG = "src/config.ts"
BASE = "import { env } from './env';\n\nexport const PORT = 3000;\n\nexport const N = 1;\n"


def _integrate(repo: GitRepo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """`mergekit integrate ARGS --into main --order given --json` in `repo`."""
    return run_json(
        capsys, "integrate", *args, "--into", "main", "--order", "given", "--json", "-C", str(repo.path)
    )


def _pair(repo: GitRepo) -> None:
    repo.commit("base", {CONFIG: BASE, "src/index.ts": "export * from './a';\n"})
    for name, value in (("p", "2"), ("q", "3")):
        repo.checkout(name, create=True, start="main")
        repo.commit(
            name,
            {
                CONFIG: BASE.replace("N = 1", f"N = {value}"),
                "src/index.ts": f"export * from './a';\nexport * from './{name}';\n",
            },
        )
    repo.checkout("main")


def _resolve_once(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Integrate p and q (a hand-off on N), resolve it to N = 5 as a person would, continue."""
    code, run = _integrate(repo, capsys, "p", "q")
    assert code == 1 and run["status"] == "conflict" and run["conflicts"][0]["path"] == CONFIG
    wt = Path(run["worktree"])
    assert "<<<<<<<" in (wt / CONFIG).read_text()
    (wt / CONFIG).write_text(BASE.replace("N = 1", "N = 5"))
    repo.git("add", CONFIG, cwd=wt)
    code, done = run_json(capsys, "continue", "--json", "-C", str(wt))
    assert code == 0 and done["status"] == "done"
    return done


def test_a_resolved_hand_off_is_reused_by_the_next_run(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _pair(repo)
    assert MEMORY_REF not in repo.refs()
    done = _resolve_once(repo, capsys)
    assert any("remembered 1 resolved region" in n for n in done["notes"])
    code, listed = run_json(capsys, "memory", "list", "--json", "-C", str(repo.path))
    (entry,) = listed["entries"]
    assert entry["path"] == CONFIG and entry["resolution"] == "export const N = 5;\n"
    assert (entry["ours"], entry["theirs"], entry["base"]) == (
        "export const N = 2;\n",
        "export const N = 3;\n",
        "export const N = 1;\n",
    )
    assert (entry["ours_label"], entry["theirs_label"]) == ("integration", "q")
    # a new run into another branch: the same conflict is resolved from memory, no human needed
    code, again = _integrate(repo, capsys, "p", "q", "--branch", "again")
    assert code == 0 and again["status"] == "done"
    assert {"branch": "q", "path": CONFIG, "rule": "memory"}.items() <= next(
        a for a in again["auto_resolved"] if a["path"] == CONFIG
    ).items()
    assert repo.show("again", CONFIG) == BASE.replace("N = 1", "N = 5")
    assert "export * from './q';" in repo.show("again", "src/index.ts")
    assert "src/config.ts (memory)" in repo.git("log", "-1", "--format=%B", "again")
    # check predicts it the same way
    code, check = run_json(capsys, "check", "p", "q", "--into", "main", "--json", "-C", str(repo.path))
    pair = next(p for p in check["pairs"] if not p["with_base"])
    assert code == 0 and {"path": CONFIG, "rule": "memory"} in pair["auto_resolved"]
    # so do plan (its pair matrix and its predicted outcome) and a dry run: one seam, one memory
    code, plan = run_json(
        capsys, "plan", "p", "q", "--into", "main", "--order", "given", "--json", "-C", str(repo.path)
    )
    (matrix,) = [p for p in plan["pairs"] if {p["a"], p["b"]} == {"p", "q"}]
    assert CONFIG in matrix["auto_resolvable"] and matrix["human"] == []
    step = next(s for s in plan["predicted"] if s["branch"] == "q")
    assert step["outcome"] == "auto_resolved" and {"path": CONFIG, "rule": "memory"} in step["auto_resolved"]
    code, dry = _integrate(repo, capsys, "p", "q", "--branch", "dry", "--dry-run")
    assert code == 0 and dry["status"] == "done" and dry["conflicts"] == []
    assert any(a["path"] == CONFIG and a["rule"] == "memory" for a in dry["auto_resolved"])
    # the other order (q first, then p): the same disagreement from the other side
    code, _ = _integrate(repo, capsys, "q", "p", "--branch", "swapped")
    assert code == 0 and repo.show("swapped", CONFIG) == BASE.replace("N = 1", "N = 5")


def test_resolve_after_a_plain_git_merge_uses_the_memory(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _pair(repo)
    _resolve_once(repo, capsys)
    repo.checkout("p")
    repo.git("merge", "q", check=False)
    assert "<<<<<<<" in (repo.path / CONFIG).read_text()
    code, resolved = run_json(capsys, "resolve", "--json", "-C", str(repo.path))
    assert code == 0 and resolved["status"] == "done"
    files = {f["path"]: f for f in resolved["files"]}
    assert files[CONFIG]["rule"] == "memory" and files[CONFIG]["status"] == "resolved"
    assert (repo.path / CONFIG).read_text() == BASE.replace("N = 1", "N = 5")


def test_forget_brings_the_hand_off_back(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _pair(repo)
    _resolve_once(repo, capsys)
    _, listed = run_json(capsys, "memory", "list", "--json", "-C", str(repo.path))
    key = listed["entries"][0]["key"]
    assert main(["memory", "list", "-C", str(repo.path)]) == 0
    assert key[:12] in capsys.readouterr().out
    code, forgot = run_json(capsys, "memory", "forget", key[:8], "--json", "-C", str(repo.path))
    assert code == 0 and [e["key"] for e in forgot["removed"]] == [key]
    assert main(["memory", "forget", "abc", "-C", str(repo.path)]) == 2  # too short: bad input
    capsys.readouterr()
    code, again = _integrate(repo, capsys, "p", "q", "--branch", "again")
    assert code == 1 and again["status"] == "conflict"
    assert main(["abort", "-C", str(repo.path)]) == 0


def test_nothing_is_remembered_without_a_person(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _pair(repo)
    # a run that stops for a human, then is aborted: nothing to remember
    code, _ = _integrate(repo, capsys, "p", "q")
    assert code == 1 and main(["abort", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    # a run the resolver settles alone (the barrels only): nothing to remember either
    repo.checkout("r", create=True)
    repo.commit("r", {"src/index.ts": "export * from './a';\nexport * from './r';\n"})
    repo.checkout("main")
    args = ("integrate", "p", "r", "--into", "main", "--branch", "solo", "--json", "-C", str(repo.path))
    code, run = run_json(capsys, *args)
    assert code == 0 and [a["path"] for a in run["auto_resolved"]] == ["src/index.ts"]
    assert MEMORY_REF not in repo.refs()
    capsys.readouterr()
    assert main(["memory", "list", "-C", str(repo.path)]) == 0
    assert "no remembered resolutions" in capsys.readouterr().out
