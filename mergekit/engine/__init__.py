"""The git engine: the only package that imports pygit2, and the one runner of the git command line.

Public surface (plain values in, plain values out; ids are hex strings):

- `open_repo(path) -> Repo`: revisions, branches, ancestry, merge base, footprints, objects,
  compare-and-swap ref updates, worktree listing; `Repo.scratch()` for write-nothing work.
  `ShallowHistory`, `InvalidEntry` (`first_invalid_path`), `RefLocked`, `RefMoved`: the user
  errors a repository's history or refs can raise.
- `merge_commits(repo, ours, theirs)` / `merge_trees(repo, base, ours, theirs) -> TreeMerge`:
  in-memory three-way merges; `TreeMerge.conflicts` holds `Conflict` values with the
  base/ours/theirs sides, `TreeMerge.write_tree(resolutions)` writes the result.
- `worktree`: linked worktrees for hand-off and tests, with a paused merge materialized;
  `checkout_tree` copies a tree's files into a scratch directory (derived files are regenerated there).
- `gitcli.run_git`: the git command line (standard library only).
- `scratch.process_dir`: this process's throw-away directory, swept when its process is gone
  (standard library only).
- `linemerge.merge_texts`: git's line merge in process (libgit2), a backend for the resolver.
- `patch`: parse a diff and apply it onto a tree in memory (exactly, or three-way), find the
  commit a patch was made from; `rebase`: replay commits onto another base in memory;
  `refstore`: a key → bytes store kept under a ref.

Importing this package loads nothing: each name is imported from its module on first use, so
`mergekit.engine.gitcli` serves the merge driver without pygit2.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver imports this package
if TYPE_CHECKING:
    from typing import Any

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
    from mergekit.engine.types import Conflict, Side, WorktreeInfo, WorktreeState
    from mergekit.engine.worktree import (
        PausedFile,
        add_worktree,
        checkout_commit,
        checkout_tree,
        inspect_worktree,
        materialize_merge,
        merge_in_progress,
        merge_message,
        remove_worktree,
    )
    from mergekit.model import ConflictKind

_WHERE = {
    "TreeMerge": "merge",
    "merge_commits": "merge",
    "merge_trees": "merge",
    "InvalidEntry": "repo",
    "RefLocked": "repo",
    "RefMoved": "repo",
    "ShallowHistory": "repo",
    "first_invalid_path": "repo",
    "Repo": "repo",
    "open_repo": "repo",
    "Conflict": "types",
    "Side": "types",
    "WorktreeInfo": "types",
    "WorktreeState": "types",
    "PausedFile": "worktree",
    "add_worktree": "worktree",
    "checkout_commit": "worktree",
    "checkout_tree": "worktree",
    "inspect_worktree": "worktree",
    "materialize_merge": "worktree",
    "merge_in_progress": "worktree",
    "merge_message": "worktree",
    "remove_worktree": "worktree",
}
"""Public name → the module of this package that defines it."""


def __getattr__(name: str) -> Any:
    if name == "ConflictKind":
        from mergekit.model import ConflictKind

        return ConflictKind
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mergekit.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(f"mergekit.engine.{module}"), name)


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
    "checkout_tree",
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
