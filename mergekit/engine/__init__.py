"""The git engine: the only package that imports pygit2.

Public surface (plain values in, plain values out; ids are hex strings):

- `open_repo(path) -> Repo`: revisions, branches, ancestry, merge base, footprints, objects,
  compare-and-swap ref updates, worktree listing; `Repo.scratch()` for write-nothing work.
- `merge_commits(repo, ours, theirs)` / `merge_trees(repo, base, ours, theirs) -> TreeMerge`:
  in-memory three-way merges; `TreeMerge.conflicts` holds `Conflict` values with the
  base/ours/theirs sides, `TreeMerge.write_tree(resolutions)` writes the result.
- `worktree`: linked worktrees for hand-off and tests, with a paused merge materialized.
"""

from __future__ import annotations

from mergekit.engine.merge import TreeMerge, merge_commits, merge_trees
from mergekit.engine.repo import (
    InvalidEntry,
    RefLocked,
    RefMoved,
    Repo,
    ShallowHistory,
    first_invalid_path,
    open_repo,
)
from mergekit.engine.types import Conflict, ConflictKind, Side, WorktreeInfo, WorktreeState
from mergekit.engine.worktree import (
    PausedFile,
    add_worktree,
    checkout_commit,
    inspect_worktree,
    materialize_merge,
    merge_in_progress,
    merge_message,
    remove_worktree,
)

__all__ = [
    "Conflict",
    "ConflictKind",
    "InvalidEntry",
    "PausedFile",
    "RefLocked",
    "RefMoved",
    "Repo",
    "ShallowHistory",
    "Side",
    "TreeMerge",
    "WorktreeInfo",
    "WorktreeState",
    "add_worktree",
    "checkout_commit",
    "first_invalid_path",
    "inspect_worktree",
    "materialize_merge",
    "merge_commits",
    "merge_in_progress",
    "merge_message",
    "merge_trees",
    "open_repo",
    "remove_worktree",
]
