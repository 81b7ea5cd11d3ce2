"""The integration run: plan → merge each branch in memory → resolve → commit → pause/continue/abort.

Use cases, each a plain function returning a value (the CLI formats it): `integrate`,
`continue_run`, `abort_run`, `run_status`, `plan_branches`. The user's checkout, index,
HEAD and BASE are never touched: merges happen in memory, the result branch moves by
compare-and-swap at the end of each successful step, and the only files written are in the
run's own linked worktree (for a human hand-off or `--test`) and its state under the git dir.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from mergekit import state as run_state
from mergekit.collisions import Collision, Finder
from mergekit.engine import (
    PausedFile,
    Repo,
    ShallowHistory,
    add_worktree,
    checkout_commit,
    inspect_worktree,
    materialize_merge,
    merge_commits,
    merge_in_progress,
    merge_message,
    open_repo,
    remove_worktree,
)
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK, MergekitError
from mergekit.plan import OrderMode, Plan, make_plan, select_branches
from mergekit.resolve import Labels
from mergekit.resolve.profiles import profile_for
from mergekit.settle import clashes, settle
from mergekit.state import Paused, RunState
from mergekit.survey import survey
from mergekit.testrun import run_test

Strategy = Literal["merge", "squash"]
_HEADS = "refs/heads/"
_MARKER = re.compile(rb"^(?:(?:<{7}|>{7}|\|{7})(?:[ \t][^\r\n]*)?|={7}[ \t]*)\r?$", re.MULTILINE)
"""A conflict-marker line as git writes (and `git diff --check` finds) them: `<<<<<<<`, `|||||||`,
`=======` or `>>>>>>>`, exactly seven, alone or followed by a space and a label."""


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


@dataclass
class RunReport:
    """The outcome of `integrate` or `continue` (the JSON object of the command contract)."""

    status: str
    """`done`, `conflict`, `test_failed` or `error`."""
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
    auto_resolved: list[dict[str, str]] = field(default_factory=list)
    """`{branch, path, rule}` for each file the resolver settled."""
    conflicts: list[dict[str, str]] = field(default_factory=list)
    """`{branch, path, kind}` for each file a human must settle."""
    skipped: list[dict[str, Any]] = field(default_factory=list)
    """`{branch, reason, paths}` for branches left out."""
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

    @property
    def exit_code(self) -> int:
        """0 when everything merged; 1 when a human is needed or a test failed."""
        needs_human = self.status != "done" or any(s.get("reason") == "conflicts" for s in self.skipped)
        return EXIT_NEEDS_HUMAN if needs_human else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object."""
        return {
            "status": self.status,
            "order": self.order,
            "merged": self.merged,
            "pending": self.pending,
            "auto_resolved": self.auto_resolved,
            "conflicts": self.conflicts,
            "worktree": self.worktree,
            "result_branch": self.result_branch,
            "result_commit": self.result_commit,
            "skipped": self.skipped,
            "base": self.base,
            "strategy": self.strategy,
            "dry_run": self.dry_run,
            "failed_branch": self.failed_branch,
            "test_output": self.test_output,
            "notes": self.notes,
        }


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
    predicted: list[dict[str, Any]] = field(default_factory=list)
    """Per branch in order: `{branch, outcome, auto_resolved, conflicts}`; outcome is `clean`,
    `auto_resolved`, `needs_human` or `already merged` (predicted in memory, in the plan's order)."""
    collisions: list[Collision] = field(default_factory=list)
    """Semantic collisions between pairs of branches (warnings)."""


# -- use cases ------------------------------------------------------------------------------


def plan_branches(
    cwd: Path, patterns: tuple[str, ...], into: str, order: OrderMode = "auto", predict: bool = True
) -> PlanReport:
    """Plan the integration of `patterns` into `into` without writing anything.

    With `predict`, also merge in memory in the planned order (which merges auto-resolve, which
    need a human) and look for semantic collisions between the branches.
    """
    repo = open_repo(cwd)
    base_commit = _resolve_base(repo, into)
    tips = _branch_tips(repo, patterns, exclude=())
    _require_history(repo, into, base_commit, tips)
    facts = survey(repo, base_commit, tips)
    plan = make_plan(facts.branches, facts.ancestry, facts.pairs, order)
    report = PlanReport(base=into, base_commit=base_commit, plan=plan, empty=facts.empty)
    if predict:
        report.predicted = _predict_order(repo, into, base_commit, plan.order, dict(tips))
        report.collisions = _plan_collisions(repo, [(n, t) for n, t in tips if n in set(plan.order)])
    return report


