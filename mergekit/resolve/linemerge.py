"""git's line merge, run as `git merge-file` so that the output is git's, byte for byte.

Spawning git costs a few milliseconds, far less than importing pygit2 in a merge-driver
process, and it is git's own xdiff with `merge-file`'s defaults (zealous-alnum level).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from mergekit.errors import MergekitError
from mergekit.resolve.types import Labels, LineMergeResult
from mergekit.scratch import process_dir

STYLES = ("merge", "diff3", "zdiff3")

InProcess = Callable[[bytes, bytes, bytes, str, str, str, int], tuple[bytes, bool]]
"""An in-process merge-style line merge: (base, ours, theirs, labels..., marker size) → (merged, clean)."""
_backend: InProcess | None = None


def use_in_process(backend: InProcess | None) -> None:
    """Run merge-style line merges with `backend` (libgit2, from the engine) instead of a git process.

    Use cases that already load pygit2 (integrate, check, replay) set it; the merge driver does not.
    """
    global _backend
    _backend = backend


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
    if _backend is not None and style == "merge" and not union:
        merged, clean = _backend(base, ours, theirs, labels.ours, labels.base, labels.theirs, marker_size)
        if clean:
            return LineMergeResult(merged=merged, conflicts=0)
        opening = re.compile(rb"^" + b"<" * marker_size + rb"( |$)", re.M)
        return LineMergeResult(merged=merged, conflicts=max(1, len(opening.findall(merged))))
    with tempfile.TemporaryDirectory(prefix="merge-file-", dir=process_dir()) as tmp:
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
        # git runs drivers with GIT_DIR & co. set: drop them so no repository config applies
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
        try:
            # run outside any repository so that no local merge.conflictStyle applies
            proc = subprocess.run(cmd, capture_output=True, env=env, cwd=tmp, check=False)
        except FileNotFoundError as exc:
            raise MergekitError("git is not installed or not on PATH: install git 2.39 or newer") from exc
    if proc.returncode < 0 or proc.returncode > 127:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise MergekitError(f"git merge-file failed ({proc.returncode}): {err}")
    return LineMergeResult(merged=proc.stdout, conflicts=proc.returncode)
