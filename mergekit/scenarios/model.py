"""The description of a built scenario repository: what a test or `mergekit demo` needs to know.

A builder creates the repository on disk and returns a `Scenario` that says which branches it
made, which files every branch appends to (conflicts a structural resolver can take), which files
hold genuine disagreements (conflicts a human must take), and which branches were built on others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Scenario:
    """A scenario repository on disk and the facts about it that tests and narration rely on."""

    path: Path
    """The repository's main work tree (checked out on `base`, clean)."""
    base: str
    """The branch the feature branches start from and integrate into ("main")."""
    branches: list[str]
    """The feature branches, in the order they were created."""
    description: str
    """One paragraph for people: what the app is and what the branches do."""
    expected_conflicts: dict[str, list[str]] = field(default_factory=dict)
    """Genuine conflicts a human must resolve: path → the branches whose changes to it disagree."""
    shared_files: dict[str, list[str]] = field(default_factory=dict)
    """Append-only shared files: path → the branches that add entries to it (plain git conflicts)."""
    dependencies: dict[str, list[str]] = field(default_factory=dict)
    """Branch → the branches it was built on (their tips are its ancestors); absent when none."""
    added_files: dict[str, list[str]] = field(default_factory=dict)
    """Branch → the new files it adds (relative paths, sorted)."""
    worktrees: dict[str, Path] = field(default_factory=dict)
    """Branch → the linked worktree it is checked out in (empty unless built with worktrees)."""

    def conflicting_pair(self) -> tuple[str, str] | None:
        """The first pair of branches with a genuine conflict, or None when there is none."""
        for branches in self.expected_conflicts.values():
            if len(branches) >= 2:
                return branches[0], branches[1]
        return None