def _predict_order(
    repo: Repo, into: str, base_commit: str, order: list[str], tips: dict[str, str]
) -> list[dict[str, Any]]:
    """Merge the branches in `order` in a scratch repository, as a dry run of `integrate` would.

    A branch that needs a human is left out of what follows (a real run pauses there, and the
    human's resolution is not known in advance).
    """
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
    with repo.scratch() as scratch:
        run = _Runner(scratch, st, dry_run=True).advance()
    skipped = {s["branch"]: s for s in run.skipped}
    predicted: list[dict[str, Any]] = []
    for name in order:
        autos = [{"path": a["path"], "rule": a["rule"]} for a in run.auto_resolved if a["branch"] == name]
        human = [{"path": c["path"], "kind": c["kind"]} for c in run.conflicts if c["branch"] == name]
        if human:
            outcome = "needs_human"
        elif name in skipped:
            outcome = "already merged"
        elif autos:
            outcome = "auto_resolved"
        else:
            outcome = "clean"
        predicted.append({"branch": name, "outcome": outcome, "auto_resolved": autos, "conflicts": human})
    return predicted


def _plan_collisions(repo: Repo, tips: list[tuple[str, str]]) -> list[Collision]:
    """Semantic collisions between every pair of the planned branches."""
    found: list[Collision] = []
    with repo.scratch() as scratch:
        finder = Finder(scratch)
        for (a, a_tip), (b, b_tip) in combinations(tips, 2):
            base = scratch.merge_base(a_tip, b_tip)
            if base is not None:
                found.extend(finder.between(a, a_tip, b, b_tip, base))
    return found


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
    base_commit = _resolve_base(repo, opts.into)
    result_ref = _check_result_branch(repo, opts, base_commit)
    tips = _branch_tips(repo, opts.branches, exclude=(opts.result_branch,))
    _require_history(repo, opts.into, base_commit, tips)
    # with --order given nothing depends on the pairwise predictions: skip those merges
    facts = survey(repo, base_commit, tips, predict=opts.order != "given")
    plan = make_plan(facts.branches, facts.ancestry, facts.pairs, opts.order)
    st = RunState(
        base=opts.into,
        base_commit=base_commit,
        result_branch=opts.result_branch,
        result_before=repo.ref_target(result_ref),
        result_commit=base_commit,
        strategy=opts.strategy,
        order=plan.order + facts.empty,
        tips=dict(tips),
        test=opts.test,
        skip_conflicting=opts.skip_conflicting,
        skipped=[{"branch": b, "reason": "nothing beyond BASE", "paths": []} for b in facts.empty],
    )
    notes = list(plan.warnings)
    if opts.dry_run:
        with repo.scratch() as scratch:
            report = _Runner(scratch, st, dry_run=True).advance()
        if not opts.skip_conflicting and report.conflicts:
            # predicted: these branches would stop the run for a human
            report.status = "conflict"
            report.skipped = [s for s in report.skipped if s["reason"] != "conflicts"]
            done = set(report.merged) | {s["branch"] for s in report.skipped}
            report.pending = [b for b in report.order if b not in done]
        report.plan, report.result_commit = plan, None
        report.notes = notes + report.notes
        return report
    run_state.create(common, st)
    try:
        if st.result_before != base_commit:
            repo.update_ref(result_ref, base_commit, st.result_before, f"mergekit: start from {opts.into}")
        run_state.save(common, st)
        if opts.test:
            _baseline_test(repo, st)
    except BaseException:
        _rollback_start(repo, st)
        raise
    report = _Runner(repo, st).advance()
    report.plan = plan
    report.notes = notes + report.notes
    return report


def continue_run(cwd: Path) -> RunReport:
    """Go on after a human resolved (and `git add`ed) in the worktree, or fixed a failing test."""
    repo = open_repo(cwd)
    st = _load_run(repo, "continue")
    return _Runner(repo, st).resume()


