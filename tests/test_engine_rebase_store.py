"""Replaying commits onto another base in memory, and the ref-backed store, on real repositories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from mergekit.engine import Conflict, RefMoved, open_repo
from mergekit.engine.rebase import commits_between, count_between, replay_commits
from mergekit.engine.refstore import read_store, write_store
from tests.helpers.gitrepo import GitRepo


def test_replay_matches_git_rebase_onto(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": "a\n", "b.txt": "b\n"})
    repo.checkout("foundation", create=True)
    foundation = repo.commit("foundation", {"a.txt": "a\nfoundation\n"})
    repo.checkout("feature", create=True, start="main")
    repo.git("commit", "-q", "--allow-empty", "-m", "empty on purpose")
    repo.commit("one", {"b.txt": "b\none\n"})
    tip = repo.commit("two", {"c.txt": "c\n"})
    engine = open_repo(repo.path)
    upstream = repo.rev("main")
    assert count_between(engine, upstream, tip) == 3 and len(commits_between(engine, upstream, tip)) == 3
    refs = repo.refs()
    replayed = replay_commits(engine, upstream, tip, foundation)
    assert replayed.tip is not None and replayed.replayed == 2 and replayed.dropped == 1
    assert repo.refs() == refs  # in memory: no ref moved
    repo.git("rebase", "-q", "--onto", "foundation", "main", "feature")
    assert repo.rev(f"{replayed.tip}^{{tree}}") == repo.rev("feature^{tree}")
    assert repo.git("log", "--format=%an %s", f"foundation..{replayed.tip}").splitlines() == [
        "Test Author two",
        "Test Author one",
    ]


def test_replay_stops_on_a_conflict_unless_settled(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": "1\n"})
    repo.checkout("onto", create=True)
    onto = repo.commit("onto", {"a.txt": "2\n"})
    repo.checkout("feature", create=True, start="main")
    tip = repo.commit("feature", {"a.txt": "3\n"})
    engine = open_repo(repo.path)
    stopped = replay_commits(engine, repo.rev("main"), tip, onto)
    assert stopped.tip is None and stopped.conflicts == ("a.txt",) and stopped.stopped_at == tip

    def take_theirs(conflicts: Sequence[Conflict]) -> Mapping[str, bytes]:
        return {c.path: c.theirs.data for c in conflicts if c.theirs is not None}

    settled = replay_commits(engine, repo.rev("main"), tip, onto, settle=take_theirs)
    assert settled.tip is not None and engine.read_path(settled.tip, "a.txt") == b"3\n"


def test_store_round_trip_history_and_compare_and_swap(repo: GitRepo) -> None:
    repo.commit("base", {"a.txt": "a\n"})
    engine = open_repo(repo.path)
    ref = "refs/mergekit/test-store"
    empty = read_store(engine, ref)
    assert empty.commit is None and empty.items == {}
    first = write_store(engine, ref, empty, {"k1": b"one", "k2": b"two"}, "add two\n")
    snapshot = read_store(engine, ref)
    assert snapshot.commit == first and snapshot.items == {"k1": b"one", "k2": b"two"}
    second = write_store(engine, ref, snapshot, {"k2": b"two"}, "drop k1\n")
    assert repo.git("log", "--format=%s", ref).splitlines() == ["drop k1", "add two"]
    assert read_store(engine, ref).items == {"k2": b"two"} and repo.rev(ref) == second
    with pytest.raises(RefMoved):
        write_store(engine, ref, snapshot, {}, "stale writer\n")
    assert repo.rev(ref) == second
