"""Three-way merge of a container's children: union the insertions, refuse real disagreements.

Pure functions over `Item` sequences; no parsing and no I/O. A refusal is a `Refusal` value
carrying the reason, which ends up in the report for the human.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from mergekit.resolve.items import Item, normalize

Change = tuple[int, int, list[Item]]
"""A side's change: base items [i1, i2) replaced by these items."""


@dataclass(frozen=True)
class Refusal:
    """Why a container could not be unioned (the region stays a conflict)."""

    reason: str


@dataclass(frozen=True)
class Union:
    """A successful union: the merged children and what happened to them."""

    items: list[Item]
    """The merged children in order."""
    added: list[Item]
    """Children that one side added (not in base)."""
    note: str
    """What was done, e.g. `kept 2 additions from ours and 1 from theirs`."""


def _diff(base: list[Item], side: list[Item]) -> tuple[list[Change], dict[int, int]]:
    """A side's changes against base, and where each unchanged base child sits in that side."""
    matcher = difflib.SequenceMatcher(None, [i.key for i in base], [i.key for i in side], autojunk=False)
    changes: list[Change] = []
    same: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same.update({i1 + k: j1 + k for k in range(i2 - i1)})
        else:
            changes.append((i1, i2, side[j1:j2]))
    return changes, same