def abort_run(cwd: Path) -> AbortReport:
    """Drop the run: remove its worktree, put the result branch back where it was before the run."""
    repo = open_repo(cwd)
    st = _load_run(repo, "abort")
    ref = _HEADS + st.result_branch
    notes: list[str] = []
    removed = None
    # the branch first: when another git process holds its lock, nothing else has changed yet
    current = repo.ref_target(ref)
    if current == st.result_before:
        pass
    elif current != st.result_commit:
        notes.append(f"{st.result_branch} was moved by someone else (now {current}); left it alone")
    elif st.result_before is None:
        repo.delete_ref(ref, current)
    else:
        repo.update_ref(ref, st.result_before, current, "mergekit: abort")
    if st.worktree is not None:
        wt = Path(st.worktree)
        if wt.exists() or _is_registered(repo, wt):
            remove_worktree(repo, wt)
            removed = st.worktree
    run_state.clear(repo.common_dir)
    return AbortReport(
        result_branch=st.result_branch,
        restored_to=repo.ref_target(ref),
        removed_worktree=removed,
        notes=notes,
    )


def run_status(cwd: Path) -> RunReport | None:
    """Where the run in progress stands (None when there is none)."""
    repo = open_repo(cwd)
    st = run_state.load(repo.common_dir)
    if st is None:
        return None
    report = _report(st, status=_public_status(st.status))
    if st.paused is not None and st.status == "conflict" and st.worktree and Path(st.worktree).is_dir():
        unresolved = set(inspect_worktree(Path(st.worktree)).unmerged)
        report.notes.append(
            f"{len(unresolved)} of {len(st.paused.conflicts)} conflicted files still unmerged"
            if unresolved
            else "all conflicts staged — run `mergekit continue`"
        )
    return report


# -- the runner -----------------------------------------------------------------------------


