"""The line merge is git's: same output and exit status as `git merge-file`."""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mergekit.resolve import Labels, line_merge
from mergekit.resolve.linemerge import trivial
from tests.helpers.gitmerge import git_merge_file
from tests.helpers.gitrepo import GitRepo, hermetic_env


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


_LINES = st.sampled_from([b"a\n", b"b\n", b"c\n", b"a", b"c", b"x\r\n", b"\n", b" \n", b"\r"])
_TEXTS = st.lists(_LINES, max_size=6).map(b"".join)


@settings(max_examples=150, deadline=None)
@given(base=_TEXTS, other=_TEXTS, shape=st.sampled_from(["both the same", "ours is base", "theirs is base"]))
def test_a_trivial_merge_is_what_git_gives(base: bytes, other: bytes, shape: str) -> None:
    """Where both sides are the same text or one side is base's, git's clean result is known
    without running git: the other side (any side when they are the same)."""
    ours, theirs = {
        "both the same": (other, other),
        "ours is base": (base, other),
        "theirs is base": (other, base),
    }[shape]
    with tempfile.TemporaryDirectory() as folder:
        env = hermetic_env(Path(folder))
        code, git = git_merge_file(Path(folder) / "m", env, base, ours, theirs)
    assert (code, git) == (0, trivial(base, ours, theirs))


def test_other_merges_are_not_trivial() -> None:
    assert trivial(b"a\n", b"b\n", b"c\n") is None
    assert trivial(b"", b"a\n", b"b\n") is None


@pytest.mark.parametrize("style", ["merge", "diff3"])
def test_the_driver_files_are_read_where_they_are_and_no_repository_setting_applies(
    repo: GitRepo, git_env: dict[str, str], style: str
) -> None:
    """With `files`, git reads the given files in place (here inside a repository whose
    `merge.conflictStyle` is zdiff3, started from its top as git starts a driver): the same bytes
    and status as the copies in scratch space, and as `git merge-file` outside any repository."""
    repo.git("config", "merge.conflictStyle", "zdiff3")
    base, ours, theirs = b"a\nb\nc\n", b"a\nx\nb\nc\n", b"a\ny\nb\nc\n"
    for name, data in (("-b", base), ("o", ours), ("t", theirs)):
        (repo.path / name).write_bytes(data)
    code = (
        "import sys; from mergekit.resolve import Labels, line_merge; "
        "texts = [open(n, 'rb').read() for n in ('-b', 'o', 't')]; "
        f"kw = dict(labels=Labels('O', 'B', 'T'), style={style!r}); "
        "a = line_merge(*texts, files=('-b', 'o', 't'), **kw); b = line_merge(*texts, **kw); "
        "sys.stdout.buffer.write(repr((a.merged, a.conflicts, b.merged, b.conflicts)).encode())"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, env=git_env, capture_output=True, check=True
    )
    in_place, conflicts, copied, copied_conflicts = ast.literal_eval(proc.stdout.decode())
    opts = ["-L", "O", "-L", "B", "-L", "T", *(["--diff3"] if style == "diff3" else [])]
    outside = git_merge_file(repo.path.parent / "outside", git_env, base, ours, theirs, *opts)
    assert (conflicts, in_place) == (copied_conflicts, copied) == outside
    assert in_place.count(b"|||||||") == (style == "diff3")
