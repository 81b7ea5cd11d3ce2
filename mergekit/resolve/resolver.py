"""The resolver pipeline for one file: safety nets, git's line merge, then structural union.

1. Inputs that are binary, not UTF-8, start with a BOM, already hold conflict markers, are
   too large, or `MERGEKIT=0`: git's line merge only.
2. git's line merge. Clean: done, after a duplicate-key check (`duplicates`).
3. For each of git's conflict hunks (`regions.git_regions`), the innermost union container that
   encloses it in base, ours and theirs is merged child by child (`union.merge_items`) in a
   window of children around the hunk (`windows`); the merged window replaces the same span in
   both ours and theirs, and git's line merge runs again — so every byte outside a unioned window
   is git's own result. Inner containers first; up to `MAX_PASSES` passes.
4. A clean result must parse with no new syntax error and pass `sanity`'s checks (no invented or
   lost line, no unused new import, no key given two entries), otherwise git's conflict stays.

All of it runs under one `Deadline` (`TIME_LIMIT` seconds); past it, git's line merge is returned.
"""

from __future__ import annotations

import os

from mergekit.resolve.cache import ResolverCache
from mergekit.resolve.duplicates import clashing_key, dedupe_clean, mark_clash
from mergekit.resolve.items import Found, Item
from mergekit.resolve.limits import Deadline, OutOfTime
from mergekit.resolve.linemerge import LineMerger, line_merge
from mergekit.resolve.markers import MARKER_SIZE, contains_markers
from mergekit.resolve.profiles import Container, Profile, profile_for
from mergekit.resolve.regions import Diffs, Region, conflict_regions, git_regions, shrink
from mergekit.resolve.sanity import line_counts, line_damage, unused_import
from mergekit.resolve.types import FileResolution, HunkReport, Labels, LineMergeResult
from mergekit.resolve.union import Layout, Refusal, Whole, base_is_sorted, merge_items, pick3, render
from mergekit.resolve.version import Version
from mergekit.resolve.windows import Alignment, Window, join, span

MAX_BYTES = 2_000_000
"""Files larger than this get the plain line merge."""
TIME_LIMIT = 5.0
"""Seconds of structural work per file before giving up on it."""
MAX_PASSES = 4
"""Unioning an inner container can make an outer one mergeable (`__all__` inside a module)."""
MAX_DEPTH = 3
"""How deep children both sides changed are merged structurally on their own."""


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


