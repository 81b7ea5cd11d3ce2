"""What the merge seam needs from the resolution memory: recall a file's resolution, or not.

Kept apart from `mergekit.workflow.memory` so that the seam (`mergekit.settle`) depends on this
small protocol only, not on where the memory is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

MEMORY_RULE = "memory"
"""The rule reported for a file settled from the resolution memory."""


@dataclass(frozen=True)
class Recalled:
    """A file settled from memory."""

    merged: bytes
    """The merged content (no conflict left)."""
    keys: tuple[str, ...]
    """The memory entries used."""
    detail: str
    """What was recalled, for the audit trail."""


class Recall(Protocol):
    """Anything that can settle a file's conflict from remembered resolutions."""

    def recall(self, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> Recalled | None:
        """The file settled from memory, or None."""


class RepositoryMemory:
    """The resolution memory of the repository containing `cwd`, read on first use only — so a
    command that never needs it (every conflict settled by the resolver) never loads pygit2."""

    def __init__(self, cwd: Path) -> None:
        self._cwd = cwd
        self._loaded: Recall | None = None

    def recall(self, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> Recalled | None:
        """The file settled from the repository's memory, or None."""
        if self._loaded is None:
            from mergekit.workflow.memory import open_memory

            self._loaded = open_memory(self._cwd)
        return self._loaded.recall(base, ours, theirs, path)
