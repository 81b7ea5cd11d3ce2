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

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pygit2

from mergekit.engine.types import MODE_GITLINK, Side

MODE_TREE = 0o040000
"""A directory."""

Entry = tuple[pygit2.Oid, int]
"""A tree entry: (object id, file mode)."""
Edit = Entry | None
"""What a path becomes: an entry, or None when it goes away."""

_Raw = tuple[bytes, int]
"""A tree entry as read here: (the id's 20 raw bytes, file mode); cheaper to build and compare."""
_RawEdit = _Raw | None

_FLAGS = pygit2.enums.MergeFlag.FIND_RENAMES

_WHOLE = re.compile(rb"[0-7]+ [^\0]*\0.{20}", re.S)
"""One entry of a raw tree object: octal mode, space, name, NUL, the 20-byte id."""
_MODES: dict[bytes, int] = {}
"""Octal mode text → mode (a handful of distinct values)."""

_ENTRIES: dict[bytes, dict[str, _Raw]] = {}
"""Tree id (raw) → its entries. A tree id names its content in every repository, so the cache is
shared (plan and check merge the same base and tip trees many times over)."""
_ENTRIES_MAX = 300_000
"""Entries kept over all cached trees (about 60 MB); the least recently used trees go first."""
_entries_held = 0

_SETS: dict[bytes, frozenset[bytes]] = {}
"""Tree id (raw) → its raw entries, for the old side of diffs (least recently used go first)."""
_sets_held = 0

_DIFFS: dict[tuple[bytes | None, bytes | None], _Diff] = {}
"""(old tree, new tree) → what differs between them (footprints are asked for again and again:
every pair of `check` and `plan`, every step of a run merges against the same base and tips)."""
_DIFFS_MAX = 4096


@dataclass(frozen=True)
class _Diff:
    """What differs between two trees: the paths, and the names that differ in each directory."""

    paths: frozenset[str]
    """Files, links and submodules whose entry differs (or exists on one side only)."""
    names: dict[str, dict[str, tuple[_RawEdit, _RawEdit]]]
    """Directory prefix ("" for the top, else "a/b/") → the names there whose entries differ,
    with their (old, new) entries."""


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
    b, o, t = _key(base), ours.raw, theirs.raw
    try:
        result = walker.merge(b, o, t)
        walker.check_renames(b, o, t)
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


def read_entries(raw: pygit2.Repository, tree: bytes | None) -> dict[str, _Raw]:
    """The entries of a tree (raw id; None = the empty tree) by name; shared and cached, do not modify.

    The raw object is parsed here: building a pygit2 object per entry costs three times more.
    Names that are not UTF-8 keep their bytes as surrogate escapes (like pygit2's).
    """
    global _entries_held
    if tree is None:
        return {}
    found = _ENTRIES.pop(tree, None)
    if found is None:
        found = {name: entry for name, entry in _parse(_read_tree(raw, tree))}
        _entries_held += len(found)
        while _ENTRIES and _entries_held > _ENTRIES_MAX:  # the least recently used go first
            _entries_held -= len(_ENTRIES.pop(next(iter(_ENTRIES))))
    _ENTRIES[tree] = found
    return found


def _read_tree(raw: pygit2.Repository, tree: bytes) -> bytes:
    """The raw content of a tree object."""
    oid = pygit2.Oid(raw=tree)
    kind, data = raw.read(oid)
    if kind != pygit2.enums.ObjectType.TREE:
        raise ValueError(f"{oid} is not a tree")
    return bytes(data)


def _split(data: bytes) -> list[bytes]:
    """A raw tree's entries, each as its own bytes (mode, name and id)."""
    found = _WHOLE.findall(data)
    if sum(map(len, found)) != len(data):
        raise ValueError("a tree object that is not in git's layout")
    return found


def _parse(data: bytes) -> Iterator[tuple[str, _Raw]]:
    """(name, entry) for each entry of a raw tree."""
    return _entries(_split(data))


