"""Moving a branch that is checked out, safely, and talking to a remote: for `mergekit sync`.

When the branch to move is checked out in some worktree, that worktree's index and files must
follow, exactly as `git merge` would have left them: `git read-tree -m -u OLD NEW` (git's own
two-tree fast-forward of the index and files, which refuses to overwrite local changes). Before
that, the worktree must be clean and not in the middle of a merge, rebase, cherry-pick or revert.
`push` runs `git push`; `upstream` reads where a branch pushes to. All through the git CLI
(`mergekit.engine.gitcli.run_git`), hooks disabled except for `push` (the user's pre-push hooks
still run).
"""

from __future__ import annotations

from pathlib import Path

from mergekit.engine.gitcli import run_git
from mergekit.engine.repo import Repo
from mergekit.engine.types import WorktreeInfo
from mergekit.engine.worktree import worktree_git_dir
from mergekit.errors import MergekitError

_BUSY = {
    "MERGE_HEAD": "a merge",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
    "BISECT_LOG": "a bisect",
}


def current_branch(repo: Repo) -> str | None:
    """The short name of the branch checked out where `repo` was opened, None when detached."""
    try:
        text = (repo.git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    ref = text[4:].strip() if text.startswith("ref:") else ""
    return ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None


def checked_out(repo: Repo, ref: str) -> WorktreeInfo | None:
    """The worktree that has `ref` (e.g. `refs/heads/x`) checked out, None when none has."""
    return next((wt for wt in repo.worktrees() if wt.branch == ref), None)


def busy_with(path: Path) -> str | None:
    """What the worktree at `path` is in the middle of (`a merge`, `a rebase`...), None when idle."""
    gitdir = worktree_git_dir(path)
    return next((what for name, what in _BUSY.items() if (gitdir / name).exists()), None)


def has_local_changes(path: Path) -> bool:
    """True when the worktree's index or tracked files differ from its HEAD."""
    result = run_git(["status", "--porcelain", "--untracked-files=no"], path, hooks=False)
    return bool(result.text.strip())


def follow_checkout(path: Path, old: str, new: str) -> None:
    """Move the index and files of the worktree at `path` from commit `old` to commit `new`."""
    result = run_git(["read-tree", "-m", "-u", old, new], path, check=False, hooks=False)
    if result.returncode != 0:
        raise MergekitError(
            f"cannot update the checkout in {path}: {result.error} — move the files it names "
            "out of the way, or run sync while the branch is not checked out"
        )


def upstream(repo: Repo, branch: str) -> tuple[str, str]:
    """(remote, remote branch) `branch` pushes to: its upstream, else `origin` and the same name."""
    cwd = repo.workdir or repo.common_dir
    remote = run_git(["config", "--get", f"branch.{branch}.remote"], cwd, check=False).text.strip()
    merge = run_git(["config", "--get", f"branch.{branch}.merge"], cwd, check=False).text.strip()
    if not remote or remote == ".":
        remote = "origin"
    return remote, merge.removeprefix("refs/heads/") if merge else branch


def push(repo: Repo, remote: str, branch: str, remote_branch: str) -> None:
    """`git push REMOTE refs/heads/BRANCH:refs/heads/REMOTE_BRANCH` (pre-push hooks run)."""
    cwd = repo.workdir or repo.common_dir
    result = run_git(
        ["push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{remote_branch}"], cwd, check=False
    )
    if result.returncode != 0:
        raise MergekitError(
            f"git push to {remote} failed: {result.error} — the merge is on the local branch "
            f"{branch}; push it yourself once the remote accepts it"
        )
