"""Three-way merge of a container's children: union the insertions, refuse real disagreements.

Pure functions over `Item` sequences; no parsing and no I/O. A refusal is a `Refusal` value
carrying the reason, which ends up in the report for the human.

The small values here are plain classes, not dataclasses: the merge driver imports this module
once per conflicted file, and each dataclass costs its start-up as much as parsing a file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from mergekit.resolve.items import Item, normalize
from mergekit.resolve.seqdiff import opcodes

Change = tuple[int, int, int, list[Item]]
"""A side's change: base items [i1, i2) replaced by these items, which start at side index j1."""


class Refusal:
    """Why a container could not be unioned (the region stays a conflict)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason
        """What stands in the way, for the report."""

    def __repr__(self) -> str:
        return f"Refusal({self.reason!r})"


class Union:
    """A successful union: the merged children and what happened to them."""

    __slots__ = ("added", "items", "note")

    def __init__(self, items: list[Item], added: list[Item], note: str) -> None:
        self.items = items
        """The merged children in order."""
        self.added = added
        """Children that one side added (not in base)."""
        self.note = note
        """What was done, e.g. `kept 2 additions from ours and 1 from theirs`."""


def _diff(base: list[Item], side: list[Item]) -> tuple[list[Change], dict[int, int]]:
    """A side's changes against base, and where each unchanged base child sits in that side."""
    changes: list[Change] = []
    same: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in opcodes([i.key for i in base], [i.key for i in side]):
        if tag == "equal":
            same.update({i1 + k: j1 + k for k in range(i2 - i1)})
        else:
            changes.append((i1, i2, j1, side[j1:j2]))
    return changes, same


def _in_place(olds: list[Item], news: list[Item]) -> list[tuple[int, int]]:
    """Pairs (old, new) of one change block that keep their signature and kind: edits in place."""
    pairs: list[tuple[int, int]] = []
    start = 0
    for bi, old in enumerate(olds):
        if old.sig is None:
            continue
        for sj in range(start, len(news)):
            if news[sj].sig == old.sig and news[sj].kind == old.kind:
                pairs.append((bi, sj))
                start = sj + 1
                break
    return pairs


def matches(base: list[Item], side: list[Item]) -> tuple[dict[int, int], dict[int, int]]:
    """Where each base child sits in `side`: unchanged (first map), and unchanged or edited in
    place, keeping its signature (second map)."""
    changes, same = _diff(base, side)
    out = dict(same)
    for a, b, j1, new in changes:
        for bi, sj in _in_place(base[a:b], new):
            out[a + bi] = j1 + sj
    return same, out


