"""Scratch space of a killed run (objects of dry runs, file contents of line merges) lives in one
per-user place, `$TMPDIR/mergekit-<uid>/`, and the next mergekit run removes it; a live process's
scratch is left alone, and a run that ends removes its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import build_features


@pytest.fixture
def tmpdir_env(repo: GitRepo, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The repository's environment with a private TMPDIR; and the scratch root inside it."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return {**repo.env, "TMPDIR": str(tmp)}, tmp / f"mergekit-{os.getuid()}"


def _mergekit(repo: GitRepo, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mergekit", *args], cwd=repo.path, env=env, capture_output=True, text=True
    )


def _listing(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_a_killed_integrate_leaves_scratch_that_the_next_run_removes(
    repo: GitRepo, tmp_path: Path, tmpdir_env: tuple[dict[str, str], Path]
) -> None:
    env, root = tmpdir_env
    build_features(repo)
    during = tmp_path / "during"
    # the --test command runs after the plan's predictions (line merges of the barrel): it lists
    # the scratch root, then kills mergekit itself (its parent) with SIGKILL
    kill = f'ls -A "{root}" > "{during}"; kill -9 $PPID'
    proc = _mergekit(
        repo, env, "integrate", "feature/alpha", "feature/beta", "--into", "main", "--test", kill
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    left = during.read_text().split()
    assert left, "the killed run kept no scratch in the per-user place"
    assert _listing(root) == left
    assert any(path.name.startswith("linemerge-") for name in left for path in (root / name).iterdir())
    assert _mergekit(repo, env, "plan", "feature/alpha", "--into", "main").returncode == 0
    assert _listing(root) == []


def test_a_process_killed_inside_a_scratch_view_is_cleaned_too(
    repo: GitRepo, tmpdir_env: tuple[dict[str, str], Path]
) -> None:
    env, root = tmpdir_env
    repo.commit("base", {"a.txt": "a\n"})
    script = (
        "import os, signal\n"
        "from mergekit.engine import open_repo\n"
        "repo = open_repo('.')\n"
        "with repo.scratch() as scratch:\n"
        "    scratch.write_blob(b'private file contents')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=repo.path, env=env, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(_listing(root)) == 1
    assert _mergekit(repo, env, "plan", "main", "--into", "main").returncode == 0
    assert _listing(root) == []


def test_a_live_process_keeps_its_scratch_and_removes_it_at_exit(
    repo: GitRepo, tmpdir_env: tuple[dict[str, str], Path]
) -> None:
    env, root = tmpdir_env
    repo.commit("base", {"a.txt": "a\n"})
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from mergekit.engine.scratch import process_dir; print(process_dir(), flush=True); input()",
        ],
        cwd=repo.path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    held = Path(holder.stdout.readline().strip())
    try:
        assert held.parent == root and held.is_dir()
        assert _mergekit(repo, env, "plan", "main", "--into", "main").returncode == 0
        assert held.is_dir()  # another run's sweep left the live process's directory alone
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait()
    assert holder.returncode == 0
    assert _listing(root) == []


def test_a_run_killed_while_a_tool_regenerates_a_derived_file_leaves_no_copy_behind(
    repo: GitRepo, tmp_path: Path, tmpdir_env: tuple[dict[str, str], Path]
) -> None:
    """The scratch copy of the tree a lockfile's tool runs in (file contents) is the process's own."""
    env, root = tmpdir_env
    where = tmp_path / "where"
    # the project's tool: says where it runs, then kills mergekit itself (its parent) with SIGKILL
    rule = (
        f'[derived.files."requirements.lock"]\ncommand = "pwd > {where}; kill -9 $PPID"\n'
        'inputs = ["requirements.txt"]\n'
    )
    repo.commit("base", {".mergekit.toml": rule, "requirements.txt": "a\n", "requirements.lock": "a\n"})
    for name in ("x", "y"):
        repo.checkout(name, create=True, start="main")
        repo.commit(name, {"requirements.txt": f"a\n{name}\n", "requirements.lock": f"a\n{name}\n"})
    repo.checkout("main")
    proc = _mergekit(repo, env, "integrate", "x", "y", "--into", "main", "--order", "given")
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    copy = Path(where.read_text().strip())
    assert copy.is_dir() and root in copy.parents  # in the per-user place, not loose in the temp folder
    assert (copy / "requirements.txt").read_text() == "a\nx\ny\n"
    assert _mergekit(repo, env, "abort").returncode == 0
    assert _mergekit(repo, env, "plan", "x", "--into", "main").returncode == 0  # the next run's sweep
    assert not copy.exists() and _listing(root) == []
