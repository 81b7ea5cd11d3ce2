"""`mergekit sync`: BASE merged into a branch only when no human is needed; a checked-out branch's
files follow safely; --push; exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.check import branch, run
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(3))


@pytest.fixture
def moved(repo: GitRepo) -> GitRepo:
    """pr appends an export; main then appends another (git alone would conflict)."""
    repo.commit("base", {"src/index.ts": BARREL, "src/config.ts": "export const N = 1;\n"})
    branch(repo, "pr", {"src/index.ts": BARREL + "export * from './pr';\n"})
    repo.commit("main moves", {"src/index.ts": BARREL + "export * from './main2';\n"})
    return repo


def _sync(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, *args: str
) -> tuple[int, dict[str, object], str]:
    code, out, err = run(capsys, "sync", *args, "--json", "-C", str(repo.path))
    return code, (json.loads(out) if out.strip() else {}), err


def test_merges_base_into_a_branch_that_is_not_checked_out(
    capsys: pytest.CaptureFixture[str], moved: GitRepo
) -> None:
    before_main = moved.rev("main")
    tip = moved.rev("pr")
    code, data, err = _sync(capsys, moved, "pr", "--with", "main")
    assert code == 0, err
    assert data["status"] == "merged"
    assert data["auto_resolved"] == [{"path": "src/index.ts", "rule": data["auto_resolved"][0]["rule"]}]  # type: ignore[index]
    assert moved.git("rev-list", "--parents", "-1", "pr").split() == [moved.rev("pr"), tip, before_main]
    body = moved.show("pr", "src/index.ts")
    assert "'./pr'" in body and "'./main2'" in body
    assert "mergekit auto-resolved:" in moved.git("log", "-1", "--format=%B", "pr")
    assert moved.rev("main") == before_main
    assert moved.git("status", "--porcelain") == ""
    code, data, _ = _sync(capsys, moved, "pr", "--with", "main")
    assert (code, data["status"]) == (0, "up-to-date")


def test_a_human_conflict_commits_nothing(capsys: pytest.CaptureFixture[str], moved: GitRepo) -> None:
    branch(moved, "bad", {"src/config.ts": "export const N = 2;\n"})
    moved.commit("main changes N", {"src/config.ts": "export const N = 3;\n"})
    refs = moved.refs()
    code, data, _ = _sync(capsys, moved, "bad", "--with", "main")
    assert code == 1
    assert data["status"] == "conflict"
    assert data["conflicts"] == [{"path": "src/config.ts", "kind": "content"}]
    assert moved.refs() == refs
    code, out, _ = run(capsys, "sync", "bad", "--with", "main", "-C", str(moved.path))
    assert code == 1 and "nothing was committed" in out and "src/config.ts" in out


def test_a_checked_out_branch_follows_when_clean(capsys: pytest.CaptureFixture[str], moved: GitRepo) -> None:
    moved.checkout("pr")
    code, data, err = _sync(capsys, moved, "--with", "main")
    assert code == 0, err
    assert data["branch"] == "pr" and data["worktree"] == str(moved.path)
    assert moved.git("status", "--porcelain") == ""
    text = (moved.path / "src/index.ts").read_text()
    assert "'./pr'" in text and "'./main2'" in text


def test_a_checked_out_branch_with_changes_is_refused(
    capsys: pytest.CaptureFixture[str], moved: GitRepo
) -> None:
    moved.checkout("pr")
    moved.write({"src/config.ts": "export const N = 9;\n"})
    refs = moved.refs()
    code, _, err = _sync(capsys, moved, "pr", "--with", "main")
    assert code == 2
    assert "uncommitted changes" in err
    assert moved.refs() == refs
    assert (moved.path / "src/config.ts").read_text() == "export const N = 9;\n"


def test_a_linked_worktree_in_a_merge_is_refused(
    capsys: pytest.CaptureFixture[str], moved: GitRepo, tmp_path: Path
) -> None:
    wt = tmp_path / "wt"
    moved.git("worktree", "add", "-q", str(wt), "pr")
    moved.git("merge", "main", check=False, cwd=wt)
    code, _, err = _sync(capsys, moved, "pr", "--with", "main")
    assert code == 2 and "in the middle of a merge" in err


def test_fast_forward_and_push(capsys: pytest.CaptureFixture[str], moved: GitRepo, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    moved.git("init", "-q", "--bare", str(remote))
    moved.git("remote", "add", "origin", str(remote))
    moved.git("branch", "behind", "main~1")
    moved.git("push", "-q", "origin", "behind")
    code, data, err = _sync(capsys, moved, "behind", "--with", "main", "--push")
    assert code == 0, err
    assert data["status"] == "fast-forward" and data["pushed"] == "origin/behind"
    assert moved.git("rev-parse", "behind", cwd=remote).strip() == moved.rev("main")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pr", "--with", "nope"), "BASE 'nope' not found"),
        (("ghost", "--with", "main"), "'ghost' is not a local branch"),
        (("pr",), "no --with given"),
    ],
)
def test_bad_input(
    capsys: pytest.CaptureFixture[str], moved: GitRepo, args: tuple[str, ...], message: str
) -> None:
    refs = moved.refs()
    code, _, err = _sync(capsys, moved, *args)
    assert code == 2 and message in err
    assert moved.refs() == refs


def test_with_defaults_to_into_from_the_configuration(
    capsys: pytest.CaptureFixture[str], moved: GitRepo
) -> None:
    moved.git("config", "mergekit.into", "main")
    code, data, _ = _sync(capsys, moved, "pr")
    assert (code, data["status"]) == (0, "merged")
