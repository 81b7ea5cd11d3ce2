"""Real git repositories in temporary directories for tests, with hermetic git settings.

`GitRepo` is the scenario builder (`mergekit.scenarios.gitcli.ScenarioRepo`) with the test's own
environment: every git call gets a temporary HOME, no system or global config, a fixed identity
and fixed dates, and an explicit `cwd` (tests never `chdir`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from mergekit.scenarios.gitcli import ScenarioRepo

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


class GitRepo(ScenarioRepo):
    """A real repository on disk for one test, driven through the git CLI."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        super().__init__(path)
        self.env = dict(env)

    @classmethod
    def init(cls, path: Path, env: Mapping[str, str], initial_branch: str = "main") -> GitRepo:
        """Create an empty repository at `path`."""
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path, env)
        repo.git("init", "-q", "-b", initial_branch)
        return repo

    def environment(self) -> dict[str, str]:
        """The test's hermetic environment (fixed dates: commits differ by content, not by time)."""
        return self.env

    def commit(
        self, message: str, files: Mapping[str, str | bytes] | None = None, remove: Iterable[str] = ()
    ) -> str:
        """Write `files`, delete `remove`, stage everything in the work tree and commit (even when
        nothing changed); return the new commit id."""
        if files:
            self.write(files)
        for path in remove:
            (self.path / path).unlink()
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.rev("HEAD")

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
