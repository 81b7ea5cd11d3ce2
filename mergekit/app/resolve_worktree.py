"""`mergekit resolve`'s use case: resolve files already conflicted in a work tree, from the index.

After a plain `git merge` (or rebase, cherry-pick, stash pop) stopped on conflicts, the index
holds each conflicted path's versions as stages 1 (base), 2 (ours) and 3 (theirs). This module
reads them with `git ls-files -u` and one `git cat-file --batch`, runs the resolver on each file,
writes the result into the work tree, and `git add`s the files that became clean when asked.

Only the git CLI is used (no pygit2), so the command starts fast. What is left alone, and why:
paths without stage 2 or 3 (modify/delete), symlinks and submodules, files already missing from
the work tree, and files whose work-tree copy has no conflict marker left (someone edited it).
Results are written as git stores them (no smudge filter or end-of-line conversion).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from mergekit.engine.gitcli import conflict_style, run_git, toplevel
from mergekit.errors import MergekitError
from mergekit.model import ResolveStatus
from mergekit.resolve import FileResolution, Labels, resolve_file
from mergekit.resolve.markers import MARKER_SIZE, has_conflict, labels
from mergekit.state.atomic import write_atomically

REGULAR_MODES = ("100644", "100755")
"""Index modes of regular files (the only ones the resolver merges)."""


@dataclass(frozen=True)
class Stage:
    """One index stage of a conflicted path."""

    mode: str
    """The git mode, e.g. `100644`."""
    oid: str
    """The blob id."""


@dataclass(frozen=True)
class ConflictedPath:
    """A path with unmerged index entries; a missing stage is None."""

    path: str
    """The path relative to the top of the work tree."""
    base: Stage | None
    """Stage 1, the common ancestor's version (None for add/add)."""
    ours: Stage | None
    """Stage 2, ours (None when we deleted it)."""
    theirs: Stage | None
    """Stage 3, theirs (None when they deleted it)."""


@dataclass(frozen=True)
class FileOutcome:
    """What `resolve` did with one conflicted path."""

    path: str
    """The path relative to the top of the work tree."""
    status: ResolveStatus
    """`resolved` (now clean), `conflict` (markers left) or `skipped` (not touched)."""
    reason: str
    """The rule that resolved it, what is left, or why it was skipped."""
    rule: str | None = None
    """The resolver's rule name(s) when it became clean through a union."""
    conflicts: int = 0
    """Conflict hunks left in the file."""
    added: bool = False
    """True when the file was `git add`ed."""
    resolution: FileResolution | None = field(default=None, compare=False)
    """The resolver's full answer (for `--explain`), None when skipped."""


@dataclass(frozen=True)
class ResolveReport:
    """The outcome of one `mergekit resolve` run."""

    root: Path
    """The top of the work tree."""
    files: tuple[FileOutcome, ...]
    """One outcome per conflicted path, in path order."""

    @property
    def needs_human(self) -> bool:
        """True when any conflicted path is still conflicted or was skipped."""
        return any(f.status is not ResolveStatus.RESOLVED for f in self.files)


# --- reading the index ---------------------------------------------------------------------------


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return run_git(args, cwd, stdin=stdin).stdout


def worktree_root(cwd: Path) -> Path:
    """The top of the work tree containing `cwd`."""
    top = toplevel(cwd)
    if top is None:
        raise MergekitError(f"{cwd} is not inside a git work tree: run `mergekit resolve` in one (or use -C)")
    return top


def conflicted_paths(cwd: Path, pathspecs: tuple[str, ...] = ()) -> list[ConflictedPath]:
    """Every unmerged path under `pathspecs` (relative to `cwd`; all when empty), in path order."""
    out = _git(cwd, "ls-files", "-u", "-z", "--full-name", "--", *pathspecs)
    stages: dict[str, dict[int, Stage]] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, oid, number = meta.decode("ascii").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        stages.setdefault(path, {})[int(number)] = Stage(mode=mode, oid=oid)
    return [
        ConflictedPath(path=p, base=s.get(1), ours=s.get(2), theirs=s.get(3))
        for p, s in sorted(stages.items())
    ]


def read_blobs(root: Path, oids: list[str]) -> dict[str, bytes]:
    """The content of each blob in `oids`, read with one `git cat-file --batch`."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in unique).encode("ascii"))
    blobs: dict[str, bytes] = {}
    pos = 0
    for oid in unique:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii").split()
        if len(header) != 3:
            raise MergekitError(f"object {oid} is missing from the repository: run `git fsck`")
        size = int(header[2])
        blobs[oid] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def marker_sizes(root: Path, paths: list[str]) -> dict[str, int]:
    """Each path's `conflict-marker-size` attribute (`MARKER_SIZE` when unset)."""
    sizes = dict.fromkeys(paths, MARKER_SIZE)
    if not paths:
        return sizes
    out = _git(
        root,
        "check-attr",
        "-z",
        "--stdin",
        "conflict-marker-size",
        stdin=b"\0".join(os.fsencode(p) for p in paths) + b"\0",
    )
    fields = out.split(b"\0")
    for i in range(0, len(fields) - 2, 3):
        path, value = fields[i].decode("utf-8", "surrogateescape"), fields[i + 2].decode()
        if value.isdigit() and int(value) > 0:
            sizes[path] = int(value)
    return sizes


