"""Build real git repositories in temporary directories for tests, with hermetic git settings.

Every git call gets a fixed identity and dates, no system or global config, and an explicit
`cwd` (tests never `chdir`).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

FIXED_DATE = "2026-01-01T12:00:00+00:00"


def hermetic_env(home: Path) -> dict[str, str]:
    """Environment for git with no user config, a fixed identity and fixed dates."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.com",
        GIT_COMMITTER_NAME="Test Committer",
        GIT_COMMITTER_EMAIL="committer@example.com",
        GIT_AUTHOR_DATE=FIXED_DATE,
        GIT_COMMITTER_DATE=FIXED_DATE,
        GIT_TERMINAL_PROMPT="0",
        MERGEKIT_NO_COLOR="1",
        MERGEKIT_DEBUG="1",
    )
    return env


class GitRepo:
    """A real repository on disk, driven through the git CLI."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.path = path
        self.env = dict(env)

    @classmethod
    def init(cls, path: Path, env: Mapping[str, str], initial_branch: str = "main") -> GitRepo:
        """Create an empty repository at `path`."""
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path, env)
        repo.git("init", "-q", "-b", initial_branch)
        return repo

    def git(self, *args: str, check: bool = True, cwd: Path | None = None) -> str:
        """Run git in the repository (or `cwd`) and return its stdout."""
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd or self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
        return proc.stdout

    def write(self, files: Mapping[str, str | bytes], cwd: Path | None = None) -> None:
        """Write files (relative paths) into the work tree."""
        root = cwd or self.path
        for rel, content in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")

    def commit(self, message: str, files: Mapping[str, str | bytes] | None = None) -> str:
        """Write `files`, stage everything and commit; return the new commit id."""
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.rev("HEAD")

    def rev(self, rev: str) -> str:
        """The object id `rev` names."""
        return self.git("rev-parse", rev).strip()

    def checkout(self, branch: str, create: bool = False, start: str | None = None) -> None:
        """Switch the main work tree to `branch` (creating it from `start` when asked)."""
        if create:
            self.git("checkout", "-q", "-b", branch, *([start] if start else []))
        else:
            self.git("checkout", "-q", branch)

    def show(self, rev: str, path: str) -> str:
        """The content of `path` at `rev`."""
        return self.git("show", f"{rev}:{path}")

    def refs(self) -> dict[str, str]:
        """Every ref and the object it points at."""
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)")
        return dict(line.split(" ", 1) for line in out.splitlines() if line)
