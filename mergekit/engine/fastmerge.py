"""A three-way tree merge whose cost grows with the changes, not with the repository.

libgit2's `merge_trees` loads all three trees into an index (about 100 ms at 100k files).
This merge walks base, ours and theirs together and stops wherever two of them agree:

- ours == theirs: take ours; base == ours: take theirs; base == theirs: keep ours — for a
  whole subtree at once, without reading it;
- only entries changed on both sides, differently, are merged: all of them together by
  libgit2 itself, on tiny trees holding just those paths, so content merges, modes,
  binary files and `merge` attributes come out exactly as in the full merge.

The result is the same tree and the same conflicts as libgit2's full merge, except where
libgit2 would look across paths; there `fast_merge` declines (returns a reason) and the
caller runs the full merge:

- rename detection: libgit2 pairs a path a side deleted with one the *same* side added
  (exact and similar content). A pairing changes the result only when the other side also
  changed one of those paths, so the merge declines when a path changed on both sides was
  added or deleted by a side that also deleted (or added) some other path;
- directory/file conflicts (a path that is a tree on one side and not on another, where
  both sides changed it);
- names that are not UTF-8 (pygit2 hands them out with surrogate escapes).

The caller (`mergekit.engine.merge`) also sends criss-cross histories (several merge bases)
to libgit2's recursive merge.

Object ids stay `pygit2.Oid` inside; the edits and conflicts handed out are plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pygit2

from mergekit.engine.types import MODE_GITLINK, Side

MODE_TREE = 0o040000
"""A directory."""

Entry = tuple[pygit2.Oid, int]
"""A tree entry: (object id, file mode)."""
Edit = Entry | None
"""What a path becomes: an entry, or None when it goes away."""

_FLAGS = pygit2.enums.MergeFlag.FIND_RENAMES

_ENTRIES: dict[pygit2.Oid, dict[str, Entry]] = {}
"""Tree id → its entries. A tree id names its content in every repository, so the cache is
shared (plan and check merge the same base and tip trees many times over)."""
_ENTRIES_MAX = 20_000
"""Trees kept (a few MB); the cache starts over when full."""


@dataclass
class FastMerge:
    """What `fast_merge` found: the changes to apply to ours, and the paths left to libgit2."""

    edits: dict[str, Edit] = field(default_factory=dict)
    """Path (file or directory) → its new entry in the result, relative to ours' tree."""
    contested: dict[str, tuple[Edit, Edit, Edit]] = field(default_factory=dict)
    """Paths both sides changed differently: path → (base, ours, theirs) entries."""
    index: pygit2.Index | None = None
    """libgit2's merge of the contested paths (its conflicts are the merge's conflicts)."""


class _Decline(Exception):
    """The fast merge cannot promise libgit2's result here; the reason says why."""


def fast_merge(
    raw: pygit2.Repository, base: pygit2.Oid | None, ours: pygit2.Oid, theirs: pygit2.Oid
) -> FastMerge | str:
    """Merge tree `theirs` into tree `ours` against `base` (None = empty); a str = the reason to decline."""
    walker = _Walker(raw)
    try:
        result = walker.merge(base, ours, theirs)
        walker.check_renames(base, ours, theirs)
    except _Decline as decline:
        return str(decline)
    if result.contested:
        index = result.index = _merge_contested(raw, result.contested)
        conflicted = {str(s.path) for sides in index.conflicts or () for s in sides if s is not None}
        for path in result.contested.keys() - conflicted:
            try:
                entry = index[path]
            except KeyError:  # merged away (libgit2 resolved it as a deletion)
                result.edits[path] = None
                continue
            result.edits[path] = (entry.id, int(entry.mode))
    return result


