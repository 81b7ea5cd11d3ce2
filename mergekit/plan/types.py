"""Plain values planning works on (branch facts, pair predictions) and produces (the plan).

All inputs are gathered elsewhere (see `mergekit.app.plan.survey`); planning itself never calls git.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BranchFacts:
    """What planning needs to know about one branch."""

    name: str
    """The branch name as the user gave it (`feature/x`, `origin/feature/x`)."""
    tip: str
    """The commit the branch points at."""
    footprint: frozenset[str] = frozenset()
    """Paths the branch changed since its merge base with BASE."""
    base_conflicts: frozenset[str] = frozenset()
    """Paths that need a human when merging this branch into BASE alone."""


@dataclass(frozen=True)
class PairPrediction:
    """What happens when two branches meet: shared paths and predicted conflicts."""

    a: str
    """The first branch (alphabetically smaller name)."""
    b: str
    """The second branch."""
    shared: frozenset[str]
    """Paths both branches modified."""
    conflicts: frozenset[str] = frozenset()
    """Paths whose merge conflicts at the line level."""
    auto_resolvable: frozenset[str] = frozenset()
    """The subset of `conflicts` the resolver settles on its own."""

    @property
    def human(self) -> frozenset[str]:
        """Conflicts that will need a human."""
        return self.conflicts - self.auto_resolvable


@dataclass(frozen=True)
class PlanStep:
    """One position in the merge order and why it is there."""

    name: str
    """The branch merged at this position."""
    reason: str
    """Why this branch is here (dependencies, conflicts, shared files, tie-break)."""
    depends_on: tuple[str, ...] = ()
    """Branches it is built on (their tips are ancestors of its tip), direct ones only."""
    shared_files: int = 0
    """Shared-file modifications with the other branches (sum over pairs of shared paths)."""
    human_conflicts: int = 0
    """Predicted conflicts needing a human (with other branches and with BASE)."""


@dataclass(frozen=True)
class Plan:
    """The merge order with reasons, the pairwise matrix and the dependencies."""

    steps: tuple[PlanStep, ...]
    """The branches in merge order."""
    pairs: tuple[PairPrediction, ...] = ()
    """Pairs of branches that touch the same paths, sorted by names."""
    dependencies: tuple[tuple[str, str], ...] = ()
    """(a, b): a's tip is an ancestor of b's tip, so a goes first (direct edges only)."""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    """Things the user should know (e.g. a given order that puts a branch before its base)."""

    @property
    def order(self) -> list[str]:
        """Branch names in merge order."""
        return [s.name for s in self.steps]
