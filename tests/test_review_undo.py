"""`mergekit review` (auto-resolutions as diffs against git's line merge) and `mergekit undo PATH`
(git's conflict put back), on integration runs, hand-off worktrees and driver merges."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.check import branch, run
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(3))


def _json(capsys: pytest.CaptureFixture[str], cwd: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, *args, "--json", "-C", str(cwd))
    return code, (json.loads(out) if out.strip() else {}), err


@pytest.fixture
def paused(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> tuple[GitRepo, Path]:
    """u1 then u2, both appending to the barrel and changing N: u2's step pauses for a human."""
    repo.commit("base", {"src/index.ts": BARREL, "src/config.ts": "export const N = 1;\n", "README": "x\n"})
    for name, n in (("u1", 2), ("u2", 3)):
        branch(
            repo,
            name,
            {
                "src/index.ts": BARREL + f"export * from './{name}';\n",
                "src/config.ts": f"export const N = {n};\n",
            },
        )
    code, data, err = _json(capsys, repo.path, "integrate", "u1", "u2", "--into", "main", "--order", "given")
    assert code == 1, err
    return repo, Path(data["worktree"])


def test_review_of_a_finished_run(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {"src/index.ts": BARREL})
    for name in ("x", "y"):
        branch(repo, name, {"src/index.ts": BARREL + f"export * from './{name}';\n"})
    code, _, err = _json(capsys, repo.path, "integrate", "x", "y", "--into", "main", "--order", "given")
    assert code == 0, err
    code, data, err = _json(capsys, repo.path, "review")
    assert code == 0, err
    assert data["kind"] == "run" and data["target"] == "integration"
    assert len(data["commits"]) == 2
    [item] = data["resolutions"]
    assert item["path"] == "src/index.ts" and item["branch"] == "y"
    assert item["rule"].startswith("typescript:")
    assert "export * from './y';" in item["added"]
    assert "-<<<<<<< ours\n" in item["diff"] and "->>>>>>> y\n" in item["diff"]
    code, out, _ = run(capsys, "review", "integration", "-C", str(repo.path))
    assert code == 0 and "1 auto-resolution(s)" in out and "+++ mergekit: src/index.ts" in out


def test_review_and_undo_in_a_hand_off(
    capsys: pytest.CaptureFixture[str], paused: tuple[GitRepo, Path]
) -> None:
    repo, wt = paused
    code, data, _ = _json(capsys, repo.path, "review")
    assert code == 0
    assert [(r["path"], r["commit"]) for r in data["resolutions"]] == [("src/index.ts", None)]
    code, data, err = _json(capsys, wt, "undo", "src/index.ts")
    assert code == 0, err
    assert data["run_branch"] == "u2" and data["conflicts"] == 1
    text = (wt / "src/index.ts").read_text()
    assert "<<<<<<< integration\n" in text and ">>>>>>> u2\n" in text
    stages = repo.git("ls-files", "-u", "--", "src/index.ts", cwd=wt).split("\n")
    assert [line.split()[2] for line in stages if line] == ["1", "2", "3"]
    code, data, _ = _json(capsys, repo.path, "status")
    assert {"branch": "u2", "path": "src/index.ts", "kind": "undone auto-resolution"} in data["conflicts"]
    assert not any(a["path"] == "src/index.ts" and a["branch"] == "u2" for a in data["auto_resolved"])
    repo.write({"src/config.ts": "export const N = 5;\n"}, cwd=wt)
    repo.git("add", "src/config.ts", cwd=wt)
    code, data, _ = _json(capsys, wt, "continue")
    assert code == 1 and [c["path"] for c in data["conflicts"]] == ["src/index.ts"]
    repo.write({"src/index.ts": BARREL + "export * from './u2';\n"}, cwd=wt)
    repo.git("add", "src/index.ts", cwd=wt)
    code, data, err = _json(capsys, wt, "continue")
    assert code == 0, err
    assert "'./u1'" not in repo.show("integration", "src/index.ts")


def test_undo_refuses_what_it_cannot_put_back(
    capsys: pytest.CaptureFixture[str], paused: tuple[GitRepo, Path]
) -> None:
    repo, wt = paused
    code, _, err = _json(capsys, wt, "undo", "src/config.ts")
    assert code == 2 and "already conflicted" in err
    code, _, err = _json(capsys, wt, "undo", "README")
    assert code == 2 and "only one side changed README" in err
    (wt / "src/index.ts").write_text("mine\n")
    code, _, err = _json(capsys, wt, "undo", "src/index.ts")
    assert code == 2 and "not in the index" in err
    assert (wt / "src/index.ts").read_text() == "mine\n"
    code, _, _ = _json(capsys, wt, "undo", "src/index.ts", "--force")
    assert code == 0
    code, _, err = _json(capsys, repo.path, "undo", "src/index.ts")
    assert code == 2 and "no merge in progress" in err


def test_review_and_undo_after_a_driver_merge(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, git_env: dict[str, str]
) -> None:
    repo.commit("base", {"src/index.ts": BARREL})
    proc = subprocess.run(
        [sys.executable, "-m", "mergekit", "install"], cwd=repo.path, env=git_env, capture_output=True
    )
    assert proc.returncode == 0
    repo.commit("driver")
    for name in ("x", "y"):
        branch(repo, name, {"src/index.ts": BARREL + f"export * from './{name}';\n"})
    repo.git("merge", "-q", "--no-edit", "x")
    repo.git("merge", "-q", "--no-edit", "y")
    code, data, err = _json(capsys, repo.path, "review", "HEAD")
    assert code == 0, err
    assert data["kind"] == "commit"
    assert [(r["path"], r["branch"]) for r in data["resolutions"]] == [("src/index.ts", "y")]
    code, data, err = _json(capsys, repo.path / "src", "undo", "index.ts")
    assert code == 0, err
    assert data["after_commit"] is True and data["path"] == "src/index.ts"
    assert "<<<<<<< HEAD" in (repo.path / "src/index.ts").read_text()
    assert "src/index.ts" in repo.git("diff", "--name-only", "--diff-filter=U")


def test_review_needs_a_merge_commit(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {"a": "1\n"})
    code, _, err = _json(capsys, repo.path, "review")
    assert code == 2 and "no integration run to review" in err
    code, _, err = _json(capsys, repo.path, "review", "HEAD")
    assert code == 2 and "not a merge commit" in err
