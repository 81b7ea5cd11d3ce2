"""`mergekit doctor`: one test per finding, on real repositories (and on real programs for the driver
and the lockfile tools), plus the exit status: 0 when everything works, 1 when something will not."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from mergekit import __version__
from mergekit.app.doctor import git_findings, profile_findings, tools_findings
from mergekit.app.install import BEGIN, END, driver_line
from mergekit.entry import main
from mergekit.model import Severity
from mergekit.resolve.syntax import grammar_problem
from tests.helpers.cli import run, run_json
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(4))


def _doctor(
    capsys: pytest.CaptureFixture[str], repo: GitRepo | Path, *args: str
) -> tuple[int, dict[str, Any]]:
    where = repo.path if isinstance(repo, GitRepo) else repo
    return run_json(capsys, "doctor", "-C", str(where), "--json", *args)


def _findings(data: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["check"] == check]


def _levels(data: dict[str, Any], check: str) -> list[str]:
    return [f["level"] for f in _findings(data, check)]


def _installed(repo: GitRepo, files: dict[str, str] | None = None) -> GitRepo:
    repo.commit("base", files or {"src/index.ts": BARREL})
    assert main(["install", "-C", str(repo.path)]) == 0
    return repo


def _script(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


# --- the whole report ------------------------------------------------------------------------------


def test_all_good_after_install(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo)
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 0 and data["exit_code"] == 0, data
    assert all(f["level"] != "fail" for f in data["findings"])
    assert _levels(data, "driver") == ["ok"] and _levels(data, "routing") == ["ok"]
    assert data["paths_from"] == "sample"
    path = _findings(data, "path")[0]
    assert path["path"] == "src/index.ts" and path["profile"] == "typescript" and path["merge"] == "mergekit"
    code, out, _ = run(capsys, "doctor", "-C", str(repo.path))
    assert code == 0 and "All good" in out
    assert "ok    path            src/index.ts: the driver fires (profile typescript)" in out


def test_nothing_installed_fails_with_the_fix(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {"src/index.ts": BARREL})
    code, data = _doctor(capsys, repo)
    assert code == 1 and data["status"] == "fail"
    driver = _findings(data, "driver")
    assert driver[0]["level"] == "fail" and driver[0]["fix"] == "mergekit install"
    path = _findings(data, "path")[0]
    assert (
        path["level"] == "fail"
        and path["merge"] == "unspecified"
        and "no attribute routes it" in path["message"]
    )
    code, out, _ = run(capsys, "doctor", "-C", str(repo.path))
    assert code == 1 and "FAIL  driver" in out and "— fix: mergekit install" in out


def test_outside_a_repository_is_exit_2(
    tmp_path: Path, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "doctor", "-C", str(tmp_path))
    assert code == 2 and "not inside a git work tree" in err


# --- git -------------------------------------------------------------------------------------------


def test_git_version(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo)
    capsys.readouterr()
    _, data = _doctor(capsys, repo)
    assert _levels(data, "git") == ["ok"] and _findings(data, "git")[0]["message"].startswith("git 2.")
    assert [f.level for f in git_findings("git version 2.38.1")] == [Severity.FAIL]
    assert [f.level for f in git_findings("git version 2.39.5")] == [Severity.OK]
    assert "2.44" in git_findings("git version 2.39.5")[0].message
    assert "2.44" not in git_findings("git version 2.47.0.windows.1")[0].message
    assert [f.level for f in git_findings("not git")] == [Severity.FAIL]


# --- the driver config ----------------------------------------------------------------------------


def test_committed_gitattributes_without_config_fails(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("base", {"src/index.ts": BARREL, ".gitattributes": "*.ts merge=mergekit\n"})
    code, data = _doctor(capsys, repo, "src/index.ts")
    assert code == 1
    driver = _findings(data, "driver")[0]
    assert driver["level"] == "fail" and "committed .gitattributes" in driver["message"]
    path = _findings(data, "path")[0]
    assert path["level"] == "fail" and "not configured" in path["message"]
    assert main(["install", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    code, _ = _doctor(capsys, repo, "src/index.ts")
    assert code == 0


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        ("/nonexistent/mergekit", "does not run"),
        ("true", "does not run"),  # runs, but is not mergekit
    ],
)
def test_a_driver_whose_program_does_not_run_fails(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], program: str, expected: str
) -> None:
    _installed(repo)
    repo.git("config", "merge.mergekit.driver", driver_line(program))
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 1
    driver = _findings(data, "driver")
    assert [f["level"] for f in driver] == ["fail"] and expected in driver[0]["message"]


def test_a_driver_line_that_is_not_mergekit_fails(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo)
    repo.git("config", "merge.mergekit.driver", "cat %A")
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 1 and "not a mergekit driver line" in _findings(data, "driver")[0]["message"]


def test_an_older_driver_line_or_another_mergekit_warns(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _installed(repo)
    line = repo.git("config", "--get", "merge.mergekit.driver").strip()
    repo.git("config", "merge.mergekit.driver", line.replace(" --label=%X --label=%S --label=%Y", ""))
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 0 and _levels(data, "driver") == ["ok", "warn"]
    assert "another version of `mergekit install`" in _findings(data, "driver")[1]["message"]
    other = _script(tmp_path / "bin", "old-mergekit", 'echo "mergekit, version 0.0.1"')
    repo.git("config", "merge.mergekit.driver", driver_line(str(other)))
    code, data = _doctor(capsys, repo)
    assert code == 0 and _levels(data, "driver") == ["ok", "warn"]
    assert f"runs mergekit 0.0.1, this is mergekit {__version__}" in _findings(data, "driver")[1]["message"]


# --- where the routing lives ------------------------------------------------------------------------


def test_routing_only_in_an_uncommitted_gitattributes_fails(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("base", {"src/index.ts": BARREL, ".gitattributes": "*.png binary\n"})
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 1
    routing = _findings(data, "routing")
    assert [f["level"] for f in routing] == ["ok", "fail"]
    assert "uncommitted change to .gitattributes" in routing[1]["message"]
    repo.git("commit", "-qam", "share the routing")
    code, data = _doctor(capsys, repo)
    assert code == 0 and "(committed)" in _findings(data, "routing")[0]["message"]


def test_config_without_any_routing_fails(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {"src/index.ts": BARREL})
    repo.git("config", "merge.mergekit.driver", driver_line())
    code, data = _doctor(capsys, repo)
    assert code == 1 and _levels(data, "routing") == ["fail"]
    assert "no attributes file routes" in _findings(data, "routing")[0]["message"]


def test_changed_merge_attributes_since_install_fail_until_reinstalled(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _installed(repo, {"src/index.ts": BARREL, ".gitattributes": "*.png binary\n"})
    repo.commit("mine", {".gitattributes": "*.png binary\n*.json merge=ours\n"})
    capsys.readouterr()
    code, data = _doctor(capsys, repo, "data.json")
    assert code == 1
    assert "changed since `mergekit install`" in _findings(data, "routing")[1]["message"]
    assert main(["install", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    code, data = _doctor(capsys, repo, "data.json")
    assert code == 0 and "choose the merge driver 'ours'" in _findings(data, "path")[0]["message"]


def test_a_block_missing_profile_globs_warns(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo)
    info = repo.path / ".git" / "info" / "attributes"
    info.write_text("".join(line for line in info.read_text().splitlines(True) if "*.py " not in line))
    capsys.readouterr()
    code, data = _doctor(capsys, repo, "app.py")
    assert code == 1  # the path is not routed any more
    assert _levels(data, "routing") == ["ok", "warn"] and _levels(data, "path") == ["fail"]
    assert BEGIN in info.read_text() and END in info.read_text()


# --- paths -----------------------------------------------------------------------------------------


def test_paths_say_whether_the_driver_fires(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo, {"src/index.ts": BARREL, ".gitattributes": "package-lock.json -merge\n"})
    capsys.readouterr()
    code, data = _doctor(capsys, repo, "src/index.ts", "LICENSE", "package-lock.json")
    assert code == 0 and data["paths_from"] == "arguments"
    fires, plain, chosen = _findings(data, "path")
    assert fires["level"] == "ok" and fires["profile"] == "typescript" and "driver fires" in fires["message"]
    assert plain["profile"] is None and plain["merge"] == "unspecified" and plain["level"] == "ok"
    assert chosen["merge"] == "unset" and "mergekit stays out" in chosen["message"]


def test_paths_are_relative_to_the_current_directory(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _installed(repo)
    capsys.readouterr()
    code, data = _doctor(capsys, repo.path / "src", "index.ts", str(repo.path / "lib" / "a.ts"), "../b.py")
    assert code == 0 and [f["path"] for f in _findings(data, "path")] == ["src/index.ts", "lib/a.ts", "b.py"]


def _diverged(repo: GitRepo) -> None:
    for branch in ("a", "b"):
        repo.checkout(branch, create=True, start="main")
        repo.commit(
            branch, {"src/index.ts": BARREL + f"export * from './{branch}';\n", f"{branch}.md": "x\n"}
        )
    repo.checkout("a")


def test_paths_default_to_the_merge_in_progress(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {"src/index.ts": BARREL, "README.md": "x\n"})
    _diverged(repo)
    repo.git("merge", "b", check=False)  # no driver: a conflict
    code, data = _doctor(capsys, repo)
    assert code == 1 and data["paths_from"] == "conflicted"
    assert [f["path"] for f in _findings(data, "path")] == ["src/index.ts"]


def test_paths_default_to_the_last_merge(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo)
    _diverged(repo)
    repo.git("merge", "-q", "--no-edit", "b")
    repo.commit("after", {"later.ts": "x\n"})
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 0 and data["paths_from"] == "last-merge"
    assert data["last_merge"] == repo.rev("HEAD~1")
    assert [f["path"] for f in _findings(data, "path")] == ["src/index.ts"]


# --- settings, profiles, tools -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "level"),
    [(None, "ok"), ("merge", "ok"), ("diff3", "warn"), ("zdiff3", "warn"), ("diff2", "fail")],
)
def test_conflict_style(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], style: str | None, level: str
) -> None:
    _installed(repo)
    if style:
        repo.git("config", "merge.conflictStyle", style)
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert _levels(data, "conflict-style") == [level] and code == (1 if level == "fail" else 0)
    if level == "warn":
        assert f"git checkout --conflict={style}" in _findings(data, "conflict-style")[0]["fix"]


def test_mergekit_0_warns(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _installed(repo)
    monkeypatch.setenv("MERGEKIT", "0")
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    assert code == 0 and _levels(data, "environment") == ["warn"]
    assert _findings(data, "environment")[0]["fix"] == "unset MERGEKIT"


def test_profiles_and_their_grammars_load(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _installed(repo)
    capsys.readouterr()
    _, data = _doctor(capsys, repo)
    assert _levels(data, "profiles") == ["ok"]
    missing = grammar_problem("tree_sitter_not_installed_anywhere:language")
    assert missing is not None and "not installed" in missing
    assert grammar_problem("tree_sitter_json:language") is None
    broken = profile_findings(lambda grammar: "cannot load" if "typescript" in grammar else None)
    assert {f.level for f in broken} == {Severity.FAIL}
    assert any(f.message == "profile typescript: cannot load" for f in broken)


def test_lockfile_tools(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _installed(repo, {"src/index.ts": BARREL, "web/package-lock.json": "{}\n", "Cargo.lock": "x\n"})
    tools = tmp_path / "tools"
    _script(tools, "npm", "exit 0")
    for program in ("git", "sh"):  # a PATH with git, a shell, npm and this mergekit: no cargo
        found = shutil.which(program)
        assert found is not None
        (tools / program).symlink_to(found)
    monkeypatch.setenv("PATH", os.pathsep.join([str(tools), str(Path(sys.executable).parent)]))
    capsys.readouterr()
    code, data = _doctor(capsys, repo)
    found_tools = {f["message"].split(":")[0]: f for f in _findings(data, "tools")}
    assert found_tools["web/package-lock.json"]["level"] == "ok"
    assert (
        found_tools["Cargo.lock"]["level"] == "warn" and found_tools["Cargo.lock"]["fix"] == "install cargo"
    )
    assert code == 0  # a missing tool is worth knowing, but the driver works
    assert [f.level for f in tools_findings(["a/yarn.lock"], which=lambda tool: None)] == [Severity.WARN]
    assert [f.level for f in tools_findings(["README.md"])] == [Severity.OK]
