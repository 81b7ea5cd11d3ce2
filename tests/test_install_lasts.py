"""`mergekit install` lasts: the default install lives in `.git/info/attributes`, so checkout, reset
and stash cannot switch the driver off, linked worktrees share it, the user's own merge attributes
keep precedence, and installs an earlier version wrote into `.gitattributes` keep working and are
removed by `--uninstall`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mergekit.app.install import BEGIN
from mergekit.entry import main
from tests.helpers.cli import run
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(4))
USER_ATTRIBUTES = "*.png binary\n"


def _two_branches(repo: GitRepo, attributes: str = USER_ATTRIBUTES) -> None:
    """main with a tracked .gitattributes and a barrel; branches a and b each add one export."""
    repo.commit("base", {".gitattributes": attributes, "src/index.ts": BARREL})
    for branch in ("a", "b"):
        repo.checkout(branch, create=True, start="main")
        repo.commit(branch, {"src/index.ts": BARREL + f"export * from './{branch}';\n"})
    repo.checkout("a")


def _merge(repo: GitRepo, git_env: dict[str, str], branch: str, cwd: Path | None = None) -> int:
    proc = subprocess.run(
        ["git", "merge", "-q", "--no-edit", branch],
        cwd=cwd or repo.path,
        env=git_env,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode


def _both_exports(text: str) -> bool:
    lines = text.splitlines()
    return lines.count("export * from './a';") == 1 and lines.count("export * from './b';") == 1


@pytest.mark.parametrize(
    "wipe",
    [
        ["reset", "-q", "--hard"],
        ["checkout", "-q", "-f", "a"],
        ["stash", "-q", "--include-untracked"],
    ],
    ids=["reset-hard", "checkout-f", "stash"],
)
def test_the_driver_survives_what_wipes_the_work_tree(
    repo: GitRepo, git_env: dict[str, str], wipe: list[str]
) -> None:
    _two_branches(repo)
    assert main(["install", "-C", str(repo.path)]) == 0
    (repo.path / "scratch.txt").write_text("work in progress\n")  # something for stash to take
    (repo.path / ".gitattributes").write_text(USER_ATTRIBUTES + "*.txt text\n")
    repo.git(*wipe)
    assert (repo.path / ".gitattributes").read_text() == USER_ATTRIBUTES
    assert _merge(repo, git_env, "b") == 0
    assert _both_exports((repo.path / "src/index.ts").read_text())


def test_the_old_default_loses_the_driver_on_reset(repo: GitRepo, git_env: dict[str, str]) -> None:
    """The trap the default install avoids: an uncommitted .gitattributes block is wiped by a reset."""
    _two_branches(repo)
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0
    repo.git("reset", "-q", "--hard")
    assert _merge(repo, git_env, "b") == 1  # git merged without the driver: a plain conflict


def test_linked_worktrees_share_the_install(repo: GitRepo, git_env: dict[str, str], tmp_path: Path) -> None:
    _two_branches(repo)
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "-b", "c", str(linked), "a")
    assert main(["install", "-C", str(linked)]) == 0
    info = repo.path / ".git" / "info" / "attributes"
    assert info.read_text().startswith(BEGIN)
    assert not (linked / ".gitattributes").read_text().startswith(BEGIN)
    assert _merge(repo, git_env, "b", cwd=linked) == 0
    assert _both_exports((linked / "src/index.ts").read_text())
    assert _merge(repo, git_env, "b") == 0  # the main worktree too
    assert _both_exports((repo.path / "src/index.ts").read_text())


def test_own_merge_attributes_keep_precedence(repo: GitRepo) -> None:
    repo.commit(
        "base",
        {
            ".gitattributes": "[attr]generated -merge -diff\npackage-lock.json -merge\n*.gen.ts generated\n",
            "web/.gitattributes": "*.json merge=ours\nconf/*.yaml merge=union\n",
            "README.md": "x\n",
        },
    )
    assert main(["install", "-C", str(repo.path)]) == 0

    def merge_attr(path: str) -> str:
        return repo.git("check-attr", "merge", "--", path).strip().rsplit(": ", 1)[-1]

    assert merge_attr("package-lock.json") == "unset"
    assert merge_attr("src/api.gen.ts") == "unset"
    assert merge_attr("web/a/b/data.json") == "ours"
    assert merge_attr("web/conf/app.yaml") == "union"
    assert merge_attr("web/other/app.yaml") == "mergekit"
    assert merge_attr("data.json") == "mergekit"
    assert merge_attr("src/index.ts") == "mergekit"


def test_shared_install_says_what_each_clone_needs(
    repo: GitRepo, git_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_branches(repo)
    code, out, _ = run(capsys, "install", "--shared", "-C", str(repo.path))
    assert code == 0
    assert "Commit .gitattributes" in out and "Every other clone still needs" in out
    assert "`mergekit install` there" in out
    repo.git("commit", "-qam", "route files to mergekit")
    clone = tmp_path / "clone"
    repo.git("clone", "-q", str(repo.path), str(clone))
    subprocess.run(["git", "checkout", "-q", "a"], cwd=clone, env=git_env, check=True)
    # The committed block alone does nothing in a fresh clone: git has no driver of that name.
    assert _merge(repo, git_env, "origin/b", cwd=clone) == 1
    subprocess.run(["git", "merge", "--abort"], cwd=clone, env=git_env, check=True)
    code, out, _ = run(capsys, "install", "-C", str(clone))
    assert code == 0 and "also holds" not in out  # the committed block is the team's, not a leftover
    assert _merge(repo, git_env, "origin/b", cwd=clone) == 0


def test_uninstall_removes_an_earlier_default_install(
    repo: GitRepo, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Before `.git/info/attributes`, the default wrote an (uncommitted) .gitattributes block."""
    _two_branches(repo)
    config_before = repo.git("config", "--local", "--list")
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0  # what the old default wrote
    assert _merge(repo, git_env, "b") == 0  # it keeps working
    repo.git("reset", "-q", "--hard", "HEAD~1")
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0
    code, out, _ = run(capsys, "install", "--uninstall", "-C", str(repo.path))
    assert code == 0 and ".gitattributes" in out
    assert (repo.path / ".gitattributes").read_text() == USER_ATTRIBUTES
    assert repo.git("config", "--local", "--list") == config_before
    assert repo.git("status", "--porcelain") == ""


