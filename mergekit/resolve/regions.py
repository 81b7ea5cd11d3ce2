"""Where base, ours and theirs conflict: regions of overlapping changes, as byte ranges per side.

The regions are git's own conflict hunks (`git_regions`): each hunk of the line merge's output is
found back in ours and theirs by diffing each side against the merge output with that side's
part of every hunk filled in, and in base through the base→side diffs. When the output cannot be
read (unexpected markers), `conflict_regions` recomputes regions with its own line diffs. Regions
only choose which containers to union; the final text always comes from git's line merge.
"""

from __future__ import annotations

from functools import cached_property

from mergekit.resolve.markers import Block, count_conflicts, parse, split_lines
from mergekit.resolve.seqdiff import opcodes

Opcodes = list[tuple[str, int, int, int, int]]


class Region:
    """One conflicting region: a byte range in each of base, ours and theirs.

    A plain class (regions are read, never compared): the merge driver imports this module once
    per conflicted file, and a dataclass costs its start-up as much as parsing a file.
    """

    __slots__ = ("base", "ours", "theirs")

    def __init__(self, base: tuple[int, int], ours: tuple[int, int], theirs: tuple[int, int]) -> None:
        self.base = base
        self.ours = ours
        self.theirs = theirs

    def __repr__(self) -> str:
        return f"Region(base={self.base}, ours={self.ours}, theirs={self.theirs})"


