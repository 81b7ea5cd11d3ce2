"""Conflicts that are not about file content — a submodule, a directory against a symlink, a symlinked
directory against a file under it, two types at one path — are handed to a human (exit 1) with the
index stages and work-tree entries a real `git merge` of the same two commits leaves."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo

Builder = Callable[[GitRepo, Path], None]


def _branch(repo: GitRepo, name: str, change: Callable[[Path], None]) -> None:
    repo.checkout(name, create=True, start="main")
    change(repo.path)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", name)
    repo.checkout("main")


def _symlink(target: str, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)


def _rmtree(path: Path) -> None:
    for p in sorted(path.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() and not p.is_symlink() else p.unlink()
    path.rmdir()


def directory_against_symlink(repo: GitRepo, tmp: Path) -> None:
    repo.commit("base", {"index.ts": "i\n"})
    _branch(repo, "ours", lambda r: repo.write({"lib/x.txt": "x\n"}))
    _branch(repo, "feature/theirs", lambda r: _symlink("elsewhere", r / "lib"))


def symlinked_directory_against_a_file_under_it(repo: GitRepo, tmp: Path) -> None:
    repo.commit("base", {"lib/x.txt": "x\n", "index.ts": "i\n"})

    def to_link(root: Path) -> None:
        _rmtree(root / "lib")
        _symlink("elsewhere", root / "lib")

    _branch(repo, "ours", to_link)
    _branch(repo, "feature/theirs", lambda r: repo.write({"lib/x.txt": "x\ny\n"}))


def _submodule_source(tmp: Path, env: dict[str, str]) -> tuple[GitRepo, str, str]:
    sub = GitRepo.init(tmp / "subsrc", env)
    sub.commit("one", {"f": "1\n"})
    sub.checkout("x", create=True)
    x = sub.commit("two", {"f": "2\n"})
    sub.checkout("y", create=True, start="main")
    y = sub.commit("three", {"f": "3\n"})
    sub.checkout("main")
    return sub, x, y


def _add_submodule(repo: GitRepo, source: GitRepo) -> None:
    repo.git("-c", "protocol.file.allow=always", "submodule", "-q", "add", str(source.path), "sub")


def submodule_moved_on_both_sides(repo: GitRepo, tmp: Path) -> None:
    source, x, y = _submodule_source(tmp, repo.env)
    repo.commit("index", {"index.ts": "i\n"})
    _add_submodule(repo, source)
    repo.commit("base")
    for branch, commit in (("ours", x), ("feature/theirs", y)):

        def move(root: Path, c: str = commit) -> None:
            repo.git("checkout", "-q", c, cwd=root / "sub")

        _branch(repo, branch, move)
        repo.git("submodule", "-q", "update", cwd=repo.path)


def submodule_against_a_file(repo: GitRepo, tmp: Path) -> None:
    source, _, _ = _submodule_source(tmp, repo.env)
    repo.commit("base", {"index.ts": "i\n"})
    _branch(repo, "ours", lambda r: repo.write({"sub": "a file\n"}))
    repo.checkout("feature/theirs", create=True, start="main")
    _add_submodule(repo, source)
    repo.git("commit", "-q", "-m", "theirs")
    repo.git("rm", "-q", "-r", "--cached", "sub")
    repo.git("checkout", "-q", "-f", "main")
    _rmtree(repo.path / "sub")


def file_against_symlink_both_ways(repo: GitRepo, tmp: Path) -> None:
    repo.commit("base", {"f": "base\n", "g": "base\n"})

    def ours(root: Path) -> None:
        repo.write({"f": "ours\n"})
        (root / "g").unlink()
        _symlink("target", root / "g")

    def theirs(root: Path) -> None:
        (root / "f").unlink()
        _symlink("somewhere", root / "f")
        repo.write({"g": "theirs\n"})

    _branch(repo, "ours", ours)
    _branch(repo, "feature/theirs", theirs)


def symlink_changed_on_both_sides(repo: GitRepo, tmp: Path) -> None:
    repo.commit("base", {"index.ts": "i\n"})
    _symlink("base-target", repo.path / "link")
    repo.commit("link")
    for branch, target in (("ours", "ours-target"), ("feature/theirs", "theirs-target")):

        def retarget(root: Path, t: str = target) -> None:
            (root / "link").unlink()
            _symlink(t, root / "link")

        _branch(repo, branch, retarget)


SCENARIOS: list[Builder] = [
    directory_against_symlink,
    symlinked_directory_against_a_file_under_it,
    submodule_moved_on_both_sides,
    submodule_against_a_file,
    file_against_symlink_both_ways,
    symlink_changed_on_both_sides,
]


def _kind_on_disk(path: Path) -> str:
    if path.is_symlink():
        return f"symlink -> {os.readlink(path)}"
    if path.is_dir():
        return "directory"
    if path.is_file():
        return f"file {path.read_bytes()!r}"
    return "absent"


def _unmerged(repo: GitRepo, worktree: Path, ours_label: str) -> list[tuple[str, str]]:
    """`git ls-files -u` of a worktree (ours' label spelt HEAD), with what is on disk at each path."""
    listing = repo.git("ls-files", "-u", "-z", cwd=worktree).split("\0")
    found = []
    for line in filter(None, listing):
        info, path = line.split("\t", 1)
        path = path.replace(f"~{ours_label}", "~HEAD")
        on_disk = _kind_on_disk(worktree / line.split("\t", 1)[1])
        found.append((f"{info}\t{path}", on_disk))
    return found


def _git_merge(repo: GitRepo, ours: str, tmp: Path) -> Path:
    """A real `git merge` of feature/theirs into commit `ours`, in a separate worktree."""
    where = tmp / "git-merge"
    repo.git("worktree", "add", "-q", "--detach", str(where), ours)
    code = repo.git("merge", "--no-edit", "feature/theirs", check=False, cwd=where)
    assert "CONFLICT" in code
    return where


@pytest.mark.parametrize("build", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_handed_off_like_git_merge(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], build: Builder
) -> None:
    build(repo, tmp_path)
    capsys.readouterr()
    code = main(
        [
            "integrate",
            "ours",
            "feature/theirs",
            "--into",
            "main",
            "--order",
            "given",
            "--json",
            "-C",
            str(repo.path),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1, err
    report = json.loads(out)
    assert report["status"] == "conflict" and report["merged"] == ["ours"], report
    worktree = Path(report["worktree"])
    git_side = _git_merge(repo, repo.rev("integration"), tmp_path)
    assert _unmerged(repo, worktree, "integration") == _unmerged(repo, git_side, "HEAD")
    assert main(["abort", "-C", str(repo.path)]) == 0


def test_a_moved_aside_entry_is_resolved_with_plain_git_then_continue(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory_against_symlink(repo, tmp_path)
    args = ["ours", "feature/theirs", "--into", "main", "--order", "given", "--json", "-C", str(repo.path)]
    assert main(["integrate", *args]) == 1
    worktree = Path(json.loads(capsys.readouterr().out)["worktree"])
    assert (worktree / "lib~feature_theirs").is_symlink() and (worktree / "lib" / "x.txt").is_file()
    repo.git("rm", "-q", "lib~feature_theirs", cwd=worktree)  # keep the directory
    assert main(["continue", "-C", str(repo.path)]) == 0
    assert repo.git("ls-tree", "-r", "--name-only", "integration").split() == ["index.ts", "lib/x.txt"]
