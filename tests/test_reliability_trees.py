"""A branch whose tree holds an entry git refuses to check out (`..`, `.`, `.git` in any case, at the
top or deeper) is bad input: integrate, a dry run, plan and check exit 2 with one line naming the
branch and the path, and write nothing."""

from __future__ import annotations

import subprocess

import pytest

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo

BARREL = "export * from './users';\n"


def _git_in(repo: GitRepo, text: str, *args: str) -> str:
    """git with `text` on stdin; its stdout, stripped."""
    proc = subprocess.run(
        ["git", *args], cwd=repo.path, env=repo.env, input=text, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def _mktree(repo: GitRepo, lines: list[str]) -> str:
    return _git_in(repo, "".join(line + "\n" for line in lines), "mktree")


def _bad_branch(repo: GitRepo, name: str, nested: bool) -> None:
    """Branch `bad`: main plus a directory entry called `name` (inside `evil/` when `nested`)."""
    blob = _git_in(repo, "[core]\n\tfsmonitor = touch pwned\n", "hash-object", "-w", "--stdin")
    inner = _mktree(repo, [f"100644 blob {blob}\tconfig"])
    entry = f"040000 tree {inner}\t{name}"
    if nested:
        entry = f"040000 tree {_mktree(repo, [entry])}\tevil"
    barrel = _git_in(repo, BARREL + "export * from './bad';\n", "hash-object", "-w", "--stdin")
    tree = _mktree(repo, [f"100644 blob {barrel}\tindex.ts", entry])
    commit = repo.git("commit-tree", "-p", "main", "-m", "bad", tree).strip()
    repo.git("branch", "bad", commit)


COMMANDS = [
    ("integrate", "good", "bad", "--into", "main"),
    ("integrate", "bad", "--into", "main", "--dry-run"),
    ("integrate", "good", "bad", "--into", "main", "--order", "given", "--json"),
    ("plan", "good", "bad", "--into", "main"),
    ("check", "good", "bad", "--into", "main"),
]


@pytest.mark.parametrize(
    ("name", "nested"),
    [(".git", False), (".GiT", False), ("..", False), (".", False), (".git", True), ("..", True)],
    ids=[".git", ".GiT", "..", ".", "nested-.git", "nested-.."],
)
def test_an_invalid_entry_is_exit_2_naming_branch_and_path(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], name: str, nested: bool
) -> None:
    repo.commit("base", {"index.ts": BARREL})
    repo.checkout("good", create=True, start="main")
    repo.commit("good", {"index.ts": BARREL + "export * from './good';\n"})
    repo.checkout("main")
    _bad_branch(repo, name, nested)
    refs = repo.refs()
    path = f"evil/{name}/config" if nested else f"{name}/config"
    for args in COMMANDS:
        code = main([*args, "-C", str(repo.path)])
        out, err = capsys.readouterr()
        assert code == 2, (args, out, err)
        lines = err.splitlines()
        assert len(lines) == 1, (args, err)
        assert "'bad'" in lines[0] and repr(path) in lines[0], (args, lines[0])
        assert repo.refs() == refs
        assert not (repo.path / ".git" / "mergekit" / "run.json").exists()
    assert not (repo.path / "pwned").exists()
