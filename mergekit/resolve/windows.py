"""Which children of a container a conflict touches, and the matching child ranges in each side.

A *window* is a run of base children [w0, w1) plus the runs of ours' and theirs' children that
replace it. It starts from the children a conflicting region touches and widens to children that
all three sides kept, so that the window's merged text can replace the same span in ours and in
theirs. The alignments (which base child sits where in each side) are computed once per pass and
container pair by an `Alignment`, which lives only as long as the pass.
"""

from __future__ import annotations

import bisect

from mergekit.resolve.items import Found, Item
from mergekit.resolve.regions import Region
from mergekit.resolve.union import same_map

Window = tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
"""Child index ranges in base, ours and theirs."""


def slot(item: Item) -> tuple[int, int]:
    """Byte range of a child's slot (its lead through its tail)."""
    return item.at - len(item.lead), item.at + len(item.body) + len(item.mid) + len(item.sep) + len(item.tail)


def span(found: Found, i0: int, i1: int) -> tuple[int, int]:
    """Byte range covered by the slots of children [i0, i1) (an empty range sits between slots)."""
    if i1 > i0:
        return slot(found.items[i0])[0], slot(found.items[i1 - 1])[1]
    at = slot(found.items[i0 - 1])[1] if i0 > 0 else found.start
    return at, at


def join(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping or touching windows."""
    out: list[tuple[int, int]] = []
    for w0, w1 in sorted(windows):
        if out and w0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], w1))
        else:
            out.append((w0, w1))
    return out


class Alignment:
    """Slot ends and base↔side child maps, computed once per container (pair) during one pass.

    Containers are keyed by identity; the table holds them, so an id is never reused while the
    alignment lives.
    """

    def __init__(self) -> None:
        self._ends: dict[int, tuple[Found, list[int]]] = {}
        self._same: dict[tuple[int, int], tuple[Found, Found, dict[int, int], dict[int, int]]] = {}

    def slot_ends(self, found: Found) -> list[int]:
        """The end offset of each child's slot."""
        cached = self._ends.get(id(found))
        if cached is None:
            cached = self._ends[id(found)] = (found, [slot(i)[1] for i in found.items])
        return cached[1]

    def _maps(self, cb: Found, side: Found) -> tuple[dict[int, int], dict[int, int]]:
        key = (id(cb), id(side))
        cached = self._same.get(key)
        if cached is None:
            same = same_map(list(cb.items), list(side.items))
            cached = self._same[key] = (cb, side, same, {j: i for i, j in same.items()})
        return cached[2], cached[3]

    def same(self, cb: Found, side: Found) -> dict[int, int]:
        """Where each child base and `side` share sits in `side` (by base index)."""
        return self._maps(cb, side)[0]

    def back(self, cb: Found, side: Found) -> dict[int, int]:
        """Where each child of `side` that base also has sits in base."""
        return self._maps(cb, side)[1]

    def touched(self, found: Found, lo: int, hi: int) -> set[int]:
        """Children whose slot meets the byte range [lo, hi] (slots are contiguous and in order)."""
        ends = self.slot_ends(found)
        out = set()
        for n in range(bisect.bisect_left(ends, lo), len(found.items)):
            if slot(found.items[n])[0] > hi:
                break
            out.add(n)
        return out

    def base_window(self, cb: Found, co: Found, ct: Found, region: Region) -> tuple[int, int]:
        """Base children [w0, w1) the region touches (in any side)."""
        o_back, t_back = self.back(cb, co), self.back(cb, ct)
        touched = self.touched(cb, *region.base)
        touched |= {o_back[j] for j in self.touched(co, *region.ours) if j in o_back}
        touched |= {t_back[j] for j in self.touched(ct, *region.theirs) if j in t_back}
        if touched:
            return min(touched), max(touched) + 1
        gap = bisect.bisect_right(self.slot_ends(cb), region.base[0] - 1) if cb.items else 0
        return gap, gap

    def side_windows(self, cb: Found, co: Found, ct: Found, windows: list[tuple[int, int]]) -> list[Window]:
        """Each base window widened to children all sides kept (plus one on each side for context),
        with the matching index ranges in ours and theirs."""
        o_same, t_same = self.same(cb, co), self.same(cb, ct)
        n = len(cb.items)
        anchors = [i in o_same and i in t_same for i in range(n)]
        widened: list[tuple[int, int]] = []
        for w0, w1 in windows:
            while w0 > 0 and not anchors[w0 - 1]:
                w0 -= 1
            while w1 < n and not anchors[w1]:
                w1 += 1
            widened.append((max(w0 - 1, 0), min(w1 + 1, n)))
        out = []
        for w0, w1 in join(widened):
            o0 = o_same[w0] if w0 < n and anchors[w0] and w0 > 0 else 0
            t0 = t_same[w0] if w0 < n and anchors[w0] and w0 > 0 else 0
            o1 = o_same[w1 - 1] + 1 if w1 > 0 and anchors[w1 - 1] and w1 < n else len(co.items)
            t1 = t_same[w1 - 1] + 1 if w1 > 0 and anchors[w1 - 1] and w1 < n else len(ct.items)
            if w0 == 0:
                o0 = t0 = 0
            out.append(((w0, w1), (o0, max(o0, o1)), (t0, max(t0, t1))))
        return out