def _entries(parts: Iterable[bytes]) -> Iterator[tuple[str, _Raw]]:
    """(name, entry) for each raw entry of `parts` (as `_split` gives them)."""
    for part in parts:
        space, nul = part.index(b" "), part.index(b"\0")
        mode_text = part[:space]
        mode = _MODES.get(mode_text)
        if mode is None:
            mode = _MODES[mode_text] = _normal_mode(int(mode_text, 8))
        yield part[space + 1 : nul].decode("utf-8", "surrogateescape"), (part[nul + 1 :], mode)


def _lookup(tree: pygit2.Object | None, name: str) -> _RawEdit:
    """The entry `name` of a tree (libgit2's lookup: the tree is not read into Python)."""
    if tree is None:
        return None
    try:
        entry = tree[name]  # type: ignore[index]
    except KeyError:
        return None
    return entry.id.raw, int(entry.filemode)


def _normal_mode(mode: int) -> int:
    """The mode libgit2 reports for a tree entry's raw mode (old trees hold e.g. 100664)."""
    kind = mode & 0o170000
    if kind == MODE_TREE:
        return MODE_TREE
    if mode & 0o100:
        return 0o100755
    if kind in (0o160000, 0o120000):
        return kind
    return 0o100644


def _key(tree: pygit2.Oid | None) -> bytes | None:
    return tree.raw if tree is not None else None


def _edit(entry: _RawEdit) -> Edit:
    return (pygit2.Oid(raw=entry[0]), entry[1]) if entry is not None else None


def _sub(entry: _RawEdit) -> bytes | None:
    return entry[0] if entry is not None else None


class _Walker:
    """Walks the three trees where they differ; remembers what the rename check needs."""

    def __init__(self, raw: pygit2.Repository) -> None:
        self.raw = raw
        self.result = FastMerge()
        self.theirs_changes: _Diff | None = None
        """What theirs changed relative to base, by directory: the only names the walk visits."""
        self.added_on: set[str] = set()
        """Sides ("ours", "theirs") that added a path both sides changed."""
        self.deleted_on: set[str] = set()
        """Sides that deleted a path both sides changed."""

    def entries(self, tree: bytes | None) -> dict[str, _Raw]:
        """The entries of a tree by name (none for None); shared, do not modify."""
        return read_entries(self.raw, tree)

    def merge(self, base: bytes | None, ours: bytes, theirs: bytes) -> FastMerge:
        """Walk from the roots; fill `result.edits` and `result.contested`."""
        if ours != theirs and base != theirs:
            if base == ours:
                self.result.edits[""] = (pygit2.Oid(raw=theirs), MODE_TREE)
            else:
                self.theirs_changes = tree_diff(self.raw, base, theirs)
                self._walk("", ours)
        return self.result

    def _walk(self, prefix: str, ours: bytes | None) -> None:
        """Merge the directory at `prefix` (ours' tree there: `ours`); base's and theirs' entries come
        from what theirs changed: a name theirs did not change keeps ours' entry."""
        assert self.theirs_changes is not None
        changed = self.theirs_changes.names.get(prefix, {})
        if not changed:
            return
        tree = self.raw[pygit2.Oid(raw=ours)] if ours is not None else None
        for name, (xb, xt) in changed.items():
            if not name.isascii() and not _utf8(name):
                raise _Decline(f"{prefix}{name!r} is not UTF-8")
            path = prefix + name
            xo = _lookup(tree, name)
            if xb == xo:
                self.result.edits[path] = _edit(xt)
                continue
            # changed on both sides
            if xo == xt:
                self._note(xb, xo, "ours", "theirs")
                continue
            trees = {x[1] == MODE_TREE for x in (xb, xo, xt) if x is not None}
            if trees == {True}:
                self._walk(path + "/", _sub(xo))
            elif True in trees:
                raise _Decline(f"{path} is a directory on one side and not on another")
            else:
                self._note(xb, xo, "ours")
                self._note(xb, xt, "theirs")
                self.result.contested[path] = (_edit(xb), _edit(xo), _edit(xt))

    def _note(self, base: _RawEdit, change: _RawEdit, *sides: str) -> None:
        """Remember which sides added or deleted paths somewhere both sides changed."""
        added, deleted = self.change_kinds(base, change)
        if added:
            self.added_on.update(sides)
        if deleted:
            self.deleted_on.update(sides)

    def change_kinds(self, old: _RawEdit, new: _RawEdit) -> tuple[bool, bool]:
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

    def check_renames(self, base: bytes | None, ours: bytes, theirs: bytes) -> None:
        """Decline when libgit2's rename detection could pair paths the other side also changed."""
        root_base = (base, MODE_TREE) if base is not None else None
        for side, tree in (("ours", ours), ("theirs", theirs)):
            if side not in self.added_on and side not in self.deleted_on:
                continue
            added, deleted = self.change_kinds(root_base, (tree, MODE_TREE))
            if added and deleted:
                raise _Decline(f"{side} adds and deletes paths: renames are possible")


