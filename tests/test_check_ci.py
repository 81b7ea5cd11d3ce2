"""`mergekit check` in CI-like checkouts: detached HEAD, remote-tracking branches in a clone, pull
request refs, and shallow clones (a clear message, then success after fetching more history)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.check import build, run, run_json, written
from tests.helpers.gitrepo import GitRepo


@pytest.fixture
def origin(repo: GitRepo) -> GitRepo:
    return build(repo)


def _clone(origin: GitRepo, dest: Path, *extra: str) -> GitRepo:
    origin.git("clone", "-q", *extra, f"file://{origin.path}", str(dest), cwd=dest.parent)
    return GitRepo(dest, origin.env)


def test_detached_head(capsys: pytest.CaptureFixture[str], origin: GitRepo) -> None:
    origin.git("checkout", "-q", "--detach", "feature/page-500")
    code, data = run_json(capsys, origin, "HEAD", "feature/page-100", "--into", "main")
    assert code == 1
    assert [b["name"] for b in data["branches"]] == ["HEAD", "feature/page-100"]
    assert data["pairs"][-1]["ours"] == "HEAD" and data["pairs"][-1]["status"] == "needs_human"


def test_remote_tracking_branches_in_a_clone(
    capsys: pytest.CaptureFixture[str], origin: GitRepo, tmp_path: Path
) -> None:
    clone = _clone(origin, tmp_path / "clone")
    before = written(clone)
    code, data = run_json(
        capsys, clone, "origin/feature/barrel-*", "origin/feature/clean", "--into", "origin/main"
    )
    assert code == 0
    assert [b["name"] for b in data["branches"]] == [
        "origin/feature/barrel-1",
        "origin/feature/barrel-2",
        "origin/feature/clean",
    ]
    assert data["status"] == "auto_resolved"
    assert written(clone) == before


def test_pull_request_ref(capsys: pytest.CaptureFixture[str], origin: GitRepo) -> None:
    origin.git("update-ref", "refs/pull/1/head", "feature/barrel-1")
    code, data = run_json(capsys, origin, "refs/pull/1/head", "feature/barrel-2", "--into", "main")
    assert code == 0
    assert data["pairs"][-1]["ours"] == "refs/pull/1/head"
    assert data["pairs"][-1]["status"] == "auto_resolved"


def test_same_commit_under_two_names(capsys: pytest.CaptureFixture[str], origin: GitRepo) -> None:
    origin.git("checkout", "-q", "--detach", "feature/barrel-1")
    code, data = run_json(capsys, origin, "HEAD", "feature/barrel-1", "--into", "main")
    assert code == 0 and data["pairs"][-1]["note"] == "same commit"


def test_shallow_clone_says_how_to_fetch_then_works(
    capsys: pytest.CaptureFixture[str], origin: GitRepo, tmp_path: Path
) -> None:
    origin.git("checkout", "-q", "main")
    origin.commit("main moves on", {"docs/later.md": "later\n"})
    shallow = _clone(origin, tmp_path / "shallow", "--depth", "1", "--no-single-branch")
    assert (shallow.path / ".git" / "shallow").is_file()
    code, _, err = run(
        capsys, "check", "origin/feature/barrel-1", "--into", "origin/main", "-C", str(shallow.path)
    )
    assert code == 2
    assert "shallow clone" in err and "git fetch --deepen" in err and "--unshallow" in err
    shallow.git("fetch", "-q", "--unshallow")
    code, data = run_json(capsys, shallow, "origin/feature/barrel-*", "--into", "origin/main")
    assert code == 0 and data["status"] == "auto_resolved"
