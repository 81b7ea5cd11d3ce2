"""Walking a repository's history for replay: which merge commits to recompute, and how.

Everything here reads; merges are recomputed in `Repo.scratch()` views so that no object is
left in the repository.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygit2

from mergekit.engine.repo import Repo
from mergekit.errors import MergekitError


@dataclass(frozen=True)
class MergeCommit:
    """A two-parent merge commit found in history."""

    oid: str
    """The merge commit."""
    ours: str
    """Its first parent (git's %A when the merge was made)."""
    theirs: str
    """Its second parent (%B)."""
    subject: str
    """First line of its message."""
    time: int
    """Commit time (seconds since the epoch)."""


def parse_range(repo: Repo, rev_range: str | None) -> tuple[str, list[str]]:
    """`A..B` → (tip B, hide [A]); `B` → (B, []); None → (HEAD, [])."""
    spec = rev_range or "HEAD"
    hide: list[str] = []
    if ".." in spec:
        left, _, right = spec.partition("..")
        spec = right or "HEAD"
        start = repo.resolve_commit(left or "HEAD")
        if start is None:
            raise MergekitError(f"unknown revision {left!r} in range {rev_range!r}: check the name")
        hide.append(start)
    tip = repo.resolve_commit(spec)
    if tip is None:
        raise MergekitError(f"unknown revision {spec!r}: check the name or run `git fetch`")
    return tip, hide


def merge_commits_in(
    repo: Repo, tip: str, hide: list[str], since: int | None = None, limit: int | None = None
) -> tuple[list[MergeCommit], int]:
    """Two-parent merges reachable from `tip` and not from `hide`, newest first.

    Returns the merges and how many were skipped because a parent is missing (partial clone).
    """
    walker = repo.raw.walk(tip, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.TIME)
    for oid in hide:
        walker.hide(oid)
    found: list[MergeCommit] = []
    missing = 0
    try:
        for commit in walker:
            if since is not None and commit.commit_time < since:
                continue
            if len(commit.parent_ids) != 2:
                continue
            ours, theirs = (str(p) for p in commit.parent_ids)
            if repo.raw.get(ours) is None or repo.raw.get(theirs) is None:
                missing += 1
                continue
            subject = str(commit.message).split("\n", 1)[0]
            found.append(MergeCommit(str(commit.id), ours, theirs, subject, int(commit.commit_time)))
            if limit is not None and len(found) >= limit:
                break
    except pygit2.GitError as exc:
        raise MergekitError(
            f"cannot walk history ({exc}): the clone may be incomplete, run `git fetch`"
        ) from exc
    return found, missing