class _Runner:
    """Moves a run forward one branch at a time; persists the state after every step."""

    def __init__(self, repo: Repo, st: RunState, dry_run: bool = False) -> None:
        self.repo = repo
        self.st = st
        self.dry_run = dry_run
        self.ref = _HEADS + st.result_branch
        self.notes: list[str] = []

    def advance(self) -> RunReport:
        """Merge every pending branch, then run the final test and finish."""
        for branch in self.st.pending:
            stopped = self._step(branch)
            if stopped is not None:
                return stopped
        return self._finish()

    def resume(self) -> RunReport:
        """Take over a paused step (or an interrupted run) and go on."""
        st = self.st
        if st.status == "conflict" and st.paused is not None:
            stopped = self._accept_resolution(st.paused)
        elif st.status == "test_failed" and st.paused is not None:
            stopped = self._accept_fix(st.paused)
        else:
            stopped = None
        if stopped is not None:
            return stopped
        return self.advance()

    # one step ------------------------------------------------------------------------------

    def _step(self, branch: str) -> RunReport | None:
        st, repo = self.st, self.repo
        ours, theirs = st.result_commit, st.tips[branch]
        if repo.is_ancestor(theirs, ours):
            st.skipped.append({"branch": branch, "reason": "already in the result", "paths": []})
            self._save()
            return None
        merge = merge_commits(repo, ours, theirs)
        labels = Labels(ours=st.result_branch, base="base", theirs=branch)
        settled = settle(merge.conflicts, labels)
        clash = clashes(merge.changed_on_both_sides(lambda path: profile_for(path) is not None), labels)
        settled.human.extend(clash.human)
        settled.contents.update(clash.contents)
        auto = [
            {"branch": branch, "path": p, "rule": r, "detail": settled.details.get(p, "")}
            for p, r in settled.auto_resolved
        ]
        human = [{"branch": branch, "path": c.path, "kind": c.kind} for c in settled.human]
        if human and (st.skip_conflicting or self.dry_run):
            paths = [c["path"] for c in human]
            st.skipped.append({"branch": branch, "reason": "conflicts", "paths": paths})
            st.conflicts.extend(human)
            self._save()
            return None
        message = self._message(branch, ours, theirs, settled.auto_resolved, settled.details)
        if human:
            partial = merge.write_tree(settled.resolutions, leftover="ours")
            wt = self._worktree(ours)
            files = [PausedFile(c, settled.contents.get(c.path)) for c in settled.human]
            materialize_merge(wt, ours, partial, files, theirs, message, (st.result_branch, branch))
            st.auto_resolved.extend(auto)
            st.status = "conflict"
            st.paused = Paused(branch, ours, theirs, message, conflicts=[c["path"] for c in human])
            st.conflicts.extend(human)
            self._save()
            self.notes.append(f"resolve the conflicts in {wt}, `git add` them, then run `mergekit continue`")
            return self._report("conflict")
        tree = merge.write_tree(settled.resolutions)
        commit = repo.create_commit(tree, self._parents(ours, theirs), message)
        st.auto_resolved.extend(auto)
        return self._commit_step(branch, ours, theirs, message, commit)

    def _commit_step(
        self, branch: str, ours: str, theirs: str, message: str, commit: str
    ) -> RunReport | None:
        """Test the step's commit (if asked), then move the result branch: the step is done."""
        st = self.st
        if st.test and not self.dry_run:
            failed = self._test(commit, Paused(branch, ours, theirs, message, candidate=commit))
            if failed is not None:
                return failed
        if not self.dry_run:
            self.repo.update_ref(self.ref, commit, ours, f"mergekit: merge {branch}")
        st.result_commit = commit
        st.merged.append(branch)
        st.conflicts = [c for c in st.conflicts if c["branch"] != branch]
        st.status, st.paused = "running", None
        self._save()
        return None

    def _test(self, commit: str, paused: Paused, final: bool = False) -> RunReport | None:
        st = self.st
        assert st.test is not None
        wt = self._worktree(commit)
        checkout_commit(wt, commit)
        outcome = run_test(st.test, wt)
        if outcome.passed:
            return None
        st.status, st.paused = "test_failed", paused
        self._save()
        report = self._report("test_failed")
        report.failed_branch = paused.branch
        report.test_output = outcome.output
        when = "at the end" if final else f"after merging {paused.branch}"
        self.notes.append(
            f"`{st.test}` failed (exit {outcome.returncode}) {when}; inspect {wt}, commit a fix there "
            "and run `mergekit continue`, or `mergekit abort`"
        )
        report.notes = self.notes
        return report

    # resuming ------------------------------------------------------------------------------

    def _accept_resolution(self, paused: Paused) -> RunReport | None:
        st, repo = self.st, self.repo
        wt = Path(st.worktree or "")
        ws = inspect_worktree(wt)
        if ws.unmerged:
            return self._unresolved(paused, list(ws.unmerged), "unmerged")
        if ws.head == paused.ours:
            if not merge_in_progress(wt):
                raise MergekitError(
                    f"the merge of {paused.branch} was aborted in {wt} — redo it there with "
                    f"`git merge {paused.theirs[:12]}` and resolve, or run `mergekit abort`"
                )
            assert ws.index_tree is not None
            tree = ws.index_tree
            message = _clean_message(merge_message(wt) or paused.message)
            leftover = [p for p in paused.conflicts if _has_markers(repo, tree, p, paused)]
            if leftover:
                return self._unresolved(paused, leftover, "still has conflict markers")
            commit = repo.create_commit(tree, self._parents(paused.ours, paused.theirs), message)
        else:
            if not repo.is_ancestor(paused.ours, ws.head):
                raise MergekitError(
                    f"HEAD in {wt} no longer builds on {paused.ours[:12]} — reset it or `mergekit abort`"
                )
            if ws.dirty:
                raise MergekitError(f"uncommitted changes in {wt} — commit or discard them, then continue")
            if st.strategy == "merge" and repo.commit_parents(ws.head) == [paused.ours, paused.theirs]:
                commit = ws.head
            else:
                tree = repo.commit_tree(ws.head)
                commit = repo.create_commit(
                    tree, self._parents(paused.ours, paused.theirs), repo.commit_message(ws.head)
                )
        return self._commit_step(paused.branch, paused.ours, paused.theirs, paused.message, commit)

    def _accept_fix(self, paused: Paused) -> RunReport | None:
        st, repo = self.st, self.repo
        wt = Path(st.worktree or "")
        ws = inspect_worktree(wt)
        if ws.unmerged or ws.dirty:
            raise MergekitError(
                f"uncommitted changes in {wt} — commit your fix there (or discard it), then continue"
            )
        candidate = paused.candidate or paused.ours
        if not repo.is_ancestor(candidate, ws.head):
            raise MergekitError(
                f"HEAD in {wt} no longer builds on tested {candidate[:12]} — reset it or `mergekit abort`"
            )
        if paused.branch == _FINAL:
            failed = self._test(ws.head, paused, final=True)
            if failed is not None:
                return failed
            if ws.head != st.result_commit:
                repo.update_ref(self.ref, ws.head, st.result_commit, "mergekit: fix after final test")
                st.result_commit = ws.head
            st.status, st.paused = "running", None
            self._save()
            return None
        return self._commit_step(paused.branch, paused.ours, paused.theirs, paused.message, ws.head)

    def _unresolved(self, paused: Paused, paths: list[str], why: str) -> RunReport:
        report = self._report("conflict")
        others = [c for c in report.conflicts if c["branch"] != paused.branch]
        report.conflicts = others + [{"branch": paused.branch, "path": p, "kind": why} for p in paths]
        report.notes = [
            f"resolve and `git add` these files in {self.st.worktree}, then run `mergekit continue`"
        ]
        return report

    # the end -------------------------------------------------------------------------------

    def _finish(self) -> RunReport:
        st = self.st
        if st.test and not self.dry_run:
            last = st.merged[-1] if st.merged else _FINAL
            failed = self._test(
                st.result_commit, Paused(_FINAL, st.result_commit, st.result_commit, ""), True
            )
            if failed is not None:
                failed.failed_branch = last if last != _FINAL else None
                return failed
        report = self._report("done")
        if not self.dry_run:
            if st.worktree is not None:
                remove_worktree(self.repo, Path(st.worktree))
                st.worktree = None
            run_state.remember_result(self.repo.common_dir, st.result_branch, st.result_commit)
            run_state.clear(self.repo.common_dir)
            report.worktree = None
        return report

    # helpers -------------------------------------------------------------------------------

    def _worktree(self, commit: str) -> Path:
        """The run's worktree (created on first use at `commit`)."""
        st = self.st
        if st.worktree is not None and Path(st.worktree).is_dir():
            return Path(st.worktree)
        path = run_state.state_dir(self.repo.common_dir) / "worktrees" / _slug(st.result_branch)
        if path.exists() or _is_registered(self.repo, path):
            remove_worktree(self.repo, path)
        st.worktree = str(add_worktree(self.repo, path, commit))
        self._save()
        return Path(st.worktree)

    def _parents(self, ours: str, theirs: str) -> list[str]:
        return [ours, theirs] if self.st.strategy == "merge" else [ours]

    def _message(
        self,
        branch: str,
        ours: str,
        theirs: str,
        auto: list[tuple[str, str]],
        details: dict[str, str] | None = None,
    ) -> str:
        st = self.st
        if st.strategy == "squash":
            lines = [f"Squash branch '{branch}' into {st.result_branch}", ""]
            lines += [f"* {s}" for s in self.repo.commit_subjects(ours, theirs)]
        else:
            lines = [f"Merge branch '{branch}' into {st.result_branch}"]
        if auto:
            lines += ["", "mergekit auto-resolved:"]
            for p, r in auto:
                lines.append(f"  {p} ({r})")
                for part in filter(None, (details or {}).get(p, "").split(" | ")):
                    lines.append(f"    {part}")
        return "\n".join(lines) + "\n"

    def _save(self) -> None:
        if not self.dry_run:
            run_state.save(self.repo.common_dir, self.st)

    def _report(self, status: str) -> RunReport:
        report = _report(self.st, status)
        report.dry_run = self.dry_run
        report.notes = self.notes
        if self.dry_run:
            report.worktree = None
        return report


