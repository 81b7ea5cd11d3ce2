"""`mergekit resolve` and `mergekit status` say when git merged conflicted files without the installed
driver (the attributes did not route them to it, or this clone lacks the config), and point to
`mergekit doctor`; they stay quiet when the driver ran, when it was never installed, and in the
worktree mergekit itself hands to a human."""

from __future__ import annotations

from pathlib import Path

import pytest

from mergekit.app.install import driver_line
from mergekit.entry import main
from tests.helpers.cli import run, run_json
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(4))
CONFIG = "export const PAGE_SIZE = 50;\n"


def _conflicted(repo: GitRepo, attributes: str = "*.png binary\n") -> None:
    """A merge stopped on src/index.ts (a barrel both sides appended to) and src/config.ts (a genuine
    conflict) — with no driver involved, whatever the install."""
    repo.commit("base", {".gitattributes": attributes, "src/index.ts": BARREL, "src/config.ts": CONFIG})
    for branch, size in (("a", "100"), ("b", "500")):
        repo.checkout(branch, create=True, start="main")
        repo.commit(
            branch,
            {
                "src/index.ts": BARREL + f"export * from './{branch}';\n",
                "src/config.ts": CONFIG.replace("50", size),
            },
        )
    repo.checkout("a")
    repo.git("merge", "b", check=False)
    assert "src/index.ts" in repo.git("diff", "--name-only", "--diff-filter=U")


def test_resolve_says_the_attributes_did_not_route_the_files(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _conflicted(repo)
    repo.git("config", "merge.mergekit.driver", driver_line())  # installed, but nothing routes to it
    code, data = run_json(capsys, "resolve", "-C", str(repo.path), "--json")
    assert code == 1
    assert data["driver_bypassed"] == [
        {"path": "src/config.ts", "reason": "not-routed"},
        {"path": "src/index.ts", "reason": "not-routed"},
    ]
    repo.git("checkout", "--merge", "--", "src/index.ts", "src/config.ts")
    code, out, _ = run(capsys, "resolve", "-C", str(repo.path))
    assert "without mergekit" in out and "no attribute routed these files" in out and "mergekit doctor" in out


def test_resolve_says_this_clone_lacks_the_config(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    # A team's committed routing, in a clone that never ran `mergekit install`.
    _conflicted(repo, "*.ts merge=mergekit\n")
    code, data = run_json(capsys, "resolve", "-C", str(repo.path), "--json")
    assert code == 1  # the genuine conflict is left
    assert [b["reason"] for b in data["driver_bypassed"]] == ["not-configured", "not-configured"]


def test_resolve_is_quiet_when_the_driver_ran_or_was_never_installed(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _conflicted(repo)
    code, data = run_json(capsys, "resolve", "-C", str(repo.path), "--json")
    assert data["driver_bypassed"] == []  # never installed: nothing was expected of it
    repo.git("merge", "--abort")
    assert main(["install", "-C", str(repo.path)]) == 0
    repo.git("merge", "b", check=False)  # the driver unions the barrel, leaves the genuine conflict
    assert repo.git("diff", "--name-only", "--diff-filter=U").split() == ["src/config.ts"]
    capsys.readouterr()
    code, data = run_json(capsys, "resolve", "-C", str(repo.path), "--json")
    assert code == 1 and data["driver_bypassed"] == []
    code, out, _ = run(capsys, "resolve", "-C", str(repo.path))
    assert "without mergekit" not in out


def test_status_lists_the_conflicts_and_the_bypass(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _conflicted(repo)
    repo.git("config", "merge.mergekit.driver", driver_line())
    code, data = run_json(capsys, "status", "-C", str(repo.path), "--json")
    assert code == 0 and data["status"] == "none"
    assert data["worktree_conflicts"] == ["src/config.ts", "src/index.ts"]
    assert [b["path"] for b in data["driver_bypassed"]] == ["src/config.ts", "src/index.ts"]
    code, out, _ = run(capsys, "status", "-C", str(repo.path))
    assert "2 conflicted file(s) in this worktree" in out and "mergekit doctor" in out


def test_no_bypass_in_mergekits_own_handoff_worktree(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("base", {"src/config.ts": CONFIG})
    for branch, size in (("feature/a", "100"), ("feature/b", "500")):
        repo.checkout(branch, create=True, start="main")
        repo.commit(branch, {"src/config.ts": CONFIG.replace("50", size)})
    repo.checkout("main")
    repo.git("config", "merge.mergekit.driver", driver_line())  # configured, routed nowhere
    code, run_data = run_json(
        capsys, "integrate", "feature/a", "feature/b", "--into", "main", "-C", str(repo.path), "--json"
    )
    assert code == 1 and run_data["worktree"]
    handoff = Path(run_data["worktree"])
    code, data = run_json(capsys, "resolve", "-C", str(handoff), "--json")
    assert data["conflicts"] == ["src/config.ts"] and data["driver_bypassed"] == []
    code, data = run_json(capsys, "status", "-C", str(handoff), "--json")
    assert data["status"] == "conflict" and data["worktree_conflicts"] == [] and data["driver_bypassed"] == []
