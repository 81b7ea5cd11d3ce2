"""`mergekit resolve`'s use case: resolve files already conflicted in a work tree, from the index.

After a plain `git merge` (or rebase, cherry-pick, stash pop) stopped on conflicts, the index
holds each conflicted path's versions as stages 1 (base), 2 (ours) and 3 (theirs). This module
reads them with `git ls-files -u` and one `git cat-file --batch`, runs the resolver on each file,
writes the result into the work tree, and `git add`s the files that became clean when asked.
Derived files (lockfiles) the conflicted paths make stale are then regenerated in the work tree
by the project's own tool (`mergekit.derived.worktree`), once their manifests are resolved.

What the resolver leaves is settled from the resolution memory when it can be (rule `memory`):
`RepositoryMemory` reads it only then, so a command whose conflicts the resolver settles never
loads pygit2. Otherwise only the git CLI is used, so the command starts fast. What is left
alone, and why:
paths without stage 2 or 3 (modify/delete), symlinks and submodules, files already missing from
the work tree, and files whose work-tree copy has no conflict marker left (someone edited it).
Results are written as git stores them (no smudge filter or end-of-line conversion).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from mergekit.app import routing
from mergekit.app.routing import Bypassed
from mergekit.derived.worktree import committed_config, regenerate_in_worktree
from mergekit.engine.gitcli import check_attr, conflict_style, run_git, toplevel
from mergekit.errors import MergekitError
from mergekit.model import ResolveStatus
from mergekit.resolve import FileResolution, Labels, resolve_file
from mergekit.resolve.markers import MARKER_SIZE, has_conflict, labels
from mergekit.state.atomic import write_atomically
from mergekit.workflow.recall import MEMORY_RULE, Recall, Recalled

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
    bypassed: tuple[Bypassed, ...] = ()
    """Conflicted files the installed merge driver should have merged, but git did not run it."""

    @property
    def needs_human(self) -> bool:
        """True when any conflicted path is still conflicted or was skipped."""
        return any(f.status is not ResolveStatus.RESOLVED for f in self.files)


@dataclass(frozen=True)
class WorktreeConflicts:
    """The conflicted files of a work tree where a git merge (rebase, cherry-pick...) stopped."""

    paths: tuple[str, ...]
    """The unmerged paths, relative to the top of the work tree."""
    bypassed: tuple[Bypassed, ...] = ()
    """Those the installed merge driver should have merged, but git did not run it."""


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
    for path, values in check_attr(root, paths, "conflict-marker-size").items():
        value = values.get("conflict-marker-size", "")
        if value.isdigit() and int(value) > 0:
            sizes[path] = int(value)
    return sizes


def add_paths(root: Path, paths: list[str]) -> None:
    """`git add` exactly these paths (literal names, not patterns)."""
    if paths:
        _git(root, "--literal-pathspecs", "add", "--", *paths)


def worktree_conflicts(cwd: Path) -> WorktreeConflicts:
    """The conflicted files of the work tree at `cwd` (none outside a work tree, and none in a
    worktree mergekit made for a human: those conflicts are its run's, not git's)."""
    root = toplevel(cwd)
    if root is None or routing.is_handoff(root):
        return WorktreeConflicts(paths=())
    conflicted = conflicted_paths(root)
    content = [c.path for c in conflicted if _skip_reason(c) is None]
    return WorktreeConflicts(
        paths=tuple(c.path for c in conflicted), bypassed=routing.bypassed(root, content)
    )


# --- the use case --------------------------------------------------------------------------------


class RepositoryMemory:
    """The resolution memory of the repository containing `cwd`, read on first use only."""

    def __init__(self, cwd: Path) -> None:
        self._cwd = cwd
        self._loaded: Recall | None = None

    def recall(self, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> Recalled | None:
        """The file settled from the repository's memory, or None."""
        if self._loaded is None:
            from mergekit.app.memory import open_memory  # pygit2: only when a conflict is left

            self._loaded = open_memory(self._cwd)
        return self._loaded.recall(base, ours, theirs, path)


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
    cwd: Path,
    pathspecs: tuple[str, ...] = (),
    *,
    add: bool = False,
    style: str | None = None,
    memory: Recall | None = None,
) -> ResolveReport:
    """Resolve the conflicted files under `pathspecs` in the work tree at `cwd`; `add` the clean ones.

    With `memory`, what the resolver leaves is settled from remembered resolutions when it can be.
    """
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
    missed = routing.bypassed(root, [c.path for c in conflicted if _skip_reason(c) is None])
    outcomes = [_resolve_one(root, c, blobs, sizes[c.path], style, memory) for c in conflicted]
    outcomes = _regenerate_derived(root, conflicted, blobs, outcomes)
    if add:
        clean = [o.path for o in outcomes if o.status is ResolveStatus.RESOLVED]
        add_paths(root, clean)
        outcomes = [replace(o, added=True) if o.status is ResolveStatus.RESOLVED else o for o in outcomes]
    return ResolveReport(root=root, files=tuple(outcomes), bypassed=missed)


def _regenerate_derived(
    root: Path, conflicted: list[ConflictedPath], blobs: dict[str, bytes], outcomes: list[FileOutcome]
) -> list[FileOutcome]:
    """Lockfiles and other derived files: regenerated by the project's tool (`mergekit.derived`)."""
    ours = {c.path: blobs[c.ours.oid] if c.ours is not None else None for c in conflicted}
    unresolved = {o.path for o in outcomes if o.status is not ResolveStatus.RESOLVED}
    done = regenerate_in_worktree(root, committed_config(root), ours, unresolved)
    result = []
    for outcome in outcomes:
        found = done.pop(outcome.path, None)
        if found is None or outcome.status is ResolveStatus.SKIPPED:
            result.append(outcome)
        elif found.ok:
            result.append(
                FileOutcome(
                    path=outcome.path, status=ResolveStatus.RESOLVED, reason=found.reason, rule=found.rule
                )
            )
        else:
            result.append(
                FileOutcome(
                    path=outcome.path, status=ResolveStatus.CONFLICT, reason=found.reason, conflicts=1
                )
            )
    extra = [
        FileOutcome(path=p, status=ResolveStatus.RESOLVED, reason=r.reason, rule=r.rule)
        for p, r in done.items()
        if r.ok
    ]
    return sorted(result + extra, key=lambda o: o.path)


def _resolve_one(
    root: Path, c: ConflictedPath, blobs: dict[str, bytes], size: int, style: str, memory: Recall | None
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
    recalled = None
    if not resolution.clean and memory is not None:
        recalled = memory.recall(base, blobs[c.ours.oid], blobs[c.theirs.oid], c.path)
    if recalled is not None:
        resolution = FileResolution(merged=recalled.merged, clean=True, rule=MEMORY_RULE)
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
