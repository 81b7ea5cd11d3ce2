"""The merge driver's command line read without argparse (`_plain`) is exactly what argparse reads.

`mergekit merge-file` reads the command lines git runs (the options `mergekit install` writes,
then %O %A %B) without importing argparse; anything else goes to argparse. Here both read the same
generated command lines: wherever `_plain` gives an answer, argparse gives the same one (and no
error), and the lines git runs are always read by `_plain`.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mergekit.cli.merge_file import _parser, _plain, _UsageError, attach_values

OPTIONS = [
    "--path",
    "--path=src/a.ts",
    "--path=-rf.ts",
    "--path=",
    "--path=a=b",
    "--pa=x",
    "--marker-size",
    "--marker-size=9",
    "--marker-size=007",
    "--marker-size=0",
    "--marker-size=-3",
    "--marker-size=+3",
    "--marker-size=x",
    "--marker-size= 5",
    "--marker-size=1_0",
    "--marker-size=\u0663",
    "-L",
    "--label",
    "--label=ours",
    "--label=",
    "-L=x",
    "-Lx",
    "--diff3",
    "--zdiff3",
    "--diff",
    "-p",
    "--stdout",
    "-q",
    "--quiet",
    "--quiet=1",
    "--explain",
    "--verbose",
    "--color=always",
    "--color=blue",
    "--color",
    "never",
    "-pq",
    "--",
    "-",
    "-x",
    "--unknown",
    "-5",
    "-a b",
    "-h",
    "--help",
]
VALID = [
    o for o in OPTIONS if o in ("-L", "--path", "--marker-size", "--", "-p", "--diff3", "--zdiff3", "-q")
]
VALID += [
    o
    for o in OPTIONS
    if o.startswith(("--path=", "--label=", "--color=", "--marker-size=0", "--marker-size=9"))
]
"""Options `_plain` reads (with a value after the ones that take one), drawn more often."""
FILES = ["b", "o", "t", "x.ts", "%O", "%P", "", "a b", ".merge_file_Ab3dE"]


def _argparse(args: list[str]) -> dict[str, Any] | None:
    """What the argparse parser makes of `args` (already attached), None when it refuses them."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return vars(_parser().parse_args(args))
    except (_UsageError, SystemExit):
        return None


@settings(max_examples=1500, deadline=None)
@given(
    st.tuples(
        st.lists(st.sampled_from(OPTIONS), max_size=6),
        st.lists(st.sampled_from(FILES), min_size=2, max_size=4),
    ).flatmap(lambda parts: st.permutations(parts[0] + parts[1]))
)
def test_what_is_read_without_argparse_is_what_argparse_reads(args: list[str]) -> None:
    attached = attach_values(args)
    plain = _plain(attached)
    if plain is not None:
        assert vars(plain) == _argparse(attached) or _dash_dash_value(attached)


def _dash_dash_value(args: list[str]) -> bool:
    """True when an option's value is `--`, which argparse (3.11) drops from `--label=--`, leaving
    an empty list as the label (the driver then crashed into its safe fall-back); `_plain` keeps
    the `--`."""
    return any(arg.startswith("--") and arg.endswith("=--") for arg in args)


def test_a_value_that_is_two_dashes_is_kept() -> None:
    attached = attach_values(["--path", "--", "-L", "--", "b", "o", "t"])
    plain = _plain(attached)
    assert plain is not None and (plain.path, plain.labels) == ("--", ["--"])
    assert _argparse(attached) == {**vars(plain), "path": [], "labels": [[]]}


GIT_LINES = [
    ["--path=src/index.ts", "--marker-size=7", "-L", "HEAD", "-L", "base", "-L", "topic", "a", "b", "c"],
    ["--path", "src/index.ts", "--marker-size", "7", ".merge_file_a", ".merge_file_b", ".merge_file_c"],
    ["--path=-rf.ts", "-L", "-x", "-L", "-", "-L", "--path", "a", "b", "c"],
    ["--path=%P", "--marker-size=7", "-L", "%X", "-L", "%S", "-L", "%Y", "a", "b", "c"],
    ["--diff3", "-p", "-q", "--explain", "--color=never", "b", "o", "t"],
    ["b", "o", "t", "--zdiff3", "--verbose"],
    ["--", "-b", "-o", "-t"],
]


@pytest.mark.parametrize("args", GIT_LINES, ids=range(len(GIT_LINES)))
def test_the_lines_git_runs_are_read_without_argparse(args: list[str]) -> None:
    attached = attach_values(args)
    plain = _plain(attached)
    assert plain is not None
    assert vars(plain) == _argparse(attached)


def test_the_driver_does_not_import_argparse_for_them(tmp_path: Path) -> None:
    """A driver run on what git passes loads no argparse; `--help` does."""
    for name, data in (("b", b"a\n"), ("o", b"a\nb\n"), ("t", b"a\nc\n")):
        (tmp_path / name).write_bytes(data)
    code = (
        "import sys; from mergekit.cli.merge_file import main; code = main(sys.argv[1:]); "
        "print(code, 'argparse' in sys.modules)"
    )
    runs = {}
    for args in (["--path=notes.txt", "--marker-size=7", "b", "o", "t"], ["--help"]):
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        runs[args[0]] = proc.stdout.split("\n")[-2]
    assert runs == {"--path=notes.txt": "1 False", "--help": "0 True"}
