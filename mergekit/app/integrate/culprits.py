"""Which branches make `--test` fail together, use case side: build subsets, test them, keep logs.

When the test fails after a step (or at the end), `find_test_culprits` bisects the merged
branches (`mergekit.workflow.culprit_search`): each subset is merged onto BASE in memory through
the one seam (`mergekit.merging.Merger`: the resolver and the resolution memory settle what they
can; a subset that needs a human cannot be tested), then checked out in a scratch worktree of its
own and tested. Every run's whole output is kept in a log file. `build_chain` is also how
`--drop-failing` rebuilds an integration without its culprit.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mergekit.app.integrate.testrun import run_test
from mergekit.engine.repo import Repo
from mergekit.engine.worktree import add_worktree, checkout_commit, remove_worktree
from mergekit.merging import LINE_MERGE_RULE, Merger
from mergekit.model import AutoResolved, TestRun
from mergekit.output.commit import describe, step_message
from mergekit.resolve import Labels
from mergekit.workflow.culprit_search import find_culprits


@dataclass
class CulpritReport:
    """Which branches fail the test together, and the runs that showed it."""

    culprits: list[str] = field(default_factory=list)
    """The smallest failing set found, in merge order."""
    shared_files: list[str] = field(default_factory=list)
    """Files changed by two or more culprits."""
    runs: list[TestRun] = field(default_factory=list)
    """Every test run of the search."""
    conclusive: bool = True
    """False when a subset could not be tested or the results contradict each other."""
    note: str = ""
    """Why the search is not conclusive."""

    @property
    def summary(self) -> str:
        """One line for people."""
        if not self.culprits:
            return f"could not find the culprit ({self.note})"
        if len(self.culprits) == 1:
            head = f"fails alone: {self.culprits[0]}"
        else:
            head = "fails together: " + " + ".join(self.culprits)
            if self.shared_files:
                head += f" (both change {', '.join(self.shared_files)})"
        tested = f"{len(self.runs)} test run{'s' if len(self.runs) != 1 else ''}"
        doubt = f"; not conclusive: {self.note}" if not self.conclusive else ""
        return f"{head} — found in {tested}{doubt}"


def build_chain(
    merger: Merger,
    base_commit: str,
    tips: Sequence[tuple[str, str]],
    label: str,
    squash: bool = False,
) -> str | None:
    """Merge `tips` onto `base_commit` in memory, in order; the last commit, or None when a merge
    needs a human. Each step is a merge commit (one parent with `squash`) with a run's message."""
    repo = merger.repo
    current = base_commit
    for name, tip in tips:
        if repo.is_ancestor(tip, current):
            continue
        settled = merger.settle(current, tip, Labels(ours=label, base="base", theirs=name))
        verdict = settled.prediction
        if verdict.human:
            return None
        auto = [
            AutoResolved(name, f.path, f.rule or LINE_MERGE_RULE, f.recalled or describe(f.hunks))
            for f in verdict.auto_resolved
        ]
        tree = settled.merge.write_tree(verdict.resolutions)
        subjects = repo.commit_subjects(current, tip) if squash else None
        parents = [current] if squash else [current, tip]
        current = repo.create_commit(tree, parents, step_message(name, label, subjects, auto))
    return current


