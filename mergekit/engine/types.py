"""Plain values the engine hands out: object ids as hex strings, conflict sides, worktrees.

Nothing here refers to pygit2, so the rest of mergekit can use these values without
importing it. The conflict kinds are mergekit's vocabulary (`mergekit.model.ConflictKind`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mergekit.model import ConflictKind

MODE_FILE = 0o100644
"""A regular file."""
MODE_EXEC = 0o100755
"""An executable file."""
MODE_LINK = 0o120000
"""A symbolic link (the blob holds the target)."""
MODE_GITLINK = 0o160000
"""A submodule (the id is a commit in another repository)."""


@dataclass(frozen=True)
class Side:
    """One side (base, ours or theirs) of a conflicted entry."""

    path: str
    """The path of this side (sides differ only for rename conflicts)."""
    oid: str
    """The blob (or submodule commit) id."""
    mode: int
    """The git file mode, e.g. 0o100644."""
    data: bytes
    """The blob's bytes (empty for submodules)."""


@dataclass(frozen=True)
class Conflict:
    """One conflicted entry of an in-memory merge, with its base/ours/theirs sides."""

    path: str
    """The path the conflict is reported under (ours' path when it has one)."""
    kind: ConflictKind
    """What conflicted (git's kinds; see `mergekit.model.ConflictKind`)."""
    base: Side | None
    """The merge base's version, None when the path did not exist there."""
    ours: Side | None
    """Our version, None when ours deleted it."""
    theirs: Side | None
    """Their version, None when theirs deleted it."""

    @property
    def is_content(self) -> bool:
        """True when a content merge (the resolver) can settle it: both sides are regular files."""
        return self.kind.is_content


@dataclass(frozen=True)
class Identity:
    """Who wrote a commit and when (a commit's author kept across a patch or a replay)."""

    name: str
    """The person's name."""
    email: str
    """The person's email address."""
    time: int
    """Seconds since the epoch."""
    offset: int
    """The time zone offset in minutes east of UTC."""


@dataclass(frozen=True)
class WorktreeInfo:
    """A worktree of the repository and what it has checked out."""

    path: Path
    """The worktree's top directory."""
    branch: str | None
    """The full ref checked out (e.g. `refs/heads/feature/x`), None when detached."""
    head: str | None
    """The commit HEAD points at, None for an unborn branch."""
    is_main: bool
    """True for the main worktree (the one that holds the git dir)."""


@dataclass(frozen=True)
class WorktreeState:
    """What a human left in a hand-off worktree: HEAD, unmerged paths, the staged tree."""

    head: str
    """The commit the worktree's HEAD points at."""
    unmerged: tuple[str, ...]
    """Paths that still have conflict stages in the index."""
    index_tree: str | None
    """The tree the index would commit (None while paths are unmerged)."""
    dirty: bool
    """True when the index or the files differ from HEAD (ignoring untracked files)."""
