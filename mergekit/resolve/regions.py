"""Where base, ours and theirs conflict: regions of overlapping changes, as line and byte ranges.

git's own hunks are not exposed in a form that maps back to each side, so the regions are
recomputed with a line diff of base→ours and base→theirs. They only choose which containers
to union; the final text always comes from git's line merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from mergekit.resolve.seqdiff import opcodes

Opcodes = list[tuple[str, int, int, int, int]]


@dataclass(frozen=True)
class Region:
    """One conflicting region: a byte range in each of base, ours and theirs."""

    base: tuple[int, int]
    ours: tuple[int, int]
    theirs: tuple[int, int]


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings (only `\\n` ends a line, as in git)."""
    lines = data.split(b"\n")
    out = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


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


def _changes(ops: Opcodes) -> list[tuple[int, int]]:
    return [(i1, i2) for tag, i1, i2, _, _ in ops if tag != "equal"]


def conflict_regions(base: bytes, ours: bytes, theirs: bytes) -> list[Region]:
    """Regions where both sides changed overlapping or adjacent base lines."""
    b_lines, o_lines, t_lines = split_lines(base), split_lines(ours), split_lines(theirs)
    o_ops: Opcodes = opcodes(b_lines, o_lines)
    t_ops: Opcodes = opcodes(b_lines, t_lines)
    changes = sorted([(a, b, 0) for a, b in _changes(o_ops)] + [(a, b, 1) for a, b in _changes(t_ops)])
    groups: list[tuple[int, int, set[int]]] = []
    for a, b, side in changes:
        if groups and a <= groups[-1][1]:
            lo, hi, sides = groups[-1]
            groups[-1] = (lo, max(hi, b), sides | {side})
        else:
            groups.append((a, b, {side}))
    b_off, o_off, t_off = _offsets(b_lines), _offsets(o_lines), _offsets(t_lines)
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
