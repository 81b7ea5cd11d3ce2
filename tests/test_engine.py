"""The engine against real repositories: opening, revisions, ancestry, in-memory merges, refs, worktrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from mergekit.engine import (
    ConflictKind,
    PausedFile,
    RefMoved,
    add_worktree,
    checkout_commit,
    inspect_worktree,
    materialize_merge,
    merge_commits,
    merge_trees,
    open_repo,
    remove_worktree,
)
from mergekit.errors import MergekitError
from tests.helpers.gitrepo import GitRepo


def _two_branches(repo: GitRepo) -> tuple[str, str, str]:
    """base → ours (main) and theirs (feature) both editing line 2 of a.txt; return the three ids."""
    base = repo.commit("base", {"a.txt": "1\n2\n3\n", "keep.txt": "k\n"})
    repo.checkout("feature/ü", create=True)
    theirs = repo.commit("theirs", {"a.txt": "1\nTHEIRS\n3\n", "t.txt": "t\n"})
    repo.checkout("main")
    ours = repo.commit("ours", {"a.txt": "1\nOURS\n3\n", "o.txt": "o\n"})
    return base, ours, theirs


def test_open_from_subdirectory_and_linked_worktree(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("init", {"src/x.txt": "x\n"})
    r = open_repo(repo.path / "src")
    assert r.workdir == repo.path.resolve()
    assert r.common_dir == (repo.path / ".git").resolve()
    repo.git("branch", "agent")
    repo.git("worktree", "add", "-q", str(tmp_path / "wt"), "agent")
    linked = open_repo(tmp_path / "wt")
    assert linked.common_dir == (repo.path / ".git").resolve()
    assert linked.git_dir != linked.common_dir
    trees = {w.path: w for w in linked.worktrees()}
    assert trees[(tmp_path / "wt").resolve()].branch == "refs/heads/agent"
    assert trees[repo.path.resolve()].is_main


def test_open_outside_a_repository_is_a_clear_error(tmp_path: Path, git_env: dict[str, str]) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(MergekitError, match="not a git repository"):
        open_repo(tmp_path / "plain")


def test_resolves_local_remote_slash_and_unicode_names(repo: GitRepo) -> None:
    tip = repo.commit("init", {"a": "a\n"})
    repo.git("branch", "feature/ünïcode")
    repo.git("update-ref", "refs/remotes/origin/feature/x", tip)
    r = open_repo(repo.path)
    assert r.resolve_commit("feature/ünïcode") == tip
    assert r.resolve_commit("origin/feature/x") == tip
    assert r.branch_ref("origin/feature/x") == "refs/remotes/origin/feature/x"
    assert r.resolve_commit("nope") is None
    local, remote = r.branch_names()
    assert local == ["feature/ünïcode", "main"]
    assert remote == ["origin/feature/x"]


def test_ancestry_merge_base_and_footprint(repo: GitRepo) -> None:
    base, ours, theirs = _two_branches(repo)
    r = open_repo(repo.path)
    assert r.is_ancestor(base, theirs) and not r.is_ancestor(theirs, ours)
    assert r.merge_base(ours, theirs) == base
    assert r.footprint(ours, theirs) == {"a.txt", "t.txt"}
    assert r.commit_subjects(base, theirs) == ["theirs"]


def test_merge_commits_reports_content_conflict_with_three_sides(repo: GitRepo) -> None:
    _, ours, theirs = _two_branches(repo)
    r = open_repo(repo.path)
    before = repo.refs()
    merge = merge_commits(r, ours, theirs)
    assert [c.path for c in merge.conflicts] == ["a.txt"]
    conflict = merge.conflicts[0]
    assert conflict.kind == ConflictKind.CONTENT and conflict.is_content
    assert conflict.base is not None and conflict.base.data == b"1\n2\n3\n"
    assert conflict.ours is not None and conflict.ours.data == b"1\nOURS\n3\n"
    assert conflict.theirs is not None and conflict.theirs.data == b"1\nTHEIRS\n3\n"
    assert conflict.ours.mode == 0o100644
    tree = merge.write_tree({"a.txt": b"1\nBOTH\n3\n"})
    commit = r.create_commit(tree, [ours, theirs], "merge")
    assert repo.show(commit, "a.txt") == "1\nBOTH\n3\n"
    assert repo.show(commit, "t.txt") == "t\n" and repo.show(commit, "o.txt") == "o\n"
    assert repo.git("log", "--format=%P", "-1", commit).split() == [ours, theirs]
    assert repo.refs() == before  # writing objects moves no ref


def test_unresolved_conflict_refuses_to_write(repo: GitRepo) -> None:
    _, ours, theirs = _two_branches(repo)
    merge = merge_commits(open_repo(repo.path), ours, theirs)
    with pytest.raises(ValueError, match=r"a\.txt"):
        merge.write_tree({})


def test_merge_trees_kinds_add_add_and_modify_delete(repo: GitRepo) -> None:
    base = repo.commit("base", {"gone.txt": "g\n"})
    repo.checkout("theirs", create=True)
    repo.git("rm", "-q", "gone.txt")
    theirs = repo.commit("theirs", {"new.txt": "theirs\n"})
    repo.checkout("main")
    ours = repo.commit("ours", {"new.txt": "ours\n", "gone.txt": "changed\n"})
    r = open_repo(repo.path)
    merge = merge_trees(r, r.commit_tree(base), r.commit_tree(ours), r.commit_tree(theirs))
    kinds = {c.path: c.kind for c in merge.conflicts}
    assert kinds == {"gone.txt": ConflictKind.MODIFY_DELETE, "new.txt": ConflictKind.ADD_ADD}


def test_clean_merge_has_no_conflicts(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": "a\n"})
    repo.checkout("f", create=True)
    theirs = repo.commit("f", {"f.txt": "f\n"})
    repo.checkout("main")
    ours = repo.commit("m", {"m.txt": "m\n"})
    r = open_repo(repo.path)
    merge = merge_commits(r, ours, theirs)
    assert merge.clean
    tree = merge.write_tree({})
    assert repo.git("ls-tree", "--name-only", tree).split() == ["a.txt", "f.txt", "m.txt"]


def test_update_ref_is_compare_and_swap(repo: GitRepo) -> None:
    _, ours, theirs = _two_branches(repo)
    r = open_repo(repo.path)
    r.update_ref("refs/heads/result", ours, None, "create")
    assert repo.rev("result") == ours
    with pytest.raises(RefMoved):
        r.update_ref("refs/heads/result", theirs, None, "create again")
    with pytest.raises(RefMoved):
        r.update_ref("refs/heads/result", theirs, theirs, "wrong expectation")
    assert repo.rev("result") == ours
    r.update_ref("refs/heads/result", theirs, ours, "move")
    assert repo.rev("result") == theirs
    r.delete_ref("refs/heads/result", theirs)
    assert "refs/heads/result" not in repo.refs()


def test_scratch_repo_writes_no_objects(repo: GitRepo) -> None:
    _, ours, theirs = _two_branches(repo)
    r = open_repo(repo.path)
    objects_before = repo.git("count-objects", "-v")
    with r.scratch() as scratch:
        merge = merge_commits(scratch, ours, theirs)
        tree = merge.write_tree({"a.txt": b"scratch only\n"})
        commit = scratch.create_commit(tree, [ours, theirs], "scratch")
        assert scratch.read_path(commit, "a.txt") == b"scratch only\n"
    assert repo.git("count-objects", "-v") == objects_before
    assert repo.git("cat-file", "-e", commit, check=False) == ""
    assert r.read_path(ours, "a.txt") == b"1\nOURS\n3\n"


def test_materialized_merge_behaves_like_git_merge(repo: GitRepo, tmp_path: Path) -> None:
    _, ours, theirs = _two_branches(repo)
    r = open_repo(repo.path)
    merge = merge_commits(r, ours, theirs)
    partial = merge.write_tree({}, leftover="ours")
    wt = add_worktree(r, tmp_path / "handoff", ours)
    markers = b"1\n<<<<<<< ours\nOURS\n=======\nTHEIRS\n>>>>>>> theirs\n3\n"
    materialize_merge(wt, ours, partial, [PausedFile(merge.conflicts[0], markers)], theirs, "Merge feature")
    status = repo.git("status", cwd=wt)
    assert "You have unmerged paths" in status
    assert "both modified:   a.txt" in status
    stages = repo.git("ls-files", "-u", cwd=wt)
    assert [line.split()[2] for line in stages.splitlines()] == ["1", "2", "3"]
    assert (wt / "a.txt").read_bytes() == markers
    assert (wt / "t.txt").read_text() == "t\n"
    state = inspect_worktree(wt)
    assert state.unmerged == ("a.txt",) and state.head == ours
    # the human's side: fix, add, commit — plain git works
    (wt / "a.txt").write_text("1\nFIXED\n3\n")
    repo.git("add", "a.txt", cwd=wt)
    assert inspect_worktree(wt).unmerged == ()
    repo.git("commit", "-q", "--no-edit", cwd=wt)
    head = repo.git("rev-parse", "HEAD", cwd=wt).strip()
    assert repo.git("log", "--format=%P", "-1", head, cwd=wt).split() == [ours, theirs]
    checkout_commit(wt, theirs)
    assert (wt / "a.txt").read_text() == "1\nTHEIRS\n3\n"
    remove_worktree(r, wt)
    assert not wt.exists()
    assert str(wt) not in repo.git("worktree", "list")