def pick3(base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
    """git's rule for one value: whichever side changed it, or None when both changed it differently."""
    if ours == base:
        return theirs
    if theirs in (base, ours):
        return ours
    return None


def _same_child(base: Item, ours: Item, theirs: Item, merge_text: TextMerge | None) -> Item | Refusal:
    """A child all three sides kept: take each side's edits to its text and surrounding comments."""
    fields = {}
    for name in ("lead", "body", "mid", "tail"):
        value = pick3(getattr(base, name), getattr(ours, name), getattr(theirs, name))
        if value is None:
            return Refusal(f"both sides changed the text around {ours.key[:60]!r} differently")
        fields[name] = value
    return replace(ours, **fields)


def _sort_key(item: Item) -> str:
    return item.sig if item.sig is not None else item.key


def _locally_sorted(before: Item | None, run: list[Item], after: Item | None) -> bool:
    seq = ([before] if before else []) + run + ([after] if after else [])
    keys = [_sort_key(i).lower() for i in seq]
    return len(keys) >= 2 and keys == sorted(keys)


def _union_run(
    ours: list[Item], theirs: list[Item], before: Item | None, after: Item | None, order: str
) -> list[Item] | Refusal:
    """Both sides inserted at the same place: keep both, identical additions once."""
    for item in ours + theirs:
        if not item.union:
            return Refusal(f"both sides inserted at the same place, including a {item.kind} that is not a list entry")
    ours_keys = {i.key for i in ours}
    extra = [i for i in theirs if i.key not in ours_keys]
    if (
        order == "sorted-if-sorted"
        and _locally_sorted(before, ours, after)
        and _locally_sorted(before, theirs, after)
    ):
        return sorted(ours + extra, key=lambda i: _sort_key(i).lower())
    return ours + extra


TextMerge = Callable[[bytes, bytes, bytes], "bytes | None"]
"""git's line merge of three texts: the clean result, or None when it conflicts."""


def _slots(items: list[Item]) -> bytes:
    return b"".join(i.render() for i in items)


def _raw_item(text: bytes, like: Item) -> Item:
    """Several children merged line by line, kept as one opaque slot."""
    return replace(like, kind="(merged lines)", key=normalize(text), sig=None, lead=b"", body=text,
                   mid=b"", sep=b"", tail=b"", raw=True, names=())


def merge_items(
    base: list[Item], ours: list[Item], theirs: list[Item], order: str, merge_text: TextMerge | None = None
) -> Union | Refusal:
    """Merge the children lists, or say why not.

    Children both sides changed are merged line by line with `merge_text` (as git would have,
    had they not been near a conflict); if that conflicts too, the container is refused.
    """
    (o_changes, o_same), (t_changes, t_same) = _diff(base, ours), _diff(base, theirs)
    out: list[Item] = []
    pos = 0
    oi = ti = 0
    unioned = 0
    refusal: list[Refusal] = []

    def emit_base(upto: int) -> None:
        nonlocal pos
        for i in range(pos, upto):
            kept = _same_child(base[i], ours[o_same[i]], theirs[t_same[i]], merge_text)
            if isinstance(kept, Refusal):
                refusal.append(kept)
            else:
                out.append(kept)
        pos = max(pos, upto)

    for changes, other, other_same in ((o_changes, theirs, t_same), (t_changes, ours, o_same)):
        for a, b, new in changes:
            for i in range(a, b):
                if i in other_same and other[other_same[i]].render() != base[i].render():
                    return Refusal("one side changed an entry whose comments or spacing the other side changed")
            for item in new:
                if item.first and item.lead.strip() and not (a == 0 and b > 0 and item.lead == base[0].lead):
                    return Refusal("an entry was added before the first one, which carries the leading comments")
    while oi < len(o_changes) or ti < len(t_changes):
        oc = o_changes[oi] if oi < len(o_changes) else None
        tc = t_changes[ti] if ti < len(t_changes) else None
        if oc is not None and tc is not None and oc[0] == tc[0]:
            (a, b, o_new), (_, y, t_new) = oc, tc
            if a == b and a == y:
                emit_base(a)
                before = base[a - 1] if a > 0 else None
                after = base[a] if a < len(base) else None
                run = _union_run(o_new, t_new, before, after, order)
                if isinstance(run, Refusal):
                    return run
                out.extend(run)
                unioned += 1
                oi += 1
                ti += 1
                continue
            if b == y and [i.key for i in o_new] == [i.key for i in t_new]:
                if [i.lead.strip(b"\n") + i.body for i in o_new] != [i.lead.strip(b"\n") + i.body for i in t_new]:
                    return Refusal("both sides made the same change with different formatting")
                emit_base(a)
                out.extend(o_new)
                pos = b
                oi += 1
                ti += 1
                continue
            if a == b or tc[0] == tc[1]:
                return Refusal("one side inserted entries right next to entries the other side changed")
            if b == y and merge_text is not None:
                text = merge_text(_slots(base[a:b]), _slots(o_new), _slots(t_new))
                if text is not None:
                    emit_base(a)
                    out.append(_raw_item(text, o_new[0] if o_new else base[a]))
                    pos = b
                    oi += 1
                    ti += 1
                    continue
            return Refusal("both sides changed the same entries differently")
        first, other, is_ours = (oc, tc, True) if tc is None or (oc is not None and oc[0] < tc[0]) else (tc, oc, False)
        assert first is not None
        a, b, new = first
        if other is not None and other[0] < b:
            return Refusal("both sides changed overlapping entries")
        if other is not None and other[0] == b and a < b:
            return Refusal("one side changed entries right next to entries the other side changed")
        emit_base(a)
        out.extend(new)
        pos = b
        if is_ours:
            oi += 1
        else:
            ti += 1
    emit_base(len(base))
    if refusal:
        return refusal[0]
    added_o = sum(len(c[2]) for c in o_changes)
    added_t = sum(len(c[2]) for c in t_changes)
    note = f"merged {added_o} entr{'y' if added_o == 1 else 'ies'} from ours and {added_t} from theirs"
    if unioned:
        note += f"; {unioned} place(s) where both sides added entries were unioned"
    base_keys = {i.key for i in base}
    added = [i for i in out if i.key not in base_keys]
    return Union(items=out, added=added, note=note)


@dataclass(frozen=True)
class Whole:
    """The full children lists of the container, for checks that span more than the merged window."""

    base: list[Item]
    ours: list[Item]
    theirs: list[Item]
    ours_before: list[Item]
    """Ours' children before the window."""
    ours_after: list[Item]
    """Ours' children after the window."""


def check_whole(window: list[Item], whole: Whole) -> list[Item] | Refusal:
    """Drop additions both sides made (kept once) and refuse clashing keys or import names."""
    merged = whole.ours_before + window + whole.ours_after
    deduped = _dedupe(merged, whole.base, whole.ours, whole.theirs)
    if isinstance(deduped, Refusal):
        return deduped
    clash = _binding_clash(deduped, whole.base, whole.ours, whole.theirs)
    if clash:
        return Refusal(clash)
    kept = {id(i) for i in deduped}
    return [i for i in window if id(i) in kept]


def same_map(base: list[Item], side: list[Item]) -> dict[int, int]:
    """Where each child base and `side` share sits in `side` (by base index)."""
    return _diff(base, side)[1]


def _bindings(items: list[Item]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for name in item.names:
            out[name].add(item.key)
    return out


def _binding_clash(merged: list[Item], base: list[Item], ours: list[Item], theirs: list[Item]) -> str | None:
    """A name imported by two different children after the merge but not before is a conflict."""
    before = [_bindings(base), _bindings(ours), _bindings(theirs)]
    for name, keys in _bindings(merged).items():
        if len(keys) > 1 and all(len(b.get(name, set())) < len(keys) for b in before):
            return f"two different imports bind the name {name!r}"
    return None


def _dup_sigs(items: list[Item]) -> dict[str, set[str]]:
    by_sig: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.sig is not None:
            by_sig[item.sig].add(item.key)
    return by_sig


def _dedupe(merged: list[Item], base: list[Item], ours: list[Item], theirs: list[Item]) -> list[Item] | Refusal:
    """Drop entries both sides added (kept once); refuse one key with two different values."""
    counts: dict[str, int] = defaultdict(int)
    for item in merged:
        counts[item.key] += 1
    limit = {k: max(n) for k, n in _counts_by_key(base, ours, theirs).items()}
    result = []
    seen: dict[str, int] = defaultdict(int)
    for item in merged:
        seen[item.key] += 1
        if seen[item.key] > max(limit.get(item.key, 1), 1):
            continue
        result.append(item)
    merged_sigs = _dup_sigs(result)
    side_sigs = [_dup_sigs(base), _dup_sigs(ours), _dup_sigs(theirs)]
    for sig, keys in merged_sigs.items():
        if len(keys) > 1 and all(len(s.get(sig, set())) < len(keys) for s in side_sigs):
            shown = " vs ".join(sorted(keys))[:200]
            return Refusal(f"the same key {sig.split(':', 1)[-1]} was given different values: {shown}")
    return result


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
    base_items, ours_items, theirs_items = sides
    first_lead = ours_items[0].lead if ours_items else (items[0].lead if items else b"")
    inner_lead = next((i.lead for i in ours_items if not i.first), None)
    if inner_lead is None:
        inner_lead = next((i.lead for i in items if not i.first), first_lead)
    styles = [bool(s and s[-1].sep) for s in sides]
    trailing = styles[1] if styles[1] == styles[2] or not base_items else styles[0]
    sep = separator.encode()
    out = []
    for n, item in enumerate(items):
        if item.raw:
            out.append(item.render())
            continue
        if n == 0 and at_start and not item.first and not item.lead.strip():
            item = replace(item, lead=first_lead, first=True)
        elif (n > 0 or not at_start) and item.first and not item.lead.strip():
            item = replace(item, lead=inner_lead, first=False)
        if sep:
            last = n == len(items) - 1 and at_end
            want = (not last) or trailing
            if want and not item.sep:
                item = item.with_sep(sep)
            elif not want and item.sep:
                item = replace(item, sep=b"", mid=b"")
        out.append(item.render())
    return b"".join(out)
