"""Shallow clones: with the merge base cut off, integrate, plan and a dry run refuse (exit 2, one line
saying how to fetch more) instead of merging against an empty base, and the engine never reads a
missing merge base as unrelated histories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.engine import merge_commits, open_repo
from mergekit.errors import MergekitError
from tests.helpers.gitrepo import GitRepo


def _mergekit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mergekit", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.fixture
def origin(repo: GitRepo) -> GitRepo:
    """main: keep.txt + obsolete.txt, then m.txt; feat/del (from the first commit) deletes obsolete.txt."""
    repo.commit("base", {"keep.txt": "k\n", "obsolete.txt": "o\n"})
    repo.checkout("feat/del", create=True, start="main")
    repo.git("rm", "-q", "obsolete.txt")
    repo.commit("delete obsolete.txt")
    repo.checkout("main")
    repo.commit("more on main", {"m.txt": "m\n"})
    return repo


def _clone(origin: GitRepo, dest: Path, depth: int) -> GitRepo:
    origin.git(
        "clone",
        "-q",
        f"--depth={depth}",
        "--no-single-branch",
        f"file://{origin.path}",
        str(dest),
        cwd=dest.parent,
    )
    return GitRepo(dest, origin.env)


@pytest.mark.parametrize(
    "args",
    [
        ("integrate", "origin/feat/del", "--into", "origin/main", "--json"),
        ("integrate", "origin/feat/del", "--into", "origin/main", "--dry-run"),
        ("plan", "origin/feat/del", "--into", "origin/main"),
        ("plan", "origin/feat/del", "--into", "origin/main", "--json"),
    ],
    ids=["integrate", "dry-run", "plan", "plan-json"],
)
def test_a_cut_merge_base_is_refused(origin: GitRepo, tmp_path: Path, args: tuple[str, ...]) -> None:
    clone = _clone(origin, tmp_path / "shallow", 1)
    refs_before = clone.refs()
    proc = _mergekit(clone.path, clone.env, *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "shallow" in lines[0] and "git fetch --unshallow" in lines[0]
    assert "origin/main" in lines[0] and "origin/feat/del" in lines[0]
    assert clone.refs() == refs_before
    assert not (clone.path / ".git" / "mergekit" / "run.json").exists()


def test_after_fetching_more_history_the_deletion_is_kept(origin: GitRepo, tmp_path: Path) -> None:
    clone = _clone(origin, tmp_path / "shallow", 1)
    assert (
        _mergekit(clone.path, clone.env, "integrate", "origin/feat/del", "--into", "origin/main").returncode
        == 2
    )
    clone.git("fetch", "-q", "--unshallow")
    proc = _mergekit(clone.path, clone.env, "integrate", "origin/feat/del", "--into", "origin/main")
    assert proc.returncode == 0, proc.stderr
    assert clone.git("ls-tree", "-r", "--name-only", "integration").split() == ["keep.txt", "m.txt"]


def test_a_shallow_clone_deep_enough_integrates(origin: GitRepo, tmp_path: Path) -> None:
    clone = _clone(origin, tmp_path / "deep-enough", 2)
    assert (clone.path / ".git" / "shallow").is_file()
    proc = _mergekit(clone.path, clone.env, "integrate", "origin/feat/del", "--into", "origin/main")
    assert proc.returncode == 0, proc.stderr
    assert clone.git("ls-tree", "-r", "--name-only", "integration").split() == ["keep.txt", "m.txt"]


@pytest.mark.parametrize("full", [False, True], ids=["fast", "libgit2"])
def test_the_engine_never_merges_against_an_empty_base_in_a_shallow_clone(
    origin: GitRepo, tmp_path: Path, full: bool
) -> None:
    clone = _clone(origin, tmp_path / "shallow", 1)
    repo = open_repo(clone.path)
    ours, theirs = clone.rev("origin/main"), clone.rev("origin/feat/del")
    with pytest.raises(MergekitError, match="shallow"):
        merge_commits(repo, ours, theirs, full=full)
    with pytest.raises(MergekitError, match="shallow"):
        repo.merge_base(ours, theirs)
