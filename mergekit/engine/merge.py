"""In-memory three-way merges of commits and trees, and writing their (resolved) result trees.

Nothing is checked out. The fast merge (`mergekit.engine.fastmerge`) walks only the subtrees
that differ between base, ours and theirs and gives libgit2's result; where it cannot
promise that (renames possible, directory/file conflicts, several merge bases) libgit2's
full-index merge runs instead — always with `full=True` or `MERGEKIT_FULL_MERGE=1`.
`TreeMerge` exposes the conflicted entries as `Conflict` values and writes the result tree
once the caller has decided each conflicted path.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, Mapping
from typing import Literal

import pygit2

from mergekit.engine.fastmerge import Edit, FastMerge, apply_edits, changed_paths, fast_merge, read_side
from mergekit.engine.repo import Repo
from mergekit.engine.types import MODE_EXEC, MODE_FILE, MODE_GITLINK, MODE_LINK, Conflict, Side
from mergekit.model import ConflictKind

Leftover = Literal["fail", "ours"]

FULL_MERGE_ENV = "MERGEKIT_FULL_MERGE"
"""Set to 1 to always use libgit2's full-index merge (tests and benchmarks compare the two)."""

_FLAGS = pygit2.enums.MergeFlag.FIND_RENAMES


def merge_commits(repo: Repo, ours: str, theirs: str, *, full: bool | None = None) -> TreeMerge:
    """Merge commit `theirs` into commit `ours` in memory (against their merge base).

    `full` forces (True) or forbids (False) libgit2's full-index merge; None reads
    `MERGEKIT_FULL_MERGE`. Several merge bases (criss-cross history) always take libgit2's
    recursive merge.
    """
    raw = repo.raw
    if repo.is_shallow:
        # libgit2 (and `_single_merge_base`) read a missing merge base as unrelated histories and
        # merge against an empty tree; in a shallow clone it means history is missing.
        repo.merge_base(ours, theirs)
    trees: tuple[pygit2.Oid | None, pygit2.Oid, pygit2.Oid] | None = None
    base = _single_merge_base(repo, ours, theirs)
    if base is not _MANY:  # the trees also tell which files both sides changed (duplicate keys)
        base_tree = raw[base].tree_id if isinstance(base, pygit2.Oid) else None  # type: ignore[attr-defined]
        trees = (base_tree, raw[ours].tree_id, raw[theirs].tree_id)  # type: ignore[attr-defined]
    if _want_full(full):
        declined = "full merge requested"
    elif trees is None:
        declined = "several merge bases"
    else:
        fast = _fast(repo, *trees, checked=True)
        if isinstance(fast, TreeMerge):
            return fast
        declined = fast
    merge = TreeMerge(repo, raw.merge_commits(ours, theirs, flags=_FLAGS))
    merge.declined = declined
    merge.trees = trees
    return merge


def merge_trees(
    repo: Repo, base: str | None, ours: str, theirs: str, *, full: bool | None = None
) -> TreeMerge:
    """Merge tree `theirs` into tree `ours` against tree `base` (None = empty tree), in memory."""
    raw = repo.raw
    if not _want_full(full):
        base_oid = pygit2.Oid(hex=base) if base else None
        fast = _fast(repo, base_oid, pygit2.Oid(hex=ours), pygit2.Oid(hex=theirs))
        if isinstance(fast, TreeMerge):
            return fast
        declined = fast
    else:
        declined = "full merge requested"
    base_tree = base if base else str(raw.TreeBuilder().write())
    index = raw.merge_trees(_tree(raw, base_tree), _tree(raw, ours), _tree(raw, theirs), flags=_FLAGS)
    merge = TreeMerge(repo, index)
    merge.declined = declined
    merge.trees = (pygit2.Oid(hex=base) if base else None, pygit2.Oid(hex=ours), pygit2.Oid(hex=theirs))
    return merge


def _want_full(full: bool | None) -> bool:
    if full is not None:
        return full
    return os.environ.get(FULL_MERGE_ENV, "") not in ("", "0")


