"""Run a job's command in a directory tree and collect the derived files it wrote.

The command runs through the shell with stdin closed, in the job's directory. The recipe's
commands are tried in order (offline first) until one exits 0; then every path matching the
job's outputs is compared with what was there before: changed and new files are returned with
their bytes, removed ones as None. Standard library only (the `resolve` command uses it too).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from mergekit.derived.jobs import Job

TIMEOUT = 600.0
"""Seconds one command may take before it counts as failed."""
OUTPUT_TAIL = 2000
"""How many characters of a failed command's output a result keeps."""
_GLOB_CHARS = frozenset("*?[")
_SKIP_DIRS = frozenset({".git", "node_modules", "target", ".venv"})


@dataclass(frozen=True)
class JobResult:
    """What running one job gave."""

    job: Job
    """The job."""
    command: str | None
    """The command that succeeded, None when every one failed."""
    files: dict[str, bytes | None] = field(default_factory=dict)
    """Path (from the top of the tree) → new bytes, or None when the command removed it."""
    error: str = ""
    """Why it failed: the last command, its exit status and the end of its output."""

    @property
    def ok(self) -> bool:
        """True when a command succeeded and wrote the lockfile (other kinds: anything or nothing)."""
        return self.command is not None


def run_job(job: Job, root: Path, timeout: float = TIMEOUT) -> JobResult:
    """Run `job` in the tree at `root`; return the files it changed or why it failed."""
    cwd = root / job.workdir if job.workdir else root
    before = _snapshot(root, job.outputs)
    env = {**os.environ, "NO_COLOR": "1", "CARGO_TERM_COLOR": "never", "npm_config_update_notifier": "false"}
    error = ""
    for command in job.recipe.commands:
        try:
            proc = subprocess.run(
                command,
                shell=True,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            error = f"`{command}` did not finish within {timeout:.0f} s"
            continue
        except OSError as exc:
            error = f"`{command}` could not start: {exc.strerror or exc}"
            continue
        if proc.returncode == 0:
            after = _snapshot(root, job.outputs)
            changed: dict[str, bytes | None] = {p: d for p, d in after.items() if before.get(p) != d}
            changed.update({p: None for p in before if p not in after})
            missing = [o for o in job.outputs if not _is_glob(o) and o not in after]
            if missing:
                error = f"`{command}` succeeded but did not write {', '.join(missing)}"
                continue
            return JobResult(job=job, command=command, files=changed)
        output = proc.stdout.decode("utf-8", "replace").strip()[-OUTPUT_TAIL:]
        error = f"`{command}` failed (exit {proc.returncode})" + (f": {output}" if output else "")
    return JobResult(job=job, command=None, error=error)


def _is_glob(pattern: str) -> bool:
    return bool(_GLOB_CHARS & set(pattern))


def _snapshot(root: Path, patterns: tuple[str, ...]) -> dict[str, bytes]:
    """Path → bytes of every regular file under `root` matching one of `patterns`."""
    found: dict[str, bytes] = {}
    for pattern in patterns:
        if not _is_glob(pattern):
            target = root / pattern
            if target.is_file() and not target.is_symlink():
                found[pattern] = target.read_bytes()
            continue
        parts = pattern.split("/")
        fixed = next(i for i, part in enumerate(parts) if _is_glob(part))
        start = root.joinpath(*parts[:fixed]) if fixed else root
        if not start.is_dir():
            continue
        for directory, dirs, files in os.walk(start):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
            for name in files:
                full = Path(directory) / name
                rel = full.relative_to(root).as_posix()
                if fnmatchcase(rel, pattern) and full.is_file() and not full.is_symlink():
                    found[rel] = full.read_bytes()
    return found