class _Job:
    """One file's merge: the three versions, its profile, how to line-merge and write conflicts.

    A plain class (no dataclass): the merge driver imports this module once per file.
    """

    __slots__ = (
        "base",
        "cache",
        "deadline",
        "depth",
        "labels",
        "line_merger",
        "marker_size",
        "ours",
        "profile",
        "scratch",
        "style",
        "theirs",
    )

    def __init__(
        self,
        base: bytes,
        ours: bytes,
        theirs: bytes,
        profile: Profile,
        labels: Labels,
        marker_size: int,
        style: str,
        line_merger: LineMerger | None,
        cache: ResolverCache,
        deadline: Deadline,
        depth: int = 0,
        scratch: ResolverCache | None = None,
    ) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.profile = profile
        self.labels = labels
        self.marker_size = marker_size
        self.style = style
        self.line_merger = line_merger
        self.cache = cache
        self.deadline = deadline
        self.depth = depth
        """How many children deep this merge is (a child both sides changed is merged on its own)."""
        self.scratch = scratch if scratch is not None else ResolverCache(versions=8)
        """Parse trees and containers of the texts this call makes (a pass's edits, the merged
        result): kept apart from `cache`, where they would push out the versions other calls merge
        again (in a check of many branches each pair's merged result is new)."""

    def inner(self, base: bytes, ours: bytes, theirs: bytes) -> _Job:
        """The same job one level deeper, on one child's three texts."""
        return _Job(
            base,
            ours,
            theirs,
            self.profile,
            self.labels,
            self.marker_size,
            self.style,
            self.line_merger,
            self.cache,
            self.deadline,
            self.depth + 1,
            self.scratch,
        )

    def merge(self, base: bytes, ours: bytes, theirs: bytes) -> LineMergeResult:
        """git's line merge with this job's labels, marker size, style and line merger."""
        return line_merge(
            base,
            ours,
            theirs,
            labels=self.labels,
            marker_size=self.marker_size,
            style=self.style,
            line_merger=self.line_merger,
        )

    def version(self, data: bytes) -> Version:
        """The `Version` of `data` under this job's profile and deadline: the three versions being
        merged in `cache`, any other text in `scratch`."""
        given = data is self.base or data is self.ours or data is self.theirs
        kept = given or data in (self.base, self.ours, self.theirs)
        return Version(data, self.profile, self.cache if kept else self.scratch, self.deadline)

    def text_merge(self, base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
        """One child both sides changed, merged: git's line merge, or where that conflicts, the
        structural merge of the child's own text (a TOML table both sides appended keys to);
        None when neither is clean."""
        if ours == theirs:
            return ours
        result = line_merge(base, ours, theirs, line_merger=self.line_merger)
        if not result.conflicts:
            return result.merged
        if self.depth >= MAX_DEPTH:
            return None
        merged = _structural(result, self.inner(base, ours, theirs))
        return merged.merged if merged.clean else None


def resolve_file(
    base: bytes | None,
    ours: bytes,
    theirs: bytes,
    path: str,
    *,
    labels: Labels = Labels(),
    marker_size: int = MARKER_SIZE,
    style: str = "merge",
    line_merger: LineMerger | None = None,
    cache: ResolverCache | None = None,
    files: tuple[str, str, str] | None = None,
) -> FileResolution:
    """Merge one file's three versions; union append-only conflicts where the path's profile allows.

    `line_merger` runs git's merge-style line merge in process (libgit2, from the engine);
    without it `git merge-file` runs. `cache` keeps parse trees and containers across calls
    (integrate and check merge the same versions many times); without it nothing outlives the call.
    `files` names files that hold base, ours and theirs byte for byte (the merge driver's inputs):
    git's first line merge reads them where they are.
    """
    deadline = Deadline(TIME_LIMIT)  # the whole call, the first line merge included
    base = base or b""
    if b"\0" in ours[:8000] or b"\0" in theirs[:8000] or b"\0" in base[:8000]:
        if ours == theirs or base == theirs:
            return FileResolution(merged=ours, clean=True, fallback="binary file")
        if base == ours:
            return FileResolution(merged=theirs, clean=True, fallback="binary file")
        return FileResolution(merged=ours, clean=False, conflicts=1, fallback="binary file")
    first = line_merge(
        base,
        ours,
        theirs,
        labels=labels,
        marker_size=marker_size,
        style=style,
        line_merger=line_merger,
        files=files,
    )
    reason = fallback_reason(base, ours, theirs)
    profile = profile_for(path)
    if reason or profile is None:
        return _plain(first, reason or "no language profile for this path")
    job = _Job(
        base,
        ours,
        theirs,
        profile,
        labels,
        marker_size,
        style,
        line_merger,
        cache if cache is not None else ResolverCache(versions=16),
        deadline,
    )
    try:
        if first.conflicts == 0:
            return _check_clean(first, job)
        return _structural(first, job)
    except OutOfTime:
        return _plain(first, f"structural merge took longer than {TIME_LIMIT:.0f} s")
    except RecursionError:
        return _plain(first, "file too deeply nested")
    except Exception as exc:  # never a guess: a resolver bug leaves git's own result
        if os.environ.get("MERGEKIT_DEBUG"):
            raise
        return _plain(first, f"structural merge failed ({exc!r}); this is a bug, please report it")


def _plain(result: LineMergeResult, reason: str | None) -> FileResolution:
    return FileResolution(
        merged=result.merged, clean=result.conflicts == 0, conflicts=result.conflicts, fallback=reason
    )


class _Pass:
    """What one pass over the conflicting regions found and did."""

    __slots__ = ("added", "edits_o", "edits_t", "one_line", "refused", "replaced", "resolved", "rules")

    def __init__(self) -> None:
        self.edits_o: list[tuple[int, int, bytes]] = []
        self.edits_t: list[tuple[int, int, bytes]] = []
        self.resolved: list[HunkReport] = []
        self.refused: list[HunkReport] = []
        self.rules: list[str] = []
        self.added: list[tuple[Item, Container]] = []
        self.one_line: list[bytes] = []
        """Lines rewritten by unions of one-line containers (`[a, b, c]`): new lines by design."""
        self.replaced: list[bytes] = []
        """The lines of ours and theirs those unions replaced."""


def _structural(first: LineMergeResult, job: _Job) -> FileResolution:
    """Union the conflicting regions' containers, pass after pass, then let git merge the rest."""
    base_version = job.version(job.base)
    resolved: list[HunkReport] = []
    refused: list[HunkReport] = []
    rules: list[str] = []
    added: list[tuple[Item, Container]] = []
    one_line: list[bytes] = []
    replaced: list[bytes] = []
    cur_o, cur_t = job.ours, job.theirs
    merged = first
    for _ in range(MAX_PASSES):
        versions = (base_version, job.version(cur_o), job.version(cur_t))
        step = _one_pass(versions, *_regions(merged, job, cur_o, cur_t), job)
        refused = step.refused
        if not step.edits_o:
            break
        resolved += step.resolved
        rules += step.rules
        added += step.added
        one_line += step.one_line
        replaced += step.replaced
        cur_o, cur_t = _apply(cur_o, step.edits_o), _apply(cur_t, step.edits_t)
        merged = job.merge(job.base, cur_o, cur_t)
        if merged.conflicts == 0:
            break
    hunks = tuple(resolved + refused)
    if not resolved:
        return FileResolution(merged=first.merged, clean=False, conflicts=first.conflicts, hunks=hunks)
    rule_name = "+".join(dict.fromkeys(rules))
    if merged.conflicts:
        if merged.conflicts >= first.conflicts:
            return FileResolution(merged=first.merged, clean=False, conflicts=first.conflicts, hunks=hunks)
        return FileResolution(
            merged=merged.merged, clean=False, rule=rule_name, conflicts=merged.conflicts, hunks=hunks
        )
    # git's clean merge of the rest may hold an entry both sides added elsewhere: keep it once
    result, dedupe = merged.merged, None
    if _more_often(merged.merged, job.ours, job.theirs):
        result, dedupe = dedupe_clean(result, (job.base, job.ours, job.theirs), job.profile, job.version)
    if dedupe is not None:
        hunks = (*hunks, dedupe)
        rule_name = "+".join(dict.fromkeys([*rules, dedupe.rule or ""]))
    problem = _final_problem(result, added, (one_line, replaced), job)
    if problem is not None:
        note = HunkReport(False, None, problem)
        return FileResolution(
            merged=first.merged, clean=False, conflicts=first.conflicts, hunks=(*hunks, note)
        )
    return FileResolution(merged=result, clean=True, rule=rule_name, hunks=hunks)


def _more_often(merged: bytes, ours: bytes, theirs: bytes) -> bool:
    """True when some line occurs in `merged` more often than in ours and in theirs (the only
    way an entry can be held twice)."""
    counts, o, t = line_counts(merged), line_counts(ours), line_counts(theirs)
    return any(n > max(o[line], t[line]) for line, n in counts.items())


def _final_problem(
    merged: bytes, added: list[tuple[Item, Container]], one_line: tuple[list[bytes], list[bytes]], job: _Job
) -> str | None:
    """Why a clean structural result may not be used, or None."""
    result = job.version(merged)
    sides = (job.version(job.base), job.version(job.ours), job.version(job.theirs))
    if result.errors() > max(sides[1].errors(), sides[2].errors()):
        return "the unioned result did not parse; left to a human"
    rewritten, replaced = (b"\n".join(lines) for lines in one_line)
    damage = line_damage(merged, job.base, job.ours, job.theirs, rewritten, replaced)
    if damage is not None:
        return damage
    unused = unused_import(merged, added)
    if unused is not None:
        return unused
    clash = clashing_key(result, sides)
    if clash is not None:
        key, values = clash
        shown = " vs ".join(sorted(values))[:200]
        return f"the merge would give {key[1].split(':', 1)[-1]} two different entries: {shown}"
    return None


def _regions(
    merged: LineMergeResult, job: _Job, ours: bytes, theirs: bytes
) -> tuple[list[Region], list[Region]]:
    """The regions to merge structurally, and git's own hunks.

    The regions are git's conflict hunks, split where the resolver's own line diffs see separate
    changes inside one hunk (an import and `__all__` two lines apart). The hunks themselves say
    where git found the sides disagreeing (inside one entry both added, for instance).
    """
    diffs = Diffs.of(job.base, ours, theirs)
    own = conflict_regions(diffs)
    job.deadline.check()
    hunks = git_regions(merged.merged, job.marker_size, diffs)
    if hunks is None:
        found, hunks = own, []
    else:
        found = [r for r in own if any(_meets(r, h) for h in hunks)]
        found += [h for h in hunks if not any(_meets(r, h) for r in own)]
    job.deadline.check()
    shrunk = [shrink(region, job.base, ours, theirs) for region in found]
    return shrunk, [shrink(hunk, job.base, ours, theirs) for hunk in hunks]


def _meets(a: Region, b: Region) -> bool:
    """True when two regions share bytes (or touch) in ours or in theirs."""
    return (a.ours[0] <= b.ours[1] and b.ours[0] <= a.ours[1]) or (
        a.theirs[0] <= b.theirs[1] and b.theirs[0] <= a.theirs[1]
    )


Picked = tuple[Found, Found, Found]


def _pick(region: Region, versions: tuple[Version, Version, Version]) -> Picked | None:
    """The innermost container enclosing the region that is the same container in all three.

    A container that ours and theirs both have and base has nowhere (both sides added the
    entry that holds it) is merged against an empty base.
    """
    b, o, t = versions
    cands_b = b.containers_at(*region.base)
    cands_t = t.containers_at(*region.theirs)
    for co in o.containers_at(*region.ours):
        ct = next((c for c in cands_t if c.head == co.head and c.spec == co.spec), None)
        if ct is None:
            continue
        cb = next((c for c in cands_b if c.head == co.head and c.spec == co.spec), None)
        if cb is not None:
            return cb, co, ct
        # Where both sides added similar entries, the hunk's place in base is a guess of the line
        # diff; ours and theirs agree on the container: take base's one by its identity.
        same = [c for c in b.all() if c.head == co.head and c.spec == co.spec]
        if len(same) == 1:
            return same[0], co, ct
        if not same and _both_added(co, ct, b):
            return _empty_like(co), co, ct
    return None


def _both_added(co: Found, ct: Found, base: Version) -> bool:
    """True when ours and theirs both added the container (base has none like it): allowed for
    containers whose entries all have keys, so that two entries for one key are seen."""
    if co.depth == 0 or not co.items or not ct.items:
        return False
    return all(i.sig is not None for i in (*co.items, *ct.items))


def _named_apart(o: Item, t: Item) -> bool:
    """True when two entries are told apart by their signatures (two dependencies with different
    coordinates, two functions with different names), not by an identity key of a mapping, whose
    value may be one entry's variant (`uses: actions/checkout@v4`)."""
    if o.sig is None or t.sig is None or o.sig == t.sig:
        return False
    return o.sig not in o.idents and t.sig not in t.idents


def _empty_like(found: Found) -> Found:
    """A container with no children, standing for base where both sides added the container."""
    return Found(found.spec, found.node_type, found.head, -1, -1, (), b"", False, found.depth)


def _inner_pairs(
    hunk: Region, co: Found, ct: Found, align: Alignment, sides: tuple[bytes, bytes]
) -> tuple[int, int] | None:
    """(ours child, theirs child) when git's hunk lies inside one child of each (git saw both
    sides add one entry and disagree inside it, unless their signatures tell them apart: see
    `_named_apart`); None otherwise."""
    touched_o = align.touched(co, *hunk.ours)
    touched_t = align.touched(ct, *hunk.theirs)
    if len(touched_o) != 1 or len(touched_t) != 1:
        return None
    (i,), (j,) = tuple(touched_o), tuple(touched_t)
    inside = []
    for item, (lo, hi), data in ((co.items[i], hunk.ours, sides[0]), (ct.items[j], hunk.theirs, sides[1])):
        hi = lo + len(data[lo:hi].rstrip())
        inside.append(item.at < lo and hi <= item.at + len(item.body))
    return (i, j) if all(inside) else None


def _one_pass(
    versions: tuple[Version, Version, Version], regions: list[Region], hunks: list[Region], job: _Job
) -> _Pass:
    """Union what can be unioned in the conflicting regions of (base, ours, theirs)."""
    out = _Pass()
    align = Alignment()
    ours, theirs = versions[1].data, versions[2].data
    groups: dict[tuple[int, int, int, str], tuple[Picked, list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for region in regions:
        job.deadline.check()
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
        group = groups.setdefault(key, ((cb, co, ct), [], []))
        group[1].append(align.base_window(cb, co, ct, region))
        for hunk in hunks:
            if _meets(hunk, region):
                pair = _inner_pairs(hunk, co, ct, align, (ours, theirs))
                if pair is not None:
                    group[2].append(pair)
    # innermost containers first: their unions can make an enclosing container mergeable next pass
    for (cb, co, ct), windows, inner in sorted(groups.values(), key=lambda g: -g[0][1].depth):
        job.deadline.check()
        wide = align.side_windows(cb, co, ct, join(windows))
        job.deadline.check()
        _merge_container((ours, theirs), cb, co, ct, wide, inner, align, job, out)
    return out


def _merge_container(
    sides: tuple[bytes, bytes],
    cb: Found,
    co: Found,
    ct: Found,
    windows: list[Window],
    inner: list[tuple[int, int]],
    align: Alignment,
    job: _Job,
    out: _Pass,
) -> None:
    """Merge each window of one container; record the edits, or why not."""
    ours, theirs = sides
    rule = f"{job.profile.name}:{co.spec.name}"
    whole = Whole(list(cb.items), list(co.items), list(ct.items), align.same(cb, co), align.same(cb, ct))
    job.deadline.check()
    # declarations next to a sorted import list do not make it unsorted
    listed = [i for i in cb.items if i.kind not in co.spec.declarations]
    order = "sorted" if co.spec.order == "sorted-if-sorted" and base_is_sorted(listed) else "append"
    layout = Layout(frozenset(co.spec.declarations), co.spec.blank_lines, co.spec.ordered)
    for (b0, b1), (o0, o1), (t0, t1) in windows:
        job.deadline.check()
        keys = _keys(cb.items[b0:b1], co.items[o0:o1], ct.items[t0:t1])
        if _broken(cb, co, ct, ((b0, b1), (o0, o1), (t0, t1)), align):
            reason = "the entries here do not parse cleanly"
            out.refused.append(HunkReport(False, None, reason, co.spec.description, *keys))
            continue
        o_span, t_span = span(co, o0, o1), span(ct, t0, t1)
        if _overlaps(o_span, out.edits_o) or _overlaps(t_span, out.edits_t):
            continue  # an inner container in this window was unioned: look again next pass
        merged = merge_items(
            list(cb.items[b0:b1]), list(co.items[o0:o1]), list(ct.items[t0:t1]), order, job.text_merge, layout
        )
        if isinstance(merged, Refusal):
            out.refused.append(HunkReport(False, None, merged.reason, co.spec.description, *keys))
            continue
        both = [(co.items[i], ct.items[j]) for i, j in inner if o0 <= i < o1 and t0 <= j < t1]
        split = next(
            (
                o
                for o, t in both
                if o.key != t.key
                and not _named_apart(o, t)
                and _kept(o, merged.items)
                and _kept(t, merged.items)
            ),
            None,
        )
        if split is not None:
            reason = f"both sides added {split.key[:60]!r} with different contents"
            out.refused.append(HunkReport(False, None, reason, co.spec.description, *keys))
            continue
        checked = whole.check(merged.items, list(cb.items[b0:b1]), (o0, o1), (t0, t1))
        if isinstance(checked, Refusal):
            out.refused.append(HunkReport(False, None, checked.reason, co.spec.description, *keys))
            continue
        sides3 = (cb.items, co.items, ct.items)
        text = render(checked, sides3, co.spec.separator, o0 == 0, o1 == len(co.items))
        if o1 == len(co.items) and t1 == len(ct.items) and co.closing != ct.closing:
            # the text after the last entry (a final newline one side added) goes with the window
            closing = pick3(cb.closing if cb.start >= 0 else co.closing, co.closing, ct.closing)
            if closing is not None:
                text += closing
                o_span, t_span = (o_span[0], co.end), (t_span[0], ct.end)
        if text == ours[o_span[0] : o_span[1]] and text == theirs[t_span[0] : t_span[1]]:
            continue  # nothing to change here
        out.added.extend((i, co.spec) for i in merged.added if i in checked)
        out.edits_o.append((*o_span, text))
        out.edits_t.append((*t_span, text))
        if not _layout(ours, co):
            out.one_line.append(_whole_line(ours, o_span, text))
            out.replaced.append(_whole_line(ours, o_span, ours[o_span[0] : o_span[1]]))
            out.replaced.append(_whole_line(theirs, t_span, theirs[t_span[0] : t_span[1]]))
        out.rules.append(rule)
        merged_keys = tuple(i.key for i in checked)
        out.resolved.append(HunkReport(True, rule, merged.note, co.spec.description, *keys, merged_keys))


def _broken(cb: Found, co: Found, ct: Found, window: Window, align: Alignment) -> bool:
    """True when an entry of the window that some side changed holds a syntax error (unchanged
    neighbours taken in as context do not count)."""
    (b0, b1), (o0, o1), (t0, t1) = window
    o_same, t_same = align.same(cb, co), align.same(cb, ct)
    calm = {i for i in range(b0, b1) if i in o_same and i in t_same}
    calm_o = {o_same[i] for i in calm}
    calm_t = {t_same[i] for i in calm}
    return (
        any(cb.items[i].broken for i in range(b0, b1) if i not in calm)
        or any(co.items[j].broken for j in range(o0, o1) if j not in calm_o)
        or any(ct.items[j].broken for j in range(t0, t1) if j not in calm_t)
    )


def _kept(item: Item, items: list[Item]) -> bool:
    return any(i is item for i in items)


def _keys(
    b: tuple[Item, ...], o: tuple[Item, ...], t: tuple[Item, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The entries of a window in base, ours and theirs (for the report and `--explain`)."""
    return tuple(i.key for i in b), tuple(i.key for i in o), tuple(i.key for i in t)


def _overlaps(span_: tuple[int, int], edits: list[tuple[int, int, bytes]]) -> bool:
    return any(s < span_[1] and span_[0] < e for s, e, _ in edits)


def _whole_line(data: bytes, at: tuple[int, int], text: bytes) -> bytes:
    """The line holding the span `at` of `data` once `text` replaces it."""
    start = data.rfind(b"\n", 0, at[0]) + 1
    end = data.find(b"\n", at[1])
    return data[start : at[0]] + text + data[at[1] : len(data) if end < 0 else end]


def _layout(data: bytes, found: Found) -> bool:
    """True when the container spans several lines (vs all on the line of its delimiters)."""
    return b"\n" in data[found.start : found.end]


def _apply(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for start, end, text in sorted(edits, reverse=True):
        data = data[:start] + text + data[end:]
    return data


def _check_clean(first: LineMergeResult, job: _Job) -> FileResolution:
    """Check a clean line merge for entries both sides added at different places.

    The same entry added twice is kept once (rule `<profile>:<container>-dedupe`); one key given
    two different entries is a conflict, with both entries between markers.
    """
    deduped, hunk = dedupe_clean(first.merged, (job.base, job.ours, job.theirs), job.profile, job.version)
    if hunk is not None:
        first = LineMergeResult(merged=deduped, conflicts=0)
    merged = job.version(first.merged)
    sides = (job.version(job.base), job.version(job.ours), job.version(job.theirs))
    clash = clashing_key(merged, sides)
    if clash is None:
        if hunk is not None:
            return FileResolution(merged=deduped, clean=True, rule=hunk.rule, hunks=(hunk,))
        return _plain(first, None)
    key, values = clash
    marked, report = mark_clash(merged, key, values, sides[1], job.labels, job.marker_size)
    return FileResolution(merged=marked, clean=False, conflicts=1, hunks=(report,))
