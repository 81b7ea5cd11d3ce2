"""git's line merge, run as `git merge-file` so that the output is git's, byte for byte.

Spawning git costs a few milliseconds, far less than importing pygit2 in a merge-driver
process, and it is git's own xdiff with `merge-file`'s defaults (zealous-alnum level). Callers
that load pygit2 anyway pass an in-process `line_merger` (there is no module-wide switch).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable

from mergekit.engine.gitcli import run_git
from mergekit.engine.scratch import process_dir
from mergekit.errors import MergekitError
from mergekit.resolve.markers import MARKER_SIZE, count_conflicts
from mergekit.resolve.types import Labels, LineMergeResult

STYLES = ("merge", "diff3", "zdiff3")
_CALLS = itertools.count()
"""Numbers the three files each `git merge-file` run reads (unique within the process)."""

LineMerger = Callable[[bytes, bytes, bytes, str, str, str, int], tuple[bytes, bool]]
"""An in-process merge-style line merge (libgit2's, from the engine):
(base, ours, theirs, ours label, base label, theirs label, marker size) → (merged, clean)."""


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
) -> LineMergeResult:
    """Merge three texts the way `git merge-file -p` does and return the result.

    `line_merger` runs merge-style merges in process (libgit2's xdiff, from `mergekit.engine.linemerge`,
    for callers that load pygit2 anyway); without it, or for other styles, `git merge-file` runs.
    """
    if style not in STYLES:
        raise MergekitError(f"unknown conflict style {style!r}: use one of {', '.join(STYLES)}")
    if line_merger is not None and style == "merge" and not union:
        merged, clean = line_merger(base, ours, theirs, labels.ours, labels.base, labels.theirs, marker_size)
        if clean:
            return LineMergeResult(merged=merged, conflicts=0)
        return LineMergeResult(merged=merged, conflicts=max(1, count_conflicts(merged, marker_size)))
    # The three texts go to this process's own scratch directory (memory-backed where there is
    # such space; removed at exit, or by the next run after a kill: `mergekit.engine.scratch`).
    scratch = process_dir(memory=True)
    stem = f"merge-file-{os.getpid()}-{next(_CALLS)}"
    paths = [scratch / f"{stem}-{name}" for name in ("ours", "base", "theirs")]
    try:
        for path, data in zip(paths, (ours, base, theirs), strict=True):
            path.write_bytes(data)
        cmd = ["merge-file", "-p", f"--marker-size={marker_size}"]
        if style != "merge":
            cmd.append(f"--{style}")
        if union:
            cmd.append("--union")
        cmd += ["-L", labels.ours, "-L", labels.base, "-L", labels.theirs, *map(str, paths)]
        # git runs drivers with GIT_DIR & co. set: drop them so no repository config applies
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
        # run outside any repository so that no local merge.conflictStyle applies
        proc = run_git(cmd, scratch, env=env, check=False)
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    if proc.returncode < 0 or proc.returncode > 127:
        raise MergekitError(f"git merge-file failed ({proc.returncode}): {proc.error}")
    return LineMergeResult(merged=proc.stdout, conflicts=proc.returncode)
