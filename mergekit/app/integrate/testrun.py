"""Run the user's `--test` command in a worktree and capture the outcome."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

OUTPUT_TAIL = 4000
"""How many characters of the command's output a report keeps."""


@dataclass(frozen=True)
class TestOutcome:
    """Whether the command passed, and the end of what it printed."""

    __test__ = False  # not a pytest class

    passed: bool
    """True when the command exited 0."""
    returncode: int
    """The command's exit code."""
    output: str
    """The last `OUTPUT_TAIL` characters of stdout and stderr, interleaved."""


def run_test(command: str, cwd: Path, log: Path | None = None) -> TestOutcome:
    """Run `command` through the shell in `cwd` (stdin closed) and report the result.

    With `log`, the command's whole output is also written to that file.
    """
    proc = subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_bytes(proc.stdout)
    output = proc.stdout.decode("utf-8", "replace")[-OUTPUT_TAIL:]
    return TestOutcome(passed=proc.returncode == 0, returncode=proc.returncode, output=output)
