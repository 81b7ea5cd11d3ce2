"""The line merge is git's: same output and exit status as `git merge-file`."""

from __future__ import annotations

from pathlib import Path

import pytest

from mergekit.resolve import Labels, line_merge
from tests.helpers.gitmerge import git_merge_file


@pytest.mark.parametrize("style", ["merge", "diff3"])
def test_line_merge_matches_git_merge_file(tmp_path: Path, git_env: dict[str, str], style: str) -> None:
    base, ours, theirs = b"a\nb\nc\n", b"a\nx\nb\nc\n", b"a\ny\nb\nc\n"
    opts = ["-L", "ours", "-L", "base", "-L", "theirs", *(["--diff3"] if style == "diff3" else [])]
    code, git = git_merge_file(tmp_path, git_env, base, ours, theirs, *opts)
    mine = line_merge(base, ours, theirs, labels=Labels(), style=style)
    assert mine.merged == git
    assert mine.conflicts == code == 1


def test_line_merge_clean() -> None:
    result = line_merge(b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\nC\n")
    assert result.conflicts == 0
    assert result.merged == b"A\nb\nC\n"
