"""A fast sequence diff with difflib's opcode format: patience anchors, difflib in the gaps.

difflib alone is quadratic-ish on long files; anchoring on elements that occur exactly once in
both sequences (the patience-diff idea) splits a 10k-line file into small gaps first.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Sequence

Opcode = tuple[str, int, int, int, int]
SMALL = 64
"""Gaps up to this many elements on each side go straight to difflib."""


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """Opcodes turning `a` into `b` (tags equal/replace/delete/insert, as difflib gives)."""
    raw: list[Opcode] = []
    _diff(a, b, 0, len(a), 0, len(b), raw)
    return _coalesce(raw)


def _diff(
    a: Sequence[Hashable], b: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int, out: list[Opcode]
) -> None:
    while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
        out.append(("equal", a0, a0 + 1, b0, b0 + 1))
        a0 += 1
        b0 += 1
    tail: list[Opcode] = []
    while a1 > a0 and b1 > b0 and a[a1 - 1] == b[b1 - 1]:
        tail.append(("equal", a1 - 1, a1, b1 - 1, b1))
        a1 -= 1
        b1 -= 1
    if a0 == a1 or b0 == b1:
        if a0 < a1 or b0 < b1:
            out.append(
                ("replace" if a0 < a1 and b0 < b1 else ("delete" if a0 < a1 else "insert"), a0, a1, b0, b1)
            )
    elif (a1 - a0) <= SMALL or (b1 - b0) <= SMALL:
        _difflib(a, b, a0, a1, b0, b1, out)
    else:
        anchors = _anchors(a, b, a0, a1, b0, b1)
        if not anchors:
            _difflib(a, b, a0, a1, b0, b1, out)
        else:
            pa, pb = a0, b0
            for ia, ib in anchors:
                _diff(a, b, pa, ia, pb, ib, out)
                out.append(("equal", ia, ia + 1, ib, ib + 1))
                pa, pb = ia + 1, ib + 1
            _diff(a, b, pa, a1, pb, b1, out)
    out.extend(reversed(tail))


def _difflib(
    a: Sequence[Hashable], b: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int, out: list[Opcode]
) -> None:
    import difflib  # only gaps need it: the merge driver's usual diff is a prefix and a suffix

    matcher = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.append((tag, a0 + i1, a0 + i2, b0 + j1, b0 + j2))


def _anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """Elements unique in both ranges, kept in a longest increasing run (patience sorting)."""
    count_a: dict[Hashable, int] = {}
    pos_a: dict[Hashable, int] = {}
    for i in range(a0, a1):
        count_a[a[i]] = count_a.get(a[i], 0) + 1
        pos_a[a[i]] = i
    count_b: dict[Hashable, int] = {}
    pos_b: dict[Hashable, int] = {}
    for j in range(b0, b1):
        count_b[b[j]] = count_b.get(b[j], 0) + 1
        pos_b[b[j]] = j
    pairs = sorted((pos_a[k], pos_b[k]) for k, n in count_a.items() if n == 1 and count_b.get(k) == 1)
    # longest increasing subsequence on the b positions
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(pairs)
    for n, (_, jb) in enumerate(pairs):
        k = bisect.bisect_left(tails, jb)
        if k == len(tails):
            tails.append(jb)
            tails_idx.append(n)
        else:
            tails[k] = jb
            tails_idx[k] = n
        prev[n] = tails_idx[k - 1] if k > 0 else -1
    result: list[tuple[int, int]] = []
    n = tails_idx[-1] if tails_idx else -1
    while n >= 0:
        result.append(pairs[n])
        n = prev[n]
    return result[::-1]


def _coalesce(ops: list[Opcode]) -> list[Opcode]:
    """Merge neighbouring opcodes: equal runs, and adjacent changes into one replace."""
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        if out:
            ptag, pi1, _, pj1, _ = out[-1]
            if ptag == "equal" and tag == "equal":
                out[-1] = ("equal", pi1, i2, pj1, j2)
                continue
            if ptag != "equal" and tag != "equal":
                a_len, b_len = i2 - pi1, j2 - pj1
                kind = "replace" if a_len and b_len else ("delete" if a_len else "insert")
                out[-1] = (kind, pi1, i2, pj1, j2)
                continue
        out.append((tag, i1, i2, j1, j2))
    return out