class _Walker:
    """Walks the three trees where they differ; remembers what the rename check needs."""

    def __init__(self, raw: pygit2.Repository) -> None:
        self.raw = raw
        self.result = FastMerge()
        self.added_on: set[str] = set()
        """Sides ("ours", "theirs") that added a path both sides changed."""
        self.deleted_on: set[str] = set()
        """Sides that deleted a path both sides changed."""

    def entries(self, tree: pygit2.Oid | None) -> dict[str, Entry]:
        """The entries of a tree by name (none for None); shared, do not modify."""
        if tree is None:
            return {}
        found = _ENTRIES.get(tree)
        if found is None:
            obj = self.raw[tree]
            found = {item.name: (item.id, int(item.filemode)) for item in obj}  # type: ignore[attr-defined]
            if len(_ENTRIES) >= _ENTRIES_MAX:
                _ENTRIES.clear()
            _ENTRIES[tree] = found
        return found

    def merge(self, base: pygit2.Oid | None, ours: pygit2.Oid, theirs: pygit2.Oid) -> FastMerge:
        """Walk from the roots; fill `result.edits` and `result.contested`."""
        if ours != theirs and base != theirs:
            if base == ours:
                self.result.edits[""] = (theirs, MODE_TREE)
            else:
                self._walk("", base, ours, theirs)
        return self.result

    def _walk(
        self, prefix: str, base: pygit2.Oid | None, ours: pygit2.Oid | None, theirs: pygit2.Oid | None
    ) -> None:
        b, o, t = self.entries(base), self.entries(ours), self.entries(theirs)
        for name in b.keys() | o.keys() | t.keys():
            xb, xo, xt = b.get(name), o.get(name), t.get(name)
            if xb == xt:
                continue
            if not name.isascii() and not _utf8(name):
                raise _Decline(f"{prefix}{name!r} is not UTF-8")
            path = prefix + name
            if xb == xo:
                self.result.edits[path] = xt
                continue
            # changed on both sides
            if xo == xt:
                self._note(xb, xo, "ours", "theirs")
                continue
            trees = {x[1] == MODE_TREE for x in (xb, xo, xt) if x is not None}
            if trees == {True}:
                self._walk(path + "/", _oid(xb), _oid(xo), _oid(xt))
            elif True in trees:
                raise _Decline(f"{path} is a directory on one side and not on another")
            else:
                self._note(xb, xo, "ours")
                self._note(xb, xt, "theirs")
                self.result.contested[path] = (xb, xo, xt)

    def _note(self, base: Edit, change: Edit, *sides: str) -> None:
        """Remember which sides added or deleted paths somewhere both sides changed."""
        added, deleted = self.change_kinds(base, change)
        if added:
            self.added_on.update(sides)
        if deleted:
            self.deleted_on.update(sides)

    def change_kinds(self, old: Edit, new: Edit) -> tuple[bool, bool]:
        """(adds a path, deletes a path) going from entry `old` to `new` (trees, files or absent).

        Only subtrees that differ are read, and the walk ends as soon as both are known.
        """
        if old == new:
            return False, False
        old_tree = old is not None and old[1] == MODE_TREE
        new_tree = new is not None and new[1] == MODE_TREE
        deleted = old is not None and not old_tree and (new is None or new_tree)
        added = new is not None and not new_tree and (old is None or old_tree)
        if old_tree or new_tree:
            a = self.entries(old[0] if old is not None and old_tree else None)
            b = self.entries(new[0] if new is not None and new_tree else None)
            for name in a.keys() | b.keys():
                if added and deleted:
                    break
                sub_added, sub_deleted = self.change_kinds(a.get(name), b.get(name))
                added |= sub_added
                deleted |= sub_deleted
        return added, deleted

    def check_renames(self, base: pygit2.Oid | None, ours: pygit2.Oid, theirs: pygit2.Oid) -> None:
        """Decline when libgit2's rename detection could pair paths the other side also changed."""
        root_base = (base, MODE_TREE) if base is not None else None
        for side, tree in (("ours", ours), ("theirs", theirs)):
            if side not in self.added_on and side not in self.deleted_on:
                continue
            added, deleted = self.change_kinds(root_base, (tree, MODE_TREE))
            if added and deleted:
                raise _Decline(f"{side} adds and deletes paths: renames are possible")


