"""The installed merge driver never loses a side: hostile file names through a real `git merge`,
installs written with the old command line, and a driver that fails (bad options, a crash)
leaving git's own conflict markers in OURS instead of our side alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.app.install import DRIVER_ARGS
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(6))
A_LINE = "export * from './a';\n"
B_LINE = "export * from './b';\n"

HOSTILE = [
    "-rf.ts",
    "--path.ts",
    "-L.ts",
    "my file.ts",
    "it's.ts",
    'say "hi".ts',
    "$(touch pwned).ts",
    "`touch pwned2`.ts",
    "semi;colon & amp.ts",
    "back\\slash.ts",
    "100% %P %O.ts",
    "café ünïcode.ts",
    "new\nline.ts",
    "dir/-rf.ts",
]
"""File names a branch may carry: leading dashes, shell syntax, quotes, unicode, a newline."""

OLD_DRIVER_ARGS = "merge-file --path %P --marker-size %L -L %X -L %S -L %Y %O %A %B"
"""The driver's arguments as `mergekit install` wrote them before `--path=%P`."""


def _mergekit(*args: str) -> list[str]:
    return [sys.executable, "-m", "mergekit", *args]


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _two_sides(repo: GitRepo, names: list[str], ours_line: str = A_LINE, theirs_line: str = B_LINE) -> None:
    """BARREL in every file on main; branch `a` and branch `b` each append one line to each."""
    repo.commit("base", dict.fromkeys(names, BARREL))
    for branch, line in (("a", ours_line), ("b", theirs_line)):
        repo.checkout(branch, create=True, start="main")
        repo.commit(branch, dict.fromkeys(names, BARREL + line))
    repo.checkout("a")


def _install(repo: GitRepo, env: dict[str, str]) -> None:
    """`mergekit install` as a user runs it (the routing goes into .git/info/attributes)."""
    proc = _run(_mergekit("install"), repo.path, env)
    assert proc.returncode == 0, proc.stderr


def test_hostile_names_are_merged_by_the_installed_driver(repo: GitRepo, git_env: dict[str, str]) -> None:
    _install(repo, git_env)
    _two_sides(repo, HOSTILE)
    merge = _run(["git", "merge", "--no-edit", "b"], repo.path, git_env)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "error:" not in merge.stderr and "usage:" not in merge.stderr, merge.stderr
    lost = []
    for name in HOSTILE:
        text = (repo.path / name).read_text()
        if text.count(A_LINE) != 1 or text.count(B_LINE) != 1 or "<<<<<<<" in text:
            lost.append((name, text[-60:]))
    assert lost == []
    assert not (repo.path / "pwned").exists() and not (repo.path / "pwned2").exists()
    assert repo.git("status", "--porcelain") == ""


def test_an_old_install_still_merges_a_leading_dash_and_install_updates_it(
    repo: GitRepo, git_env: dict[str, str]
) -> None:
    _install(repo, git_env)
    current = repo.git("config", "--get", "merge.mergekit.driver").strip()
    program = current[: -len(DRIVER_ARGS)].rstrip()
    repo.git("config", "merge.mergekit.driver", f"{program} {OLD_DRIVER_ARGS}")
    _two_sides(repo, ["-rf.ts", "--marker-size.ts"])
    merge = _run(["git", "merge", "--no-edit", "b"], repo.path, git_env)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    for name in ("-rf.ts", "--marker-size.ts"):
        text = (repo.path / name).read_text()
        assert text.count(A_LINE) == 1 and text.count(B_LINE) == 1, (name, text)
    again = _run(_mergekit("install"), repo.path, git_env)
    assert again.returncode == 0 and "Installed" in again.stdout, again.stdout + again.stderr
    assert repo.git("config", "--get", "merge.mergekit.driver").strip() == current


def _conflicted(repo: GitRepo, env: dict[str, str], driver: str, name: str) -> tuple[str, str]:
    """Merge `b` into `a` with `driver` as the driver line; the file must be left conflicted.
    Returns its text and what the merge printed."""
    _install(repo, env)
    repo.git("config", "merge.mergekit.driver", driver)
    _two_sides(repo, [name], "export const N = 1;\n", "export const N = 2;\n")
    merge = _run(["git", "merge", "--no-edit", "b"], repo.path, env)
    assert merge.returncode == 1, merge.stdout + merge.stderr
    assert name in repo.git("diff", "--name-only", "--diff-filter=U")
    return (repo.path / name).read_text(), merge.stdout + merge.stderr


def _assert_git_markers(text: str) -> None:
    assert "export const N = 1;\n" in text and "export const N = 2;\n" in text, text
    for marker in ("<<<<<<< ", "=======\n", ">>>>>>> "):
        assert text.count(marker) == 1, text


@pytest.mark.parametrize("name", ["-rf.ts", "plain.ts"])
def test_a_driver_line_it_cannot_parse_leaves_git_markers(
    repo: GitRepo, git_env: dict[str, str], name: str
) -> None:
    program = " ".join(_mergekit())
    text, _ = _conflicted(repo, git_env, f"{program} merge-file --no-such-option %P %O %A %B", name)
    _assert_git_markers(text)


CRASHES = [
    ("mergekit.resolve", "resolve_file", "-rf.ts"),
    ("mergekit.app.driver_languages", "driver_lookup", "-rf.ts"),
    ("mergekit.resolve.linemerge", "line_merge", "Cargo.lock"),
]
"""Where an internal error is injected: the resolver, the repository's profile lookup, and the line
merge a lockfile gets instead of a union."""


@pytest.mark.parametrize(("module", "function", "name"), CRASHES, ids=[f"{m}.{f}" for m, f, _ in CRASHES])
def test_a_crashing_driver_leaves_git_markers(
    repo: GitRepo, git_env: dict[str, str], tmp_path: Path, module: str, function: str, name: str
) -> None:
    """An internal error on each of the driver's paths (injected in the driver's own process)."""
    script = tmp_path / "crashing_driver.py"
    script.write_text(
        "import sys\n"
        f"import {module} as target\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('injected crash')\n"
        f"target.{function} = boom\n"
        "from mergekit.entry import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    text, printed = _conflicted(repo, git_env, f"{sys.executable} {script} {DRIVER_ARGS}", name)
    _assert_git_markers(text)
    assert "injected crash" in printed and "wrote git's line merge" in printed, printed


def test_without_git_a_failure_still_leaves_a_whole_file_conflict(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    """When even `git merge-file` cannot run, OURS gets one conflict spanning the file."""
    for name, data in (("b", "one\n"), ("o", "one\nours\n"), ("t", "one\ntheirs")):
        (tmp_path / name).write_text(data)
    env = {**git_env, "PATH": str(tmp_path / "no-bin")}
    proc = _run(_mergekit("merge-file", "--no-such-option", "b", "o", "t"), tmp_path, env)
    assert proc.returncode == 1, proc.stderr
    assert (tmp_path / "o").read_text() == "<<<<<<< o\none\nours\n=======\none\ntheirs\n>>>>>>> t\n"
