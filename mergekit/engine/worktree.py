"""Linked worktrees mergekit owns: create, move to a commit, materialize a paused merge, inspect, remove;
and scratch copies of a tree (`checkout_tree`) where derived files are regenerated.

This is the only filesystem work mergekit does. A paused merge is laid out exactly as
`git merge` would leave it — files with conflict markers, index stages 1/2/3, MERGE_HEAD
and MERGE_MSG — so `git status`, `git mergetool`, `git add` and `git commit` work as usual.
The git CLI does the checkout work (it is git's own code, hooks disabled); pygit2 reads back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pygit2

from mergekit.engine.gitcli import run_git
from mergekit.engine.repo import Repo
from mergekit.engine.types import MODE_EXEC, Conflict, WorktreeState
from mergekit.errors import MergekitError

_MERGE_FILES = ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "SQUASH_MSG", "AUTO_MERGE")


@dataclass(frozen=True)
class PausedFile:
    """A conflicted entry to lay out in a worktree: its sides and the file's content."""

    conflict: Conflict
    """The conflict (its sides become index stages 1/2/3)."""
    content: bytes | None
    """What to write into the file (conflict markers, or the surviving side); None = no file."""


def _git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> str:
    """Run git in one of mergekit's worktrees with hooks disabled; a failure raises with git's message."""
    if not cwd.is_dir():
        raise MergekitError(f"{cwd} does not exist — run `mergekit abort` to drop the run")
    return run_git(args, cwd, stdin=stdin, hooks=False).text


def add_worktree(repo: Repo, path: Path, commit: str) -> Path:
    """Create a linked worktree at `path` with `commit` checked out on a detached HEAD (no branch)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _git(["worktree", "add", "--quiet", "--detach", "--force", str(path), commit], cwd=repo.common_dir)
    return path.resolve()


def checkout_tree(repo: Repo, tree: str, dest: Path) -> Path:
    """Write the files of `tree` into the empty or new directory `dest` (a scratch copy, not a worktree).

    git's own checkout code runs on a throw-away index, so attributes and filters apply as in a
    worktree; no worktree is registered, no ref or HEAD is involved and nothing is left behind in
    the repository. The caller owns `dest` and removes it.
    """
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mergekit-index-") as tmp:
        env = {
            **os.environ,
            "GIT_DIR": str(repo.common_dir),
            "GIT_WORK_TREE": str(dest),
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
        }
        for args in (["read-tree", tree], ["checkout-index", "--all", "--force"]):
            run_git(args, dest, env=env, hooks=False)
    return dest.resolve()


def remove_worktree(repo: Repo, path: Path) -> None:
    """Remove a linked worktree mergekit made (and its admin files), even with changes in it."""
    if path.exists():
        _git(["worktree", "remove", "--force", "--force", str(path)], cwd=repo.common_dir)
    _git(["worktree", "prune"], cwd=repo.common_dir)


def checkout_commit(path: Path, commit: str) -> None:
    """Move the worktree to `commit` (detached), discarding local changes and any merge state."""
    _clear_merge_state(path)
    _git(["checkout", "--quiet", "--force", "--detach", commit], cwd=path)


def materialize_merge(
    path: Path, ours: str, partial_tree: str, files: Sequence[PausedFile], theirs: str, message: str
) -> None:
    """Lay out a paused merge of `theirs` into `ours` in the worktree at `path`.

    `partial_tree` is the merge result with every conflicted path at our side; on top of it
    the index gets stages 1/2/3 for each conflict and the files get `content`.
    """
    checkout_commit(path, ours)
    _git(["read-tree", "-m", "-u", "HEAD", partial_tree], cwd=path)
    zero = "0" * len(ours)
    lines: list[str] = []
    for item in files:
        conflict = item.conflict
        sides = ((1, conflict.base), (2, conflict.ours), (3, conflict.theirs))
        for p in sorted({s.path for _, s in sides if s is not None}):
            lines.append(f"0 {zero}\t{p}")
        for stage, side in sides:
            if side is not None:
                lines.append(f"{side.mode:o} {side.oid} {stage}\t{side.path}")
        if item.content is not None:
            target = path / conflict.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.exists():
                target.unlink()
            target.write_bytes(item.content)
            side = conflict.ours or conflict.theirs
            if side is not None and side.mode == MODE_EXEC:
                target.chmod(0o755)
    if lines:
        _git(["update-index", "--index-info"], cwd=path, stdin=("\n".join(lines) + "\n").encode("utf-8"))
    gitdir = worktree_git_dir(path)
    (gitdir / "MERGE_HEAD").write_text(theirs + "\n", encoding="utf-8")
    (gitdir / "MERGE_MSG").write_text(message if message.endswith("\n") else message + "\n", encoding="utf-8")
    (gitdir / "MERGE_MODE").write_text("no-ff", encoding="utf-8")


def worktree_git_dir(path: Path) -> Path:
    """The admin dir of a linked worktree (`.git/worktrees/<name>`), from its `.git` file."""
    dotgit = path / ".git"
    if dotgit.is_file():
        text = dotgit.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            return (target if target.is_absolute() else path / target).resolve()
    return dotgit.resolve()


def merge_in_progress(path: Path) -> bool:
    """True while the worktree has a MERGE_HEAD (the human has not aborted or committed the merge)."""
    return (worktree_git_dir(path) / "MERGE_HEAD").is_file()


def merge_message(path: Path) -> str | None:
    """The MERGE_MSG a human may have edited in the worktree, None when absent."""
    msg = worktree_git_dir(path) / "MERGE_MSG"
    try:
        return msg.read_text(encoding="utf-8")
    except OSError:
        return None


def inspect_worktree(path: Path) -> WorktreeState:
    """What the worktree holds now: HEAD, unmerged paths, the tree the index would commit, dirtiness."""
    if not path.is_dir():
        raise MergekitError(f"the worktree {path} is gone — run `mergekit abort` to drop the run")
    raw = pygit2.Repository(str(path))
    head = str(raw.head.target)
    index = raw.index
    unmerged: set[str] = set()
    if index.conflicts:
        for entries in index.conflicts:
            unmerged.update(str(e.path) for e in entries if e is not None)
    index_tree = None if unmerged else str(index.write_tree())
    dirty = False
    for flags in raw.status(untracked_files="no").values():
        if flags not in (pygit2.enums.FileStatus.CURRENT, pygit2.enums.FileStatus.IGNORED):
            dirty = True
            break
    return WorktreeState(head=head, unmerged=tuple(sorted(unmerged)), index_tree=index_tree, dirty=dirty)


def _clear_merge_state(path: Path) -> None:
    gitdir = worktree_git_dir(path)
    for name in _MERGE_FILES:
        (gitdir / name).unlink(missing_ok=True)
