"""git started without `subprocess` (`run_git(..., light=True)`, the merge driver's line merge) gives
what `subprocess` gives: exit status (negative for a signal), stdout and stderr, however large, and
the one missing-git message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.engine.gitcli import GIT_MISSING, _spawned, run_git
from mergekit.errors import MergekitError

SCRIPTS = [
    "printf 'out'; printf 'err' >&2; exit 3",
    "head -c 300000 /dev/zero | tr '\\0' o; head -c 200000 /dev/zero | tr '\\0' e >&2",
    "head -c 200000 /dev/zero | tr '\\0' e >&2; head -c 300000 /dev/zero | tr '\\0' o",
    "kill -TERM $$",
    "read line; printf '%s' \"$line\"",
    "exit 0",
]


@pytest.mark.parametrize("script", SCRIPTS, ids=range(len(SCRIPTS)))
def test_a_spawned_command_gives_what_subprocess_gives(script: str) -> None:
    cmd = ["sh", "-c", script]
    done = subprocess.run(cmd, capture_output=True, check=False, stdin=subprocess.DEVNULL)
    probe = (
        "import sys; from mergekit.engine.gitcli import _spawned; "
        f"sys.stdout.write(repr(_spawned({cmd!r}, None)))"
    )
    mine = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=True, stdin=subprocess.DEVNULL
    )
    assert mine.stdout.decode() == repr((done.returncode, done.stdout, done.stderr))


def test_git_light_and_not(tmp_path: Path, git_env: dict[str, str]) -> None:
    for args in (["--version"], ["rev-parse", "--show-toplevel"], ["config", "--get", "no.such"]):
        light = run_git(args, env=git_env, check=False, light=True)
        plain = run_git(args, env=git_env, check=False)
        assert (light.returncode, light.stdout, light.stderr) == (
            plain.returncode,
            plain.stdout,
            plain.stderr,
        )
    with pytest.raises(MergekitError, match="config --get failed"):
        run_git(["config", "--get", "no.such"], env=git_env, light=True)


def test_a_missing_git_says_so_light_too(tmp_path: Path) -> None:
    with pytest.raises(MergekitError) as caught:
        run_git(["--version"], env={"PATH": str(tmp_path)}, light=True)
    assert caught.value.message == GIT_MISSING


def test_spawning_needs_free_standard_descriptors() -> None:
    """With stdout closed, a pipe would take descriptor 1: `subprocess` is used then."""
    probe = (
        "import os, sys; from mergekit.engine.gitcli import _spawned; "
        "keep = os.dup(2); os.close(1); os.close(0); "
        "os.write(keep, repr(_spawned(['true'], None)).encode())"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True)
    assert proc.stderr == b"None"
    assert _spawned(["true"], None) == (0, b"", b"")