def _fast(
    repo: Repo, base: pygit2.Oid | None, ours: pygit2.Oid, theirs: pygit2.Oid, checked: bool = False
) -> TreeMerge | str:
    """The fast merge of three trees (`checked`: they are known to be trees, commits' own)."""
    for oid in () if checked else (base, ours, theirs):
        if oid is not None and not isinstance(repo.raw.get(oid), pygit2.Tree):
            raise ValueError(f"{oid} is not a tree")
    found = fast_merge(repo.raw, base, ours, theirs)
    if isinstance(found, str):
        return found
    merge = TreeMerge.from_fast(repo, ours, found)
    merge.trees = (base, ours, theirs)
    return merge


class _Many:
    """Marks a pair of commits with more than one merge base."""


_MANY = _Many()


_BASES: weakref.WeakKeyDictionary[Repo, dict[tuple[str, str], pygit2.Oid | _Many | None]] = (
    weakref.WeakKeyDictionary()
)
"""Per repository: (ours, theirs) → `_single_merge_base` (plan and check merge pairs again and again)."""
_BEYOND: weakref.WeakKeyDictionary[Repo, dict[tuple[pygit2.Oid, pygit2.Oid], frozenset[pygit2.Oid]]] = (
    weakref.WeakKeyDictionary()
)
"""Per repository: (commit, base) → the commits reachable from commit and not from base."""


def _single_merge_base(repo: Repo, ours: str, theirs: str) -> pygit2.Oid | _Many | None:
    """The merge base of two commits, None when unrelated, `_MANY` when there are several (kept)."""
    known = _BASES.setdefault(repo, {})
    key = (ours, theirs)
    if key not in known:
        known[key] = _find_single_merge_base(repo, ours, theirs)
    return known[key]


def _find_single_merge_base(repo: Repo, ours: str, theirs: str) -> pygit2.Oid | _Many | None:
    """The merge base of two commits, None when unrelated, `_MANY` when there are several.

    A second merge base is never an ancestor of the first, so there is one exactly when no
    commit outside the first base's history is reachable from both tips.
    """
    found = repo.merge_base(ours, theirs)
    if found is None:
        return None
    base = pygit2.Oid(hex=found)
    if found in (ours, theirs):
        return base
    mine = _beyond(repo, pygit2.Oid(hex=ours), base)
    if any(commit in mine for commit in _beyond(repo, pygit2.Oid(hex=theirs), base)):
        return _MANY
    return base


def _beyond(repo: Repo, commit: pygit2.Oid, base: pygit2.Oid) -> frozenset[pygit2.Oid]:
    """The commits reachable from `commit` and not from its ancestor `base` (kept per pair).

    When every parent's answer is known — an integration's next result, whose parents are the
    previous result and a branch already asked about — it is their union and the commit itself,
    so each step of a run costs what it adds, not the whole run's history.
    """
    known = _BEYOND.setdefault(repo, {})
    found = known.get((commit, base))
    if found is not None:
        return found
    raw = repo.raw
    parents = raw[commit].parent_ids  # type: ignore[attr-defined]
    if commit != base and parents and all((p, base) in known or p == base for p in parents):
        found = frozenset({commit}).union(*(known.get((p, base), frozenset()) for p in parents))
    else:
        walker = raw.walk(commit, pygit2.enums.SortMode.NONE)
        walker.hide(base)
        found = frozenset(c.id for c in walker)
    if len(known) >= 4096:
        known.clear()
    known[(commit, base)] = found
    return found


_REGULAR = (MODE_FILE, MODE_EXEC)


