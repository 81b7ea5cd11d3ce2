"""`mergekit resolve`: files left conflicted by a plain `git merge`, resolved from the index stages;
`git add`ed only with --add; modify/delete and hand-edited files left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mergekit.entry import main
from mergekit.resolve.profiles import profile_for
from tests.helpers.cli import run, run_json
from tests.helpers.gitrepo import GitRepo

INDEX = "export * from './users';\nexport * from './teams';\n"
NOTES = "alpha\nbeta\ngamma\n"


@pytest.fixture
def conflicted(repo: GitRepo) -> GitRepo:
    """`main` merging `topic` stopped on three conflicts: a barrel, a genuine one, a modify/delete."""
    if profile_for("src/index.ts") is None:
        pytest.skip("no TypeScript profile")
    repo.commit("base", {"src/index.ts": INDEX, "notes.txt": NOTES, "old.txt": "old\n"})
    repo.checkout("topic", create=True)
    repo.commit(
        "topic",
        {"src/index.ts": INDEX + "export * from './audit';\n", "notes.txt": "alpha\nBETA (topic)\ngamma\n"},
    )
    repo.git("rm", "-q", "old.txt")
    repo.commit("topic removes old.txt")
    repo.checkout("main")
    repo.commit(
        "main",
        {
            "src/index.ts": INDEX + "export * from './billing';\n",
            "notes.txt": "alpha\nBETA (main)\ngamma\n",
            "old.txt": "old, edited\n",
        },
    )
    repo.git("merge", "--no-edit", "topic", check=False)
    assert _unmerged(repo) == {"notes.txt", "old.txt", "src/index.ts"}
    return repo


def _unmerged(repo: GitRepo) -> set[str]:
    return set(repo.git("diff", "--name-only", "--diff-filter=U").split())


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    return run_json(capsys, *args, "--json")


def test_resolve_without_add_writes_files_only(
    conflicted: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = conflicted
    notes_before = (repo.path / "notes.txt").read_bytes()
    code, out, err = run(capsys, "resolve", "-C", str(repo.path))
    assert code == 1, err
    index = (repo.path / "src/index.ts").read_text()
    assert index == INDEX + "export * from './billing';\nexport * from './audit';\n"
    # The genuine conflict is exactly what git wrote (same labels `HEAD` / `topic`).
    assert (repo.path / "notes.txt").read_bytes() == notes_before
    assert b"<<<<<<< HEAD\n" in notes_before and b">>>>>>> topic\n" in notes_before
    assert (repo.path / "old.txt").read_text() == "old, edited\n"
    assert _unmerged(repo) == {"notes.txt", "old.txt", "src/index.ts"}  # the index is untouched
    lines = {
        line.split()[1]: line.split()[0]
        for line in out.splitlines()
        if line.startswith(("resolved", "conflict", "skipped"))
    }
    assert lines == {"src/index.ts": "resolved", "notes.txt": "conflict", "old.txt": "skipped"}
    assert "modify/delete" in out and "typescript:" in out and "mergekit resolve --add" in out


def test_resolve_add_stages_only_the_clean_files(
    conflicted: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = conflicted
    code, data = _json(capsys, "resolve", "--add", "-C", str(repo.path))
    assert code == 1
    assert data["status"] == "conflict"
    assert data["resolved"] == ["src/index.ts"]
    assert sorted(data["conflicts"]) == ["notes.txt", "old.txt"]
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path["src/index.ts"]["added"] is True and by_path["src/index.ts"]["rule"].startswith(
        "typescript:"
    )
    assert by_path["notes.txt"]["added"] is False and by_path["notes.txt"]["conflicts"] == 1
    assert by_path["old.txt"]["status"] == "skipped"
    assert _unmerged(repo) == {"notes.txt", "old.txt"}
    staged = repo.git("show", ":src/index.ts")
    assert staged.count("export * from './audit';") == 1 and staged.count("export * from './billing';") == 1


def test_resolve_then_add_later(conflicted: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    """A second run recognises its own earlier result and can `--add` it."""
    repo = conflicted
    assert main(["resolve", "src/index.ts", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    code, data = _json(capsys, "resolve", "src/index.ts", "--add", "-C", str(repo.path))
    assert code == 0 and data["status"] == "done" and data["files"][0]["added"] is True
    assert _unmerged(repo) == {"notes.txt", "old.txt"}


def test_paths_are_relative_to_the_directory(conflicted: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo = conflicted
    code, data = _json(capsys, "resolve", "index.ts", "-C", str(repo.path / "src"))
    assert code == 0
    assert [f["path"] for f in data["files"]] == ["src/index.ts"]
    assert b"<<<<<<<" in (repo.path / "notes.txt").read_bytes()


def test_hand_edited_file_is_left_alone(conflicted: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo = conflicted
    (repo.path / "src/index.ts").write_text("// my own resolution\n")
    code, data = _json(capsys, "resolve", "src/index.ts", "-C", str(repo.path))
    assert code == 1 and data["files"][0]["status"] == "skipped"
    assert (repo.path / "src/index.ts").read_text() == "// my own resolution\n"


def test_explain_shows_the_items(conflicted: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "resolve", "src/index.ts", "--explain", "-C", str(conflicted.path))
    assert code == 0
    assert "hunk 1" in out and "ours:" in out and "theirs:" in out and "./audit" in out
    code, data = _json(capsys, "resolve", "src/index.ts", "--explain", "-C", str(conflicted.path))
    assert data["files"][0]["hunks"] == [] or "resolved" in data["files"][0]["hunks"][0]


def test_unknown_path_is_refused(conflicted: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "resolve", "nope.txt", "-C", str(conflicted.path))
    assert code == 2 and "no conflicted file matches nope.txt" in err and out == ""


def test_nothing_to_resolve(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {"a.txt": "a\n"})
    code, out, _ = run(capsys, "resolve", "-C", str(repo.path))
    assert code == 0 and "nothing to resolve" in out
    code, data = _json(capsys, "resolve", "-C", str(repo.path))
    assert code == 0 and data["status"] == "done" and data["files"] == []


def test_conflict_marker_size_attribute(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {".gitattributes": "*.txt conflict-marker-size=12\n", "notes.txt": NOTES})
    repo.checkout("topic", create=True)
    repo.commit("topic", {"notes.txt": "alpha\nBETA (topic)\ngamma\n"})
    repo.checkout("main")
    repo.commit("main", {"notes.txt": "alpha\nBETA (main)\ngamma\n"})
    repo.git("merge", "--no-edit", "topic", check=False)
    before = (repo.path / "notes.txt").read_bytes()
    assert b"<" * 12 + b" HEAD\n" in before
    code, data = _json(capsys, "resolve", "-C", str(repo.path))
    assert code == 1 and data["files"][0]["status"] == "conflict"
    assert (repo.path / "notes.txt").read_bytes() == before


def test_outside_a_repository(
    tmp_path: Path, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "resolve", "-C", str(tmp_path))
    assert code == 2 and "not inside a git work tree" in err
