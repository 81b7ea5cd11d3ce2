"""What the merge seam asks of the resolution memory: settle a file's conflict, or not.

`mergekit.merging.Merger` takes any `Recall` (the repository's memory is
`mergekit.app.memory.ResolutionMemory`), so the seam depends on this small protocol only, not on
where or how the memory is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

MEMORY_RULE = "memory"
"""The rule reported for a file settled from the resolution memory."""
MEMORY_REF = "refs/mergekit/memory"
"""The ref that holds the memory (push and fetch it like any ref)."""


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
