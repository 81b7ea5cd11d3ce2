"""The values of the integration run's use cases: what the user asked for and where the run ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mergekit.app.progress import Progress
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK
from mergekit.model import AutoResolved, HumanConflict, RunStatus, Skipped, TestRun, WrongBase
from mergekit.plan import OrderMode, Plan
from mergekit.workflow.wrongbase import DEFAULT_STALE_AFTER

Strategy = Literal["merge", "squash"]
"""Merge commits, or one squashed commit per branch."""


@dataclass(frozen=True)
class IntegrateOptions:
    """What the user asked `mergekit integrate` for."""

    cwd: Path
    """Any directory inside the repository."""
    into: str
    """BASE: the branch (or commit) to integrate into."""
    branches: tuple[str, ...] = ()
    """Names and globs; empty = the branches checked out in linked worktrees."""
    result_branch: str = "integration"
    """The branch built by the run."""
    force: bool = False
    """Overwrite an existing result branch that mergekit did not make."""
    order: OrderMode = "auto"
    """`auto` (planned) or `given` (argument order)."""
    strategy: Strategy = "merge"
    """Merge commits, or one squashed commit per branch."""
    test: str | None = None
    """A shell command run in the integration worktree after each merge and at the end."""
    skip_conflicting: bool = False
    """Leave out branches that need a human instead of pausing."""
    dry_run: bool = False
    """Plan and predict only; write nothing."""
    rebase_stale: bool = False
    """Replay branches built on the wrong base onto the right one, in memory, before integrating."""
    drop_failing: bool = False
    """When `--test` fails, leave the culprit out instead of stopping."""
    stale_after: int = DEFAULT_STALE_AFTER
    """A branch this many commits behind BASE (touching what changed since) is stale."""
    progress: Progress | None = None
    """Told before each survey merge and each step (merge, test) of the run."""


@dataclass
class RunReport:
    """The outcome of `integrate` or `continue` (the JSON object of the command contract)."""

    status: RunStatus
    """`done`, `conflict`, `test_failed`, `running` (status only) or `error`."""
    result_branch: str
    """The branch being built."""
    base: str
    """BASE as named by the user."""
    order: list[str] = field(default_factory=list)
    """All branch names in merge order."""
    merged: list[str] = field(default_factory=list)
    """Branches merged (or, in a dry run, that would merge)."""
    pending: list[str] = field(default_factory=list)
    """Branches not merged yet (the paused one first)."""
    auto_resolved: list[AutoResolved] = field(default_factory=list)
    """Each file the resolver settled."""
    conflicts: list[HumanConflict] = field(default_factory=list)
    """Each file a human must settle."""
    skipped: list[Skipped] = field(default_factory=list)
    """Branches left out, and why."""
    worktree: str | None = None
    """The worktree where a human takes over (or the failed test ran), else None."""
    result_commit: str | None = None
    """Where the result branch points now (None in a dry run)."""
    strategy: str = "merge"
    """`merge` or `squash`."""
    dry_run: bool = False
    """True when nothing was written."""
    failed_branch: str | None = None
    """For `test_failed`: the branch whose merge broke the test."""
    test_output: str | None = None
    """For `test_failed`: the end of the test command's output."""
    plan: Plan | None = None
    """The plan the run followed (for reasons in the report)."""
    notes: list[str] = field(default_factory=list)
    """Extra lines for people (warnings, what to do next)."""
    base_findings: list[WrongBase] = field(default_factory=list)
    """Branches built on the wrong base."""
    culprits: list[str] = field(default_factory=list)
    """For `test_failed`: the smallest set of branches whose merge fails the test."""
    dropped: list[str] = field(default_factory=list)
    """Branches left out by `--drop-failing`."""
    test_runs: list[TestRun] = field(default_factory=list)
    """The culprit search's test runs (branches, outcome, log file)."""

    @property
    def exit_code(self) -> int:
        """0 when everything merged; 1 when a human is needed or a test failed."""
        skipped_human = any(s.reason.needs_human for s in self.skipped)
        return EXIT_NEEDS_HUMAN if self.status is not RunStatus.DONE or skipped_human else EXIT_OK


@dataclass
class AbortReport:
    """What `abort` undid."""

    result_branch: str
    """The run's result branch."""
    restored_to: str | None
    """Where the result branch points now (None: deleted, as before the run)."""
    removed_worktree: str | None
    """The worktree removed, if any."""
    notes: list[str] = field(default_factory=list)
    """Anything left alone and why."""
