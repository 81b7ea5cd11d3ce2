"""In-memory three-way merges of commits and trees, and writing their (resolved) result trees.

Nothing is checked out: libgit2 merges into an in-memory index; `TreeMerge` exposes the
conflicted entries as `Conflict` values and writes the result tree once the caller has
decided each conflicted path. The functions stay small on purpose so that a merge walking
only the subtrees that differ can replace them for very large repositories.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Literal

import pygit2

from mergekit.engine.repo import Repo
from mergekit.engine.types import MODE_GITLINK, MODE_LINK, Conflict, ConflictKind, Side

Leftover = Literal["fail", "ours"]


def merge_commits(repo: Repo, ours: str, theirs: str) -> TreeMerge:
    """Merge commit `theirs` into commit `ours` in memory (libgit2 finds the merge base)."""
    index = repo.raw.merge_commits(ours, theirs, flags=pygit2.enums.MergeFlag.FIND_RENAMES)
    return TreeMerge(repo, index)


def merge_trees(repo: Repo, base: str | None, ours: str, theirs: str) -> TreeMerge:
    """Merge tree `theirs` into tree `ours` against tree `base` (None = empty tree), in memory."""
    raw = repo.raw
    base_tree = base if base else str(raw.TreeBuilder().write())
    flags = pygit2.enums.MergeFlag.FIND_RENAMES
    index = raw.merge_trees(_tree(raw, base_tree), _tree(raw, ours), _tree(raw, theirs), flags=flags)
    return TreeMerge(repo, index)


def _entry(path: str, oid: str, mode: int) -> pygit2.IndexEntry:
    return pygit2.IndexEntry(path, pygit2.Oid(hex=oid), pygit2.enums.FileMode(mode))


def _tree(raw: pygit2.Repository, oid: str) -> pygit2.Tree:
    obj = raw.get(oid)
    if not isinstance(obj, pygit2.Tree):
        raise ValueError(f"{oid} is not a tree")
    return obj


class TreeMerge:
    """The outcome of one in-memory merge: conflicts to decide, then one result tree to write."""

    def __init__(self, repo: Repo, index: pygit2.Index) -> None:
        self._repo = repo
        self._index = index
        self._written = False
        self.conflicts: list[Conflict] = _read_conflicts(repo, index)
        """The conflicted entries, sorted by path."""

    @property
    def clean(self) -> bool:
        """True when nothing conflicted."""
        return not self.conflicts

    def write_tree(self, resolutions: Mapping[str, bytes], leftover: Leftover = "fail") -> str:
        """Write the result tree with `resolutions` (path -> merged bytes) applied; return its id.

        Conflicts without a resolution raise with `leftover="fail"`; with `leftover="ours"`
        they take our side (or stay absent when ours deleted the path), which is what a
        hand-off worktree starts from before the conflict stages are added. Call once.
        """
        if self._written:
            raise RuntimeError("TreeMerge.write_tree may be called once")
        self._written = True
        for conflict in self.conflicts:
            data = resolutions.get(conflict.path)
            if data is None and leftover == "fail":
                raise ValueError(f"unresolved conflict at {conflict.path}")
            self._drop_conflict(conflict)
            if data is not None:
                side = conflict.ours or conflict.theirs
                mode = side.mode if side is not None else 0o100644
                oid = self._repo.write_blob(data)
                self._index.add(_entry(conflict.path, oid, mode))
            elif conflict.ours is not None:
                ours = conflict.ours
                self._index.add(_entry(ours.path, ours.oid, ours.mode))
        return str(self._index.write_tree(self._repo.raw))

    def _drop_conflict(self, conflict: Conflict) -> None:
        for side in (conflict.base, conflict.ours, conflict.theirs):
            if side is None:
                continue
            collection = self._index.conflicts  # None once the last conflict is gone
            if collection is None:
                return
            with contextlib.suppress(KeyError):
                del collection[side.path]


def _read_conflicts(repo: Repo, index: pygit2.Index) -> list[Conflict]:
    if not index.conflicts:
        return []
    result = []
    for base_e, ours_e, theirs_e in index.conflicts:
        base, ours, theirs = (_side(repo, e) for e in (base_e, ours_e, theirs_e))
        present = [s for s in (ours, theirs, base) if s is not None]
        path = present[0].path
        kind = _kind(base, ours, theirs)
        result.append(Conflict(path=path, kind=kind, base=base, ours=ours, theirs=theirs))
    return sorted(result, key=lambda c: c.path)


def _side(repo: Repo, entry: pygit2.IndexEntry | None) -> Side | None:
    if entry is None:
        return None
    mode = int(entry.mode)
    data = b"" if mode == MODE_GITLINK else repo.read_blob(str(entry.id))
    return Side(path=str(entry.path), oid=str(entry.id), mode=mode, data=data)


def _kind(base: Side | None, ours: Side | None, theirs: Side | None) -> str:
    """Classify a conflict the way a person would describe it."""
    sides = [s for s in (base, ours, theirs) if s is not None]
    if len({s.path for s in sides}) > 1:
        return ConflictKind.RENAME
    if any(s.mode == MODE_GITLINK for s in sides):
        return ConflictKind.SUBMODULE
    if any(s.mode == MODE_LINK for s in sides):
        return ConflictKind.SYMLINK
    if ours is None:
        return ConflictKind.DELETE_MODIFY
    if theirs is None:
        return ConflictKind.MODIFY_DELETE
    if base is None:
        return ConflictKind.ADD_ADD
    if ours.oid == theirs.oid or (ours.mode != theirs.mode and ours.mode != base.mode != theirs.mode):
        return ConflictKind.MODE
    return ConflictKind.CONTENT
