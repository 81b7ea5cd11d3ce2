"""Patch files as inputs of integrate, plan and check, end to end through the CLI on real repositories:
`git format-patch` series and `git diff` output, standard input, and a patch that does not apply."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.cli import run_json
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import written_state

BARREL = "".join(f"export * from './m{i}';\n" for i in range(4))


def _app(repo: GitRepo, tmp_path: Path) -> Path:
    """main + feat/b (barrel append); an agent's two commits on main, handed back as a patch series."""
    repo.commit("base", {"src/index.ts": BARREL, "src/a.ts": "export const a = 1;\n"})
    repo.checkout("feat/b", create=True)
    repo.commit("b", {"src/index.ts": BARREL + "export * from './b';\n", "src/b.ts": "export const b = 2;\n"})
    repo.checkout("agent", create=True, start="main")
    env = dict(repo.env, GIT_AUTHOR_NAME="Cloud Agent", GIT_AUTHOR_EMAIL="agent@example.com")
    for message, files in (
        ("c: the module", {"src/c.ts": "export const c = 3;\n"}),
        ("c: export it", {"src/index.ts": BARREL + "export * from './c';\n"}),
    ):
        repo.write(files)
        subprocess.run(["git", "add", "-A"], cwd=repo.path, env=env, check=True)
        subprocess.run(["git", "commit", "-qm", message], cwd=repo.path, env=env, check=True)
    series = tmp_path / "task-c.patch"
    series.write_text(repo.git("format-patch", "--stdout", "main..agent"))
    repo.checkout("main")
    repo.git("branch", "-q", "-D", "agent")
    return series


