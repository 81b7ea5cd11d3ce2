"""The one way mergekit runs the git command line (standard library only: no pygit2).

Most git work goes through pygit2 (`mergekit.engine.repo`); the git CLI is used where git's own
code is the point (`git merge-file`, worktree checkout, `git add`, config edits) or where
importing pygit2 would cost more than a process (the merge driver, `mergekit resolve`,
`mergekit install`). Every such call goes through `run_git`, so a missing git, a missing
directory and a failing command read the same everywhere.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mergekit.errors import MergekitError

GIT_MISSING = "git is not installed or not on PATH: install git 2.39 or newer"
"""The message when there is no `git` to run."""
CONFLICT_STYLES = ("merge", "diff3", "zdiff3")
"""The conflict styles git knows (`merge.conflictStyle`)."""


@dataclass(frozen=True)
class GitResult:
    """What a git command did."""

    returncode: int
    """Its exit status."""
    stdout: bytes
    """What it printed on stdout."""
    stderr: bytes
    """What it printed on stderr."""

    @property
    def text(self) -> str:
        """stdout as text (UTF-8, undecodable bytes replaced)."""
        return self.stdout.decode("utf-8", "replace")

    @property
    def error(self) -> str:
        """stderr as one trimmed string."""
        return self.stderr.decode("utf-8", "replace").strip()


def run_git(
    args: Sequence[str],
    cwd: Path | None = None,
    *,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    hooks: bool = True,
) -> GitResult:
    """Run `git ARGS` in `cwd`; with `check`, a failure raises `MergekitError` carrying git's message.

    `hooks=False` runs with hooks disabled (mergekit's own checkouts must not run the user's
    hooks); `env` replaces the environment (None: inherit it).
    """
    cmd = ["git", *(["-c", "core.hooksPath=" + os.devnull] if not hooks else []), *args]
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            input=stdin,
            env=None if env is None else dict(env),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as exc:
        if cwd is not None and not Path(cwd).exists():
            raise MergekitError(f"{cwd} does not exist: pass an existing directory to -C") from exc
        raise MergekitError(GIT_MISSING) from exc
    except NotADirectoryError as exc:
        raise MergekitError(f"{cwd} is not a directory: pass an existing directory to -C") from exc
    result = GitResult(proc.returncode, proc.stdout, proc.stderr)
    if check and proc.returncode != 0:
        where = f" in {cwd}" if cwd is not None else ""
        raise MergekitError(f"git {' '.join(args[:2])} failed{where}: {result.error}")
    return result


def toplevel(cwd: Path) -> Path | None:
    """The top of the work tree containing `cwd`, None when `cwd` is not inside one."""
    if not cwd.is_dir():
        raise MergekitError(f"{cwd} is not a directory: pass an existing directory to -C")
    result = run_git(["rev-parse", "--show-toplevel"], cwd, check=False)
    top = result.text.strip()
    return Path(top) if result.returncode == 0 and top else None


def conflict_style(cwd: Path | None = None) -> str:
    """The `merge.conflictStyle` git would use in `cwd` (`git merge-file` honours it too), else `merge`."""
    try:
        value = run_git(["config", "--get", "merge.conflictStyle"], cwd, check=False).text.strip().lower()
    except MergekitError:
        return "merge"
    return value if value in CONFLICT_STYLES else "merge"
