"""SHA-256 repositories (`git init --object-format=sha256`): the commands that read the object store
say in one line that mergekit cannot (exit 2, nothing written); the merge driver, which only
reads the three files git hands it, works through a real `git merge`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.gitrepo import GitRepo

BARREL = "export * from './users';\n"


@pytest.fixture
def sha256_repo(tmp_path: Path, git_env: dict[str, str]) -> GitRepo:
    path = tmp_path / "sha256"
    path.mkdir()
    repo = GitRepo(path, git_env)
    repo.git("init", "-q", "-b", "main", "--object-format=sha256")
    repo.commit("base", {"index.ts": BARREL})
    for name in ("x", "y"):
        repo.checkout(name, create=True, start="main")
        repo.commit(name, {"index.ts": BARREL + f"export * from './{name}';\n"})
    repo.checkout("main")
    return repo


def _mergekit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mergekit", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "args",
    [
        ("integrate", "x", "y", "--into", "main"),
        ("integrate", "x", "--into", "main", "--dry-run"),
        ("plan", "x", "--into", "main"),
        ("check", "x", "y", "--into", "main"),
        ("status",),
        ("continue",),
        ("abort",),
        ("replay",),
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith("-"))[:30],
)
def test_commands_on_the_object_store_exit_2_in_one_line(sha256_repo: GitRepo, args: tuple[str, ...]) -> None:
    refs = sha256_repo.refs()
    proc = _mergekit(sha256_repo.path, sha256_repo.env, *args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "SHA-256" in lines[0] and "SHA-1" in lines[0], proc.stderr
    assert sha256_repo.refs() == refs
    assert not (sha256_repo.path / ".git" / "mergekit").exists()


def test_the_driver_merges_in_a_sha256_repository(sha256_repo: GitRepo) -> None:
    install = _mergekit(sha256_repo.path, sha256_repo.env, "install")
    assert install.returncode == 0, install.stderr
    sha256_repo.checkout("x")
    merge = subprocess.run(
        ["git", "merge", "--no-edit", "y"], cwd=sha256_repo.path, env=sha256_repo.env, capture_output=True
    )
    assert merge.returncode == 0, merge.stderr
    text = (sha256_repo.path / "index.ts").read_text()
    assert text == BARREL + "export * from './x';\nexport * from './y';\n"
