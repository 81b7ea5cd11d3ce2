"""The resolver pipeline for one file: safety nets, git's line merge, then structural union.

1. Inputs that are binary, not UTF-8, start with a BOM, already hold conflict markers, are
   too large, or `MERGEKIT=0`: git's line merge only.
2. git's line merge. Clean: done, after a duplicate-key check.
3. For each conflicting region, the innermost union container that encloses it in base, ours
   and theirs is merged child by child (`union.merge_items`); the merged interior replaces
   the container in both ours and theirs, and git's line merge runs again — so every byte
   outside a unioned container is git's own result.
4. A clean result must parse with no new syntax error, otherwise the plain merge is returned.
"""

from __future__ import annotations

import bisect
import os
import re
import time
from dataclasses import dataclass, field

from mergekit.resolve.items import Found, Item, all_containers, enclosing, lines_container
from mergekit.resolve.linemerge import InProcess, line_merge
from mergekit.resolve.markers import MARKER_SIZE, conflict_block, contains_markers
from mergekit.resolve.profiles import Profile, profile_for
from mergekit.resolve.regions import Region, conflict_regions, shrink
from mergekit.resolve.types import FileResolution, HunkReport, Labels, LineMergeResult
from mergekit.resolve.union import Refusal, Whole, base_is_sorted, merge_items, render, same_map

MAX_BYTES = 2_000_000
"""Files larger than this get the plain line merge."""
TIME_LIMIT = 5.0
"""Seconds of structural work per file before giving up on it."""


class _OutOfTime(Exception):
    """The per-file time limit passed."""


_BUILT: dict[tuple[str, bytes], dict[tuple[int, int, str], Found]] = {}


@dataclass
class _Version:
    """One side's bytes and its lazily parsed tree."""

    data: bytes
    profile: Profile
    _root: object = None
    _lines: list[Found] | None = None
    _built: dict[tuple[int, int, str], Found] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # containers cut into slots are shared by every _Version of the same bytes
        key = (self.profile.name, self.data)
        built = _BUILT.get(key)
        if built is None:
            if len(_BUILT) >= 256:
                _BUILT.pop(next(iter(_BUILT)))
            built = _BUILT[key] = {}
        self._built = built

    def root(self) -> object:
        if self._root is None:
            from mergekit.resolve.syntax import parse

            self._root = parse(self.profile.grammar, self.data)
        return self._root

    def containers_at(self, lo: int, hi: int) -> list[Found]:
        if self.profile.grammar == "lines":
            if self._lines is None:
                self._lines = [lines_container(c, self.data) for c in self.profile.containers[:1]]
            return self._lines
        return enclosing(self.root(), self.profile, self.data, lo, hi, self._built)

    def errors(self) -> int:
        if self.profile.grammar == "lines":
            return 0
        from mergekit.resolve.syntax import error_count

        return error_count(self.root())

    def all(self) -> list[Found]:
        if self.profile.grammar == "lines":
            return [lines_container(c, self.data) for c in self.profile.containers[:1]]
        return all_containers(self.root(), self.profile, self.data)


def fallback_reason(base: bytes, ours: bytes, theirs: bytes) -> str | None:
    """Why only the plain line merge may run on these inputs, or None."""
    if os.environ.get("MERGEKIT", "") == "0":
        return "disabled by MERGEKIT=0"
    sides = (base, ours, theirs)
    if any(b"\0" in s[:8000] for s in sides):
        return "binary file"
    if any(len(s) > MAX_BYTES for s in sides):
        return f"file larger than {MAX_BYTES // 1_000_000} MB"
    if any(s.startswith(b"\xef\xbb\xbf") for s in sides):
        return "file starts with a byte-order mark"
    for s in sides:
        try:
            s.decode("utf-8")
        except UnicodeDecodeError:
            return "not UTF-8"
    if any(contains_markers(s) for s in sides):
        return "inputs already contain conflict markers"
    return None


