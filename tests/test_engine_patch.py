"""Patches parsed and applied onto trees in memory, against what git itself committed."""

from __future__ import annotations

from mergekit.engine import open_repo
from mergekit.engine.patch import apply_hunks, apply_to_tree, find_origin, parse_diff
from tests.helpers.gitrepo import GitRepo

LINES = "".join(f"line {i}\n" for i in range(1, 21))


def _commit_patch(repo: GitRepo, files: dict[str, str | bytes], message: str = "change") -> tuple[str, bytes]:
    """Commit `files` on a throw-away branch from main; (the commit, its `git format-patch`)."""
    repo.checkout("tmp", create=True, start="main")
    commit = repo.commit(message, files)
    patch = repo.git("format-patch", "-1", "--stdout", "--binary", commit).encode()
    repo.checkout("main")
    return commit, patch


def test_format_patch_applies_exactly_onto_its_origin(repo: GitRepo) -> None:
    base = repo.commit("base", {"a.txt": LINES, "gone.txt": "bye\n", "run.sh": "echo\n"})
    repo.checkout("tmp", create=True)
    repo.write({"a.txt": LINES.replace("line 3\n", "line three\n") + "line 21"})
    repo.git("rm", "-q", "gone.txt")
    repo.git("mv", "run.sh", "start.sh")
    (repo.path / "start.sh").chmod(0o755)
    repo.write({"new/b.txt": "b\n", "bin.dat": b"\x00\x01\x02"})
    commit = repo.commit("several kinds of change")
    patch = repo.git("format-patch", "-1", "-M", "--stdout", "--binary", commit).encode()
    repo.checkout("main")
    engine = open_repo(repo.path)
    files = parse_diff(patch)
    assert {(f.old_path, f.new_path) for f in files} == {
        ("a.txt", "a.txt"),
        ("gone.txt", None),
        ("run.sh", "start.sh"),
        (None, "new/b.txt"),
        (None, "bin.dat"),
    }
    assert find_origin(engine, [base], files) == base
    applied = apply_to_tree(engine, engine.commit_tree(base), files)
    assert applied.failures == () and applied.tree == repo.rev(f"{commit}^{{tree}}")


def test_git_diff_applies_with_shifted_context(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": LINES})
    _, _ = _commit_patch(repo, {"a.txt": LINES.replace("line 15\n", "line fifteen\n")})
    diff = repo.git("diff", "main", "tmp").encode()
    # main moves on: three lines added at the top shift the hunk, which still applies
    moved = repo.commit("main moves", {"a.txt": "top 1\ntop 2\ntop 3\n" + LINES})
    engine = open_repo(repo.path)
    applied = apply_to_tree(engine, engine.commit_tree(moved), parse_diff(diff))
    assert applied.tree is not None
    assert (
        engine.read_tree_path(applied.tree, "a.txt")
        == ("top 1\ntop 2\ntop 3\n" + LINES.replace("line 15\n", "line fifteen\n")).encode()
    )


def test_a_patch_that_does_not_apply_names_its_files_and_hunks(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": LINES, "b.txt": "keep\n"})
    _, patch = _commit_patch(
        repo, {"a.txt": LINES.replace("line 2\n", "two\n").replace("line 18\n", "eighteen\n"), "b.txt": "x\n"}
    )
    moved = repo.commit("main rewrites line 18", {"a.txt": LINES.replace("line 18\n", "LINE 18\n")})
    engine = open_repo(repo.path)
    files = parse_diff(patch)
    applied = apply_to_tree(engine, engine.commit_tree(moved), files)
    assert applied.tree is None
    (failure,) = applied.failures
    assert failure.path == "a.txt" and [h.old_start for h in failure.hunks] == [15]
    # the three-way fallback needs the preimage blob and a clean merge: here both sides changed line 18
    assert apply_to_tree(engine, engine.commit_tree(moved), files, three_way=True).tree is None


def test_three_way_fallback_merges_with_the_preimage(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": LINES})
    _, patch = _commit_patch(repo, {"a.txt": LINES.replace("line 10\n", "ten\n")})
    # main rewrote the hunk's context: an exact apply fails, the three-way merge does not
    moved = repo.commit("main", {"a.txt": LINES.replace("line 12\n", "twelve\n")})
    engine = open_repo(repo.path)
    files = parse_diff(patch)
    assert apply_to_tree(engine, engine.commit_tree(moved), files).tree is None
    applied = apply_to_tree(engine, engine.commit_tree(moved), files, three_way=True)
    assert applied.tree is not None and applied.three_way == ("a.txt",)
    assert engine.read_tree_path(applied.tree, "a.txt") == (
        LINES.replace("line 10\n", "ten\n").replace("line 12\n", "twelve\n").encode()
    )


def test_no_newline_at_end_of_file_on_either_side() -> None:
    diff = (
        b"diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n+++ b/x\n"
        b"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
    )
    (fp,) = parse_diff(diff)
    assert apply_hunks(b"a\nb", fp.hunks) == (b"a\nc\n", ())
    assert apply_hunks(b"a\nb\n", fp.hunks)[0] is None


def test_origin_search_only_places_patches_that_name_their_blobs(repo: GitRepo) -> None:
    first = repo.commit("base", {"a.txt": LINES})
    _, patch = _commit_patch(repo, {"a.txt": LINES + "more\n"})
    later = repo.commit("main changes a.txt", {"a.txt": "other\n" + LINES})
    engine = open_repo(repo.path)
    files = parse_diff(patch)
    assert find_origin(engine, [later], files) == first
    assert find_origin(engine, [later], files, limit=1) is None
    added_only = parse_diff(
        b"diff --git a/n b/n\nnew file mode 100644\nindex 0000000..1111111\n"
        b"--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+n\n"
    )
    assert find_origin(engine, [later], added_only) is None
