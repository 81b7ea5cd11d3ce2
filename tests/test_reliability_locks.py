"""A ref lock held by another git process while `continue` or `abort` must move the result branch:
exit 2 with one line saying who holds what and to retry, nothing half-done (the worktree, the run
state and the branch are as before), and the retry finishes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import CONFIG, build_features


def _pause(repo: GitRepo, capsys: pytest.CaptureFixture[str], *extra: str) -> Path:
    build_features(repo)
    capsys.readouterr()
    assert main(["integrate", "feature/*", "--into", "main", "--json", "-C", str(repo.path), *extra]) == 1
    return Path(json.loads(capsys.readouterr().out)["worktree"])


def _snapshot(repo: GitRepo, worktree: Path) -> tuple[dict[str, str], str, bool, str]:
    state = repo.path / ".git" / "mergekit" / "run.json"
    return repo.refs(), state.read_text(), worktree.is_dir(), repo.git("worktree", "list", "--porcelain")


def _locked(repo: GitRepo, capsys: pytest.CaptureFixture[str], lock: Path, *args: str) -> None:
    """Run `args` with `lock` held: exit 2, one line naming the lock, and the retry hint."""
    lock.write_text("")
    try:
        code = main([*args, "-C", str(repo.path)])
    finally:
        lock.unlink()
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "another git process holds" in err and str(lock) in err, err
    assert "retry" in err


@pytest.mark.parametrize("packed", [False, True], ids=["loose", "packed"])
@pytest.mark.parametrize("existed", [False, True], ids=["new-branch", "rebuilt-branch"])
def test_abort_with_a_held_lock_changes_nothing_and_the_retry_finishes(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], packed: bool, existed: bool
) -> None:
    if existed:
        repo.commit("base", {"README.md": "hi\n"})
        repo.git("branch", "integration")
    worktree = _pause(repo, capsys, *(["--force"] if existed else []))
    if packed:
        repo.git("pack-refs", "--all")
    lock = (
        repo.path / ".git" / ("packed-refs.lock" if packed and not existed else "refs/heads/integration.lock")
    )
    before = _snapshot(repo, worktree)
    _locked(repo, capsys, lock, "abort")
    assert _snapshot(repo, worktree) == before
    assert main(["abort", "-C", str(repo.path)]) == 0
    assert not worktree.exists()
    assert ("refs/heads/integration" in repo.refs()) is existed
    capsys.readouterr()
    assert main(["status", "-C", str(repo.path)]) == 0
    assert "no integration run" in capsys.readouterr().out.lower()


def test_continue_with_a_held_lock_changes_nothing_and_the_retry_finishes(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    worktree = _pause(repo, capsys)
    (worktree / CONFIG).write_text("export const PAGE_SIZE = 200;\n")
    repo.git("add", CONFIG, cwd=worktree)
    before = _snapshot(repo, worktree)
    _locked(repo, capsys, repo.path / ".git" / "refs" / "heads" / "integration.lock", "continue")
    assert _snapshot(repo, worktree) == before
    assert main(["continue", "-C", str(repo.path)]) == 0
    assert "PAGE_SIZE = 200" in repo.show("integration", CONFIG)
