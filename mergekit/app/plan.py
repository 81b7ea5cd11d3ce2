"""`mergekit plan`: gather the facts planning needs, order the branches, predict each merge in that order.

`survey` gathers tips, footprints, ancestry and the predicted conflicts of every pair of
branches (and of each branch with BASE) through `mergekit.merging.Merger`, in a scratch view of
the repository, so it writes nothing: not a ref, not an object. `mergekit.plan.make_plan`
orders the branches from those facts (pure). `plan_branches` adds the predicted outcome of each
merge in the planned order (a dry run of `integrate`) and the semantic collisions; like
`integrate`, it takes patch files as inputs and reports branches built on the wrong base
(`mergekit.app.inputs`), and its merger settles from the resolution memory what a run would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations
from pathlib import Path

from mergekit.app.branches import branch_tips, resolve_base
from mergekit.app.inputs import Prepared, prepare_inputs
from mergekit.app.integrate.runner import Runner
from mergekit.app.memory import merger_with_memory
from mergekit.app.progress import Progress, tick
from mergekit.collisions.finder import Finder
from mergekit.collisions.types import Collision
from mergekit.engine.repo import Repo, open_repo
from mergekit.merging import Merger, derived_config
from mergekit.model import AutoResolved, HumanConflict, Outcome, SkipReason
from mergekit.plan import BranchFacts, OrderMode, PairPrediction, Plan, make_plan
from mergekit.resolve import Labels
from mergekit.state.run import RunState
from mergekit.workflow.wrongbase import DEFAULT_STALE_AFTER


@dataclass
class Survey:
    """Everything `make_plan` takes, plus the branches with nothing to merge."""

    branches: list[BranchFacts] = field(default_factory=list)
    """Facts for each branch with commits beyond BASE, in selection order."""
    ancestry: set[tuple[str, str]] = field(default_factory=set)
    """(a, b) when a's tip is an ancestor of b's tip."""
    pairs: list[PairPrediction] = field(default_factory=list)
    """Predictions for every pair of branches that share a path."""
    empty: list[str] = field(default_factory=list)
    """Branches whose tip is already in BASE (nothing to merge)."""


@dataclass(frozen=True)
class PredictedStep:
    """The predicted outcome of one merge of a run, in the planned order."""

    branch: str
    """The branch merged at this step."""
    outcome: Outcome
    """`clean`, `auto_resolved`, `needs_human` or `already merged`."""
    auto_resolved: tuple[AutoResolved, ...] = ()
    """Files the resolver would settle."""
    conflicts: tuple[HumanConflict, ...] = ()
    """Files a human would have to settle."""


@dataclass
class PlanReport:
    """The answer of `mergekit plan`."""

    base: str
    """BASE as named by the user."""
    base_commit: str
    """The BASE commit."""
    plan: Plan
    """The order, reasons, matrix and dependencies."""
    empty: list[str] = field(default_factory=list)
    """Branches with nothing beyond BASE (they would be skipped)."""
    predicted: list[PredictedStep] = field(default_factory=list)
    """Per branch in order, what its merge would give (a branch that needs a human is left out of
    the merges after it: a real run pauses there, and the human's resolution is not known)."""
    collisions: list[Collision] = field(default_factory=list)
    """Semantic collisions between pairs of branches (warnings)."""
    inputs: Prepared = field(default_factory=Prepared)
    """Patch inputs and branches built on the wrong base."""


def survey(
    merger: Merger,
    base: str,
    tips: Sequence[tuple[str, str]],
    predict: bool = True,
    into: str = "BASE",
    progress: Progress | None = None,
) -> Survey:
    """Facts for branches `tips` = [(name, tip)] against the BASE commit `base` (`merger` on a scratch view).

    Without `predict` no merge is done: pairs get their shared paths only. Each branch's
    footprint comes through `Merger.footprint`, which refuses a cut history or an invalid path
    (`into` names BASE in that message). `progress` is told before each predicted merge.
    """
    repo = merger.repo
    result = Survey()
    live: list[tuple[str, str]] = []
    for name, tip in tips:
        if repo.is_ancestor(tip, base):
            result.empty.append(name)
        else:
            live.append((name, tip))
    for (a, a_tip), (b, b_tip) in combinations(live, 2):
        if repo.is_ancestor(a_tip, b_tip):
            result.ancestry.add((a, b))
        if repo.is_ancestor(b_tip, a_tip):
            result.ancestry.add((b, a))
    footprints = {name: merger.footprint(into, base, name, tip) for name, tip in live}
    total = len(live) + len(live) * (len(live) - 1) // 2 if predict else 0
    step = 0
    for name, tip in live:
        human: frozenset[str] = frozenset()
        if predict:
            tick(progress, step, total, f"{name} into BASE")
            step += 1
            verdict = merger.predict(base, tip, Labels(ours="BASE", theirs=name))
            human = frozenset(f.path for f in verdict.human)
        result.branches.append(
            BranchFacts(name=name, tip=tip, footprint=footprints[name], base_conflicts=human)
        )
    for (a, a_tip), (b, b_tip) in combinations(sorted(live), 2):
        if predict:
            tick(progress, step, total, f"{a} + {b}")
            step += 1
        shared = _different(repo, a_tip, b_tip, footprints[a] & footprints[b])
        if not shared:
            continue
        if not predict or (a, b) in result.ancestry or (b, a) in result.ancestry:
            result.pairs.append(PairPrediction(a=a, b=b, shared=shared))
            continue
        verdict = merger.predict(a_tip, b_tip, Labels(ours=a, theirs=b))
        auto = frozenset(f.path for f in verdict.auto_resolved)
        files = frozenset(f.path for f in verdict.files)
        result.pairs.append(PairPrediction(a=a, b=b, shared=shared, conflicts=files, auto_resolvable=auto))
    return result


def plan_branches(
    cwd: Path,
    patterns: tuple[str, ...],
    into: str,
    order: OrderMode = "auto",
    predict: bool = True,
    stale_after: int = DEFAULT_STALE_AFTER,
    progress: Progress | None = None,
) -> PlanReport:
    """Plan the integration of `patterns` into `into` without writing anything.

    With `predict`, also merge in memory in the planned order (which merges auto-resolve, which
    need a human) and look for semantic collisions between the branches. `progress` is told
    before each merge of the survey.
    """
    repo = open_repo(cwd)
    base_commit = resolve_base(repo, into)
    with repo.scratch() as scratch:  # patch inputs become commits here only
        merger = merger_with_memory(scratch, derived_config(scratch, base_commit))
        expand = partial(branch_tips, scratch)
        inputs = prepare_inputs(merger, into, base_commit, patterns, cwd, expand, stale_after)
        tips = inputs.tips
        facts = survey(merger, base_commit, tips, into=into, progress=progress)
        plan = make_plan(facts.branches, facts.ancestry, facts.pairs, order)
        report = PlanReport(base=into, base_commit=base_commit, plan=plan, empty=facts.empty, inputs=inputs)
        if predict:
            report.predicted = _predict_order(merger, into, base_commit, plan.order, dict(tips))
            planned = set(plan.order)
            report.collisions = _collisions(merger, [(n, t) for n, t in tips if n in planned])
    return report


def _predict_order(
    merger: Merger, into: str, base_commit: str, order: list[str], tips: dict[str, str]
) -> list[PredictedStep]:
    """Run the branches in `order` through a dry run of `integrate` (the same runner, writing nothing)."""
    st = RunState(
        base=into,
        base_commit=base_commit,
        result_branch="(plan)",
        result_before=None,
        result_commit=base_commit,
        strategy="merge",
        order=list(order),
        tips=tips,
    )
    run = Runner(merger.repo, st, dry_run=True, merger=merger).advance()
    already = {s.branch for s in run.skipped if s.reason is SkipReason.ALREADY_IN_RESULT}
    predicted: list[PredictedStep] = []
    for name in order:
        autos = tuple(a for a in run.auto_resolved if a.branch == name)
        human = tuple(c for c in run.conflicts if c.branch == name)
        if human:
            outcome = Outcome.NEEDS_HUMAN
        elif name in already:
            outcome = Outcome.ALREADY_MERGED
        elif autos:
            outcome = Outcome.AUTO_RESOLVED
        else:
            outcome = Outcome.CLEAN
        predicted.append(PredictedStep(name, outcome, autos, human))
    return predicted


def _collisions(merger: Merger, tips: list[tuple[str, str]]) -> list[Collision]:
    """Semantic collisions between every pair of the planned branches."""
    repo = merger.repo
    finder = Finder(repo, changed=merger.changed)
    found: list[Collision] = []
    for (a, a_tip), (b, b_tip) in combinations(tips, 2):
        base = repo.merge_base(a_tip, b_tip)
        if base is not None:
            found.extend(finder.between(a, a_tip, b, b_tip, base))
    return found


def _different(repo: Repo, a_tip: str, b_tip: str, paths: frozenset[str]) -> frozenset[str]:
    """The paths of `paths` whose content differs between two tips (identical changes never clash)."""
    if not paths:
        return paths
    a_ids, b_ids = repo.path_ids(a_tip, paths), repo.path_ids(b_tip, paths)
    return frozenset(p for p in paths if a_ids[p] != b_ids[p])
