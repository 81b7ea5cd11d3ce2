"""Replay a branch's commits onto another base in memory — `git rebase --onto`, without a checkout.

`replay_commits` cherry-picks each non-merge commit of `upstream..tip` (oldest first) onto
`onto` with in-memory tree merges, keeping each commit's author and message; commits that
become empty are dropped, as `git rebase` does. Conflicts go to a `settle` callback that may
resolve all of them (the caller's resolver); otherwise the replay stops and says where. Also
here: how far a branch is behind, and the commits between two points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pygit2

from mergekit.engine.merge import merge_trees
from mergekit.engine.repo import Repo
from mergekit.engine.types import Conflict, Identity

Settle = Callable[[Sequence[Conflict]], Mapping[str, bytes] | None]
"""Given a replay step's conflicts: a resolution for every one of them, or None to give up."""


@dataclass(frozen=True)
class Replayed:
    """The outcome of a replay: the new tip, or the commit that could not be replayed."""

    tip: str | None
    """The replayed branch's new tip (None when the replay stopped)."""
    replayed: int = 0
    """Commits written onto the new base."""
    dropped: int = 0
    """Commits left out: merges, and commits that became empty."""
    stopped_at: str | None = None
    """The commit whose changes conflicted (None on success)."""
    conflicts: tuple[str, ...] = ()
    """The conflicted paths of that commit."""


def commits_between(repo: Repo, upstream: str, tip: str) -> list[str]:
    """Commits reachable from `tip` but not from `upstream`, oldest first (topological)."""
    walker = repo.raw.walk(tip, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE)
    walker.hide(upstream)
    return [str(c.id) for c in walker]


def count_between(repo: Repo, upstream: str, tip: str) -> int:
    """How many commits `tip` has that `upstream` does not (`git rev-list --count upstream..tip`)."""
    if upstream == tip:
        return 0
    ahead, _behind = repo.raw.ahead_behind(tip, upstream)
    return int(ahead)


def replay_commits(repo: Repo, upstream: str, tip: str, onto: str, settle: Settle | None = None) -> Replayed:
    """Replay the commits of `upstream..tip` onto commit `onto`, in memory; see the module docstring."""
    raw = repo.raw
    current = onto
    replayed = dropped = 0
    for oid in commits_between(repo, upstream, tip):
        commit = raw[oid]
        assert isinstance(commit, pygit2.Commit)
        if len(commit.parent_ids) != 1:
            dropped += 1
            continue
        parent_tree = repo.commit_tree(str(commit.parent_ids[0]))
        ours_tree = repo.commit_tree(current)
        merge = merge_trees(repo, parent_tree, ours_tree, str(commit.tree_id))
        resolutions: Mapping[str, bytes] = {}
        if merge.conflicts:
            found = settle(merge.conflicts) if settle is not None else None
            if found is None:
                return Replayed(
                    tip=None,
                    replayed=replayed,
                    dropped=dropped,
                    stopped_at=oid,
                    conflicts=tuple(c.path for c in merge.conflicts),
                )
            resolutions = found
        tree = merge.write_tree(resolutions)
        if tree == ours_tree:
            dropped += 1
            continue
        author = commit.author
        who = Identity(str(author.name), str(author.email), int(author.time), int(author.offset))
        current = repo.create_commit(tree, [current], str(commit.message), author=who)
        replayed += 1
    return Replayed(tip=current, replayed=replayed, dropped=dropped)
