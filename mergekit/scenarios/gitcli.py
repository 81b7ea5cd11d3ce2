"""A deterministic driver of the git CLI for building scenario repositories.

Scenarios are built with the `git` command line (not pygit2: `mergekit.engine` is the only
pygit2 importer). Every call runs with a fixed identity, a date that advances by one hour per
commit, and no system or global git configuration, so the same builder always produces the same
commit ids whatever the user's git setup is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from mergekit.engine.gitcli import run_git

START_DATE = datetime.fromisoformat("2026-01-05T09:00:00+00:00")
"""The date of a scenario's first commit; each later commit is one hour after the previous."""
AUTHOR = ("Scenario Author", "author@scenario.example")
"""Name and email of every scenario commit's author."""
COMMITTER = ("Scenario Committer", "committer@scenario.example")
"""Name and email of every scenario commit's committer."""


class ScenarioGitError(RuntimeError):
    """A git command failed while building a scenario (a bug in the builder or a broken git)."""


def scenario_env(when: datetime = START_DATE) -> dict[str, str]:
    """The environment for a git call: no user config, fixed identity, commit date `when`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    stamp = when.isoformat()
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME=AUTHOR[0],
        GIT_AUTHOR_EMAIL=AUTHOR[1],
        GIT_COMMITTER_NAME=COMMITTER[0],
        GIT_COMMITTER_EMAIL=COMMITTER[1],
        GIT_AUTHOR_DATE=stamp,
        GIT_COMMITTER_DATE=stamp,
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
    )
    return env


class ScenarioRepo:
    """A repository being built: one main work tree, driven through the git CLI.

    The tests' repositories (`tests/helpers/gitrepo.py`) are this builder with the test's own
    hermetic environment (`environment`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.commits = 0

    @classmethod
    def create(cls, path: Path, base: str = "main") -> ScenarioRepo:
        """Initialize an empty repository at `path` (which must not exist or be empty)."""
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise FileExistsError(f"{path} already exists and is not an empty directory")
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path)
        repo.git("-c", f"init.defaultBranch={base}", "init", "-q")
        # Make the repository's own config independent of the user's defaults too.
        repo.git("config", "core.autocrlf", "false")
        repo.git("config", "commit.gpgsign", "false")
        return repo

    def _when(self) -> datetime:
        return START_DATE + timedelta(hours=self.commits)

    def environment(self) -> dict[str, str]:
        """The environment of the next git call (no user config, fixed identity, the next date)."""
        return scenario_env(self._when())

    def git(self, *args: str, cwd: Path | None = None, check: bool = True) -> str:
        """Run git in the main work tree (or `cwd`) and return its stdout; raise on failure with `check`."""
        proc = run_git(args, cwd or self.path, env=self.environment(), check=False)
        if check and proc.returncode != 0:
            raise ScenarioGitError(f"git {' '.join(args)} failed ({proc.returncode}): {proc.error}")
        return proc.text

    def write(self, files: Mapping[str, str | bytes], cwd: Path | None = None) -> None:
        """Write files (relative to the work tree, or to `cwd`); text as UTF-8, line ends as given."""
        for rel, content in files.items():
            target = (cwd or self.path) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def commit(self, message: str, files: Mapping[str, str | bytes], remove: Iterable[str] = ()) -> str:
        """Write `files`, delete `remove`, stage exactly those paths, commit; return the commit id."""
        self.write(files)
        removed = list(remove)
        if removed:
            self.git("rm", "-q", "--", *removed)
        if files:
            self.git("add", "--", *files)
        self.git("commit", "-q", "--no-verify", "-m", message)
        self.commits += 1
        return self.rev("HEAD")

    def switch(self, branch: str, start: str | None = None) -> None:
        """Check out `branch` in the main work tree, creating it at `start` when given."""
        if start is None:
            self.git("checkout", "-q", branch)
        else:
            self.git("checkout", "-q", "-b", branch, start)

    def rev(self, rev: str) -> str:
        """The commit id `rev` names."""
        return self.git("rev-parse", "--verify", "-q", rev).strip()

    def add_worktree(self, branch: str, where: Path) -> None:
        """Check `branch` out in a new linked worktree at `where`."""
        where.parent.mkdir(parents=True, exist_ok=True)
        self.git("worktree", "add", "-q", str(where), branch)

    def exclude(self, pattern: str) -> None:
        """Add `pattern` to the repository's own ignore list (.git/info/exclude)."""
        info = Path(self.git("rev-parse", "--git-path", "info/exclude").strip())
        if not info.is_absolute():
            info = self.path / info
        info.parent.mkdir(parents=True, exist_ok=True)
        with info.open("a", encoding="utf-8") as handle:
            handle.write(pattern + "\n")


def take_theirs(worktree: Path, paths: Iterable[str]) -> None:
    """Settle conflicted `paths` of a paused merge in `worktree` the way a person might: keep
    the side being merged in (`git checkout --theirs`), then `git add` them."""
    env = scenario_env()
    for path in paths:
        for args in (("checkout", "--theirs", "--", path), ("add", "--", path)):
            proc = run_git(args, worktree, env=env, check=False)
            if proc.returncode != 0:
                raise ScenarioGitError(f"git {' '.join(args)} failed ({proc.returncode}): {proc.error}")
