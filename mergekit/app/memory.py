"""The resolution memory: a structural rerere, kept in the repository under `refs/mergekit/memory`.

When a person resolves a hand-off and runs `mergekit continue`, each conflicting region of each
file they settled — base, ours and theirs, normalized (`mergekit.workflow.regions`) —
is remembered with what the person made of it. Next time the same region conflicts (a new run,
a rebuilt integration, a colleague's run, `mergekit resolve` after a plain `git merge`), the
remembered resolution is put back and the file is reported as auto-resolved with rule `memory`.
Regions the memory does not know are left to the resolver; when it cannot settle them either,
the file goes to a human as before. Nothing is recorded without a person's resolution.

Regions come from git's own line merge in the `zdiff3` style (the regions people see, with
their base), so the same three versions always give the same regions. The store is a ref
(`mergekit.engine.refstore`): push it (`git push origin refs/mergekit/memory`) to share it.

The memory acts inside the one merge seam: `merger_with_memory` gives the `mergekit.merging.Merger`
that plan, check, dry runs and runs use, so they agree on what the memory settles. Also here:
the use cases of `mergekit memory list|forget`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mergekit.derived.config import DerivedConfig
from mergekit.engine.linemerge import merge_texts
from mergekit.engine.refstore import Announce, read_store, write_store
from mergekit.engine.repo import RefMoved, Repo, open_repo
from mergekit.errors import MergekitError
from mergekit.merging import Merger
from mergekit.resolve import Labels, line_merge, resolve_file
from mergekit.resolve.markers import has_conflict
from mergekit.workflow.recall import MEMORY_REF, MEMORY_RULE, Recalled
from mergekit.workflow.regions import Conflicted, extract_resolutions, parse_conflicted

_RETRIES = 3

__all__ = [
    "MEMORY_REF",
    "MEMORY_RULE",
    "MemoryEntry",
    "ResolutionMemory",
    "forget",
    "forget_entries",
    "learn",
    "list_entries",
    "load",
    "merger_with_memory",
    "remember",
    "remember_handoff",
]


@dataclass(frozen=True)
class MemoryEntry:
    """One remembered resolution of one conflicting region."""

    key: str
    """The region's content key (hex)."""
    path: str
    """The file it was recorded in (for people; recall does not depend on it)."""
    base: str
    """The region's base lines."""
    ours: str
    """The region's ours lines when it was recorded."""
    theirs: str
    """The region's theirs lines when it was recorded."""
    resolution: str
    """What the person made of the region."""
    ours_label: str = ""
    """What ours was (the result branch) when it was recorded."""
    theirs_label: str = ""
    """What theirs was (the branch being merged)."""
    recorded_at: int = 0
    """When it was recorded (seconds since the epoch)."""

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON object."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemoryEntry:
        """An entry from its JSON object (unknown keys ignored)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


class ResolutionMemory:
    """The remembered resolutions, ready to recall (a `mergekit.workflow.recall.Recall`)."""

    def __init__(self, entries: Iterable[MemoryEntry] = ()) -> None:
        self.entries: dict[str, MemoryEntry] = {e.key: e for e in entries}
        """Key → entry."""

    def __bool__(self) -> bool:
        return bool(self.entries)

    def recall(self, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> Recalled | None:
        """The file settled from memory, when every conflicting region is remembered or the
        resolver settles the ones that are not; None otherwise."""
        if not self.entries:
            return None
        doc = conflicted_regions(base, ours, theirs)
        if doc is None:
            return None
        regions = doc.regions
        known = {i: self.entries[r.key] for i, r in enumerate(regions) if r.key in self.entries}
        if not known:
            return None
        keys = tuple(e.key for e in known.values())
        texts = {i: e.resolution.encode("utf-8") for i, e in known.items()}
        plural = "s" if len(known) != 1 else ""
        what = f"{len(known)} region{plural} from memory ({', '.join(k[:12] for k in keys)})"
        if len(known) == len(regions):
            return Recalled(merged=doc.fill([texts[i] for i in range(len(regions))]), keys=keys, detail=what)
        answer = resolve_file(
            base, doc.side("ours", texts), doc.side("theirs", texts), path, line_merger=merge_texts
        )
        if not answer.clean:
            return None
        rest = f"; the rest by {answer.rule}" if answer.rule else "; the rest by git's line merge"
        return Recalled(merged=answer.merged, keys=keys, detail=what + rest)


def conflicted_regions(base: bytes | None, ours: bytes, theirs: bytes) -> Conflicted | None:
    """git's conflicting regions of three versions (zdiff3 style), None when they merge cleanly."""
    merged = line_merge(base or b"", ours, theirs, labels=Labels(), style="zdiff3")
    if merged.conflicts == 0:
        return None
    return parse_conflicted(merged.merged)


