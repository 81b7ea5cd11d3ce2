"""The engine operations derived files need (a scratch copy of a tree, a tree with files replaced) and
running a job's commands in a directory: offline first, then the next; changed, new and removed files."""

from __future__ import annotations

from pathlib import Path

from mergekit.derived.config import parse_config
from mergekit.derived.jobs import Job
from mergekit.derived.run import run_job
from mergekit.engine import checkout_tree, open_repo
from tests.helpers.gitrepo import GitRepo


def test_checkout_tree_copies_files_and_registers_nothing(repo: GitRepo, tmp_path: Path) -> None:
    repo.write({"a.txt": "a\n", "dir/b.sh": "#!/bin/sh\n"})
    (repo.path / "dir" / "b.sh").chmod(0o755)
    repo.commit("base")
    before = repo.git("worktree", "list", "--porcelain") + repo.git("status", "--porcelain")
    dest = checkout_tree(open_repo(repo.path), repo.rev("HEAD^{tree}"), tmp_path / "copy")
    assert (dest / "a.txt").read_text() == "a\n"
    assert (dest / "dir" / "b.sh").stat().st_mode & 0o111
    assert not (dest / ".git").exists()
    assert repo.git("worktree", "list", "--porcelain") + repo.git("status", "--porcelain") == before


def test_tree_with_files_replaces_adds_removes_and_keeps_modes(repo: GitRepo) -> None:
    repo.write({"a.txt": "a\n", "run.sh": "old\n", "gone/x.txt": "x\n"})
    (repo.path / "run.sh").chmod(0o755)
    repo.commit("base")
    engine = open_repo(repo.path)
    tree = engine.tree_with_files(
        repo.rev("HEAD^{tree}"), {"run.sh": b"new\n", "new/y.txt": b"y\n", "gone/x.txt": None}
    )
    listing = repo.git("ls-tree", "-r", tree)
    assert "100755 blob" in next(line for line in listing.splitlines() if line.endswith("\trun.sh"))
    assert sorted(line.split("\t")[1] for line in listing.splitlines()) == ["a.txt", "new/y.txt", "run.sh"]
    assert repo.git("cat-file", "-p", f"{tree}:run.sh") == "new\n"


def _job(text: str, outputs: tuple[str, ...], workdir: str = "") -> Job:
    recipe = parse_config(text).recipes[-1]
    return Job(recipe, workdir, outputs, frozenset(), True)


def test_commands_are_tried_in_order_and_changes_collected(tmp_path: Path) -> None:
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "old.txt").write_text("old\n")
    (tmp_path / "gen" / "same.txt").write_text("same\n")
    text = (
        '[derived.files."gen/*.txt"]\n'
        'command = ["echo offline failed >&2; exit 4",\n'
        '           "rm gen/old.txt; echo new > gen/new.txt; pwd > where"]\n'
    )
    result = run_job(_job(text, ("gen/*.txt",)), tmp_path)
    assert result.ok and result.command is not None and result.command.startswith("rm gen/old.txt")
    assert result.files == {"gen/new.txt": b"new\n", "gen/old.txt": None}
    assert (tmp_path / "where").read_text().strip() == str(tmp_path)


def test_failure_keeps_the_last_error_and_a_missing_output_fails(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    text = '[derived.files."sub/out.lock"]\ncommand = ["exit 3", "echo boom; exit 5"]\n'
    failed = run_job(_job(text, ("sub/out.lock",), "sub"), tmp_path)
    assert not failed.ok and failed.error == "`echo boom; exit 5` failed (exit 5): boom"
    quiet = run_job(_job('[derived.files."sub/out.lock"]\ncommand = "true"\n', ("sub/out.lock",)), tmp_path)
    assert not quiet.ok and quiet.error == "`true` succeeded but did not write sub/out.lock"
    made = run_job(
        _job('[derived.files."sub/out.lock"]\ncommand = "echo 1 > out.lock"\n', ("sub/out.lock",), "sub"),
        tmp_path,
    )
    assert made.ok and made.files == {"sub/out.lock": b"1\n"}