def find_test_culprits(
    merger: Merger,
    base_commit: str,
    merged: Sequence[tuple[str, str]],
    command: str,
    scratch: Path,
    logs: Path,
    passing_prefix: int = 0,
) -> CulpritReport:
    """The smallest set of `merged` (in merge order) whose integration fails `command`.

    `scratch` is where the scratch worktree goes (removed at the end), `logs` the directory
    for the runs' output (emptied first). `passing_prefix` leading branches are known to pass.
    """
    repo = merger.repo
    if logs.exists():
        shutil.rmtree(logs)
    logs.mkdir(parents=True)
    tips = dict(merged)
    runs: list[TestRun] = []
    worktree: list[Path] = []

    def fails(subset: tuple[str, ...]) -> bool | None:
        commit = build_chain(merger, base_commit, [(n, tips[n]) for n in subset], "culprit-search")
        if commit is None:
            runs.append(TestRun(subset, None))
            return None
        if not worktree:
            worktree.append(_fresh_worktree(repo, scratch, commit))
        else:
            checkout_commit(worktree[0], commit)
        log = logs / f"{len(runs) + 1:02d}-{_slug('+'.join(subset))}.log"
        outcome = run_test(command, worktree[0], log=log)
        last = next((line for line in reversed(outcome.output.splitlines()) if line.strip()), "")
        runs.append(TestRun(subset, not outcome.passed, outcome.returncode, str(log), last))
        return not outcome.passed

    try:
        search = find_culprits([n for n, _ in merged], fails, passing_prefix)
    finally:
        if worktree:
            remove_worktree(repo, worktree[0])
    report = CulpritReport(
        culprits=list(search.culprits), runs=runs, conclusive=search.conclusive, note=search.note
    )
    report.shared_files = _shared(repo, base_commit, [(n, tips[n]) for n in search.culprits])
    return report


def _shared(repo: Repo, base_commit: str, culprits: Sequence[tuple[str, str]]) -> list[str]:
    """Files changed (since BASE) by two or more of the culprits."""
    counts: dict[str, int] = {}
    for _, tip in culprits:
        for path in repo.footprint(base_commit, tip):
            counts[path] = counts.get(path, 0) + 1
    return sorted(p for p, n in counts.items() if n > 1)


def _fresh_worktree(repo: Repo, scratch: Path, commit: str) -> Path:
    """A worktree at `scratch` checked out at `commit` (one left by a killed search is removed first)."""
    if scratch.exists():
        remove_worktree(repo, scratch)
    return add_worktree(repo, scratch, commit)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", text).strip("-.")[:80] or "base"


@dataclass
class FailureVerdict:
    """What to do after `--test` failed: the culprits, and with `--drop-failing` whom to leave out."""

    report: CulpritReport
    """The culprit search."""
    drop: str | None = None
    """The branch to leave out (`--drop-failing`), None to stop for a human."""
    rebuilt: str | None = None
    """After a final-test failure: the integration rebuilt without `drop`, tested and passing."""


def investigate_failure(
    merger: Merger,
    base_commit: str,
    merged: Sequence[tuple[str, str]],
    command: str,
    scratch: Path,
    logs: Path,
    *,
    step: bool,
    drop_failing: bool = False,
    label: str = "integration",
    squash: bool = False,
) -> FailureVerdict:
    """Find the culprits of a failing test over `merged` (in merge order).

    `step`: the test failed after merging the last of `merged` (the ones before it passed
    together); otherwise the final test failed. With `drop_failing`, a step's culprit is the
    branch just merged; after the final test the last culprit is left out and the integration
    rebuilt without it (in memory, then tested) — when that cannot be done, nothing is dropped.
    """
    if len(merged) == 1:
        report = CulpritReport(culprits=[merged[0][0]])
    else:
        prefix = len(merged) - 1 if step else 0
        report = find_test_culprits(merger, base_commit, merged, command, scratch, logs, prefix)
    verdict = FailureVerdict(report=report)
    if not drop_failing or not report.culprits or not report.conclusive:
        return verdict
    culprit = report.culprits[-1]
    if step:
        verdict.drop = culprit if culprit == merged[-1][0] else None
        return verdict
    rest = [(n, t) for n, t in merged if n != culprit]
    rebuilt = build_chain(merger, base_commit, rest, label, squash=squash)
    if rebuilt is None:
        report.note = f"could not rebuild without {culprit}: a merge needs a human"
        return verdict
    repo = merger.repo
    path = _fresh_worktree(repo, scratch, rebuilt)
    try:
        outcome = run_test(
            command, path, log=logs / f"{len(report.runs) + 1:02d}-without-{_slug(culprit)}.log"
        )
    finally:
        remove_worktree(repo, path)
    if outcome.passed:
        verdict.drop, verdict.rebuilt = culprit, rebuilt
    else:
        report.note = f"the test still fails without {culprit}"
    return verdict
