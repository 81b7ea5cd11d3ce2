"""`mergekit merge-file`, the git merge driver: git's output byte for byte where nothing structural
applies, exit statuses 0/1/2/129, labels, marker size, atomic writes, and a real `git merge`
that runs the driver registered by `mergekit install`."""

from __future__ import annotations

import os
import resource
import shlex
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mergekit.entry import main
from mergekit.resolve.profiles import profile_for
from tests.helpers.gitmerge import git_merge_file
from tests.helpers.gitrepo import GitRepo

_MIDDLE = b"three\nfour\nfive\nfive and a half\nfive and three quarters\n"
BASE = b"one\ntwo\n" + _MIDDLE + b"six\nseven\n"
OURS = b"one\nTWO (ours)\n" + _MIDDLE + b"six\nSEVEN\n"
THEIRS = b"one\nTWO (theirs)\n" + _MIDDLE + b"SIX\nseven\n"

BARREL_BASE = b"export * from './users';\nexport * from './teams';\n"
BARREL_OURS = BARREL_BASE + b"export * from './billing';\n"
BARREL_THEIRS = BARREL_BASE + b"export * from './audit';\n"


def _files(folder: Path, base: bytes, ours: bytes, theirs: bytes) -> tuple[Path, Path, Path]:
    """Write the three versions as `b`, `o`, `t` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / "b", folder / "o", folder / "t")
    for p, data in zip(paths, (base, ours, theirs), strict=True):
        p.write_bytes(data)
    return paths


def _git_merge_file(folder: Path, env: dict[str, str], *opts: str) -> tuple[int, bytes]:
    """What `git merge-file` makes of the b, o, t in `folder` (copies named o, b, t, so the labels match)."""
    base, ours, theirs = ((folder / name).read_bytes() for name in ("b", "o", "t"))
    return git_merge_file(folder / "git", env, base, ours, theirs, *opts, names=("o", "b", "t"))


def _driver(
    folder: Path, env: dict[str, str], *args: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `mergekit merge-file ARGS` as git would: a separate process in `folder`."""
    return subprocess.run(
        [sys.executable, "-m", "mergekit", "merge-file", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        check=False,
        preexec_fn=preexec_fn,
    )


@pytest.mark.parametrize(
    "opts",
    [
        (),
        ("--diff3",),
        ("--zdiff3",),
        ("--marker-size", "11"),
        ("-L", "HEAD", "-L", "merged common ancestors", "-L", "feature/x"),
        ("-L", "only-ours"),
    ],
    ids=["merge", "diff3", "zdiff3", "marker-size", "labels", "one-label"],
)
def test_plain_file_is_byte_identical_to_git_merge_file(
    work: Path, git_env: dict[str, str], opts: tuple[str, ...]
) -> None:
    _files(work, BASE, OURS, THEIRS)
    git_code, git_out = _git_merge_file(work, git_env, *opts)
    proc = _driver(work, git_env, *opts, "b", "o", "t")
    ours = (work / "o").read_bytes()
    assert ours == git_out
    assert git_code == 2 and proc.returncode == 1  # git counts conflicts; a driver says "some"
    assert proc.stdout == b"" and proc.stderr == b""
    if "--marker-size" in opts:
        assert b"\n" + b"<" * 11 + b" o\n" in ours


def test_clean_merge_exits_0(work: Path, git_env: dict[str, str]) -> None:
    ours = b"one\nTWO\n" + _MIDDLE + b"six\nseven\n"
    theirs = b"one\ntwo\n" + _MIDDLE + b"six\nSEVEN\n"
    _files(work, BASE, ours, theirs)
    assert main(["merge-file", str(work / "b"), str(work / "o"), str(work / "t")]) == 0
    assert (work / "o").read_bytes() == b"one\nTWO\n" + _MIDDLE + b"six\nSEVEN\n"


def test_labels_with_path_and_unexpanded_placeholders(work: Path, git_env: dict[str, str]) -> None:
    """git < 2.44 leaves %X %S %Y as they are: the driver then labels the sides with the path."""
    b, o, t = _files(work, BASE, OURS, THEIRS)
    args = ["--path", "docs/notes.txt", "-L", "%X", "-L", "%S", "-L", "%Y", "--diff3", str(b), str(o), str(t)]
    assert main(["merge-file", *args]) == 1
    text = o.read_text()
    assert "<<<<<<< ours:docs/notes.txt\n" in text
    assert "||||||| base:docs/notes.txt\n" in text
    assert ">>>>>>> theirs:docs/notes.txt\n" in text
    _files(work, BASE, OURS, THEIRS)
    assert (
        main(["merge-file", "--path", "docs/notes.txt", "-L", "HEAD", "-L", "%S", "-L", "topic", *args[8:]])
        == 1
    )
    text = o.read_text()
    assert text.count("<<<<<<< HEAD\n") == 2 and text.count(">>>>>>> topic\n") == 2
    assert text.count("||||||| base:docs/notes.txt\n") == 2


def test_stdout_leaves_ours_alone(work: Path, git_env: dict[str, str]) -> None:
    _files(work, BASE, OURS, THEIRS)
    git_code, git_out = _git_merge_file(work, git_env, "-L", "o", "-L", "b", "-L", "t")
    proc = _driver(work, git_env, "-p", "b", "o", "t")
    assert proc.returncode == 1 and git_code == 2
    assert proc.stdout == git_out
    assert (work / "o").read_bytes() == OURS


def test_structural_union_and_explain(work: Path, git_env: dict[str, str]) -> None:
    if profile_for("src/index.ts") is None:
        pytest.skip("no TypeScript profile")
    _files(work, BARREL_BASE, BARREL_OURS, BARREL_THEIRS)
    proc = _driver(work, git_env, "--path", "src/index.ts", "--explain", "b", "o", "t")
    assert proc.returncode == 0, proc.stderr
    merged = (work / "o").read_text()
    assert merged.count("export * from './billing';\n") == 1
    assert merged.count("export * from './audit';\n") == 1
    assert "<<<<<<<" not in merged
    explain = proc.stderr.decode()
    assert "src/index.ts: hunk 1" in explain and "resolved by typescript:" in explain
    assert "./audit" in explain and proc.stdout == b""


@pytest.mark.parametrize("path", ["notes.txt", "src/index.ts"])
def test_inputs_given_as_pipes_are_read_once(work: Path, git_env: dict[str, str], path: str) -> None:
    """BASE and THEIRS as pipes (`<(git show :1:f)`): git's line merge cannot read them again, so
    it gets copies; the result is the one regular files give."""
    texts = (BASE, OURS, THEIRS) if path == "notes.txt" else (BARREL_BASE, BARREL_OURS, BARREL_THEIRS)
    _files(work, *texts)
    args = ["--path", path, "-L", "o", "-L", "b", "-L", "t", "-p"]
    from_files = _driver(work, git_env, *args, "b", "o", "t")
    command = f"{shlex.quote(sys.executable)} -m mergekit merge-file {shlex.join(args)} <(cat b) o <(cat t)"
    piped = subprocess.run(["bash", "-c", command], cwd=work, env=git_env, capture_output=True, check=False)
    assert (piped.returncode, piped.stdout, piped.stderr) == (from_files.returncode, from_files.stdout, b"")
    assert piped.returncode == (1 if path == "notes.txt" else 0)
    if path == "notes.txt":
        assert piped.stdout == _git_merge_file(work, git_env, "-L", "o", "-L", "b", "-L", "t")[1]


def test_mergekit_0_gives_the_plain_line_merge(work: Path, git_env: dict[str, str]) -> None:
    _files(work, BARREL_BASE, BARREL_OURS, BARREL_THEIRS)
    git_code, git_out = _git_merge_file(work, git_env, "-L", "o", "-L", "b", "-L", "t")
    proc = _driver(
        work,
        {**git_env, "MERGEKIT": "0"},
        "--path",
        "src/index.ts",
        "-L",
        "o",
        "-L",
        "b",
        "-L",
        "t",
        "b",
        "o",
        "t",
    )
    assert proc.returncode == 1 and git_code == 1
    ours = (work / "o").read_bytes()
    assert ours == git_out


def test_mode_is_kept_and_write_is_a_rename(work: Path, git_env: dict[str, str]) -> None:
    b, o, t = _files(work, BASE, OURS, THEIRS)
    o.chmod(0o751)
    inode = o.stat().st_ino
    assert main(["merge-file", str(b), str(o), str(t)]) == 1
    assert stat.S_IMODE(o.stat().st_mode) == 0o751
    assert o.stat().st_ino != inode  # replaced by rename, never written in place
    assert sorted(p.name for p in work.iterdir()) == ["b", "o", "t"]  # no temporary left


def test_missing_input_is_exit_2_and_ours_untouched(work: Path, git_env: dict[str, str]) -> None:
    _files(work, BASE, OURS, THEIRS)
    proc = _driver(work, git_env, "b", "o", "missing")
    assert proc.returncode == 2
    assert b"cannot read THEIRS file 'missing'" in proc.stderr
    assert (work / "o").read_bytes() == OURS


def test_too_few_files_is_exit_2_and_ours_untouched(work: Path, git_env: dict[str, str]) -> None:
    _files(work, BASE, OURS, THEIRS)
    proc = _driver(work, git_env, "b", "o")
    assert proc.returncode == 2
    assert b"mergekit merge-file: error:" in proc.stderr
    assert (work / "o").read_bytes() == OURS


@pytest.mark.parametrize(
    "args",
    [
        ["-L", "1", "-L", "2", "-L", "3", "-L", "4", "b", "o", "t"],
        ["--marker-size", "0", "b", "o", "t"],
        ["--no-such-option", "b", "o", "t"],
    ],
    ids=["four-labels", "marker-size-0", "unknown-option"],
)
def test_usage_errors_with_readable_files_leave_git_markers(
    work: Path, git_env: dict[str, str], args: list[str]
) -> None:
    """A bad option never leaves OURS as our side alone: git's own conflict goes into it."""
    _files(work, BASE, OURS, THEIRS)
    git_code, git_out = _git_merge_file(work, git_env, "-L", "o", "-L", "b", "-L", "t")
    proc = _driver(work, git_env, *args)
    assert proc.returncode == 1 and git_code == 2
    assert b"mergekit merge-file: error:" in proc.stderr and b"wrote git's line merge" in proc.stderr
    assert (work / "o").read_bytes() == git_out


def test_help_exits_0(work: Path, git_env: dict[str, str]) -> None:
    proc = _driver(work, git_env, "--help")
    assert proc.returncode == 0
    assert b"BASE OURS THEIRS" in proc.stdout and b"--marker-size" in proc.stdout


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """An empty folder for the three versions (tmp_path also holds the hermetic HOME)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def _limit_file_size() -> None:
    """Make writing more than 64 bytes to any file fail (EFBIG), even for root."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def test_crash_exits_above_128_and_leaves_ours(work: Path, git_env: dict[str, str]) -> None:
    """An error while writing the result (here: a file-size limit) is a driver crash, not a conflict."""
    big = b"x" * 40 + b"\n"
    _files(work, big, big + b"ours\n", big + b"theirs\n")
    proc = _driver(work, git_env, "b", "o", "t", preexec_fn=_limit_file_size)
    assert proc.returncode == 129, proc.stderr
    assert b"internal error" in proc.stderr and b"OURS left as it was" in proc.stderr
    assert (work / "o").read_bytes() == big + b"ours\n"
    assert sorted(p.name for p in work.iterdir()) == ["b", "o", "t"]


def test_unwritable_directory_is_a_crash(work: Path, git_env: dict[str, str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only directories; the file-size test covers the crash path")
    folder = work / "ro"
    _, o, _ = _files(folder, BASE, OURS, THEIRS)
    folder.chmod(0o555)
    try:
        proc = _driver(folder, git_env, "b", "o", "t")
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 129
    assert o.read_bytes() == OURS


# --- end to end: git runs the driver -------------------------------------------------------------

INDEX_BASE = "export * from './users';\nexport * from './teams';\n"
ROUTES_BASE = (
    "import { Router } from 'express';\n"
    "import { usersRouter } from './users';\n\n"
    "export const router = Router();\n\n"
    "router.use('/users', usersRouter);\n\n"
    "export default router;\n"
)


def _feature(repo: GitRepo, name: str, route: str) -> None:
    repo.checkout(f"feature/{name}", create=True, start="main")
    routes = ROUTES_BASE.replace(
        "import { usersRouter } from './users';\n",
        f"import {{ usersRouter }} from './users';\nimport {{ {name}Router }} from './{name}';\n",
    ).replace(
        "router.use('/users', usersRouter);\n",
        f"router.use('/users', usersRouter);\nrouter.use('{route}', {name}Router);\n",
    )
    repo.commit(
        f"add {name}",
        {
            "src/index.ts": INDEX_BASE + f"export * from './{name}';\n",
            "src/routes.ts": routes,
            f"src/{name}.ts": f"export const {name}Router = 1;\n",
        },
    )


def test_git_merge_runs_the_installed_driver(repo: GitRepo, git_env: dict[str, str]) -> None:
    assert profile_for("src/index.ts") is not None, "the TypeScript profile is missing"
    repo.commit("base", {"src/index.ts": INDEX_BASE, "src/routes.ts": ROUTES_BASE})
    install = subprocess.run(
        [sys.executable, "-m", "mergekit", "install"],
        cwd=repo.path,
        env=git_env,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    repo.commit("route TypeScript through mergekit")
    _feature(repo, "billing", "/billing")
    _feature(repo, "audit", "/audit")
    repo.checkout("main")
    repo.git("merge", "-q", "--no-edit", "feature/billing")
    merge = subprocess.run(
        ["git", "merge", "--no-edit", "feature/audit"],
        cwd=repo.path,
        env=git_env,
        capture_output=True,
        text=True,
    )
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "CONFLICT" not in merge.stdout
    index = repo.show("HEAD", "src/index.ts")
    routes = repo.show("HEAD", "src/routes.ts")
    for line in ("export * from './billing';", "export * from './audit';", "export * from './users';"):
        assert index.splitlines().count(line) == 1
    for line in (
        "router.use('/billing', billingRouter);",
        "router.use('/audit', auditRouter);",
        "import { billingRouter } from './billing';",
        "import { auditRouter } from './audit';",
    ):
        assert routes.splitlines().count(line) == 1, routes
    assert "<<<<<<<" not in index + routes
    assert repo.git("status", "--porcelain") == ""


def test_git_merge_genuine_conflict_keeps_markers(repo: GitRepo, git_env: dict[str, str]) -> None:
    repo.commit("base", {"src/routes.ts": ROUTES_BASE})
    assert main(["install", "-C", str(repo.path)]) == 0
    repo.git("config", "merge.conflictStyle", "diff3")  # git's setting reaches the driver's markers
    repo.commit("attributes")
    for branch, target in (("one", "usersV1"), ("two", "usersV2")):
        repo.checkout(branch, create=True, start="main")
        repo.commit(branch, {"src/routes.ts": ROUTES_BASE.replace("usersRouter);", f"{target});")})
    repo.checkout("one")
    merge = subprocess.run(
        ["git", "merge", "--no-edit", "two"], cwd=repo.path, env=git_env, capture_output=True, text=True
    )
    assert merge.returncode == 1 and "CONFLICT (content)" in merge.stdout
    text = (repo.path / "src/routes.ts").read_text()
    assert text.count("<<<<<<< ") == 1 and "usersV1" in text and "usersV2" in text
    assert text.count("||||||| ") == 1 and "usersRouter);" in text
    assert "src/routes.ts" in repo.git("diff", "--name-only", "--diff-filter=U")
