"""--quiet, --verbose and --color on every command; progress on a terminal, nothing otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import click
import pytest

from mergekit.cli import COMMANDS
from mergekit.cli.group import main
from tests.helpers.check import branch, run
from tests.helpers.gitrepo import GitRepo

BARREL = "export * from './a';\n"


@pytest.fixture
def two(repo: GitRepo) -> GitRepo:
    repo.commit("base", {"src/index.ts": BARREL})
    for name in ("x", "y"):
        branch(repo, name, {"src/index.ts": BARREL + f"export * from './{name}';\n"})
    return repo


def test_every_command_accepts_quiet_verbose_and_color() -> None:
    ctx = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None, name
        if name == "merge-file":
            continue  # argparse, checked below
        opts = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"-q", "--quiet", "--verbose", "--color"} <= opts, name
        assert "Example" in (command.help or "") + (command.epilog or ""), f"{name} --help has no example"


def test_merge_file_accepts_them_too(tmp_path: Path) -> None:
    for name in ("b", "o", "t"):
        (tmp_path / name).write_text("x\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mergekit",
            "merge-file",
            "-q",
            "--verbose",
            "--color",
            "never",
            "b",
            "o",
            "t",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "mergekit", "merge-file", "--help"], capture_output=True, text=True
    )
    assert "examples:" in helped.stdout


def test_quiet_prints_nothing_but_json_still_prints(capsys: pytest.CaptureFixture[str], two: GitRepo) -> None:
    code, out, err = run(capsys, "check", "x", "y", "--into", "main", "--quiet", "-C", str(two.path))
    assert (code, out, err) == (0, "", "")
    code, out, _ = run(
        capsys, "check", "x", "y", "--into", "main", "-q", "--format", "json", "-C", str(two.path)
    )
    assert code == 0 and out.startswith("{")
    code, out, _ = run(capsys, "--quiet", "config", "-C", str(two.path))
    assert (code, out) == (0, "")
    code, out, _ = run(capsys, "config", "-C", str(two.path))
    assert out, "quiet must not leak into the next command"


def test_verbose_says_each_step_on_stderr(capsys: pytest.CaptureFixture[str], two: GitRepo) -> None:
    code, out, err = run(capsys, "check", "x", "y", "--into", "main", "--verbose", "-C", str(two.path))
    assert code == 0 and "Result" in out
    assert "mergekit: checking 0/3: x into main\n" in err
    assert "mergekit: checking 2/3: x + y\n" in err
    code, _, err = run(capsys, "check", "x", "y", "--into", "main", "-C", str(two.path))
    assert err == ""


def test_color_always_never_no_color_and_color_ui(
    capsys: pytest.CaptureFixture[str], two: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: stdout is captured (not a terminal), git config is the hermetic one."""
    monkeypatch.delenv("MERGEKIT_NO_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def colored(*args: str) -> bool:
        code, out, err = run(capsys, "check", "x", "y", "--into", "main", *args, "-C", str(two.path))
        assert code == 0, err
        return "\x1b[" in out

    assert colored("--color", "always")
    assert not colored("--color", "never")
    assert not colored()  # not a terminal
    two.git("config", "--global", "color.ui", "always")
    assert colored()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colored()
    assert colored("--color", "always")


def test_a_progress_bar_on_a_terminal_only(two: GitRepo, git_env: dict[str, str]) -> None:
    """stderr on a pseudo-terminal: rich draws the bar; stdout (a pipe) gets the plain report."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mergekit", "check", "x", "y", "--into", "main"],
        cwd=two.path,
        env=git_env,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate()
    os.close(master)
    assert proc.returncode == 0
    assert b"checking" in shown
    assert b"checking" not in out and b"Result" in out


def test_shell_completion_lists_the_new_commands(tmp_path: Path) -> None:
    """The README's completion set-up: click answers `_MERGEKIT_COMPLETE=bash_complete`."""
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from mergekit.entry import main; sys.exit(main())"],
        env={
            **os.environ,
            "_MERGEKIT_COMPLETE": "bash_complete",
            "COMP_WORDS": "mergekit sy",
            "COMP_CWORD": "1",
        },
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "plain,sync" in proc.stdout.splitlines()
