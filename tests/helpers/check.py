"""Repositories for the check and collision tests: a base and branches built with the git CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from tests.helpers.cli import run
from tests.helpers.cli import run_json as cli_json
from tests.helpers.gitrepo import GitRepo

BASE_FILES: dict[str, str] = {
    "src/index.ts": "export * from './a';\n",
    "src/a.ts": "export const a = 1;\n",
    "src/config.ts": (
        "export const NAME = 'app';\nexport const PAGE_SIZE = 50;\nexport const DEBUG = false;\n"
    ),
    "README.md": "# app\n",
}


def branch(repo: GitRepo, name: str, files: Mapping[str, str], start: str = "main") -> str:
    """Create `name` from `start` with one commit writing `files`; come back to main."""
    repo.checkout(name, create=True, start=start)
    tip = repo.commit(f"work on {name}", dict(files))
    repo.checkout("main")
    return tip


def build(repo: GitRepo) -> GitRepo:
    """main plus: a clean branch, two barrel appenders (auto), two PAGE_SIZE changers (human)."""
    repo.commit("base", BASE_FILES)
    branch(repo, "feature/clean", {"docs/clean.md": "clean\n"})
    branch(repo, "feature/barrel-1", {"src/index.ts": "export * from './a';\nexport * from './one';\n"})
    branch(repo, "feature/barrel-2", {"src/index.ts": "export * from './a';\nexport * from './two';\n"})
    for size in ("100", "500"):
        text = BASE_FILES["src/config.ts"].replace("= 50", f"= {size}")
        branch(repo, f"feature/page-{size}", {"src/config.ts": text})
    return repo


__all__ = ["branch", "build", "run", "run_json", "written"]


def run_json(capsys: pytest.CaptureFixture[str], repo: GitRepo, *args: str) -> tuple[int, dict[str, Any]]:
    """`mergekit check ... --format json -C repo`: exit code and the parsed object."""
    return cli_json(capsys, "check", *args, "--format", "json", "-C", str(repo.path))


def written(repo: GitRepo) -> tuple[str, str, str]:
    """What a check must never change: object counts, every ref, HEAD."""
    return (
        repo.git("count-objects", "-v"),
        repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
        repo.git("rev-parse", "HEAD"),
    )