def _offsets(lines: list[bytes]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _map_start(ops: Opcodes, b: int) -> int:
    for tag, i1, i2, j1, _ in ops:
        if tag == "equal" and i1 <= b <= i2:
            return j1 + (b - i1)
        if tag != "equal" and i1 == b:
            return j1
    return ops[-1][4] if ops else 0


def _map_end(ops: Opcodes, b: int) -> int:
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal" and i1 <= b <= i2:
            return j1 + (b - i1)
        if tag != "equal" and i2 == b:
            return j2
    return 0


def _inside(ops: Opcodes, b: int) -> int | None:
    """Where the changed block that line `b` of the diff's first text lies strictly inside ends in
    the second text, or None when `b` is an edge or an unchanged line (`_map_start` and `_map_end`
    know only those)."""
    for tag, i1, i2, _, j2 in ops:
        if tag != "equal" and i1 < b < i2:
            return j2
    return None


def _invert(ops: Opcodes) -> Opcodes:
    """The opcodes of the reverse diff (b → a)."""
    return [(tag, j1, j2, i1, i2) for tag, i1, i2, j1, j2 in ops]


def _changes(ops: Opcodes) -> list[tuple[int, int]]:
    return [(i1, i2) for tag, i1, i2, _, _ in ops if tag != "equal"]


class Diffs:
    """The line diffs base→ours and base→theirs, computed once for both kinds of regions."""

    def __init__(
        self, b_lines: list[bytes], o_lines: list[bytes], t_lines: list[bytes], o_ops: Opcodes, t_ops: Opcodes
    ) -> None:
        self.b_lines, self.o_lines, self.t_lines = b_lines, o_lines, t_lines
        self.o_ops, self.t_ops = o_ops, t_ops

    @staticmethod
    def of(base: bytes, ours: bytes, theirs: bytes) -> Diffs:
        """Split the three texts into lines and diff each side against base."""
        b_lines, o_lines, t_lines = split_lines(base), split_lines(ours), split_lines(theirs)
        return Diffs(b_lines, o_lines, t_lines, opcodes(b_lines, o_lines), opcodes(b_lines, t_lines))

    @cached_property
    def _all_offsets(self) -> tuple[list[int], list[int], list[int]]:
        return _offsets(self.b_lines), _offsets(self.o_lines), _offsets(self.t_lines)

    def offsets(self) -> tuple[list[int], list[int], list[int]]:
        """Byte offset of each line start, per text."""
        return self._all_offsets


def conflict_regions(diffs: Diffs) -> list[Region]:
    """Regions where both sides changed overlapping or adjacent base lines."""
    o_ops, t_ops, o_lines, t_lines = diffs.o_ops, diffs.t_ops, diffs.o_lines, diffs.t_lines
    changes = sorted([(a, b, 0) for a, b in _changes(o_ops)] + [(a, b, 1) for a, b in _changes(t_ops)])
    groups: list[tuple[int, int, set[int]]] = []
    for a, b, side in changes:
        if groups and a <= groups[-1][1]:
            lo, hi, sides = groups[-1]
            groups[-1] = (lo, max(hi, b), sides | {side})
        else:
            groups.append((a, b, {side}))
    b_off, o_off, t_off = diffs.offsets()
    regions = []
    for lo, hi, sides in groups:
        if len(sides) < 2:
            continue
        o0, o1 = _map_start(o_ops, lo), _map_end(o_ops, hi)
        t0, t1 = _map_start(t_ops, lo), _map_end(t_ops, hi)
        if o_lines[o0:o1] == t_lines[t0:t1]:
            continue  # both sides made the same change: git takes it once
        regions.append(
            Region(
                base=(b_off[lo], b_off[hi]),
                ours=(o_off[o0], o_off[max(o0, o1)]),
                theirs=(t_off[t0], t_off[max(t0, t1)]),
            )
        )
    return regions


def shrink(region: Region, base: bytes, ours: bytes, theirs: bytes) -> Region:
    """Trim the bytes common to all three sides at both ends of the region."""
    texts = [
        base[region.base[0] : region.base[1]],
        ours[region.ours[0] : region.ours[1]],
        theirs[region.theirs[0] : region.theirs[1]],
    ]
    shortest = min(len(t) for t in texts)
    prefix = 0
    while prefix < shortest and texts[0][prefix] == texts[1][prefix] == texts[2][prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < shortest - prefix and texts[0][-1 - suffix] == texts[1][-1 - suffix] == texts[2][-1 - suffix]
    ):
        suffix += 1
    return Region(
        base=(region.base[0] + prefix, region.base[1] - suffix),
        ours=(region.ours[0] + prefix, region.ours[1] - suffix),
        theirs=(region.theirs[0] + prefix, region.theirs[1] - suffix),
    )


def _views(
    merged: bytes, marker_size: int
) -> tuple[list[bytes], list[bytes], list[tuple[int, int, int, int]]] | None:
    """The merge output with each hunk replaced by ours' part, by theirs' part, and the hunks'
    line ranges in both views; None when the markers do not nest as git writes them."""
    view_o: list[bytes] = []
    view_t: list[bytes] = []
    hunks: list[tuple[int, int, int, int]] = []
    for piece in parse(merged, marker_size):
        if isinstance(piece, Block):
            start_o, start_t = len(view_o), len(view_t)
            view_o.extend(piece.ours)
            view_t.extend(piece.theirs)
            hunks.append((start_o, len(view_o), start_t, len(view_t)))
        else:
            view_o.append(piece)
            view_t.append(piece)
    if len(hunks) != count_conflicts(merged, marker_size):
        return None  # an opening marker that no block closed
    return view_o, view_t, hunks


def git_regions(merged: bytes, marker_size: int, diffs: Diffs) -> list[Region] | None:
    """The conflict hunks of git's merge output `merged` as regions of base, ours and theirs.

    None when the output cannot be read back (then `conflict_regions` is the fallback).
    """
    views = _views(merged, marker_size)
    if views is None:
        return None
    view_o, view_t, hunks = views
    if not hunks:
        return []
    vo_ops: Opcodes = opcodes(view_o, diffs.o_lines)
    vt_ops: Opcodes = opcodes(view_t, diffs.t_lines)
    ob_ops, tb_ops = _invert(diffs.o_ops), _invert(diffs.t_ops)
    b_off, o_off, t_off = diffs.offsets()
    regions = []
    for vo0, vo1, vt0, vt1 in hunks:
        o0, o1 = _map_start(vo_ops, vo0), _map_end(vo_ops, vo1)
        t0, t1 = _map_start(vt_ops, vt0), _map_end(vt_ops, vt1)
        o1, t1 = max(o0, o1), max(t0, t1)
        # a hunk that begins (ends) inside lines both sides wrote has no line of base there: it sits
        # where what those lines replaced ends (where they were inserted)
        first = [(ob_ops, o0, _inside(ob_ops, o0)), (tb_ops, t0, _inside(tb_ops, t0))]
        last = [(ob_ops, o1, _inside(ob_ops, o1)), (tb_ops, t1, _inside(tb_ops, t1))]
        starts = [_map_start(ops, x) for ops, x, inside in first if inside is None]
        ends = [_map_end(ops, x) for ops, x, inside in last if inside is None]
        b0 = min(starts or [inside for _, _, inside in first if inside is not None])
        b1 = max([*(ends or [inside for _, _, inside in last if inside is not None]), b0])
        regions.append(
            Region(base=(b_off[b0], b_off[b1]), ours=(o_off[o0], o_off[o1]), theirs=(t_off[t0], t_off[t1]))
        )
    return regions
