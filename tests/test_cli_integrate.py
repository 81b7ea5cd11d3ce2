"""The integrate/continue/abort/status/plan/demo commands through `mergekit.entry.main`: exit codes,
JSON, and every bad input of the contract (one line on stderr, exit 2, nothing changed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import run, run_json
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import CONFIG, UserSnapshot, build_features, written_state

CONTRACT_KEYS = {
    "status",
    "order",
    "merged",
    "pending",
    "auto_resolved",
    "conflicts",
    "worktree",
    "result_branch",
    "result_commit",
}


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    return run_json(capsys, *args, "--json")


def _assert_refused(capsys: pytest.CaptureFixture[str], repo: GitRepo, args: list[str], message: str) -> None:
    """Exit 2, one line on stderr containing `message`, nothing written, the user untouched."""
    user = UserSnapshot.take(repo)
    before = written_state(repo)
    code, out, err = run(capsys, *args)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and message in err and err.startswith("mergekit: error:")
    assert written_state(repo) == before
    assert UserSnapshot.take(repo) == user


def test_integrate_json_done(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    build_features(repo)
    code, data = _json(
        capsys, "integrate", "feature/alpha", "feature/beta", "--into", "main", "-C", str(repo.path)
    )
    assert code == 0
    assert set(data) >= CONTRACT_KEYS
    assert data["status"] == "done" and data["worktree"] is None
    assert data["merged"] == ["feature/alpha", "feature/beta"] and data["pending"] == []
    assert data["result_branch"] == "integration" and data["result_commit"] == repo.rev("integration")
    assert [(a["branch"], a["path"]) for a in data["auto_resolved"]] == [("feature/beta", "src/index.ts")]


def test_integrate_json_conflict_then_status_continue_abort(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    build_features(repo)
    c = ["-C", str(repo.path / "src")]  # from a subdirectory
    code, data = _json(capsys, "integrate", "feature/*", "--into", "main", *c)
    assert code == 1 and data["status"] == "conflict"
    assert data["conflicts"] == [{"branch": "feature/gamma", "path": CONFIG, "kind": "content"}]
    assert Path(data["worktree"]).is_dir() and data["pending"] == ["feature/gamma"]
    code, status = _json(capsys, "status", *c)
    assert code == 0 and status["status"] == "conflict" and status["worktree"] == data["worktree"]
    code, again = _json(capsys, "continue", *c)
    assert code == 1 and again["conflicts"][0]["path"] == CONFIG
    code, text, _ = run(capsys, "status", *c)
    assert code == 0 and "still unmerged" in text and "Pending: feature/gamma" in text
    code, aborted = _json(capsys, "abort", *c)
    assert code == 0 and aborted["status"] == "aborted" and aborted["result_commit"] is None
    code, none = _json(capsys, "status", *c)
    assert code == 0 and none == {"status": "none", "worktree_conflicts": [], "driver_bypassed": []}


def test_text_report_is_plain_when_not_a_terminal(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    build_features(repo)
    code, out, err = run(capsys, "integrate", "feature/*", "--into", "main", "-C", str(repo.path))
    assert code == 1 and err == ""
    assert "feature/gamma — needs a human" in out
    assert "feature/beta: src/index.ts" in out and "Status: conflict" in out
    assert "\x1b[" not in out


def test_plan_json_has_order_reasons_matrix(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    build_features(repo)
    user = UserSnapshot.take(repo)
    before = written_state(repo)
    code, data = _json(capsys, "plan", "feature/*", "--into", "main", "-C", str(repo.path))
    assert code == 0
    assert data["order"] == ["feature/alpha", "feature/beta", "feature/delta", "feature/gamma"]
    assert all(step["reason"] for step in data["steps"])
    pair = next(p for p in data["pairs"] if (p["a"], p["b"]) == ("feature/delta", "feature/gamma"))
    assert pair["human"] == [CONFIG]
    assert written_state(repo) == before and UserSnapshot.take(repo) == user


def test_dry_run_cli_writes_nothing(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    build_features(repo)
    before = written_state(repo)
    code, data = _json(capsys, "integrate", "feature/*", "--into", "main", "--dry-run", "-C", str(repo.path))
    assert code == 1 and data["dry_run"] is True and data["result_commit"] is None
    assert written_state(repo) == before


def test_branch_with_nothing_beyond_base_is_skipped_and_reported(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    build_features(repo)
    repo.git("branch", "feature/stale", "main")
    code, data = _json(
        capsys, "integrate", "feature/alpha", "feature/stale", "--into", "main", "-C", str(repo.path)
    )
    assert code == 0 and data["merged"] == ["feature/alpha"]
    assert data["skipped"] == [{"branch": "feature/stale", "reason": "nothing beyond BASE", "paths": []}]


def test_not_a_repository(
    tmp_path: Path, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = run(capsys, "integrate", "x", "--into", "main", "-C", str(plain))
    assert code == 2 and "not a git repository" in err and err.count("\n") == 1
    assert list(plain.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["integrate", "feature/nope", "--into", "main"], "branch 'feature/nope' not found"),
        (["integrate", "nothing/*", "--into", "main"], "no branch matches 'nothing/*'"),
        (["integrate", "feature/alpha", "--into", "release"], "BASE 'release' not found"),
        (["integrate", "--into", "main"], "no linked worktree has a branch"),
        (["integrate", "feature/alpha", "--into", "main", "--branch", "main"], "is BASE itself"),
        (
            ["integrate", "feature/alpha", "--into", "main", "--branch", "bad..name"],
            "not a valid branch name",
        ),
        (["plan", "feature/nope", "--into", "main"], "branch 'feature/nope' not found"),
        (["continue"], "no integration run in progress"),
        (["abort"], "no integration run in progress"),
    ],
)
def test_bad_input_is_refused(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    build_features(repo)
    _assert_refused(capsys, repo, [*args, "-C", str(repo.path)], message)


def test_second_run_while_paused_points_to_continue_or_abort(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    build_features(repo)
    code, _, _ = run(capsys, "integrate", "feature/*", "--into", "main", "-C", str(repo.path))
    assert code == 1
    args = ["integrate", "feature/alpha", "--into", "main", "-C", str(repo.path)]
    _assert_refused(capsys, repo, args, "`mergekit continue`")
    _assert_refused(capsys, repo, [*args, "--dry-run"], "`mergekit abort`")


def test_result_branch_checked_out_by_the_user(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    build_features(repo)
    repo.git("branch", "integration", "main")
    repo.git("checkout", "-q", "integration")
    _assert_refused(
        capsys,
        repo,
        ["integrate", "feature/alpha", "--into", "main", "-C", str(repo.path)],
        "is checked out in",
    )


def test_existing_unrelated_result_branch_needs_force(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    tips = build_features(repo)
    repo.git("branch", "integration", tips["feature/delta"])  # someone's own work
    args = ["integrate", "feature/alpha", "--into", "main", "-C", str(repo.path)]
    _assert_refused(capsys, repo, args, "pass --force")
    code, data = _json(capsys, *args, "--force")
    assert code == 0 and data["merged"] == ["feature/alpha"]
    code, data = _json(capsys, *args)  # now an earlier result of mergekit: fine without --force
    assert code == 0


def test_test_failing_on_base_is_refused_and_rolled_back(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    build_features(repo)
    args = ["integrate", "feature/alpha", "--into", "main", "--test", "exit 3", "-C", str(repo.path)]
    user = UserSnapshot.take(repo)
    before = written_state(repo)
    code, _, err = run(capsys, *args)
    assert code == 2 and "already fails on BASE" in err
    after = written_state(repo)
    assert after["refs"] == before["refs"] and after["worktrees"] == before["worktrees"]
    assert not (repo.path / ".git" / "mergekit" / "run.json").exists()
    assert UserSnapshot.take(repo) == user


def test_test_failure_json_names_the_branch(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    build_features(repo)
    code, data = _json(
        capsys, "integrate", "feature/*", "--into", "main", "--skip-conflicting",
        "--test", "! grep -q 'PAGE_SIZE = 500' src/config.ts", "-C", str(repo.path),
    )  # fmt: skip
    assert code == 1 and data["status"] == "test_failed"
    assert data["failed_branch"] == "feature/delta"
    assert Path(data["worktree"]).is_dir()


def test_demo_narrates_the_hand_off_and_cleans_up(
    capsys: pytest.CaptureFixture[str], git_env: dict[str, str]
) -> None:
    code, out, err = run(capsys, "demo")
    assert code == 0, err
    assert "Needs a human" in out and "src/config.ts" in out
    assert "<<<<<<< integration" in out and "mergekit continue" in out
    # the second act: the resolution is remembered and the re-run needs no human
    assert "remembered 1 resolved region in refs/mergekit/memory" in out
    assert "src/config.ts resolved from memory" in out and "no human needed this time" in out
    assert "cleaned up" in out
    path = next(line.split(" at ", 1)[1] for line in out.splitlines() if "scratch repository at" in line)
    assert not Path(path).exists()