def learn(
    base: bytes | None,
    ours: bytes,
    theirs: bytes,
    resolved: bytes,
    path: str,
    labels: Labels | None = None,
) -> list[MemoryEntry]:
    """The entries a person's resolution `resolved` of one file teaches (one per region it settles)."""
    if has_conflict(resolved):
        return []
    try:
        for data in (base or b"", ours, theirs, resolved):
            data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    doc = conflicted_regions(base, ours, theirs)
    if doc is None:
        return []
    labels = labels or Labels()
    now = int(time.time())
    entries = []
    for region, text in zip(doc.regions, extract_resolutions(doc, resolved), strict=True):
        if text is None:
            continue
        entries.append(
            MemoryEntry(
                key=region.key,
                path=path,
                base=region.base.decode("utf-8"),
                ours=region.ours.decode("utf-8"),
                theirs=region.theirs.decode("utf-8"),
                resolution=text.decode("utf-8"),
                ours_label=labels.ours,
                theirs_label=labels.theirs,
                recorded_at=now,
            )
        )
    return entries


def load(repo: Repo) -> ResolutionMemory:
    """The memory stored in `repo` (empty when there is none)."""
    snapshot = read_store(repo, MEMORY_REF)
    return ResolutionMemory(_entries(snapshot.items))


def open_memory(cwd: Path) -> ResolutionMemory:
    """The memory of the repository containing `cwd`."""
    return load(open_repo(cwd))


def merger_with_memory(repo: Repo, derived: DerivedConfig) -> Merger:
    """The merge seam for `repo` with the run's derived-file recipes, settling what the resolver
    leaves from the repository's memory."""
    return Merger(repo, derived, memory=load(repo))


def list_entries(cwd: Path) -> list[MemoryEntry]:
    """`mergekit memory list`: every remembered resolution, by file and key."""
    return sorted(open_memory(cwd).entries.values(), key=lambda e: (e.path, e.key))


def forget_entries(
    cwd: Path, prefixes: Sequence[str] = (), paths: Sequence[str] = (), everything: bool = False
) -> list[MemoryEntry]:
    """`mergekit memory forget`: remove entries (see `forget`); the entries removed."""
    return forget(open_repo(cwd), prefixes, paths, everything)


def _entries(items: dict[str, bytes]) -> list[MemoryEntry]:
    found = []
    for key, raw in items.items():
        try:
            data = json.loads(raw.decode("utf-8"))
            entry = MemoryEntry.from_json(data)
        except (ValueError, TypeError):
            continue  # an entry written by a newer mergekit, or damaged: not recalled
        if entry.key == key:
            found.append(entry)
    return found


_UNDECODED = re.compile("[\udc80-\udcff]")
"""A byte of a path that is not UTF-8, as Python hands it out (a surrogate escape)."""


def _entry_blob(entry: MemoryEntry) -> bytes:
    """An entry as stored: JSON in UTF-8; a path's bytes that are not UTF-8 as `\\udcXX` escapes,
    which `json.loads` reads back as the same surrogate escapes."""
    text = json.dumps(entry.to_json(), indent=1, ensure_ascii=False, sort_keys=True)
    return _UNDECODED.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def remember(repo: Repo, entries: Sequence[MemoryEntry], announce: Announce | None = None) -> int:
    """Add `entries` to the memory (a newer resolution of the same region replaces the older);
    returns how many were new or changed. `announce` is told each move of the ref before it is
    made (`mergekit.engine.refstore.write_store`)."""
    if not entries:
        return 0
    for _attempt in range(_RETRIES):
        snapshot = read_store(repo, MEMORY_REF)
        items = dict(snapshot.items)
        changed = 0
        for entry in entries:
            blob = _entry_blob(entry)
            old = items.get(entry.key)
            if old is None or _entries({entry.key: old}) != [entry]:
                changed += 1
            items[entry.key] = blob
        if not changed:
            return 0
        paths = sorted({e.path for e in entries})
        message = f"mergekit memory: remember {len(entries)} resolution(s) in {', '.join(paths)}\n"
        try:
            write_store(repo, MEMORY_REF, snapshot, items, message, announce)
        except RefMoved:
            continue
        return changed
    raise MergekitError(f"{MEMORY_REF} keeps moving while mergekit writes it — run the command again")


