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
from mergekit.resolve.union import matches

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
        self._maps: dict[tuple[int, int], tuple[Found, Found, dict[int, int], dict[int, int]]] = {}

    def slot_ends(self, found: Found) -> list[int]:
        """The end offset of each child's slot."""
        cached = self._ends.get(id(found))
        if cached is None:
            cached = self._ends[id(found)] = (found, [slot(i)[1] for i in found.items])
        return cached[1]

    def _both(self, cb: Found, side: Found) -> tuple[dict[int, int], dict[int, int]]:
        key = (id(cb), id(side))
        cached = self._maps.get(key)
        if cached is None:
            same, matched = matches(list(cb.items), list(side.items))
            cached = self._maps[key] = (cb, side, same, matched)
        return cached[2], cached[3]

    def same(self, cb: Found, side: Found) -> dict[int, int]:
        """Where each child base and `side` share sits in `side` (by base index)."""
        return self._both(cb, side)[0]

    def touched(self, found: Found, lo: int, hi: int) -> set[int]:
        """Children whose slot meets the byte range [lo, hi] (slots are contiguous and in order).

        The blank lines that open a slot are not the child's own: a range that ends in them
        (lines inserted after the previous child) does not touch it.
        """
        ends = self.slot_ends(found)
        out = set()
        for n in range(bisect.bisect_left(ends, lo), len(found.items)):
            item = found.items[n]
            if slot(item)[0] > hi:
                break
            blank = len(item.lead) - len(item.lead.lstrip(b" \t\r\n"))
            if item.lead and slot(item)[0] + blank > hi and n > 0:
                continue
            out.add(n)
        return out

    def base_window(self, cb: Found, co: Found, ct: Found, region: Region) -> tuple[int, int]:
        """Base children [w0, w1) the region touches (in any side)."""
        o_back = {j: i for i, j in self.matched(cb, co).items()}
        t_back = {j: i for i, j in self.matched(cb, ct).items()}
        touched = self.touched(cb, *region.base)
        touched |= {o_back[j] for j in self.touched(co, *region.ours) if j in o_back}
        touched |= {t_back[j] for j in self.touched(ct, *region.theirs) if j in t_back}
        if touched:
            return min(touched), max(touched) + 1
        gap = bisect.bisect_right(self.slot_ends(cb), region.base[0] - 1) if cb.items else 0
        return gap, gap

    def matched(self, cb: Found, side: Found) -> dict[int, int]:
        """Where each base child sits in `side`, unchanged or edited in place (same signature)."""
        return self._both(cb, side)[1]

    def side_windows(self, cb: Found, co: Found, ct: Found, windows: list[tuple[int, int]]) -> list[Window]:
        """Each base window widened to children all sides still have, with the matching index
        ranges in ours and theirs.

        A window stops at a child that all three sides have: unchanged (it is then taken into the
        window as context), or, in containers without separators, edited in place by one side
        (a function another branch changed; git merges it after the window is settled). Lists
        with separators stop only at unchanged children: a separator may have to move.
        """
        o_same, t_same = self.same(cb, co), self.same(cb, ct)
        n = len(cb.items)
        hard = [i in o_same and i in t_same for i in range(n)]
        if co.spec.separator:
            o_match, t_match, soft = o_same, t_same, hard
        else:
            o_match, t_match = self.matched(cb, co), self.matched(cb, ct)
            soft = [i in o_match and i in t_match for i in range(n)]
        widened: list[Window] = []
        for w0, w1 in windows:
            while w0 > 0 and not soft[w0 - 1]:
                w0 -= 1
            while w1 < n and not soft[w1]:
                w1 += 1
            # the children of ours and theirs between the anchors around [w0, w1)
            if w0 == 0:
                o0 = t0 = 0
            elif hard[w0] if w0 < w1 else False:
                o0, t0 = o_same[w0], t_same[w0]
            else:
                o0, t0 = o_match[w0 - 1] + 1, t_match[w0 - 1] + 1
            if w1 == n:
                o1, t1 = len(co.items), len(ct.items)
            elif w1 > w0 and hard[w1 - 1]:
                o1, t1 = o_same[w1 - 1] + 1, t_same[w1 - 1] + 1
            else:
                o1, t1 = o_match[w1], t_match[w1]
            if w0 > 0 and hard[w0 - 1]:
                w0, o0, t0 = w0 - 1, o_same[w0 - 1], t_same[w0 - 1]  # an unchanged neighbour as context
            if w1 < n and hard[w1]:
                w1, o1, t1 = w1 + 1, o_same[w1] + 1, t_same[w1] + 1
            if w0 == 0:
                o0 = t0 = 0  # a window at the container's start takes what the sides put before it
            if w1 == n:
                o1, t1 = len(co.items), len(ct.items)
            widened.append(((w0, w1), (o0, max(o0, o1)), (t0, max(t0, t1))))
        out: list[Window] = []
        for window in sorted(widened):
            (w0, w1), (o0, o1), (t0, t1) = window
            if out and w0 <= out[-1][0][1]:
                (p0, p1), (q0, q1), (r0, r1) = out[-1]
                out[-1] = ((p0, max(p1, w1)), (min(q0, o0), max(q1, o1)), (min(r0, t0), max(r1, t1)))
            else:
                out.append(window)
        return out