def changed_paths(raw: pygit2.Repository, old: pygit2.Oid | None, new: pygit2.Oid | None) -> set[str]:
    """Paths (files, links, submodules) whose entry differs between two trees; None = empty tree.

    Like libgit2's tree-to-tree diff without rename detection, but only subtrees that differ
    are read (libgit2 reads both trees whole).
    """
    found: set[str] = set()
    walker = _Walker(raw)

    def walk(prefix: str, a_tree: pygit2.Oid | None, b_tree: pygit2.Oid | None) -> None:
        a, b = walker.entries(a_tree), walker.entries(b_tree)
        for name in a.keys() | b.keys():
            xa, xb = a.get(name), b.get(name)
            if xa == xb:
                continue
            ta = xa is not None and xa[1] == MODE_TREE
            tb = xb is not None and xb[1] == MODE_TREE
            if (xa is not None and not ta) or (xb is not None and not tb):
                found.add(prefix + name)
            if ta or tb:
                walk(prefix + name + "/", _oid(xa) if ta else None, _oid(xb) if tb else None)

    if old != new:
        walk("", old, new)
    return found


def _utf8(name: str) -> bool:
    """False for names pygit2 decoded with surrogate escapes (bytes that are not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _oid(entry: Edit) -> pygit2.Oid | None:
    return entry[0] if entry is not None else None


def _merge_contested(
    raw: pygit2.Repository, contested: Mapping[str, tuple[Edit, Edit, Edit]]
) -> pygit2.Index:
    """libgit2's own merge of just the contested paths (small trees, same paths, same attributes)."""
    trees: list[pygit2.Oid] = []
    for position in range(3):
        index = pygit2.Index()
        for path, sides in contested.items():
            entry = sides[position]
            if entry is not None:
                index.add(pygit2.IndexEntry(path, entry[0], pygit2.enums.FileMode(entry[1])))
        trees.append(index.write_tree(raw))
    return raw.merge_trees(trees[0], trees[1], trees[2], flags=_FLAGS)


class _Node:
    """A directory of edits: its own new entry (if edited) and edits below it."""

    __slots__ = ("children", "edit", "edited")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.edit: Edit = None
        self.edited = False


def apply_edits(raw: pygit2.Repository, tree: pygit2.Oid, edits: Mapping[str, Edit]) -> pygit2.Oid:
    """Write `tree` with `edits` applied (path → entry or None; "" = the root); empty directories vanish."""
    root = _Node()
    for path, edit in edits.items():
        node = root
        for part in path.split("/") if path else ():
            node = node.children.setdefault(part, _Node())
        node.edit, node.edited = edit, True
    start: pygit2.Oid | None = tree
    if root.edited:
        start = root.edit[0] if root.edit is not None else None
    written = _write(raw, start, root.children) if root.children else start
    return written if written is not None else raw.TreeBuilder().write()


def _write(raw: pygit2.Repository, tree: pygit2.Oid | None, children: dict[str, _Node]) -> pygit2.Oid | None:
    builder = raw.TreeBuilder(tree) if tree is not None else raw.TreeBuilder()
    for name, node in children.items():
        if node.edited:
            edit = node.edit
            if not node.children:
                _put(builder, name, edit)
                continue
            start = edit[0] if edit is not None and edit[1] == MODE_TREE else None
        else:
            current = builder.get(name)
            start = current.id if current is not None and current.filemode == MODE_TREE else None
        sub = _write(raw, start, node.children)
        _put(builder, name, (sub, MODE_TREE) if sub is not None else None)
    if len(builder) == 0:
        return None
    return builder.write()


def _put(builder: pygit2.TreeBuilder, name: str, edit: Edit) -> None:
    if edit is None:
        if builder.get(name) is not None:
            builder.remove(name)
    else:
        builder.insert(name, edit[0], edit[1])


def read_side(raw: pygit2.Repository, entry: pygit2.IndexEntry | None) -> Side | None:
    """A conflict side from an index entry (blob bytes read; none for submodules)."""
    if entry is None:
        return None
    mode = int(entry.mode)
    data = b"" if mode == MODE_GITLINK else bytes(raw[entry.id].data)  # type: ignore[attr-defined]
    return Side(path=str(entry.path), oid=str(entry.id), mode=mode, data=data)