def changed_paths(raw: pygit2.Repository, old: pygit2.Oid | None, new: pygit2.Oid | None) -> frozenset[str]:
    """Paths (files, links, submodules) whose entry differs between two trees; None = empty tree.

    Like libgit2's tree-to-tree diff without rename detection, but only subtrees that differ
    are read (libgit2 reads both trees whole), and the answer is kept for the next question.
    """
    return tree_diff(raw, _key(old), _key(new)).paths


def tree_diff(raw: pygit2.Repository, old: bytes | None, new: bytes | None) -> _Diff:
    """What differs between two trees (raw ids; None = the empty tree), cached.

    Each level compares the two trees' raw entries as sets, so only the entries that differ are
    parsed, and nothing read here fills the entry cache (most of these subtrees are a branch's own).
    """
    key = (old, new)
    found = _DIFFS.get(key)
    if found is not None:
        return found
    paths: set[str] = set()
    names: dict[str, dict[str, tuple[_RawEdit, _RawEdit]]] = {}

    def walk(prefix: str, a_tree: bytes | None, b_tree: bytes | None) -> None:
        a_raw = _old_side(raw, a_tree)
        b_raw = set(_split(_read_tree(raw, b_tree))) if b_tree is not None else set()
        a_only, b_only = a_raw - b_raw, b_raw - a_raw
        a, b = dict(_entries(a_only)), dict(_entries(b_only))
        differ = {n: (a.get(n), b.get(n)) for n in a.keys() | b.keys() if a.get(n) != b.get(n)}
        names[prefix] = differ
        for name, (xa, xb) in differ.items():
            ta = xa is not None and xa[1] == MODE_TREE
            tb = xb is not None and xb[1] == MODE_TREE
            if (xa is not None and not ta) or (xb is not None and not tb):
                paths.add(prefix + name)
            if ta or tb:
                walk(prefix + name + "/", _sub(xa) if ta else None, _sub(xb) if tb else None)

    if old != new:
        walk("", old, new)
    if len(_DIFFS) >= _DIFFS_MAX:
        _DIFFS.clear()
    found = _DIFFS[key] = _Diff(frozenset(paths), names)
    return found


def _old_side(raw: pygit2.Repository, tree: bytes | None) -> frozenset[bytes]:
    """A tree's raw entries as a set, kept: the old side of a diff is BASE's, for every branch."""
    global _sets_held
    if tree is None:
        return frozenset()
    found = _SETS.pop(tree, None)
    if found is None:
        found = frozenset(_split(_read_tree(raw, tree)))
        _sets_held += len(found)
        while _SETS and _sets_held > _ENTRIES_MAX:
            _sets_held -= len(_SETS.pop(next(iter(_SETS))))
    _SETS[tree] = found
    return found


def _utf8(name: str) -> bool:
    """False for names pygit2 decoded with surrogate escapes (bytes that are not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
