"""`mergekit integrate`: start a run (or, with `--dry-run`, predict one without writing anything).

The user's checkout, index, HEAD and BASE are never touched: merges happen in memory, the result
branch moves by compare-and-swap at the end of each successful step, and the only files written
are in the run's own linked worktree (for a human hand-off or `--test`) and its state under the
git dir (`mergekit.state.run`).

Before planning, the arguments are prepared (`mergekit.app.inputs`): patch files become commits,
branches built on the wrong base are reported (and, with `--rebase-stale`, replayed in memory).
A dry run does all of it in a scratch view of the repository.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from mergekit.app.branches import branch_tips, resolve_base
from mergekit.app.inputs import Prepared, prepare_inputs
from mergekit.app.integrate.recovery import HEADS, make_move, record
from mergekit.app.integrate.runner import Runner, is_registered, worktree_path
from mergekit.app.integrate.testrun import run_test
from mergekit.app.integrate.types import IntegrateOptions, RunReport
from mergekit.app.memory import merger_with_memory
from mergekit.app.plan import survey
from mergekit.engine.repo import Repo, open_repo
from mergekit.engine.worktree import add_worktree, remove_worktree
from mergekit.errors import MergekitError
from mergekit.merging import Merger, derived_config
from mergekit.model import ConflictKind, RunStatus, Skipped, SkipReason
from mergekit.plan import Plan, make_plan
from mergekit.state import run as run_state
from mergekit.state.run import MoveKind, RefMove, RunState


def integrate(opts: IntegrateOptions) -> RunReport:
    """Start a run (or predict one with `dry_run`); returns where it ended."""
    repo = open_repo(opts.cwd)
    common = repo.common_dir
    existing_run = run_state.load(common)
    if existing_run is not None:
        raise MergekitError(
            f"an integration into {existing_run.result_branch} is {existing_run.status} "
            "— finish it with `mergekit continue` or drop it with `mergekit abort`"
        )
    if opts.drop_failing and not opts.test:
        raise MergekitError("--drop-failing leaves out what fails --test: pass --test CMD too")
    base_commit = resolve_base(repo, opts.into)
    derived = derived_config(repo, base_commit)  # a mistake in .mergekit.toml stops here, before any write
    result_ref = _check_result_branch(repo, opts, base_commit)
    st = RunState(
        base=opts.into,
        base_commit=base_commit,
        result_branch=opts.result_branch,
        result_before=repo.ref_target(result_ref),
        result_commit=base_commit,
        strategy=opts.strategy,
        order=[],
        tips={},
        test=opts.test,
        skip_conflicting=opts.skip_conflicting,
        drop_failing=opts.drop_failing,
    )
    if opts.dry_run:
        with repo.scratch() as scratch:  # patch inputs and replays become commits here only
            merger = merger_with_memory(scratch, derived)
            inputs = _prepare(merger, opts, base_commit)
            plan = _plan(merger, opts, st, inputs)
            report = Runner(scratch, st, dry_run=True, merger=merger).advance()
        if not opts.skip_conflicting and any(c.kind is not ConflictKind.PATCH for c in report.conflicts):
            # predicted: these branches would stop the run for a human
            report.status = RunStatus.CONFLICT
            report.skipped = [s for s in report.skipped if s.reason is not SkipReason.CONFLICTS]
            done = set(report.merged) | {s.branch for s in report.skipped}
            report.pending = [b for b in report.order if b not in done]
        report.plan, report.result_commit = plan, None
        report.notes = list(plan.warnings) + inputs.notes + report.notes
        return report
    merger = merger_with_memory(repo, derived)
    inputs = _prepare(merger, opts, base_commit)  # patch commits are written: the run's steps use them
    with repo.scratch() as scratch:
        plan = _plan(Merger(scratch, derived, memory=merger.memory), opts, st, inputs)
    if st.result_before != base_commit:
        # recorded with the run itself: a kill before the branch moves is finished by `continue`
        record(st, RefMove(MoveKind.START, st.result_before, base_commit))
    run_state.create(common, st)
    try:
        if st.moving is not None:
            make_move(repo, st, f"mergekit: start from {opts.into}")
        if opts.test:
            _baseline_test(repo, st)
    except BaseException:
        _rollback_start(repo, st)
        raise
    report = Runner(repo, st, merger=merger, progress=opts.progress).advance()
    report.plan = plan
    report.notes = list(plan.warnings) + inputs.notes + report.notes
    return report


def _prepare(merger: Merger, opts: IntegrateOptions, base_commit: str) -> Prepared:
    """The run's inputs: branches and patch commits, base findings, `--rebase-stale` replays."""
    expand = partial(branch_tips, merger.repo, exclude=(opts.result_branch,))
    return prepare_inputs(
        merger, opts.into, base_commit, opts.branches, opts.cwd, expand, opts.stale_after, opts.rebase_stale
    )