_FINAL = "(final test)"


def _report(st: RunState, status: str) -> RunReport:
    paused = st.paused
    return RunReport(
        status=status,
        result_branch=st.result_branch,
        base=st.base,
        order=list(st.order),
        merged=list(st.merged),
        pending=st.pending,
        auto_resolved=list(st.auto_resolved),
        conflicts=list(st.conflicts),
        skipped=list(st.skipped),
        worktree=st.worktree if status in ("conflict", "test_failed") else None,
        result_commit=st.result_commit,
        strategy=st.strategy,
        failed_branch=paused.branch if paused is not None and st.status == "test_failed" else None,
    )


def _public_status(internal: str) -> str:
    return {"running": "running", "conflict": "conflict", "test_failed": "test_failed"}.get(internal, "error")


# -- validation -----------------------------------------------------------------------------


def _load_run(repo: Repo, verb: str) -> RunState:
    st = run_state.load(repo.common_dir)
    if st is None:
        raise MergekitError(
            f"no integration run in progress — nothing to {verb}; start one with `mergekit integrate`"
        )
    return st


def _resolve_base(repo: Repo, into: str) -> str:
    base = repo.resolve_commit(into)
    if base is None:
        raise MergekitError(f"BASE {into!r} not found — pass an existing branch, tag or commit to --into")
    return base