def add_paths(root: Path, paths: list[str]) -> None:
    """`git add` exactly these paths (literal names, not patterns)."""
    if paths:
        _git(root, "--literal-pathspecs", "add", "--", *paths)


# --- the use case --------------------------------------------------------------------------------


def _skip_reason(c: ConflictedPath) -> str | None:
    if c.ours is None and c.theirs is None:
        return "deleted on both sides: left to you (`git rm` it)"
    if c.ours is None:
        return "deleted by us, changed by them (modify/delete): left to you"
    if c.theirs is None:
        return "deleted by them, changed by us (modify/delete): left to you"
    modes = [s.mode for s in (c.base, c.ours, c.theirs) if s is not None]
    if any(m not in REGULAR_MODES for m in modes):
        return "not a regular file (symlink or submodule): left to you"
    return None


def resolve_worktree(
    cwd: Path, pathspecs: tuple[str, ...] = (), *, add: bool = False, style: str | None = None
) -> ResolveReport:
    """Resolve the conflicted files under `pathspecs` in the work tree at `cwd`; `add` the clean ones."""
    root = worktree_root(cwd)
    conflicted = conflicted_paths(cwd, pathspecs)
    if pathspecs and not conflicted:
        raise MergekitError(
            f"no conflicted file matches {' '.join(pathspecs)}: `git status` lists the conflicted files"
        )
    if style is None:
        style = conflict_style(root)
    oids = [s.oid for c in conflicted for s in (c.base, c.ours, c.theirs) if s is not None]
    blobs = read_blobs(root, oids)
    sizes = marker_sizes(root, [c.path for c in conflicted])
    outcomes = [_resolve_one(root, c, blobs, sizes[c.path], style) for c in conflicted]
    if add:
        clean = [o.path for o in outcomes if o.status is ResolveStatus.RESOLVED]
        add_paths(root, clean)
        outcomes = [replace(o, added=True) if o.status is ResolveStatus.RESOLVED else o for o in outcomes]
    return ResolveReport(root=root, files=tuple(outcomes))


def _resolve_one(
    root: Path, c: ConflictedPath, blobs: dict[str, bytes], size: int, style: str
) -> FileOutcome:
    reason = _skip_reason(c)
    if reason is not None:
        return FileOutcome(path=c.path, status=ResolveStatus.SKIPPED, reason=reason)
    assert c.ours is not None and c.theirs is not None
    target = root / c.path
    try:
        current = target.read_bytes()
    except FileNotFoundError:
        return FileOutcome(
            path=c.path, status=ResolveStatus.SKIPPED, reason="missing from the work tree: left to you"
        )
    except OSError as exc:
        raise MergekitError(f"cannot read {target}: {exc.strerror}") from exc
    base = blobs[c.base.oid] if c.base is not None else None
    resolution = resolve_file(
        base,
        blobs[c.ours.oid],
        blobs[c.theirs.oid],
        c.path,
        labels=Labels(**labels(current, size)),
        marker_size=size,
        style=style,
    )
    if resolution.merged != current and not has_conflict(current, size):
        # Someone edited the file since git wrote it (and it is not our own earlier result).
        return FileOutcome(
            path=c.path,
            status=ResolveStatus.SKIPPED,
            reason="no conflict markers left in the work-tree file (edited by hand?): left as it is",
        )
    if resolution.merged != current:
        try:
            write_atomically(target, resolution.merged)
        except OSError as exc:
            raise MergekitError(f"cannot write {target}: {exc.strerror} — check its permissions") from exc
    if resolution.clean:
        rule = resolution.rule
        why = f"resolved by {rule}" if rule else "merges cleanly line by line"
        return FileOutcome(
            path=c.path, status=ResolveStatus.RESOLVED, reason=why, rule=rule, resolution=resolution
        )
    left = [h.reason for h in resolution.hunks if not h.resolved]
    why = f"{resolution.conflicts} conflict(s) left"
    if left:
        why += f": {left[0]}"
    elif resolution.fallback:
        why += f" ({resolution.fallback})"
    return FileOutcome(
        path=c.path,
        status=ResolveStatus.CONFLICT,
        reason=why,
        conflicts=resolution.conflicts,
        resolution=resolution,
    )