def forget(
    repo: Repo, prefixes: Sequence[str] = (), paths: Sequence[str] = (), everything: bool = False
) -> list[MemoryEntry]:
    """Remove entries: by key prefix (at least 4 characters, unambiguous), by path, or all of them.
    Returns the entries removed."""
    if not (prefixes or paths or everything):
        raise MergekitError("name the entries to forget (KEY..., --path PATH, or --all)")
    for _attempt in range(_RETRIES):
        snapshot = read_store(repo, MEMORY_REF)
        entries = {e.key: e for e in _entries(snapshot.items)}
        doomed: dict[str, MemoryEntry] = {}
        for prefix in prefixes:
            if len(prefix) < 4:
                raise MergekitError(f"key {prefix!r} is too short — give at least 4 characters of it")
            matches = [k for k in entries if k.startswith(prefix.lower())]
            if not matches:
                raise MergekitError(
                    f"no remembered resolution's key starts with {prefix!r} — see `mergekit memory list`"
                )
            if len(matches) > 1:
                raise MergekitError(
                    f"key {prefix!r} is ambiguous ({len(matches)} entries) — give more characters"
                )
            doomed[matches[0]] = entries[matches[0]]
        for path in paths:
            doomed.update({k: e for k, e in entries.items() if e.path == path})
        if everything:
            doomed = dict(entries)
        if not doomed:
            return []
        items = {k: v for k, v in snapshot.items.items() if k not in doomed}
        message = f"mergekit memory: forget {len(doomed)} resolution(s)\n"
        try:
            write_store(repo, MEMORY_REF, snapshot, items, message)
        except RefMoved:
            continue
        return sorted(doomed.values(), key=lambda e: (e.path, e.key))
    raise MergekitError(f"{MEMORY_REF} keeps moving while mergekit writes it — run the command again")


def record_resolution(
    repo: Repo,
    ours: str,
    theirs: str,
    resolved_commit: str,
    paths: Sequence[str],
    labels: Labels,
    announce: Announce | None = None,
) -> int:
    """Remember how a person settled `paths` when merging commit `theirs` into commit `ours`
    (the result in `resolved_commit`); returns how many entries were new or changed."""
    base = repo.merge_base(ours, theirs)
    entries: list[MemoryEntry] = []
    for path in paths:
        base_data = repo.read_path(base, path) if base is not None else None
        ours_data, theirs_data, resolved = (repo.read_path(c, path) for c in (ours, theirs, resolved_commit))
        if ours_data is None or theirs_data is None or resolved is None:
            continue
        entries.extend(learn(base_data, ours_data, theirs_data, resolved, path, labels))
    return remember(repo, entries, announce)


def remember_handoff(
    repo: Repo,
    ours: str,
    theirs: str,
    resolved_commit: str,
    paths: Sequence[str],
    ours_label: str,
    theirs_label: str,
    announce: Announce | None = None,
) -> list[str]:
    """Remember a hand-off a person resolved (`mergekit continue`); lines for the report.

    Failing to write the memory never fails the run: it is said in the lines returned.
    `announce` is told the ref's move before it is made (the run records it).
    """
    labels = Labels(ours=ours_label, base="base", theirs=theirs_label)
    try:
        count = record_resolution(repo, ours, theirs, resolved_commit, paths, labels, announce)
    except MergekitError as exc:
        return [f"the resolution was not remembered: {exc.message}"]
    if not count:
        return []
    plural = "s" if count != 1 else ""
    return [f"remembered {count} resolved region{plural} in {MEMORY_REF} (see `mergekit memory list`)"]
