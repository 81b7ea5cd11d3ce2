"""git's own merges, to compare mergekit with: `git merge-file` and `git merge-tree`."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path


def git_merge_file(
    folder: Path,
    env: Mapping[str, str],
    base: bytes,
    ours: bytes,
    theirs: bytes,
    *opts: str,
    names: tuple[str, str, str] = ("ours", "base", "theirs"),
) -> tuple[int, bytes]:
    """`git merge-file -p OPTS` on the three texts, written in `folder` under `names` (ours, base,
    theirs order, as git takes them): (exit status, output). Without `-L`, git labels each side
    with its file name."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in zip(names, (ours, base, theirs), strict=True):
        (folder / name).write_bytes(data)
    proc = subprocess.run(
        ["git", "merge-file", "-p", *opts, *names],
        cwd=folder,
        env=dict(env),
        capture_output=True,
        check=False,
    )
    assert 0 <= proc.returncode < 128, proc.stderr
    return proc.returncode, proc.stdout


def merge_tree(cwd: Path, env: Mapping[str, str], ours: str, theirs: str, *opts: str) -> tuple[int, str]:
    """`git merge-tree --write-tree OPTS OURS THEIRS` in `cwd`: (exit status, output); 1 means conflicts."""
    proc = subprocess.run(
        ["git", "merge-tree", "--write-tree", *opts, ours, theirs],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, proc.stdout