def _plan(merger: Merger, opts: IntegrateOptions, st: RunState, inputs: Prepared) -> Plan:
    """Survey and order the inputs (`merger` on a scratch view) and fix them in `st`; the plan."""
    # with --order given nothing depends on the pairwise predictions: skip those merges
    facts = survey(
        merger,
        st.base_commit,
        inputs.tips,
        predict=opts.order != "given",
        into=opts.into,
        progress=opts.progress,
    )
    plan = make_plan(facts.branches, facts.ancestry, facts.pairs, opts.order)
    _start(st, plan, facts.empty, inputs)
    return plan


def _start(st: RunState, plan: Plan, empty: list[str], inputs: Prepared) -> None:
    """Fix the run's inputs and order: the planned branches, then those with nothing beyond BASE
    and the patches that do not apply (both skipped, the patches with their files as conflicts)."""
    st.tips = dict(inputs.tips)
    st.order = plan.order + empty + [u.name for u in inputs.unapplied]
    st.skipped = [Skipped(b, SkipReason.NOTHING_BEYOND_BASE) for b in empty] + inputs.skipped_rows()
    st.conflicts = inputs.conflict_rows()
    st.base_findings = inputs.wrong_base()


def _check_result_branch(repo: Repo, opts: IntegrateOptions, base_commit: str) -> str:
    name = opts.result_branch
    if not repo.is_valid_branch_name(name):
        raise MergekitError(f"{name!r} is not a valid branch name — choose another --branch")
    ref = HEADS + name
    if repo.branch_ref(opts.into) == ref:
        raise MergekitError(
            f"--branch {name} is BASE itself — mergekit never moves BASE; choose another --branch"
        )
    for wt in repo.worktrees():
        if wt.branch == ref:
            raise MergekitError(
                f"branch {name!r} is checked out in {wt.path} — switch that worktree to another branch "
                "or choose another --branch"
            )
    existing = repo.ref_target(ref)
    if existing is None or opts.force:
        return ref
    earlier = run_state.known_results(repo.common_dir).get(name)
    if existing != earlier and not repo.is_ancestor(existing, base_commit):
        raise MergekitError(
            f"branch {name!r} already exists and was not made by mergekit — pass --force to rebuild it "
            "from BASE, or choose another --branch"
        )
    return ref


def _baseline_test(repo: Repo, st: RunState) -> None:
    """Run the test on BASE first, so a failure after a merge really is that merge's fault."""
    assert st.test is not None
    path = worktree_path(repo, st.result_branch)
    if path.exists() or is_registered(repo, path):
        remove_worktree(repo, path)
    st.worktree = str(path.resolve())  # recorded first, so abort finds a worktree git was making
    run_state.save(repo.common_dir, st)
    st.worktree = str(add_worktree(repo, path, st.base_commit))
    outcome = run_test(st.test, Path(st.worktree))
    if not outcome.passed:
        raise MergekitError(
            f"`{st.test}` already fails on BASE {st.base} (exit {outcome.returncode}) — fix BASE or --test"
        )


def _rollback_start(repo: Repo, st: RunState) -> None:
    """Undo the start of a run that failed before its first step."""
    if st.worktree is not None:
        remove_worktree(repo, Path(st.worktree))
    ref = HEADS + st.result_branch
    current = repo.ref_target(ref)
    if current == st.base_commit and current != st.result_before:
        if st.result_before is None:
            repo.delete_ref(ref, current)
        else:
            repo.update_ref(ref, st.result_before, current, "mergekit: roll back")
    run_state.clear(repo.common_dir)