def test_plain_uninstall_leaves_a_committed_block(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _two_branches(repo)
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0
    repo.git("commit", "-qam", "route files to mergekit")
    shared = (repo.path / ".gitattributes").read_text()
    assert main(["install", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "install", "--uninstall", "-C", str(repo.path))
    assert code == 0 and "--uninstall --shared" in out and "stays" in out
    assert (repo.path / ".gitattributes").read_text() == shared
    assert "merge.mergekit" not in repo.git("config", "--local", "--list")
    code, out, _ = run(capsys, "install", "--uninstall", "--shared", "-C", str(repo.path))
    assert code == 0 and "Commit .gitattributes" in out
    assert (repo.path / ".gitattributes").read_text() == USER_ATTRIBUTES


def test_shared_uninstall_keeps_the_config_this_clone_uses(
    repo: GitRepo, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _two_branches(repo)
    assert main(["install", "-C", str(repo.path)]) == 0
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "install", "--uninstall", "--shared", "-C", str(repo.path), "--json")
    assert code == 0 and '"config_kept": true' in out
    assert repo.git("config", "--get", "merge.mergekit.driver").strip()
    assert _merge(repo, git_env, "b") == 0


def test_shared_and_global_exclude_each_other(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base")
    code, _, err = run(capsys, "install", "--shared", "--global", "-C", str(repo.path))
    assert code == 2 and "--shared and --global" in err
    assert "mergekit" not in repo.git("config", "--local", "--list")