def _entries_at(
    raw: pygit2.Repository, trees: tuple[pygit2.Oid | None, pygit2.Oid, pygit2.Oid], path: str
) -> tuple[Edit, Edit, Edit]:
    """The (id, mode) of `path` in each tree (None where absent)."""
    found: list[Edit] = []
    for tree in trees:
        entry = None
        if tree is not None:
            with contextlib.suppress(KeyError):
                obj = raw[tree][path]  # type: ignore[index]
                entry = (obj.id, int(obj.filemode))
        found.append(entry)
    return found[0], found[1], found[2]


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
        self._fast: tuple[pygit2.Oid, FastMerge] | None = None
        self.conflicts: list[Conflict] = _read_conflicts(repo, index)
        """The conflicted entries, sorted by path."""
        self.declined: str | None = None
        """Why the fast merge did not run (None when it did)."""
        self.trees: tuple[pygit2.Oid | None, pygit2.Oid, pygit2.Oid] | None = None
        """The base, ours and theirs trees (None when libgit2 chose among several merge bases)."""

    @classmethod
    def from_fast(cls, repo: Repo, ours_tree: pygit2.Oid, fast: FastMerge) -> TreeMerge:
        """The outcome of a fast merge into ours' tree."""
        merge = cls(repo, fast.index if fast.index is not None else pygit2.Index())
        merge._fast = (ours_tree, fast)
        return merge

    @property
    def engine(self) -> str:
        """Which merge produced this: "fast" or "libgit2"."""
        return "fast" if self._fast is not None else "libgit2"

    @property
    def clean(self) -> bool:
        """True when nothing conflicted."""
        return not self.conflicts

    def changed_on_both_sides(self, keep: Callable[[str], bool] = lambda path: True) -> list[Conflict]:
        """Files both sides changed to different blobs that merged without a conflict, with their sides.

        A clean line merge can still give one key two values, so callers look at these again.
        Only regular files present in base, ours and theirs; `keep` filters paths before any
        blob is read. With the fast merge these are known already (no tree is walked again).
        """
        conflicted = {c.path for c in self.conflicts}
        if self._fast is not None:
            candidates = {p: sides for p, sides in self._fast[1].contested.items() if p not in conflicted}
        elif self.trees is not None:
            base, ours, theirs = self.trees
            raw = self._repo.raw
            paths = changed_paths(raw, base, ours) & changed_paths(raw, base, theirs)
            candidates = {p: _entries_at(raw, self.trees, p) for p in sorted(paths - conflicted)}
        else:
            return []
        found = []
        for path, sides in sorted(candidates.items()):
            if any(s is None or s[1] not in _REGULAR for s in sides) or not keep(path):
                continue
            b, o, t = (self._side_of(path, s) for s in sides)
            if b is None or o is None or t is None or o.oid == t.oid:
                continue
            found.append(Conflict(path=path, kind=ConflictKind.CONTENT, base=b, ours=o, theirs=t))
        return found

    def _side_of(self, path: str, entry: Edit) -> Side | None:
        if entry is None:
            return None
        oid = str(entry[0])
        return Side(path=path, oid=oid, mode=entry[1], data=self._repo.read_blob(oid))

    def write_tree(self, resolutions: Mapping[str, bytes], leftover: Leftover = "fail") -> str:
        """Write the result tree with `resolutions` (path -> merged bytes) applied; return its id.

        Conflicts without a resolution raise with `leftover="fail"`; with `leftover="ours"`
        they take our side (or stay absent when ours deleted the path), which is what a
        hand-off worktree starts from before the conflict stages are added. Call once.
        """
        if self._written:
            raise RuntimeError("TreeMerge.write_tree may be called once")
        self._written = True
        if self._fast is not None:
            return self._write_fast(resolutions, leftover)
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

    def _write_fast(self, resolutions: Mapping[str, bytes], leftover: Leftover) -> str:
        """Apply the fast merge's edits and the resolutions to ours' tree (ours stays where unresolved)."""
        assert self._fast is not None
        ours_tree, fast = self._fast
        edits: dict[str, Edit] = dict(fast.edits)
        for conflict in self.conflicts:
            data = resolutions.get(conflict.path)
            if data is None:
                if leftover == "fail":
                    raise ValueError(f"unresolved conflict at {conflict.path}")
                continue
            side = conflict.ours or conflict.theirs
            mode = side.mode if side is not None else 0o100644
            edits[conflict.path] = (pygit2.Oid(hex=self._repo.write_blob(data)), mode)
        if not edits:
            return str(ours_tree)
        return str(apply_edits(self._repo.raw, ours_tree, edits))

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
    return read_side(repo.raw, entry)


def _kind(base: Side | None, ours: Side | None, theirs: Side | None) -> ConflictKind:
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
