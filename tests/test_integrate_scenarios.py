"""The integration run on the shared scenario repositories (mergekit.scenarios): the epic's
dependencies and the five features checked out in agents' worktrees."""

from __future__ import annotations

from pathlib import Path

from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions
from mergekit.app.plan import plan_branches
from mergekit.scenarios import build_epic, build_five_features


def test_epic_dependencies_order_the_run(tmp_path: Path) -> None:
    scenario = build_epic(tmp_path / "epic")
    plan = plan_branches(scenario.path, tuple(scenario.branches), scenario.base).plan
    position = {name: i for i, name in enumerate(plan.order)}
    for branch, foundations in scenario.dependencies.items():
        for foundation in foundations:
            assert position[foundation] < position[branch], (foundation, branch, plan.order)
    report = integrate(
        IntegrateOptions(cwd=scenario.path, into=scenario.base, branches=tuple(scenario.branches))
    )
    assert report.order == plan.order
    # the epic has no genuine conflict: every branch merges, in dependency order
    assert report.status == "done" and report.conflicts == [] and report.skipped == []
    assert report.merged == plan.order and sorted(report.merged) == sorted(scenario.branches)


def test_five_agents_worktrees_are_the_default_branches(tmp_path: Path) -> None:
    scenario = build_five_features(tmp_path / "app", worktrees=True)
    report = integrate(IntegrateOptions(cwd=scenario.path, into=scenario.base))
    assert sorted(report.order) == sorted(scenario.branches)
    # the one genuine conflict pauses the run; every append-only file was unioned on the way
    assert report.status == "conflict"
    assert {c.path for c in report.conflicts} == set(scenario.expected_conflicts)
    pair = set(scenario.expected_conflicts[next(iter(scenario.expected_conflicts))])
    assert report.pending[0] in pair and len(report.pending) == 1
    assert {a.path for a in report.auto_resolved} == set(scenario.shared_files)
