"""What the merge seam needs from the resolution memory: recall a file's resolution, or not.

Kept apart from `mergekit.workflow.memory` so that the seam (`mergekit.settle`) depends on this
small protocol only, not on where the memory is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
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
