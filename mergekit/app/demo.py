"""`mergekit demo`: build the five-feature scenario in a temporary repository, plan it, integrate it.

When the run hands a conflict to a human, the demo's second act plays the human (keeping the
merged branch's side), continues — mergekit remembers the resolution — and integrates again from
scratch: the same conflict is resolved from the resolution memory. Returns everything the
narration needs (`mergekit.output.demo` tells it); the repository is removed afterwards unless
`keep`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mergekit.app.integrate.abort import abort_run
from mergekit.app.integrate.resume import continue_run
from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions, RunReport
from mergekit.app.plan import PlanReport, plan_branches
from mergekit.model import RunStatus
from mergekit.scenarios import Scenario, build_five_features
from mergekit.scenarios.gitcli import take_theirs

RERUN_BRANCH = "integration-rerun"
"""The result branch of the demo's second integration (the one the memory settles)."""


@dataclass
class DemoResult:
    """What the demo built and what integrating it gave."""

    scenario: Scenario
    """The scenario repository (gone unless kept)."""
    plan: PlanReport
    """The plan of its branches."""
    run: RunReport
    """Where the integration stopped."""
    handoff: dict[str, str] = field(default_factory=dict)
    """Path → the content of each conflicted file as the human finds it in the hand-off worktree."""
    continued: RunReport | None = None
    """After the human kept the merged branch's side of the hand-off: `continue`'s report."""
    rerun: RunReport | None = None
    """The second integration from scratch, after `continue` finished the first."""
    kept: Path | None = None
    """The repository, when kept."""


def run_demo(keep: bool = False) -> DemoResult:
    """Build, plan and integrate the five-feature app; remove it afterwards unless `keep`."""
    tmp = Path(tempfile.mkdtemp(prefix="mergekit-demo-"))
    try:
        scenario = build_five_features(tmp / "acme-app")
        planned = plan_branches(scenario.path, tuple(scenario.branches), scenario.base)
        run = integrate(
            IntegrateOptions(cwd=scenario.path, into=scenario.base, branches=tuple(scenario.branches))
        )
        result = DemoResult(scenario=scenario, plan=planned, run=run)
        if run.worktree:
            for conflict in run.conflicts:
                file = Path(run.worktree) / conflict.path
                if file.is_file():
                    result.handoff[conflict.path] = file.read_text(encoding="utf-8", errors="replace")
        if run.status is RunStatus.CONFLICT and run.worktree and run.conflicts:
            _resolve_and_rerun(result)
        if keep:
            result.kept = scenario.path
        elif (result.rerun or result.continued or run).status is not RunStatus.DONE:
            abort_run(scenario.path)
        return result
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def _resolve_and_rerun(result: DemoResult) -> None:
    """The second act: settle the hand-off as a person might, continue, integrate again."""
    scenario, run = result.scenario, result.run
    assert run.worktree is not None
    take_theirs(Path(run.worktree), [c.path for c in run.conflicts])
    result.continued = continue_run(scenario.path)
    if result.continued.status is RunStatus.DONE:
        result.rerun = integrate(
            IntegrateOptions(
                cwd=scenario.path,
                into=scenario.base,
                branches=tuple(scenario.branches),
                result_branch=RERUN_BRANCH,
            )
        )
