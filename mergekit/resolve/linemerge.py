"""git's line merge, run as `git merge-file` so that the output is git's, byte for byte.

Spawning git costs a few milliseconds, far less than importing pygit2 in a merge-driver
process, and it is git's own xdiff with `merge-file`'s defaults (zealous-alnum level).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from mergekit.errors import MergekitError
from mergekit.resolve.types import Labels, LineMergeResult

STYLES = ("merge", "diff3", "zdiff3")


def line_merge(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    *,
    labels: Labels = Labels(),
    marker_size: int = 7,
    style: str = "merge",
    union: bool = False,
) -> LineMergeResult:
    """Merge three texts the way `git merge-file -p` does and return the result."""
    if style not in STYLES:
        raise MergekitError(f"unknown conflict style {style!r}: use one of {', '.join(STYLES)}")
    with tempfile.TemporaryDirectory(prefix="mergekit-") as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(data)
            paths.append(str(p))
        cmd = ["git", "merge-file", "-p", f"--marker-size={marker_size}"]
        if style != "merge":
            cmd.append(f"--{style}")
        if union:
            cmd.append("--union")
        cmd += ["-L", labels.ours, "-L", labels.base, "-L", labels.theirs, *paths]
        env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
        try:
            proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
        except FileNotFoundError as exc:
            raise MergekitError("git is not installed or not on PATH: install git 2.39 or newer") from exc
    if proc.returncode < 0 or proc.returncode > 127:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise MergekitError(f"git merge-file failed ({proc.returncode}): {err}")
    return LineMergeResult(merged=proc.stdout, conflicts=proc.returncode)