def pick3(base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
    """git's rule for one value: whichever side changed it, or None when both changed it differently."""
    if ours == base:
        return theirs
    if theirs in (base, ours):
        return ours
    return None


def _same_child(base: Item, ours: Item, theirs: Item, lead: bytes | None = None) -> Item | Refusal:
    """A child all three sides kept: take each side's edits to its text and surrounding comments
    (`lead`: the whitespace before it, decided by the insertions before it)."""
    picked: list[bytes] = []
    for name in ("lead", "body", "mid", "tail"):
        if name == "lead" and lead is not None:
            picked.append(lead)
            continue
        value = pick3(getattr(base, name), getattr(ours, name), getattr(theirs, name))
        if value is None:
            return Refusal(f"both sides changed the text around {ours.key[:60]!r} differently")
        picked.append(value)
    lead, body, mid, tail = picked
    return ours.replace(lead=lead, body=body, mid=mid, tail=tail)


def _sort_key(item: Item) -> str:
    return item.sig if item.sig is not None else item.key


def _starts_group(item: Item) -> bool:
    """True when a blank line precedes the entry (gofmt/isort groups are sorted separately)."""
    return b"\n\n" in item.lead.replace(b"\r\n", b"\n")


def _locally_sorted(before: Item | None, run: list[Item], after: Item | None) -> bool:
    if before is not None and run and _starts_group(run[0]):
        before = None
    if after is not None and _starts_group(after):
        after = None
    seq = ([before] if before else []) + run + ([after] if after else [])
    keys = [_sort_key(i).lower() for i in seq]
    return len(keys) >= 2 and keys == sorted(keys)


def base_is_sorted(items: list[Item]) -> bool:
    """True when the container's entries are kept sorted: every blank-line group of two or more
    entries is in order (by signature where the container has them), with at least two entries.

    Lines without a signature (a go.mod's `require (`) do not count.
    """
    keyed = [i for i in items if i.union and (i.sig is not None or not any(j.sig for j in items))]
    if len(keyed) < 2:
        return False
    group: list[str] = []
    for item in keyed:
        if _starts_group(item) and group:
            if group != sorted(group):
                return False
            group = []
        group.append(_sort_key(item).lower())
    return group == sorted(group)


def _union_run(
    ours: list[Item],
    theirs: list[Item],
    before: Item | None,
    after: Item | None,
    order: str,
    spacing: bytes | None = None,
    declarations: frozenset[str] = frozenset(),
) -> list[Item] | Refusal:
    """Both sides inserted at the same place: keep both, identical additions once (sorted only
    when the container is kept sorted and no declaration is among them).

    Lines that open a section (`Item.opens`) are unioned only as whole new sections: each side's
    run starts with its own section, the run is followed by a section or nothing, and no section
    is opened by both sides (its entries could end up in the other side's section).
    """
    sections = _whole_sections(ours, theirs, after)
    for item in ours + theirs:
        if not item.union and not (item.opens and sections):
            return Refusal(
                f"both sides inserted at the same place, including a {item.kind} that is not a list entry"
            )
    if sections and not theirs[0].opens:
        ours, theirs = theirs, ours  # the entries of the section before the gap come first
    ours_keys = {i.key for i in ours}
    extra = [i for i in theirs if i.key not in ours_keys]
    # declarations (functions, classes) stay where each side wrote them, next to a sorted import
    # list; sections stay whole
    sortable = not any(i.kind in declarations or i.opens for i in ours + theirs)
    if (
        order == "sorted"
        and sortable
        and _locally_sorted(before, ours, after)
        and _locally_sorted(before, theirs, after)
    ):
        run = sorted(ours + extra, key=lambda i: _sort_key(i).lower())
    else:
        run = ours + extra
    return _one_gap(run, spacing)


def _whole_sections(ours: list[Item], theirs: list[Item], after: Item | None) -> bool:
    """True when the sides' insertions may be unioned although they open sections: each side's
    run is whole sections of its own (it starts with the line opening one) or, for one side at
    most, entries of the section before the gap without a section line (they go first); the run
    is followed by a section or nothing; no section is opened by both sides."""
    if not any(i.opens for i in ours + theirs) or (after is not None and not after.opens):
        return False
    plain = [side for side in (ours, theirs) if not side or not side[0].opens]
    if len(plain) > 1 or any(i.opens for side in plain for i in side):
        return False
    return not {i.key for i in ours if i.opens} & {i.key for i in theirs if i.opens}


def _one_gap(run: list[Item], spacing: bytes | None) -> list[Item]:
    """Each side's first insertion carries the blank lines that separated it from the entry
    before the gap; in the merged run only the first entry may keep them (two runs added at the
    start of an import group must not split the group in two; a section line keeps them).
    `spacing` is the lead of an entry inside the group (the entry after the gap, as the sides
    have it)."""
    if spacing is None or b"\n" not in spacing or spacing.strip() or len(run) < 2:
        return run
    inner = _blank_lines(spacing)
    out = run[:1]
    for item in run[1:]:
        if _blank_lines(item.lead) > inner and not item.lead.strip() and not item.opens:
            item = item.replace(lead=spacing, first=False)
        out.append(item)
    return out


_BLANK = re.compile(rb"\n[ \t]*(?=\n)")


def _blank_lines(lead: bytes) -> int:
    return len(_BLANK.findall(lead))


def _groups(
    run: list[Item], ours: list[Item], theirs: list[Item], base: Item, ours_next: Item, theirs_next: Item
) -> tuple[list[Item], bytes] | None:
    """Both sides inserted before one child, one of them as a group of its own (a blank line
    before the child), the other next to the child: the separate group first, then the other
    side's entries, which stay with the child's group. Returns the run and the child's lead.
    """
    if ours_next.lead.strip() or theirs_next.lead.strip():
        return None  # comments above the child: leave them to the generic rules
    before = _blank_lines(base.lead)
    ours_apart, theirs_apart = _blank_lines(ours_next.lead) > before, _blank_lines(theirs_next.lead) > before
    if ours_apart == theirs_apart:
        return None
    apart, close = (ours, theirs) if ours_apart else (theirs, ours)
    apart_lead, close_lead = (
        (ours_next.lead, theirs_next.lead) if ours_apart else (theirs_next.lead, ours_next.lead)
    )
    keys = {i.key for i in apart}
    rest = [i for i in run if i.key not in keys]
    if not rest or [i.key for i in rest] != [i.key for i in close if i.key not in keys]:
        return None
    rest[0] = rest[0].replace(lead=apart_lead, first=False)
    return [i for i in run if i.key in keys] + rest, close_lead


def _header_moves(base: Item, ours: Item, theirs: Item, ours_inserted: bool) -> tuple[bytes, bytes] | None:
    """One side inserted entries at the top of the container, the other put a comment above the
    first entry (a file header): the comment goes first, above the inserted entries.

    Returns the comment and the lead the (formerly) first entry keeps, or None.
    """
    inserting, commenting = (ours, theirs) if ours_inserted else (theirs, ours)
    if base.lead or not commenting.lead.strip() or inserting.lead.strip():
        return None
    return commenting.lead, inserting.lead


TextMerge = Callable[[bytes, bytes, bytes], "bytes | None"]
"""git's line merge of three texts: the clean result, or None when it conflicts."""


def _raw_item(text: bytes, like: Item) -> Item:
    """Several children merged line by line, kept as one opaque slot."""
    return like.replace(
        kind="(merged lines)",
        key=normalize(text),
        sig=None,
        lead=b"",
        body=text,
        mid=b"",
        sep=b"",
        tail=b"",
        raw=True,
        names=(),
    )


class Edit:
    """One side's change to base children [a, b): replaced by `new`."""

    __slots__ = ("a", "b", "modify", "new")

    def __init__(self, a: int, b: int, new: tuple[Item, ...], modify: bool = False) -> None:
        self.a = a
        self.b = b
        self.new = new
        self.modify = modify
        """True for an edit of one child that keeps its signature (same dict key, same declaration)."""


def _edits(base: list[Item], side: list[Item]) -> tuple[list[Edit], dict[int, int]]:
    """A side's edits against base, split so that children keeping their signature are modifications."""
    changes, same = _diff(base, side)
    edits: list[Edit] = []
    for a, b, _, new in changes:
        olds = base[a:b]
        pairs = _in_place(olds, new)
        bi0 = sj0 = 0
        for bi, sj in pairs:
            if bi > bi0 or sj > sj0:
                edits.append(Edit(a + bi0, a + bi, tuple(new[sj0:sj])))
            edits.append(Edit(a + bi, a + bi + 1, (new[sj],), modify=True))
            bi0, sj0 = bi + 1, sj + 1
        if bi0 < len(olds) or sj0 < len(new):
            edits.append(Edit(a + bi0, b, tuple(new[sj0:])))
    return edits, same


def _clusters(o_edits: list[Edit], t_edits: list[Edit]) -> list[tuple[list[Edit], list[Edit]]]:
    """Group edits of both sides that overlap or touch, in base order."""
    tagged = sorted(
        [(e.a, e.b, 0, e) for e in o_edits] + [(e.a, e.b, 1, e) for e in t_edits], key=lambda t: t[:3]
    )
    out: list[tuple[list[Edit], list[Edit]]] = []
    end = -1
    for a, b, side, edit in tagged:
        if not out or a > end:
            out.append(([], []))
            end = b
        out[-1][side].append(edit)
        end = max(end, b)
    return out


def _with_other_trivia(edit: Edit, base: Item, other: Item) -> Edit | None:
    """An edit of one child whose comments/spacing the other side changed: keep both changes
    when they touch different parts (the edit kept the child's lead and tail), else None."""
    if not edit.modify or len(edit.new) != 1 or other.body != base.body:
        return None
    mine = edit.new[0]
    lead = pick3(base.lead, mine.lead, other.lead)
    tail = pick3(base.tail, mine.tail, other.tail)
    if lead is None or tail is None:
        return None
    return Edit(edit.a, edit.b, (mine.replace(lead=lead, tail=tail),), edit.modify)


def _same_change(base: Item | None, ours: Item, theirs: Item) -> Item | Refusal:
    """One entry both sides added (or changed) alike: keep each side's comments around it.

    The bodies must match byte for byte; leading and trailing comments that only one side wrote
    are kept, different ones are a refusal (neither may be dropped).
    """
    if ours.body != theirs.body:
        return Refusal("both sides made the same change with different formatting")
    picked: list[bytes] = []
    for name in ("lead", "tail"):
        o, t = getattr(ours, name), getattr(theirs, name)
        if o.strip(b"\n") == t.strip(b"\n"):
            picked.append(o)
            continue
        if o.strip() == t.strip():
            return Refusal("both sides made the same change with different formatting")
        b = getattr(base, name) if base is not None else None
        value = pick3(b, o, t) if b is not None else None
        if value is None and b is None:
            # an addition: a comment only one side wrote is kept
            value = t if not o.strip() else (o if not t.strip() else None)
        if value is None:
            return Refusal(f"both sides wrote {ours.key[:60]!r} with different comments around it")
        picked.append(value)
    return ours.replace(lead=picked[0], tail=picked[1])


class Layout:
    """How a formatter spaces a container's declarations (from the profile)."""

    __slots__ = ("blank_lines", "declarations", "ordered")

    def __init__(
        self, declarations: frozenset[str] = frozenset(), blank_lines: int = -1, ordered: bool = False
    ) -> None:
        self.declarations = declarations
        """Child kinds that are declarations."""
        self.blank_lines = blank_lines
        """Blank lines around a declaration; -1 leaves the sides' spacing alone."""
        self.ordered = ordered
        """Entries depend on their neighbours (a later ignore pattern overrides an earlier one)."""

    def space(self, run: list[Item], boundary: int) -> list[Item]:
        """`run` with the entry at `boundary` (the first one placed after the other side's
        entries) spaced from its new neighbour as the formatter would."""
        if self.blank_lines < 0 or not 0 < boundary < len(run):
            return run
        item, prev = run[boundary], run[boundary - 1]
        if item.kind not in self.declarations and prev.kind not in self.declarations:
            return run
        match = _LEADING_LINES.match(item.lead)
        if match is None:
            return run
        lead = match.group(1) * (self.blank_lines + 1) + item.lead[match.end() :]
        return [*run[:boundary], item.replace(lead=lead), *run[boundary + 1 :]]


FORMATTER_NEUTRAL = Layout()
"""No declarations, the sides' spacing kept, entries independent (never changed: a default)."""
_LEADING_LINES = re.compile(rb"(\r?\n)(?:[ \t]*\r?\n)*")


def merge_items(
    base: list[Item],
    ours: list[Item],
    theirs: list[Item],
    order: str,
    merge_text: TextMerge | None = None,
    layout: Layout = FORMATTER_NEUTRAL,
) -> Union | Refusal:
    """Merge the children lists, or say why not.

    Where both sides edited near each other, only insertions of list entries and edits that keep
    a child's signature are combined; a child both sides edited is merged line by line with
    `merge_text` (as git would have, had it not been next to a conflict).
    """
    (o_edits, o_same), (t_edits, t_same) = _edits(base, ours), _edits(base, theirs)
    for edits, other, other_same in ((o_edits, theirs, t_same), (t_edits, ours, o_same)):
        for n, e in enumerate(edits):
            for i in range(e.a, e.b):
                if i in other_same and other[other_same[i]].render() != base[i].render():
                    combined = _with_other_trivia(e, base[i], other[other_same[i]])
                    if combined is None:
                        return Refusal(
                            "one side changed an entry whose comments or spacing the other side changed"
                        )
                    edits[n] = e = combined
            for item in e.new:
                if (
                    item.first
                    and item.lead.strip()
                    and not (e.a == 0 and e.b > 0 and item.lead == base[0].lead)
                ):
                    return Refusal(
                        "an entry was added before the first one, which carries the leading comments"
                    )
    out: list[Item] = []
    pos = 0
    unioned = 0
    lead_for: dict[int, bytes] = {}
    """Base child → the lead it gets after both sides inserted before it (see `_groups`)."""

    def keep(upto: int) -> Refusal | None:
        nonlocal pos
        for i in range(pos, upto):
            kept = _same_child(base[i], ours[o_same[i]], theirs[t_same[i]], lead_for.get(i))
            if isinstance(kept, Refusal):
                return kept
            out.append(kept)
        pos = max(pos, upto)
        return None

    for o_group, t_group in _clusters(o_edits, t_edits):
        lo = min(e.a for e in o_group + t_group)
        hi = max(e.b for e in o_group + t_group)
        refused = keep(lo)
        if refused:
            return refused
        if not o_group or not t_group:
            for e in o_group or t_group:
                refused = keep(e.a)
                if refused:
                    return refused
                if e.a == e.b == 0 and e.new and 0 in o_same and 0 in t_same:
                    header = _header_moves(base[0], ours[o_same[0]], theirs[t_same[0]], bool(o_group))
                    if header is not None:
                        comment, lead_for[0] = header
                        out.append(e.new[0].replace(lead=comment + e.new[0].lead))
                        out.extend(e.new[1:])
                        pos = e.b
                        continue
                out.extend(e.new)
                pos = e.b
            continue
        if [(e.a, e.b, [i.key for i in e.new]) for e in o_group] == [
            (e.a, e.b, [i.key for i in e.new]) for e in t_group
        ]:
            for eo, et in zip(o_group, t_group, strict=True):
                refused = keep(eo.a)
                if refused:
                    return refused
                old = base[eo.a] if eo.modify else None
                for io, it in zip(eo.new, et.new, strict=True):
                    same = _same_change(old, io, it)
                    if isinstance(same, Refusal):
                        return same
                    out.append(same)
                pos = eo.b
            continue
        replaced: dict[int, Edit] = {}
        for group, others in ((o_group, t_group), (t_group, o_group)):
            for e in group:
                if e.a == e.b or e.modify:
                    continue
                # One side rewrote entries the other left alone: kept, with the other side's
                # insertions at its edges, when the rewrite is one entry changed in place or grew
                # the entries, and drops no imported name (a removal next to an insertion, or a
                # rewrite of many entries, stays a conflict).
                inside = any((o.a < e.b and e.a < o.b) or e.a < o.a < e.b for o in others)
                plain = bool(e.new) and all(i.union for i in (*base[e.a : e.b], *e.new))
                single = e.b - e.a == 1 and len(e.new) == 1 and not layout.ordered
                names = {n for i in base[e.a : e.b] for n in i.names} <= {n for i in e.new for n in i.names}
                keeps = names and (single or _extends(base[e.a : e.b], e.new))
                if inside or not plain or not keeps:
                    what = "removed" if not e.new else "replaced"
                    return Refusal(f"one side {what} entries right next to entries the other side changed")
                replaced[e.a] = e
        ins = {
            (side, e.a): list(e.new)
            for side, group in ((0, o_group), (1, t_group))
            for e in group
            if e.a == e.b
        }
        mods = {
            (side, e.a): e.new[0] for side, group in ((0, o_group), (1, t_group)) for e in group if e.modify
        }
        g = lo
        while True:
            o_ins, t_ins = ins.get((0, g), []), ins.get((1, g), [])
            if o_ins and t_ins:
                before = base[g - 1] if g > 0 else None
                after = base[g] if g < len(base) else None
                if g < len(base) and g in o_same:
                    spacing: bytes | None = ours[o_same[g]].lead
                else:
                    spacing = before.lead if before is not None and not before.first else None
                run = _union_run(o_ins, t_ins, before, after, order, spacing, layout.declarations)
                if isinstance(run, Refusal):
                    return run
                if order != "sorted" or any(i.kind in layout.declarations for i in run):
                    # the boundary: the first entry after the side placed first (theirs, when
                    # ours opens sections theirs' entries must stay out of)
                    run = layout.space(run, len(o_ins) if not run or run[0] is o_ins[0] else len(t_ins))
                sections = any(i.opens for i in run)
                if g < len(base) and g in o_same and g in t_same and order != "sorted" and not sections:
                    grouped = _groups(run, o_ins, t_ins, base[g], ours[o_same[g]], theirs[t_same[g]])
                    if grouped is not None:
                        run, lead_for[g] = grouped
                out.extend(run)
                unioned += 1
            elif o_ins or t_ins:
                other_side = 1 if o_ins else 0
                mine = mods.get((1 - other_side, g - 1)), mods.get((1 - other_side, g))
                theirs_mods = mods.get((other_side, g - 1)), mods.get((other_side, g))
                # a neighbour the other side changed (unless both changed it alike)
                near = any(
                    m is not None and (n is None or m.render() != n.render())
                    for m, n in zip(theirs_mods, mine, strict=True)
                )
                for item in o_ins or t_ins:
                    if not item.union and near:
                        return Refusal(
                            f"a {item.kind} was added right next to entries the other side changed"
                        )
                run_start = len(out)
                out.extend(o_ins or t_ins)
                if g == 0 and 0 in o_same and 0 in t_same:
                    header = _header_moves(base[0], ours[o_same[0]], theirs[t_same[0]], bool(o_ins))
                    if header is not None:
                        comment, lead_for[0] = header
                        first = out[run_start]
                        out[run_start] = first.replace(lead=comment + first.lead)
            if g >= hi:
                break
            if g in replaced:
                out.extend(replaced[g].new)
                g = replaced[g].b
                continue
            mo, mt = mods.get((0, g)), mods.get((1, g))
            if mo is not None and mt is not None:
                if mo.key == mt.key and mo.render() == mt.render():
                    out.append(mo)
                elif not base[g].union:
                    # only list entries are merged here; other statements are git's to merge
                    return Refusal(f"both sides changed {base[g].key[:60]!r}, which is not a list entry")
                else:
                    text = merge_text(base[g].render(), mo.render(), mt.render()) if merge_text else None
                    if text is None:
                        return Refusal(f"both sides changed {base[g].key[:60]!r} differently")
                    out.append(_raw_item(text, mo))
            elif mo is not None or mt is not None:
                out.append(mo if mo is not None else mt)  # type: ignore[arg-type]
            else:
                kept = _same_child(base[g], ours[o_same[g]], theirs[t_same[g]], lead_for.get(g))
                if isinstance(kept, Refusal):
                    return kept
                out.append(kept)
            g += 1
        pos = hi
    refused = keep(len(base))
    if refused:
        return refused
    added_o = sum(len(e.new) for e in o_edits)
    added_t = sum(len(e.new) for e in t_edits)
    plural = "y" if added_o == 1 else "ies"
    note = f"took {added_o} new or edited entr{plural} from ours and {added_t} from theirs"
    if unioned:
        note += f"; unioned {unioned} place(s) where both sides added entries"
    base_keys = {i.key for i in base}
    added = [i for i in out if i.key not in base_keys]
    variant = _variants(
        [i for e in o_edits for i in e.new if i.key not in base_keys],
        [i for e in t_edits for i in e.new if i.key not in base_keys],
    )
    if variant:
        return Refusal(variant)
    return Union(items=out, added=added, note=note)


def _extends(olds: list[Item], news: tuple[Item, ...]) -> bool:
    """True when the new entries keep everything the old ones said: every word of each old entry
    is in one new entry (an import list grown, not an entry replaced by a different one)."""
    words = [set(_WORDS.findall(i.key)) for i in news]
    return all(any(set(_WORDS.findall(old.key)) <= w for w in words) for old in olds)


_WORDS = re.compile(r"[^\s'\"`,;()\[\]{}]+")


def _variants(ours: list[Item], theirs: list[Item]) -> str | None:
    """Two entries without a key, one per side, where one is the other plus more words
    (`cargo test` and `cargo test --all`): two variants of one entry, not two entries."""
    keyless = [
        [i for i in side if i.union and (i.sig is None or i.idents) and not i.raw] for side in (ours, theirs)
    ]
    by_start: dict[tuple[str, ...], list[tuple[Item, list[str]]]] = defaultdict(list)
    for b in keyless[1]:
        wb = _WORDS.findall(b.key)
        by_start[tuple(wb[:2])].append((b, wb))
    for a in keyless[0]:
        wa = _WORDS.findall(a.key)
        for b, wb in by_start.get(tuple(wa[:2]), []):
            short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
            if a.key != b.key and len(short) >= 2 and long[: len(short)] == short:
                return f"both sides added a variant of one entry: {a.key[:60]!r} and {b.key[:60]!r}"
    return None


class Whole:
    """A container's full children lists, indexed once, for checks that span beyond a window.

    A window's merge is checked against what the merged container will hold outside the window:
    ours' children that theirs did not remove, plus theirs' own additions. An entry added in the
    window that the rest of the merged container also holds (a move, or the same entry added at
    two places), one key or identity given two different entries, or one import name bound twice
    is a refusal.
    """

    def __init__(
        self,
        base: list[Item],
        ours: list[Item],
        theirs: list[Item],
        o_same: dict[int, int],
        t_same: dict[int, int],
    ) -> None:
        self.ours, self.theirs = ours, theirs
        o_back = {j: i for i, j in o_same.items()}
        t_back = {j: i for i, j in t_same.items()}
        self.ours_live = [n not in o_back or o_back[n] in t_same for n in range(len(ours))]
        """Ours' children the merge keeps (theirs did not remove them)."""
        self.ours_new = [n not in o_back for n in range(len(ours))]
        """Ours' children that base does not have."""
        self.theirs_new = [n not in t_back for n in range(len(theirs))]
        """Theirs' children that base does not have."""
        self.limit = {k: max(n) for k, n in _counts_by_key(base, ours, theirs).items()}
        self.side_idents = [_by_identity(base), _by_identity(ours), _by_identity(theirs)]
        self.side_names = [_bindings(base), _bindings(ours), _bindings(theirs)]

    def outside(self, o_window: tuple[int, int], t_window: tuple[int, int]) -> list[Item]:
        """The children the merged container holds outside this window."""
        (o0, o1), (t0, t1) = o_window, t_window
        out = [i for n, i in enumerate(self.ours) if self.ours_live[n] and not o0 <= n < o1]
        out += [i for n, i in enumerate(self.theirs) if self.theirs_new[n] and not t0 <= n < t1]
        return out

    def check(
        self,
        window: list[Item],
        base_window: list[Item],
        o_window: tuple[int, int],
        t_window: tuple[int, int],
    ) -> list[Item] | Refusal:
        """The window's merged children with double additions dropped, or why they clash."""
        outside = self.outside(o_window, t_window)
        (o0, o1) = o_window
        # entries of base the merge keeps outside the window: adding one of them here is a move
        # or a copy; an entry the other side added elsewhere is the same addition twice, which
        # the final pass keeps once
        kept_outside = _count_keys(
            [
                i
                for n, i in enumerate(self.ours)
                if self.ours_live[n] and not self.ours_new[n] and not o0 <= n < o1
            ]
        )
        in_base_window = _count_keys(base_window)
        seen: dict[str, int] = defaultdict(int)
        kept: list[Item] = []
        for item in window:
            seen[item.key] += 1
            if kept_outside.get(item.key) and seen[item.key] > in_base_window.get(item.key, 0):
                return Refusal(f"{item.key[:60]!r} was added here but also appears elsewhere (moved?)")
            if seen[item.key] > max(self.limit.get(item.key, 1), 1):
                continue  # both sides added it: keep it once
            kept.append(item)
        outside_idents = _by_identity(outside)
        for ident, keys in _by_identity(kept).items():
            every = keys | outside_idents.get(ident, set())
            if len(every) > 1 and all(len(s.get(ident, set())) < len(every) for s in self.side_idents):
                shown = " vs ".join(sorted(every))[:200]
                return Refusal(f"the same key {ident.split(':', 1)[-1]} was given different values: {shown}")
        outside_names = _bindings(outside)
        for name, keys in _bindings(kept).items():
            every = keys | outside_names.get(name, set())
            if len(every) > 1 and all(len(b.get(name, set())) < len(every) for b in self.side_names):
                return Refusal(f"two different imports bind the name {name!r}")
        return kept


def _count_keys(items: list[Item]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for item in items:
        out[item.key] += 1
    return out


def _bindings(items: list[Item]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for name in item.names:
            out[name].add(item.key)
    return out


def _by_identity(items: list[Item]) -> dict[str, set[str]]:
    """Signature or identity key → the distinct entries holding it."""
    out: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.sig is not None:
            out[item.sig].add(item.key)
        for ident in item.idents:
            out[ident].add(item.key)
    return out


def _counts_by_key(*sides: list[Item]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for side in sides:
        c: dict[str, int] = defaultdict(int)
        for item in side:
            c[item.key] += 1
        for k, n in c.items():
            out[k].append(n)
    return out


def render(
    items: list[Item],
    sides: tuple[tuple[Item, ...], tuple[Item, ...], tuple[Item, ...]],
    separator: str,
    at_start: bool,
    at_end: bool,
) -> bytes:
    """The text for a window of merged children, in the container's own style.

    `at_start`/`at_end` say whether the window begins/ends the container (first-child spacing,
    the trailing-separator style of the last child).
    """
    ours_items = sides[1]
    first_lead = ours_items[0].lead if ours_items else (items[0].lead if items else b"")
    inner_lead = next((i.lead for i in ours_items if not i.first), None)
    if inner_lead is None:
        inner_lead = next((i.lead for i in items if not i.first), first_lead)
    styles = [bool(s and s[-1].sep) for s in sides]
    # A trailing separator on the last child is kept if any side has one: the syntax allows it
    # wherever it appears (never in JSON, where no side has one).
    trailing = any(styles)
    sep = separator.encode()
    out = []
    for n, item in enumerate(items):
        if item.raw:
            out.append(item.render())
            continue
        if n == 0 and at_start and not item.first and not item.lead.strip():
            item = item.replace(lead=first_lead, first=True)
        elif (n > 0 or not at_start) and item.first and not item.lead.strip():
            item = item.replace(lead=inner_lead, first=False)
        if sep:
            last = n == len(items) - 1 and at_end
            want = (not last) or trailing
            if want and not item.sep:
                item = item.with_sep(sep)
            elif not want and item.sep:
                item = item.replace(sep=b"", mid=b"")
        out.append(item.render())
    return b"".join(out)
