"""Shared pytest fixtures: a hermetic git environment and real repositories in tmp_path."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers.gitrepo import GitRepo, hermetic_env

if TYPE_CHECKING:
    from mergekit.engine.repo import Repo


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A hermetic git environment (temporary HOME, no system config, fixed identity and dates).

    It is also applied to this process, so in-process calls into mergekit see the same git.
    """
    home = tmp_path / "home"
    home.mkdir()
    env = hermetic_env(home)
    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env


@pytest.fixture
def repo(tmp_path: Path, git_env: dict[str, str]) -> GitRepo:
    """An empty repository on branch `main`."""
    return GitRepo.init(tmp_path / "repo", git_env)


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[Repo]:
    """A bare repository, in memory (/dev/shm) where there is one: random-history cases write many objects."""
    import pygit2

    from mergekit.engine.repo import open_repo

    shm = Path("/dev/shm")
    where = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path
    try:
        pygit2.init_repository(str(where / "r.git"), bare=True)
        yield open_repo(where / "r.git")
    finally:
        if where != tmp_path:
            shutil.rmtree(where, ignore_errors=True)


@pytest.fixture(autouse=True)
def _resolver_bugs_fail_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """In tests a resolver exception must surface, not fall back to the plain line merge."""
    monkeypatch.setenv("MERGEKIT_DEBUG", "1")
