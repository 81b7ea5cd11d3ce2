"""`mergekit demo`: build the five-feature scenario in a temporary repository, plan it, integrate it.

Returns everything the narration needs (`mergekit.output.demo` tells it); the repository is
removed afterwards unless `keep`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mergekit.app.integrate.abort import abort_run
from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions, RunReport
from mergekit.app.plan import PlanReport, plan_branches
from mergekit.model import RunStatus
from mergekit.scenarios import Scenario, build_five_features


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
        if keep:
            result.kept = scenario.path
        elif run.status is not RunStatus.DONE:
            abort_run(scenario.path)
        return result
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