def resolve_file(
    base: bytes | None,
    ours: bytes,
    theirs: bytes,
    path: str,
    *,
    labels: Labels = Labels(),
    marker_size: int = MARKER_SIZE,
    style: str = "merge",
    backend: InProcess | None = None,
) -> FileResolution:
    """Merge one file's three versions; union append-only conflicts where the path's profile allows.

    `backend` is the in-process line merge to use (see `linemerge.line_merge`); None runs git.
    """
    base = base or b""
    if b"\0" in ours[:8000] or b"\0" in theirs[:8000] or b"\0" in base[:8000]:
        if ours == theirs or base == theirs:
            return FileResolution(merged=ours, clean=True, fallback="binary file")
        if base == ours:
            return FileResolution(merged=theirs, clean=True, fallback="binary file")
        return FileResolution(merged=ours, clean=False, conflicts=1, fallback="binary file")
    first = line_merge(
        base, ours, theirs, labels=labels, marker_size=marker_size, style=style, backend=backend
    )
    reason = fallback_reason(base, ours, theirs)
    profile = profile_for(path)
    if reason or profile is None:
        return _plain(first, reason or "no language profile for this path")
    try:
        job = _Job(base, ours, theirs, profile, labels, marker_size, style, backend)
        if first.conflicts == 0:
            return _check_clean(first, job)
        return _structural(first, job)
    except _OutOfTime:
        return _plain(first, f"structural merge took longer than {TIME_LIMIT:.0f} s")
    except RecursionError:
        return _plain(first, "file too deeply nested")
    except Exception as exc:  # never a guess: a resolver bug leaves git's own result
        if os.environ.get("MERGEKIT_DEBUG"):
            raise
        return _plain(first, f"structural merge failed ({exc!r}); this is a bug, please report it")
    finally:
        _ENDS.clear()
        _MAPS.clear()
        _BACK.clear()


def _plain(result: LineMergeResult, reason: str | None) -> FileResolution:
    return FileResolution(
        merged=result.merged, clean=result.conflicts == 0, conflicts=result.conflicts, fallback=reason
    )


def _pick(region: Region, versions: tuple[_Version, _Version, _Version]) -> tuple[Found, Found, Found] | None:
    """The innermost container enclosing the region that is the same container in all three."""
    b, o, t = versions
    cands_b = b.containers_at(*region.base)
    cands_t = t.containers_at(*region.theirs)
    for co in o.containers_at(*region.ours):
        cb = next((c for c in cands_b if c.head == co.head and c.spec == co.spec), None)
        ct = next((c for c in cands_t if c.head == co.head and c.spec == co.spec), None)
        if cb is not None and ct is not None:
            return cb, co, ct
    return None


MAX_PASSES = 4
"""Unioning an inner container can make an outer one mergeable (`__all__` inside a module)."""


@dataclass
class _Pass:
    """What one pass over the conflicting regions found and did."""

    edits_o: list[tuple[int, int, bytes]] = field(default_factory=list)
    edits_t: list[tuple[int, int, bytes]] = field(default_factory=list)
    resolved: list[HunkReport] = field(default_factory=list)
    refused: list[HunkReport] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    added: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    """One file's merge: the three versions, its profile, and how to write conflicts."""

    base: bytes
    ours: bytes
    theirs: bytes
    profile: Profile
    labels: Labels
    marker_size: int
    style: str
    backend: InProcess | None = None


def _structural(first: LineMergeResult, job: _Job) -> FileResolution:
    """Union the conflicting regions' containers, pass after pass, then let git merge the rest."""
    base, ours, theirs, profile = job.base, job.ours, job.theirs, job.profile
    labels, marker_size, style = job.labels, job.marker_size, job.style
    deadline = time.monotonic() + TIME_LIMIT
    base_version = _Version(base, profile)
    originals = (_Version(ours, profile), _Version(theirs, profile))
    resolved: list[HunkReport] = []
    refused: list[HunkReport] = []
    rules: list[str] = []
    added: list[Item] = []
    cur_o, cur_t = ours, theirs
    for _ in range(MAX_PASSES):
        versions = (base_version, _Version(cur_o, profile), _Version(cur_t, profile))
        step = _one_pass(versions, profile, deadline, job.backend)
        refused = step.refused
        if not step.edits_o:
            break
        resolved += step.resolved
        rules += step.rules
        added += step.added
        cur_o, cur_t = _apply(cur_o, step.edits_o), _apply(cur_t, step.edits_t)
        _ENDS.clear()
        _MAPS.clear()
        _BACK.clear()
    hunks = tuple(resolved + refused)
    if not resolved:
        return FileResolution(merged=first.merged, clean=False, conflicts=first.conflicts, hunks=hunks)
    final = line_merge(
        base, cur_o, cur_t, labels=labels, marker_size=marker_size, style=style, backend=job.backend
    )
    rule_name = "+".join(dict.fromkeys(rules))
    if final.conflicts:
        if final.conflicts >= first.conflicts:
            return FileResolution(merged=first.merged, clean=False, conflicts=first.conflicts, hunks=hunks)
        return FileResolution(
            merged=final.merged, clean=False, rule=rule_name, conflicts=final.conflicts, hunks=hunks
        )
    result = _Version(final.merged, profile)
    limit = max(originals[0].errors(), originals[1].errors())
    if result.errors() > limit:
        note = HunkReport(False, None, "the unioned result did not parse; left to a human")
        return FileResolution(
            merged=first.merged, clean=False, conflicts=first.conflicts, hunks=(*hunks, note)
        )
    unused = _unused_import(final.merged, added)
    if unused:
        note = HunkReport(False, None, unused)
        return FileResolution(
            merged=first.merged, clean=False, conflicts=first.conflicts, hunks=(*hunks, note)
        )
    return FileResolution(merged=final.merged, clean=True, rule=rule_name, hunks=hunks)


