"""Linked worktrees mergekit owns: create, move to a commit, materialize a paused merge, inspect, remove;
and scratch copies of a tree (`checkout_tree`) where derived files are regenerated.

This is the only filesystem work mergekit does. A paused merge is laid out exactly as
`git merge` would leave it — files with conflict markers, index stages 1/2/3, MERGE_HEAD
and MERGE_MSG — so `git status`, `git mergetool`, `git add` and `git commit` work as usual.
The git CLI does the checkout work (it is git's own code, hooks disabled); pygit2 reads back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pygit2

from mergekit.engine.gitcli import run_git
from mergekit.engine.repo import Repo
from mergekit.engine.scratch import process_dir
from mergekit.engine.types import MODE_EXEC, MODE_FILE, MODE_GITLINK, MODE_LINK, Conflict, Side, WorktreeState
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
    with tempfile.TemporaryDirectory(prefix="index-", dir=process_dir()) as tmp:
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
    """Remove a linked worktree mergekit made (and its admin files), even with changes in it.

    Also one that `git worktree add` left half made when it was interrupted: git refuses to
    remove that (no `.git` file yet, or still locked as "initializing"), so its directory is
    deleted and its admin entry unlocked for `git worktree prune`. Only for mergekit's own
    worktrees (under the git dir): their content is mergekit's.
    """
    if path.exists():
        try:
            _git(["worktree", "remove", "--force", "--force", str(path)], cwd=repo.common_dir)
        except MergekitError:
            shutil.rmtree(path, ignore_errors=True)
    _unlock_admin_entries(repo, path)
    _git(["worktree", "prune"], cwd=repo.common_dir)


def _unlock_admin_entries(repo: Repo, path: Path) -> None:
    """Unlock the admin entries (`.git/worktrees/<id>`) of the worktree that was at `path`."""
    admin = repo.common_dir / "worktrees"
    if not admin.is_dir():
        return
    gone = (path / ".git").resolve()
    for entry in admin.iterdir():
        try:
            target = Path(os.fsdecode((entry / "gitdir").read_bytes().strip()))
        except OSError:
            continue
        if target.resolve() == gone:
            (entry / "locked").unlink(missing_ok=True)


def checkout_commit(path: Path, commit: str) -> None:
    """Move the worktree to `commit` (detached), discarding local changes and any merge state.

    HEAD moves first (git's checkout drops the merge state with it), what is left of the merge
    state after: a process killed in between never leaves a settled hand-off looking aborted
    (HEAD still at ours, MERGE_HEAD gone), which `continue` could not take over.
    """
    _git(["checkout", "--quiet", "--force", "--detach", commit], cwd=path)
    _clear_merge_state(path)


def materialize_merge(
    path: Path,
    ours: str,
    partial_tree: str,
    files: Sequence[PausedFile],
    theirs: str,
    message: str,
    labels: tuple[str, str] = ("ours", "theirs"),
) -> None:
    """Lay out a paused merge of `theirs` into `ours` in the worktree at `path`.

    `partial_tree` is the merge result with every conflicted path at our side; on top of it
    the index gets stages 1/2/3 for each conflict and the files get `content`. Where `git merge`
    moves an entry aside — a file, symlink or submodule in the way of a directory, or two types
    (file, symlink, submodule) at one path — it is moved the same way, to `<path>~<label>` with
    its stages; `labels` are ours' and theirs' names (a `/` in them is spelt `_`).
    """
    checkout_commit(path, ours)
    _git(["read-tree", "-m", "-u", "HEAD", partial_tree], cwd=path)
    placed = _Placement(pygit2.Repository(str(path)), partial_tree, files, labels)
    zero = "0" * len(ours)
    removals = [f"0 {zero}\t{p}" for p in sorted(placed.originals)]
    stages = [f"{side.mode:o} {side.oid} {stage}\t{where}" for where, stage, side in placed.entries]
    for target, entry in placed.writes:
        _write_entry(path, target, entry)
    records = [*removals, *stages]
    if records:
        data = b"".join(os.fsencode(r) + b"\0" for r in records)
        _git(["update-index", "-z", "--index-info"], cwd=path, stdin=data)
    gitdir = worktree_git_dir(path)
    (gitdir / "MERGE_HEAD").write_text(theirs + "\n", encoding="utf-8")
    text = message if message.endswith("\n") else message + "\n"
    (gitdir / "MERGE_MSG").write_bytes(text.encode("utf-8", "surrogateescape"))  # paths may not be UTF-8
    (gitdir / "MERGE_MODE").write_text("no-ff", encoding="utf-8")


_Write = tuple[int, bytes] | None
"""What to put at a work-tree path: (mode, bytes), or None to leave nothing there."""


def _kind(mode: int) -> int:
    """The type git keeps apart at one path: regular file (either mode), symlink or submodule."""
    return MODE_FILE if mode in (MODE_FILE, MODE_EXEC) else mode


class _Placement:
    """Where each stage of each conflict goes in the index, and what goes into the work tree."""

    def __init__(
        self, raw: pygit2.Repository, partial_tree: str, files: Sequence[PausedFile], labels: tuple[str, str]
    ) -> None:
        tree = raw[partial_tree]
        assert isinstance(tree, pygit2.Tree)
        self._tree = tree
        self._labels = {2: labels[0], 3: labels[1], 1: "base"}
        self._taken = {s.path for item in files for s in _sides(item.conflict).values()}
        self.originals: set[str] = set(self._taken)
        """Paths whose stage-0 entry the conflict stages replace."""
        self.entries: list[tuple[str, int, Side]] = []
        """(index path, stage, side), in conflict order."""
        self.writes: list[tuple[str, _Write]] = []
        """(work-tree path, what to write there)."""
        for item in files:
            self._place(item)

    def _place(self, item: PausedFile) -> None:
        conflict = item.conflict
        sides = _sides(conflict)
        moved = self._moves(sides)
        if not moved:
            self.entries.extend((side.path, stage, side) for stage, side in sides.items())
            survivor = conflict.ours or conflict.theirs
            if item.content is not None:
                mode = MODE_FILE
                if survivor is not None and survivor.mode != MODE_FILE:
                    # a symlink or submodule shown as itself; an executable keeps its bit
                    kept = survivor.mode == MODE_EXEC or item.content == survivor.data
                    mode = survivor.mode if kept else MODE_FILE
                self.writes.append((conflict.path, (mode, item.content)))
            return
        where: dict[str, list[tuple[int, Side]]] = {}
        for stage, side in sides.items():
            target = moved.get(stage, side.path)
            where.setdefault(target, []).append((stage, side))
            self.entries.append((target, stage, side))
        for target, staged in where.items():
            at = dict(staged)
            shown = at.get(2) or at.get(3)
            self.writes.append((target, (shown.mode, shown.data) if shown is not None else None))

    def _moves(self, sides: dict[int, Side]) -> dict[int, str]:
        """Stage → the path it moves to, for the stages git would move aside."""
        moving: set[int] = set()
        ours, theirs, base = sides.get(2), sides.get(3), sides.get(1)
        if ours is not None and theirs is not None and _kind(ours.mode) != _kind(theirs.mode):
            # git renames the regular file (ours first); two non-files both move
            if _kind(ours.mode) == MODE_FILE:
                moving = {2}
            elif _kind(theirs.mode) == MODE_FILE:
                moving = {3}
            else:
                moving = {2, 3}
            if base is not None and any(_kind(sides[s].mode) == _kind(base.mode) for s in moving):
                moving.add(1)
        for stage, side in sides.items():
            if stage not in moving and self._in_the_way(side.path):
                moving.add(stage)
        moves: dict[int, str] = {}
        for stage in sorted(moving):
            if stage == 1:
                continue
            moves[stage] = self._unique(f"{sides[stage].path}~{self._labels[stage].replace('/', '_')}")
        if 1 in moving:
            kind = _kind(sides[1].mode)
            buddy = next((s for s in (2, 3) if s in moves and _kind(sides[s].mode) == kind), None)
            moves[1] = moves[buddy] if buddy is not None else self._unique(f"{sides[1].path}~base")
        return moves

    def _in_the_way(self, path: str) -> bool:
        """True when `path` is a directory in the result: a tree there, or a conflict under it."""
        prefix = path + "/"
        if any(p.startswith(prefix) for p in self._taken):
            return True
        entry = _tree_entry(self._tree, path)
        return entry is not None and entry.filemode == pygit2.enums.FileMode.TREE

    def _unique(self, path: str) -> str:
        candidate, n = path, 0
        while candidate in self._taken or _tree_entry(self._tree, candidate) is not None:
            candidate, n = f"{path}_{n}", n + 1
        self._taken.add(candidate)
        return candidate


def _sides(conflict: Conflict) -> dict[int, Side]:
    """The conflict's sides present, by index stage (1 base, 2 ours, 3 theirs)."""
    found = {1: conflict.base, 2: conflict.ours, 3: conflict.theirs}
    return {stage: side for stage, side in found.items() if side is not None}


def _tree_entry(tree: pygit2.Tree, path: str) -> pygit2.Object | None:
    """The entry at `path` (any name, UTF-8 or not), None when there is none."""
    node: pygit2.Object = tree
    for part in path.split("/"):
        if not isinstance(node, pygit2.Tree):
            return None
        found = None
        for entry in node:
            if entry.name == part:
                found = entry
                break
        if found is None:
            return None
        node = found
    return node


def _write_entry(root: Path, rel: str, entry: _Write) -> None:
    """Put `entry` at `rel` in the work tree, clearing any file or symlink in the way first.

    Nothing is ever written through a symlink: a link where a directory must be is removed, so
    a hostile tree cannot make the hand-off write outside the worktree.
    """
    parts = rel.split("/")
    current = root
    for part in parts[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
    target = root / rel
    if target.is_symlink() or target.is_file():
        target.unlink()
    if entry is not None and entry[0] == MODE_GITLINK:
        target.mkdir(parents=True, exist_ok=True)  # an empty directory, as git leaves a submodule
        return
    if target.is_dir():
        target.rmdir()  # only empty directories are in the way of a file here
    if entry is None:
        return
    mode, data = entry
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode == MODE_LINK:
        os.symlink(os.fsdecode(data), target)
        return
    target.write_bytes(data)
    if mode == MODE_EXEC:
        target.chmod(0o755)


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
        return msg.read_bytes().decode("utf-8", "surrogateescape")
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
