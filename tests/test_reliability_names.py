"""File names that are not UTF-8 (git stores names as bytes): a conflict on one is handed off and
continued like any other, and a clean union of one is committed with the name, byte for byte, in
the commit message; text and `--json` output never crash on them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.gitrepo import GitRepo

LATIN = b"caf\xe9.txt"
"""A Latin-1 name: not valid UTF-8."""
BARREL = b"b\xe9rrel.ts"
"""A TypeScript barrel whose name is not UTF-8."""
EXPORTS = b"export * from './users';\n"


def _write(repo: GitRepo, name: bytes, data: bytes) -> None:
    (repo.path / os.fsdecode(name)).write_bytes(data)


def _branches(repo: GitRepo, conflict: bool = True) -> None:
    """u and v each append to the barrel; with `conflict`, each also rewrites the Latin-1 file."""
    _write(repo, LATIN, b"base\n")
    _write(repo, BARREL, EXPORTS)
    repo.commit("base")
    for branch in ("u", "v"):
        repo.checkout(branch, create=True, start="main")
        if conflict:
            _write(repo, LATIN, f"{branch}\n".encode())
        _write(repo, BARREL, EXPORTS + f"export * from './{branch}';\n".encode())
        repo.commit(branch)
    repo.checkout("main")


def _mergekit(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[bytes]:
    """mergekit with a strict UTF-8 stdout, as in a UTF-8 locale (C.UTF-8 would forgive more)."""
    env = {**repo.env, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run(
        [sys.executable, "-m", "mergekit", *args], cwd=repo.path, env=env, capture_output=True
    )


def _ls_files(repo: GitRepo, *args: str, cwd: Path | None = None) -> list[bytes]:
    out = subprocess.run(
        ["git", "ls-files", "-z", *args], cwd=cwd or repo.path, env=repo.env, capture_output=True, check=True
    ).stdout
    return [line for line in out.split(b"\0") if line]


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_conflict_on_a_latin1_name_is_handed_off_and_continued(repo: GitRepo, as_json: bool) -> None:
    _branches(repo)
    proc = _mergekit(
        repo, "integrate", "u", "v", "--into", "main", "--order", "given", *(["--json"] * as_json)
    )
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    if as_json:
        report = json.loads(proc.stdout)
        assert report["status"] == "conflict" and report["merged"] == ["u"]
    worktree = repo.path / ".git" / "mergekit" / "worktrees" / "integration"
    unmerged = _ls_files(repo, "-u", cwd=worktree)
    assert [line.split(b"\t", 1)[1] for line in unmerged] == [LATIN] * 3
    text = (worktree / os.fsdecode(LATIN)).read_bytes()
    assert text == b"<<<<<<< integration\nu\n=======\nv\n>>>>>>> v\n"
    status = _mergekit(repo, "status", *(["--json"] * as_json))
    assert status.returncode == 0, status.stderr.decode(errors="replace")
    (worktree / os.fsdecode(LATIN)).write_bytes(b"u and v\n")
    subprocess.run(["git", "add", "-A"], cwd=worktree, env=repo.env, check=True)
    done = _mergekit(repo, "continue", *(["--json"] * as_json))
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    shown = subprocess.run(
        ["git", "show", b"integration:" + LATIN], cwd=repo.path, env=repo.env, capture_output=True, check=True
    ).stdout
    assert shown == b"u and v\n"
    # the resolution is remembered under the name's bytes, and recalled by the next run
    listed = _mergekit(repo, "memory", "list", *(["--json"] * as_json))
    assert listed.returncode == 0, listed.stderr.decode(errors="replace")
    if as_json:
        entries = json.loads(listed.stdout)["entries"]
        assert [os.fsencode(e["path"]) for e in entries] == [LATIN]
    else:
        assert b"caf\\351.txt" in listed.stdout
    again = _mergekit(repo, "integrate", "u", "v", "--into", "main", "--order", "given", "--branch", "again")
    assert again.returncode == 0, again.stderr.decode(errors="replace")


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_clean_union_of_a_latin1_name_is_committed(repo: GitRepo, as_json: bool) -> None:
    _branches(repo, conflict=False)
    proc = _mergekit(
        repo, "integrate", "u", "v", "--into", "main", "--order", "given", *(["--json"] * as_json)
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    merged = subprocess.run(
        ["git", "show", b"integration:" + BARREL],
        cwd=repo.path,
        env=repo.env,
        capture_output=True,
        check=True,
    ).stdout
    assert merged == EXPORTS + b"export * from './u';\nexport * from './v';\n"
    message = subprocess.run(
        ["git", "log", "-1", "--format=%B", "integration"], cwd=repo.path, env=repo.env, capture_output=True
    ).stdout
    assert BARREL in message


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "u", "v", "--into", "main"),
        ("plan", "u", "v", "--into", "main", "--json"),
        ("plan", "u", "v", "--into", "main", "--format", "mermaid"),
        ("check", "u", "v", "--into", "main"),
        ("check", "u", "v", "--into", "main", "--format", "github"),
        ("check", "u", "v", "--into", "main", "--format", "json"),
        ("check", "u", "v", "--into", "main", "--format", "junit"),
        ("integrate", "u", "v", "--into", "main", "--dry-run"),
    ],
    ids=lambda args: "-".join(a for a in args if a not in ("u", "v", "main", "--into"))[:30],
)
def test_reports_name_a_latin1_path_with_its_bytes(repo: GitRepo, args: tuple[str, ...]) -> None:
    _branches(repo)
    proc = _mergekit(repo, *args)
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    if "json" in args or "--json" in args:
        assert "caf\\udce9.txt" in proc.stdout.decode("utf-8")  # valid UTF-8: the byte as an escape
        json.loads(proc.stdout)
    elif "mermaid" not in args:  # the flowchart names branches only
        assert "caf\\351.txt" in proc.stdout.decode("utf-8")  # valid UTF-8: the byte as git quotes it


def test_resolve_after_a_plain_git_merge_handles_latin1_names(repo: GitRepo) -> None:
    _branches(repo)
    repo.checkout("u")
    merge = subprocess.run(["git", "merge", "-q", "v"], cwd=repo.path, env=repo.env, capture_output=True)
    assert merge.returncode == 1
    as_json = _mergekit(repo, "resolve", "--json")
    assert as_json.returncode == 1, as_json.stderr.decode(errors="replace")
    assert "b\\udce9rrel.ts" in as_json.stdout.decode("utf-8")
    proc = _mergekit(repo, "resolve", "--add")
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    assert "b\\351rrel.ts" in proc.stdout.decode("utf-8") and "caf\\351.txt" in proc.stdout.decode("utf-8")
    assert _ls_files(repo, "-u") and all(line.endswith(LATIN) for line in _ls_files(repo, "-u"))
    assert (repo.path / os.fsdecode(BARREL)).read_bytes().count(b"export * from") == 3
