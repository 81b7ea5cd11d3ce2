"""git's line merge, run as `git merge-file` so that the output is git's, byte for byte.

Spawning git costs a few milliseconds, far less than importing pygit2 in a merge-driver
process, and it is git's own xdiff with `merge-file`'s defaults (zealous-alnum level). Callers
that load pygit2 anyway pass an in-process `line_merger` (there is no module-wide switch).

git reads the three texts from files: from the caller's own files when it has them (`files`: the
merge driver's BASE, OURS and THEIRS), otherwise from copies in this process's scratch directory
(`mergekit.engine.scratch`, loaded only then). Either way git runs as outside any repository, so
that no repository's `merge.conflictStyle` applies. Where ours and theirs are the same text, or one
of them is base's, the answer is known without git (`trivial`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable

from mergekit.engine.gitcli import GitResult, run_git
from mergekit.errors import MergekitError
from mergekit.resolve.markers import MARKER_SIZE, count_conflicts
from mergekit.resolve.types import Labels, LineMergeResult

STYLES = ("merge", "diff3", "zdiff3")
_CALLS = itertools.count()
"""Numbers the three files each `git merge-file` run reads (unique within the process)."""

LineMerger = Callable[[bytes, bytes, bytes, str, str, str, int], tuple[bytes, bool]]
"""An in-process merge-style line merge (libgit2's, from the engine):
(base, ours, theirs, ours label, base label, theirs label, marker size) → (merged, clean)."""


def trivial(base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
    """git's clean result when no line merge is needed: both sides the same, or one side is base
    (that side changed nothing, so the result is the other); None otherwise."""
    if ours == theirs or base == theirs:
        return ours
    if base == ours:
        return theirs
    return None


def line_merge(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    *,
    labels: Labels = Labels(),
    marker_size: int = MARKER_SIZE,
    style: str = "merge",
    union: bool = False,
    line_merger: LineMerger | None = None,
    files: tuple[str, str, str] | None = None,
) -> LineMergeResult:
    """Merge three texts the way `git merge-file -p` does and return the result.

    `line_merger` runs merge-style merges in process (libgit2's xdiff, from `mergekit.engine.linemerge`,
    for callers that load pygit2 anyway); without it, or for other styles, `git merge-file` runs.
    `files` names files holding base, ours and theirs byte for byte (the merge driver's own
    inputs): git reads them where they are instead of copies.
    """
    if style not in STYLES:
        raise MergekitError(f"unknown conflict style {style!r}: use one of {', '.join(STYLES)}")
    known = trivial(base, ours, theirs)
    if known is not None:
        return LineMergeResult(merged=known, conflicts=0)
    if line_merger is not None and style == "merge" and not union:
        merged, clean = line_merger(base, ours, theirs, labels.ours, labels.base, labels.theirs, marker_size)
        if clean:
            return LineMergeResult(merged=merged, conflicts=0)
        return LineMergeResult(merged=merged, conflicts=max(1, count_conflicts(merged, marker_size)))
    cmd = ["merge-file", "-p", f"--marker-size={marker_size}"]
    if style != "merge":
        cmd.append(f"--{style}")
    if union:
        cmd.append("--union")
    cmd += ["-L", labels.ours, "-L", labels.base, "-L", labels.theirs]
    # git runs drivers with GIT_DIR & co. set: drop them so no repository config applies, and
    # name a git directory that is none, so that git looks for no repository either (a command
    # that can run outside one then runs as outside one, wherever it is started)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_DIR=os.devnull)
    if files is not None:
        base_file, ours_file, theirs_file = files
        proc = run_git([*cmd, "--", ours_file, base_file, theirs_file], env=env, check=False, light=True)
    else:
        proc = _from_scratch(cmd, (ours, base, theirs), env)
    if proc.returncode < 0 or proc.returncode > 127:
        raise MergekitError(f"git merge-file failed ({proc.returncode}): {proc.error}")
    return LineMergeResult(merged=proc.stdout, conflicts=proc.returncode)


def _from_scratch(cmd: list[str], texts: tuple[bytes, bytes, bytes], env: dict[str, str]) -> GitResult:
    """`git CMD` on copies of ours, base and theirs (`texts`) in this process's scratch directory
    (memory-backed where there is such space; removed at exit, or by the next run after a kill)."""
    from mergekit.engine.scratch import process_dir

    scratch = process_dir(memory=True)
    stem = f"merge-file-{os.getpid()}-{next(_CALLS)}"
    paths = [scratch / f"{stem}-{name}" for name in ("ours", "base", "theirs")]
    try:
        for path, data in zip(paths, texts, strict=True):
            path.write_bytes(data)
        return run_git([*cmd, "--", *map(str, paths)], scratch, env=env, check=False)
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