def _one_pass(
    versions: tuple[_Version, _Version, _Version],
    profile: Profile,
    deadline: float,
    backend: InProcess | None,
) -> _Pass:
    """Union what can be unioned in the conflicting regions of (base, ours, theirs)."""
    out = _Pass()
    base, ours, theirs = (v.data for v in versions)
    groups: dict[tuple[int, int, int, str], tuple[tuple[Found, Found, Found], list[tuple[int, int]]]] = {}
    for region in conflict_regions(base, ours, theirs):
        if time.monotonic() > deadline:
            raise _OutOfTime
        region = shrink(region, base, ours, theirs)
        picked = _pick(region, versions)
        if picked is None:
            out.refused.append(HunkReport(False, None, "no list-like container encloses this conflict"))
            continue
        cb, co, ct = picked
        items: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())
        if cb.has_error or co.has_error or ct.has_error:
            reason = "the container does not parse cleanly"
            out.refused.append(HunkReport(False, None, reason, co.spec.description, *items))
            continue
        if _layout(ours, co) != _layout(theirs, ct):
            reason = "one side re-wrapped the list onto more or fewer lines"
            out.refused.append(HunkReport(False, None, reason, co.spec.description, *items))
            continue
        key = (cb.start, co.start, ct.start, co.spec.name)
        groups.setdefault(key, ((cb, co, ct), []))[1].append(_base_window(cb, co, ct, region))
    # innermost containers first: their unions can make an enclosing container mergeable next pass
    for (cb, co, ct), windows in sorted(groups.values(), key=lambda g: -g[0][1].depth):
        rule = f"{profile.name}:{co.spec.name}"
        whole = Whole(list(cb.items), list(co.items), list(ct.items))
        order = (
            "sorted" if co.spec.order == "sorted-if-sorted" and base_is_sorted(list(cb.items)) else "append"
        )
        for window in _side_windows(cb, co, ct, _join(windows)):
            (b0, b1), (o0, o1), (t0, t1) = window
            items = _keys(cb.items[b0:b1], co.items[o0:o1], ct.items[t0:t1])
            o_span, t_span = _span(co, o0, o1), _span(ct, t0, t1)
            if _overlaps(o_span, out.edits_o) or _overlaps(t_span, out.edits_t):
                continue  # an inner container in this window was unioned: look again next pass
            merged = merge_items(
                list(cb.items[b0:b1]),
                list(co.items[o0:o1]),
                list(ct.items[t0:t1]),
                order,
                lambda b, o, t: _text_merge(b, o, t, backend),
            )
            if isinstance(merged, Refusal):
                out.refused.append(HunkReport(False, None, merged.reason, co.spec.description, *items))
                continue
            checked = whole.check(merged.items, list(cb.items[b0:b1]), o0, o1)
            if isinstance(checked, Refusal):
                out.refused.append(HunkReport(False, None, checked.reason, co.spec.description, *items))
                continue
            text = render(
                checked, (cb.items, co.items, ct.items), co.spec.separator, o0 == 0, o1 == len(co.items)
            )
            if text == ours[o_span[0] : o_span[1]] and text == theirs[t_span[0] : t_span[1]]:
                continue  # nothing to change here
            out.added.extend(i for i in merged.added if i in checked)
            out.edits_o.append((*o_span, text))
            out.edits_t.append((*t_span, text))
            out.rules.append(rule)
            merged_keys = tuple(i.key for i in checked)
            out.resolved.append(HunkReport(True, rule, merged.note, co.spec.description, *items, merged_keys))
    return out