def _branch_tips(repo: Repo, patterns: tuple[str, ...], exclude: tuple[str, ...]) -> list[tuple[str, str]]:
    local, remote = repo.branch_names()
    if patterns:
        names = select_branches(patterns, local, remote)
    else:
        names = [
            wt.branch[len(_HEADS) :]
            for wt in repo.worktrees()
            if not wt.is_main and wt.branch and wt.branch.startswith(_HEADS)
        ]
        names = [n for n in names if n not in exclude]
        if not names:
            raise MergekitError(
                "no branches given and no linked worktree has a branch checked out — name the branches"
            )
    clash = [n for n in names if n in exclude]
    if clash:
        raise MergekitError(f"{clash[0]!r} is the result branch — it cannot also be integrated")
    tips = []
    for name in names:
        tip = repo.resolve_commit(name)
        if tip is None:
            raise MergekitError(f"branch {name!r} has no commits — check the name")
        tips.append((name, tip))
    return tips


def _require_history(repo: Repo, into: str, base_commit: str, tips: list[tuple[str, str]]) -> None:
    """In a shallow clone, refuse a branch whose merge base with BASE was cut off (says what to fetch)."""
    if not repo.is_shallow:
        return
    for name, tip in tips:
        try:
            repo.merge_base(base_commit, tip)
        except ShallowHistory:
            raise ShallowHistory(into, name) from None


def _check_result_branch(repo: Repo, opts: IntegrateOptions, base_commit: str) -> str:
    name = opts.result_branch
    if not repo.is_valid_branch_name(name):
        raise MergekitError(f"{name!r} is not a valid branch name — choose another --branch")
    ref = _HEADS + name
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
    path = run_state.state_dir(repo.common_dir) / "worktrees" / _slug(st.result_branch)
    if path.exists() or _is_registered(repo, path):
        remove_worktree(repo, path)
    st.worktree = str(add_worktree(repo, path, st.base_commit))
    run_state.save(repo.common_dir, st)
    outcome = run_test(st.test, Path(st.worktree))
    if not outcome.passed:
        raise MergekitError(
            f"`{st.test}` already fails on BASE {st.base} (exit {outcome.returncode}) — fix BASE or --test"
        )


def _rollback_start(repo: Repo, st: RunState) -> None:
    """Undo the start of a run that failed before its first step."""
    if st.worktree is not None:
        remove_worktree(repo, Path(st.worktree))
    ref = _HEADS + st.result_branch
    current = repo.ref_target(ref)
    if current == st.base_commit and current != st.result_before:
        if st.result_before is None:
            repo.delete_ref(ref, current)
        else:
            repo.update_ref(ref, st.result_before, current, "mergekit: roll back")
    run_state.clear(repo.common_dir)


def _is_registered(repo: Repo, path: Path) -> bool:
    resolved = path.resolve()
    return any(wt.path.resolve() == resolved for wt in repo.worktrees() if not wt.is_main)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "integration"


def _clean_message(message: str) -> str:
    lines = [line for line in message.splitlines() if not line.startswith("#")]
    return "\n".join(lines).strip() + "\n"


def _has_markers(repo: Repo, tree: str, path: str, paused: Paused) -> bool:
    """True when the staged file holds a conflict-marker line the merged versions did not hold.

    Any one marker line blocks (an opening without its closing too); a line such as a Markdown
    heading's `=======` underline that base, ours or theirs already had is content.
    """
    data = repo.read_tree_path(tree, path)
    if data is None:
        return False
    staged = _marker_lines(data)
    if not staged:
        return False
    known: Counter[bytes] = Counter()
    base = repo.merge_base(paused.ours, paused.theirs)
    for commit in (base, paused.ours, paused.theirs):
        version = repo.read_path(commit, path) if commit is not None else None
        if version is not None:
            known |= _marker_lines(version)
    return bool(staged - known)


def _marker_lines(data: bytes) -> Counter[bytes]:
    """Each conflict-marker line in `data` (without its line ending), with how often it occurs."""
    return Counter(m.group().rstrip(b"\r") for m in _MARKER.finditer(data))
