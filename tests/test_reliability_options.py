"""Bad command lines — a value outside the choices, a missing or unknown option, a number that is not
one, a file where a directory is needed, an unknown command — give exit 2 and exactly one line on
stderr that names the problem and where to read more, never click's usage block."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo

BAD = [
    (["integrate", "--order", "sideways", "--into", "main"], "'--order'"),
    (["integrate", "--strategy", "rebase", "--into", "main"], "'--strategy'"),
    (["integrate", "--into"], "'--into'"),
    (["integrate", "--no-such-flag", "--into", "main"], "--no-such-flag"),
    (["plan", "--format", "svg", "--into", "main"], "'--format'"),
    (["check", "--format", "yaml", "--into", "main"], "'--format'"),
    (["replay", "--jobs", "many"], "'--jobs'"),
    (["replay", "--jobs", "0"], "'--jobs'"),
    (["replay", "--by", "colour"], "'--by'"),
    (["status", "-C", "{file}"], "'-C'"),
    (["frobnicate"], "frobnicate"),
]


@pytest.mark.parametrize(("args", "named"), BAD, ids=[" ".join(a[:2]) for a, _ in BAD])
def test_a_bad_command_line_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code = main([a.replace("{file}", str(a_file)) for a in args])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mergekit: error: ") and named in lines[0], lines[0]
    assert "--help" in lines[0]


def test_integrate_without_into_is_one_line_naming_it(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--into` may come from the configuration; when nothing gives it, one line says how to."""
    repo.commit("base", {"a.txt": "a\n"})
    code = main(["integrate", "feature/x", "-C", str(repo.path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("mergekit: error: ") and "--into" in err, err


def test_the_installed_command_prints_the_same_single_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mergekit", "integrate", "--order", "sideways", "--into", "main"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Usage:" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("args", [[], ["memory"]], ids=["mergekit", "mergekit memory"])
def test_a_group_without_its_command_shows_its_help_whole(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a help text squeezed into one error line: the usage, the description, the commands."""
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"Usage: mergekit {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND")
    assert "Commands:" in lines and len(lines) > 10, out
