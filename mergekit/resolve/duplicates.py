"""Entries a clean line merge holds twice: kept once when identical, a conflict when they differ.

git merges cleanly when two branches add the same entry at different places, or give one key
two values at different places. The first is deduplicated (rule `<profile>:<container>-dedupe`);
the second is a conflict, shown with both entries between markers.
"""

from __future__ import annotations

from collections.abc import Callable

from mergekit.resolve.items import Found, Item
from mergekit.resolve.markers import conflict_block
from mergekit.resolve.profiles import Profile
from mergekit.resolve.types import HunkReport, Labels
from mergekit.resolve.union import render
from mergekit.resolve.version import Version

Versions = Callable[[bytes], Version]
"""Makes the `Version` of some bytes (with the job's profile, cache and deadline)."""


def keyed_entries(found: list[Found]) -> dict[tuple[str, str], set[str]]:
    """(container, identity) → the distinct entries holding it, in the container that has most.

    Containers are told apart by their head (kind, introducing text, key path), which sibling
    containers may share (the route objects of one array): each is counted on its own. The
    identities of an entry are its signature and its identity keys (`name=...` of a mapping).
    """
    out: dict[tuple[str, str], set[str]] = {}
    for container in found:
        mine: dict[tuple[str, str], set[str]] = {}
        for item in container.items:
            if not item.union:
                continue
            for ident in _identities(item):
                mine.setdefault((container.head, ident), set()).add(item.key)
        for key, values in mine.items():
            if len(values) > len(out.get(key, ())):
                out[key] = values
    return out


def _identities(item: Item) -> set[str]:
    found = set(item.idents)
    if item.sig is not None:
        found.add(item.sig)
    return found


def clashing_key(
    merged: Version, sides: tuple[Version, Version, Version]
) -> tuple[tuple[str, str], set[str]] | None:
    """A key the merge gives more distinct entries than any side had, or None."""
    merged_keys = keyed_entries(merged.all())
    suspicious = {k: v for k, v in merged_keys.items() if len(v) > 1}
    if not suspicious:
        return None
    before = [keyed_entries(s.all()) for s in sides]
    for key, values in suspicious.items():
        if all(len(b.get(key, set())) < len(values) for b in before):
            return key, values
    return None


def mark_clash(
    merged: Version, key: tuple[str, str], values: set[str], ours: Version, labels: Labels, marker_size: int
) -> tuple[bytes, HunkReport]:
    """The merged text with the two entries sharing `key` between conflict markers, and the report."""
    marked = _mark_duplicate(merged.data, merged.all(), key, values, ours, labels, marker_size)
    reason = f"both sides added {key[1].split(':', 1)[-1]} with different values"
    return marked, HunkReport(False, None, reason, key[0], (), (), (), tuple(sorted(values)))


def dedupe_clean(
    merged: bytes, sides: tuple[bytes, bytes, bytes], profile: Profile, version: Versions
) -> tuple[bytes, HunkReport | None]:
    """Drop entries a clean merge holds more often than any side did (both sides added them)."""
    allowed: dict[tuple[str, str], int] = {}
    for side in sides:
        for container in version(side).all():
            counts: dict[str, int] = {}
            for item in container.items:
                counts[item.key] = counts.get(item.key, 0) + 1
            for key, n in counts.items():
                allowed[(container.head, key)] = max(allowed.get((container.head, key), 0), n)
    dropped: list[str] = []
    rule = None
    for _ in range(8):
        current = version(merged)
        target = None
        for container in sorted(current.all(), key=lambda c: -c.depth):
            seen: dict[str, int] = {}
            keep = []
            for item in container.items:
                seen[item.key] = seen.get(item.key, 0) + 1
                if item.union and seen[item.key] > max(allowed.get((container.head, item.key), 1), 1):
                    dropped.append(item.key)
                    continue
                keep.append(item)
            if len(keep) < len(container.items):
                target = (container, keep)
                break
        if target is None:
            break
        container, keep = target
        sides3 = (container.items, container.items, container.items)
        text = render(keep, sides3, container.spec.separator, True, True) + container.closing
        candidate = merged[: container.start] + text + merged[container.end :]
        if version(candidate).errors() > current.errors():
            return merged, None
        merged = candidate
        rule = f"{profile.name}:{container.spec.name}"
    if rule is None:
        return merged, None
    reason = "both sides added the same entry at different places; kept once"
    return merged, HunkReport(True, rule + "-dedupe", reason, "", (), (), (), tuple(dropped))


def _line_span(data: bytes, item: Item) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, item.at) + 1
    end_body = item.at + len(item.body) + len(item.mid) + len(item.sep) + len(item.tail)
    end = data.find(b"\n", end_body)
    return start, (len(data) if end < 0 else end + 1)


def _mark_duplicate(
    data: bytes,
    found: list[Found],
    key: tuple[str, str],
    values: set[str],
    ours: Version,
    labels: Labels,
    marker_size: int,
) -> bytes:
    """Put the two entries that share a key between conflict markers (ours' entry first)."""
    entries = [
        i for c in found if c.head == key[0] for i in c.items if key[1] in _identities(i) and i.key in values
    ]
    ours_keys = {i.key for c in ours.all() for i in c.items}
    mine = next((i for i in entries if i.key in ours_keys), entries[0])
    other = next((i for i in entries if i is not mine and i.key != mine.key), entries[-1])
    a0, a1 = _line_span(data, mine)
    b0, b1 = _line_span(data, other)
    if not (a1 <= b0 or b1 <= a0):
        return data
    block = conflict_block(data[a0:a1], data[b0:b1], labels.ours, labels.theirs, marker_size)
    if a0 < b0:
        return data[:a0] + block + data[a1:b0] + data[b1:]
    return data[:b0] + data[b1:a0] + block + data[a1:]