def _keys(
    b: tuple[Item, ...], o: tuple[Item, ...], t: tuple[Item, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The entries of a window in base, ours and theirs (for the report and `--explain`)."""
    return tuple(i.key for i in b), tuple(i.key for i in o), tuple(i.key for i in t)


def _overlaps(span: tuple[int, int], edits: list[tuple[int, int, bytes]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e, _ in edits)


def _unused_import(merged: bytes, added: list[Item]) -> str | None:
    """An import one side added whose name the merged file never uses: the other side dropped its use."""
    for item in added:
        if item.body.startswith((b"pub ", b"pub(", b"export ")):
            continue  # a re-export is used by other files
        for name in item.names:
            if not any(_used(merged, item.body, alias) for alias in _spellings(name)):
                return f"{item.key[:80]!r} was added but {name!r} is not used in the merged file"
    return None


def _slot(item: Item) -> tuple[int, int]:
    """Byte range of a child's slot (its lead through its tail)."""
    return item.at - len(item.lead), item.at + len(item.body) + len(item.mid) + len(item.sep) + len(item.tail)


def _touched(found: Found, lo: int, hi: int) -> set[int]:
    """Children whose slot meets the byte range [lo, hi] (slots are contiguous and in order)."""
    ends = _slot_ends(found)
    first = bisect.bisect_left(ends, lo)
    out = set()
    for n in range(first, len(found.items)):
        if _slot(found.items[n])[0] > hi:
            break
        out.add(n)
    return out


_ENDS: dict[int, tuple[Found, list[int]]] = {}
_MAPS: dict[tuple[int, int], tuple[Found, Found, dict[int, int]]] = {}


def _slot_ends(found: Found) -> list[int]:
    cached = _ENDS.get(id(found))
    if cached is None or cached[0] is not found:
        cached = (found, [_slot(i)[1] for i in found.items])
        _ENDS[id(found)] = cached
    return cached[1]


def _same(cb: Found, side: Found) -> dict[int, int]:
    """`same_map` of two containers, computed once per pair during a resolution."""
    key = (id(cb), id(side))
    cached = _MAPS.get(key)
    if cached is None or cached[0] is not cb or cached[1] is not side:
        cached = (cb, side, same_map(list(cb.items), list(side.items)))
        _MAPS[key] = cached
    return cached[2]


_BACK: dict[tuple[int, int], tuple[Found, Found, dict[int, int]]] = {}


def _back(cb: Found, side: Found) -> dict[int, int]:
    """The inverse of `_same`: where each child of `side` that base also has sits in base."""
    key = (id(cb), id(side))
    cached = _BACK.get(key)
    if cached is None or cached[0] is not cb or cached[1] is not side:
        cached = (cb, side, {j: i for i, j in _same(cb, side).items()})
        _BACK[key] = cached
    return cached[2]


def _base_window(cb: Found, co: Found, ct: Found, region: Region) -> tuple[int, int]:
    """Base children [w0, w1) the region touches, widened until both ends are kept by all sides."""
    o_back, t_back = _back(cb, co), _back(cb, ct)
    touched = _touched(cb, *region.base)
    touched |= {o_back[j] for j in _touched(co, *region.ours) if j in o_back}
    touched |= {t_back[j] for j in _touched(ct, *region.theirs) if j in t_back}
    if touched:
        return min(touched), max(touched) + 1
    gap = sum(1 for item in cb.items if _slot(item)[1] < region.base[0])
    return gap, gap


def _join(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping or touching windows."""
    out: list[tuple[int, int]] = []
    for w0, w1 in sorted(windows):
        if out and w0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], w1))
        else:
            out.append((w0, w1))
    return out


def _side_windows(
    cb: Found, co: Found, ct: Found, windows: list[tuple[int, int]]
) -> list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]:
    """Each base window widened to children all sides kept (plus one on each side for context),
    with the matching index ranges in ours and theirs."""
    o_same, t_same = _same(cb, co), _same(cb, ct)
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
    for w0, w1 in _join(widened):
        o0 = o_same[w0] if w0 < n and anchors[w0] and w0 > 0 else 0
        t0 = t_same[w0] if w0 < n and anchors[w0] and w0 > 0 else 0
        o1 = o_same[w1 - 1] + 1 if w1 > 0 and anchors[w1 - 1] and w1 < n else len(co.items)
        t1 = t_same[w1 - 1] + 1 if w1 > 0 and anchors[w1 - 1] and w1 < n else len(ct.items)
        if w0 == 0:
            o0 = t0 = 0
        out.append(((w0, w1), (o0, max(o0, o1)), (t0, max(t0, t1))))
    return out


def _span(found: Found, i0: int, i1: int) -> tuple[int, int]:
    """Byte range covered by the slots of children [i0, i1) (an empty range sits between slots)."""
    if i1 > i0:
        return _slot(found.items[i0])[0], _slot(found.items[i1 - 1])[1]
    at = _slot(found.items[i0 - 1])[1] if i0 > 0 else found.start
    return at, at


def _spellings(name: str) -> list[str]:
    """The ways code may refer to an imported name (Go packages drop a `go-` prefix or `-go` suffix)."""
    out = [name]
    for prefix in ("go-", "go_"):
        if name.startswith(prefix):
            out.append(name[len(prefix) :])
    for suffix in ("-go", "_go", ".go"):
        if name.endswith(suffix):
            out.append(name[: -len(suffix)])
    return out + [n.replace("-", "") for n in out if "-" in n]


def _used(merged: bytes, body: bytes, name: str) -> bool:
    """True when `name` occurs in the merged file outside the import that binds it."""
    pattern = re.compile(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])")
    return len(pattern.findall(merged)) > len(pattern.findall(body))


def _text_merge(base: bytes, ours: bytes, theirs: bytes, backend: InProcess | None = None) -> bytes | None:
    """git's line merge of a few children: the clean text, or None."""
    if ours == theirs:
        return ours
    result = line_merge(base, ours, theirs, backend=backend)
    return None if result.conflicts else result.merged


def _layout(data: bytes, found: Found) -> bool:
    """True when the container's children are laid out one or more per line (vs all on one line)."""
    return b"\n" in data[found.start : found.end].strip()


def _apply(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for start, end, text in sorted(edits, reverse=True):
        data = data[:start] + text + data[end:]
    return data


def _dup_keys(found: list[Found]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for container in found:
        for item in container.items:
            if item.sig is not None and item.union:
                out.setdefault((container.head, item.sig), set()).add(item.key)
    return out


def _check_clean(first: LineMergeResult, job: _Job) -> FileResolution:
    """Check a clean line merge for entries both sides added at different places.

    The same entry added twice is kept once (rule `<profile>:dedupe`); one key given two
    different values is a conflict, with both entries between markers.
    """
    base, ours, theirs, profile = job.base, job.ours, job.theirs, job.profile
    labels, marker_size = job.labels, job.marker_size
    deduped, hunk = _dedupe_clean(first.merged, (base, ours, theirs), profile)
    if hunk is not None:
        first = LineMergeResult(merged=deduped, conflicts=0)
    merged = _Version(first.merged, profile)
    merged_keys = _dup_keys(merged.all())
    suspicious = {k: v for k, v in merged_keys.items() if len(v) > 1}
    if not suspicious:
        if hunk is not None:
            return FileResolution(merged=deduped, clean=True, rule=hunk.rule, hunks=(hunk,))
        return _plain(first, None)
    before = [_dup_keys(_Version(s, profile).all()) for s in (base, ours, theirs)]
    for key, values in suspicious.items():
        if all(len(b.get(key, set())) < len(values) for b in before):
            marked = _mark_duplicate(
                first.merged, merged.all(), key, _Version(ours, profile), labels, marker_size
            )
            reason = f"both sides added {key[1].split(':', 1)[-1]} with different values"
            return FileResolution(
                merged=marked,
                clean=False,
                conflicts=1,
                hunks=(HunkReport(False, None, reason, key[0], (), (), (), tuple(sorted(values))),),
            )
    return _plain(first, None)


def _dedupe_clean(
    merged: bytes, sides: tuple[bytes, bytes, bytes], profile: Profile
) -> tuple[bytes, HunkReport | None]:
    """Drop entries a clean merge holds more often than any side did (both sides added them)."""
    allowed: dict[tuple[str, str], int] = {}
    for side in sides:
        for container in _Version(side, profile).all():
            counts: dict[str, int] = {}
            for item in container.items:
                counts[item.key] = counts.get(item.key, 0) + 1
            for key, n in counts.items():
                allowed[(container.head, key)] = max(allowed.get((container.head, key), 0), n)
    dropped: list[str] = []
    rule = None
    for _ in range(8):
        version = _Version(merged, profile)
        target = None
        for container in sorted(version.all(), key=lambda c: -c.depth):
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
        if _Version(candidate, profile).errors() > version.errors():
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
    data: bytes, found: list[Found], key: tuple[str, str], ours: _Version, labels: Labels, marker_size: int
) -> bytes:
    """Put the two entries that share a key between conflict markers (ours' entry first)."""
    entries = [i for c in found if c.head == key[0] for i in c.items if i.sig == key[1]]
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