def test_format_patch_series_is_integrated_like_a_branch(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = _app(repo, tmp_path)
    code, data = run_json(
        capsys, "integrate", "feat/b", str(series), "--into", "main", "--json", "-C", str(repo.path)
    )
    assert code == 0 and data["status"] == "done"
    assert data["order"] == ["feat/b", "task-c.patch"] and data["merged"] == ["feat/b", "task-c.patch"]
    assert data["auto_resolved"][0]["path"] == "src/index.ts"  # the barrel both appended to
    barrel = repo.show("integration", "src/index.ts")
    assert "'./b'" in barrel and "'./c'" in barrel and repo.show("integration", "src/c.ts")
    # the patch became two commits by its author, with its messages, on the commit it was made from
    patch_tip = repo.rev("integration^2")
    assert repo.git("log", "--format=%an|%s", f"main..{patch_tip}").splitlines() == [
        "Cloud Agent|c: export it",
        "Cloud Agent|c: the module",
    ]
    assert repo.rev(f"{patch_tip}~2") == repo.rev("main")
    assert any("2 commit(s) applied where it was made" in n for n in data["notes"])


def test_squash_makes_one_commit_per_input(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = _app(repo, tmp_path)
    args = ("integrate", "feat/b", str(series), "--into", "main", "--strategy", "squash", "--order", "given")
    code, _ = run_json(capsys, *args, "--json", "-C", str(repo.path))
    assert code == 0
    log = repo.git("log", "--first-parent", "--format=%P|%s", "main..integration").splitlines()
    assert [line.split("|")[1] for line in log] == [
        "Squash branch 'task-c.patch' into integration",
        "Squash branch 'feat/b' into integration",
    ]
    assert all(len(line.split("|")[0].split()) == 1 for line in log)
    assert "* c: the module" in repo.git("log", "-1", "--format=%B", "integration")


def test_git_diff_from_stdin(repo: GitRepo, tmp_path: Path) -> None:
    _app(repo, tmp_path)
    repo.checkout("tmp", create=True)
    repo.commit("d", {"src/index.ts": BARREL + "export * from './d';\n"})
    diff = repo.git("diff", "main", "tmp")
    repo.checkout("main")
    proc = subprocess.run(
        [sys.executable, "-m", "mergekit", "integrate", "feat/b", "-", "--into", "main", "--json"],
        cwd=repo.path,
        env=repo.env,
        input=diff,
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and sorted(data["merged"]) == ["(stdin)", "feat/b"]
    assert "export * from './d';" in repo.show("integration", "src/index.ts")
    assert "Apply (stdin)" in repo.git("log", "--format=%s", "main..integration").splitlines()


def _unappliable(repo: GitRepo, tmp_path: Path) -> Path:
    """A diff made elsewhere (its preimage is not in this repository) that main moved away from:
    one file would apply, the other does not."""
    repo.commit("base", {"src/config.ts": "export const N = 1;\nexport const M = 1;\n", "notes.md": "a\n"})
    repo.checkout("feat/ok", create=True)
    repo.commit("ok", {"src/ok.ts": "ok\n"})
    repo.checkout("elsewhere", create=True, start="main")
    repo.commit("their base", {"src/config.ts": "export const N = 1;\nexport const M = 1;\n// x\n"})
    repo.commit(
        "agent", {"src/config.ts": "export const N = 2;\nexport const M = 1;\n// x\n", "notes.md": "a\nb\n"}
    )
    diff = tmp_path / "task.diff"
    diff.write_text(repo.git("diff", "elsewhere~1", "elsewhere"))
    repo.checkout("main")
    repo.git("branch", "-q", "-D", "elsewhere")
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    repo.commit("main changes N", {"src/config.ts": "export const N = 10;\nexport const M = 1;\n"})
    return diff


def test_a_patch_that_does_not_apply_is_reported_never_half_applied(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    diff = _unappliable(repo, tmp_path)
    code, data = run_json(
        capsys, "integrate", "feat/ok", str(diff), "--into", "main", "--json", "-C", str(repo.path)
    )
    assert code == 1 and data["status"] == "done" and data["merged"] == ["feat/ok"]
    (skipped,) = data["skipped"]
    assert skipped["branch"] == "task.diff" and skipped["reason"] == "patch does not apply"
    assert skipped["paths"] == ["src/config.ts"] and "@@ -1,3 +1,3 @@" in skipped["detail"]
    assert data["conflicts"] == [
        {
            "branch": "task.diff",
            "path": "src/config.ts",
            "kind": "patch does not apply",
            "detail": "1 of 1 hunks do not apply: @@ -1,3 +1,3 @@",
        }
    ]
    assert repo.show("integration", "notes.md") == "a\n"  # the file that would apply was not applied
    assert "task.diff" in data["order"]
    code, check = run_json(
        capsys, "check", "feat/ok", str(diff), "--into", "main", "--format", "json", "-C", str(repo.path)
    )
    assert code == 1
    pair = next(p for p in check["pairs"] if p["theirs"] == "task.diff")
    assert pair["status"] == "needs_human" and pair["conflicts"][0]["kind"] == "patch does not apply"
    assert pair["conflicts"][0]["hunks"] == [
        {"ours_line": 1, "ours_lines": 3, "theirs_line": 1, "theirs_lines": 3}
    ]
    assert check["patches"][0]["applied"] is False


def test_plan_check_and_dry_run_with_patches_write_nothing(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = _app(repo, tmp_path)
    before = written_state(repo)
    code, plan = run_json(
        capsys, "plan", "feat/b", str(series), "--into", "main", "--json", "-C", str(repo.path)
    )
    assert code == 0 and sorted(plan["order"]) == ["feat/b", "task-c.patch"]
    assert plan["patches"][0]["made_on"] == "origin" and plan["patches"][0]["commits"] == 2
    code, check = run_json(
        capsys, "check", "feat/b", str(series), "--into", "main", "--json", "-C", str(repo.path)
    )
    assert code == 0 and check["status"] == "auto_resolved"
    code, dry = run_json(
        capsys,
        "integrate",
        "feat/b",
        str(series),
        "--into",
        "main",
        "--dry-run",
        "--json",
        "-C",
        str(repo.path),
    )
    assert code == 0 and dry["dry_run"] and sorted(dry["merged"]) == ["feat/b", "task-c.patch"]
    assert written_state(repo) == before


def test_a_file_that_is_not_a_patch_is_bad_input(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _app(repo, tmp_path)
    (tmp_path / "notes.patch").write_text("just words\n")
    code = main(
        ["integrate", "feat/b", str(tmp_path / "notes.patch"), "--into", "main", "-C", str(repo.path)]
    )
    out, err = capsys.readouterr()
    assert code == 2 and "notes.patch is not a patch" in err and out == ""
    assert "refs/heads/integration" not in repo.refs()
