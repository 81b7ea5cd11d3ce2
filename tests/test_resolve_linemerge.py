"""The line merge is git's: same output and exit status as `git merge-file`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mergekit.resolve import Labels, line_merge


@pytest.mark.parametrize("style", ["merge", "diff3"])
def test_line_merge_matches_git_merge_file(tmp_path: Path, git_env: dict[str, str], style: str) -> None:
    base, ours, theirs = b"a\nb\nc\n", b"a\nx\nb\nc\n", b"a\ny\nb\nc\n"
    for name, data in (("o", ours), ("b", base), ("t", theirs)):
        (tmp_path / name).write_bytes(data)
    cmd = ["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs"]
    if style == "diff3":
        cmd.append("--diff3")
    git = subprocess.run([*cmd, "o", "b", "t"], cwd=tmp_path, env=git_env, capture_output=True, check=False)
    mine = line_merge(base, ours, theirs, labels=Labels(), style=style)
    assert mine.merged == git.stdout
    assert mine.conflicts == git.returncode == 1


def test_line_merge_clean() -> None:
    result = line_merge(b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\nC\n")
    assert result.conflicts == 0
    assert result.merged == b"A\nb\nC\n"
