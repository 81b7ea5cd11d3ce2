"""The integration run's state machine: merge each branch → settle → commit → pause/continue → finish.

`Runner` moves a run (`mergekit.state.run.RunState`) forward one branch at a time and saves the
state after every step, so a pause (conflicts, a failed `--test`) or a crash can be picked up
by `continue`. Each step asks `mergekit.merging.Merger` what merging the branch gives, then
either commits the result and moves the result branch by compare-and-swap, or lays the paused
merge out in the run's own worktree for a human. Derived files (lockfiles) the merger handed to
the project's tools are regenerated before the commit (`mergekit.app.integrate.derived`). In a
dry run (in a scratch repository) it writes nothing and steps over branches that need a human,
which is how `integrate --dry-run` and `plan` predict the outcome in order.

When a person settles a hand-off, `continue` remembers the resolution (`mergekit.app.memory`);
when `--test` fails, the culprit search (`mergekit.app.integrate.culprits`) names the branches
that fail together and, with `--drop-failing`, leaves the culprit out and goes on.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from mergekit.app import memory as resolution_memory
from mergekit.app.integrate.culprits import investigate_failure
from mergekit.app.integrate.derived import regenerate
from mergekit.app.integrate.recovery import announce_memory, apply_move, move_result
from mergekit.app.integrate.testrun import run_test
from mergekit.app.integrate.types import RunReport
from mergekit.app.progress import Progress, tick
from mergekit.engine.repo import Repo
from mergekit.engine.worktree import (
    PausedFile,
    add_worktree,
    checkout_commit,
    inspect_worktree,
    materialize_merge,
    merge_in_progress,
    merge_message,
    remove_worktree,
)
from mergekit.errors import MergekitError
from mergekit.merging import LINE_MERGE_RULE, Merger, derived_config
from mergekit.model import AutoResolved, ConflictKind, HumanConflict, RunStatus, Skipped, SkipReason
from mergekit.output.commit import describe, regenerated_message, step_message
from mergekit.output.derived import failed_notes, stale_notes
from mergekit.resolve import Labels
from mergekit.resolve.markers import marker_lines
from mergekit.state import run as run_state
from mergekit.state.run import MoveKind, Paused, RefMove, RunState

FINAL = "(final test)"
"""The `paused.branch` of a run stopped by the test run after the last merge."""


class Runner:
    """Moves a run forward one branch at a time; persists the state after every step."""

    def __init__(
        self,
        repo: Repo,
        st: RunState,
        dry_run: bool = False,
        merger: Merger | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.repo = repo
        self.st = st
        self.dry_run = dry_run
        if merger is None:
            merger = resolution_memory.merger_with_memory(repo, derived_config(repo, st.base_commit))
        self.merger = merger
        self.progress = progress
        self.notes: list[str] = []

    def advance(self) -> RunReport:
        """Merge every pending branch, then run the final test and finish."""
        for branch in self.st.pending:
            done = len(self.st.merged) + len(self.st.skipped)
            tick(self.progress, done, len(self.st.order), f"merging {branch}")
            stopped = self._step(branch)
            if stopped is not None:
                return stopped
        return self._finish()

    def resume(self) -> RunReport:
        """Take over a paused step (or an interrupted run) and go on."""
        st = self.st
        if st.status is RunStatus.CONFLICT and st.paused is not None:
            stopped = self._accept_resolution(st.paused)
        elif st.status is RunStatus.TEST_FAILED and st.paused is not None:
            st.culprits, st.test_runs = [], []  # they described the failure being fixed
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
        if repo.merge_base(ours, theirs) == theirs:  # already in (the merge base is kept for the merge)
            st.skipped.append(Skipped(branch, SkipReason.ALREADY_IN_RESULT))
            self._save()
            return None
        settled = self.merger.settle(ours, theirs, Labels(ours=st.result_branch, base="base", theirs=branch))
        verdict = settled.prediction
        self.notes.extend(stale_notes(verdict.regeneration))
        tree: str | None = None
        written: list[AutoResolved] = []
        regenerated = ""
        if verdict.regeneration.jobs and not self.dry_run and not (verdict.human and st.skip_conflicting):
            done = regenerate(repo, settled)  # the lockfiles, by the project's own tools
            tree, verdict = done.tree, done.prediction
            written = [AutoResolved(branch, path, rule) for path, rule in done.written]
            regenerated = regenerated_message(done.results)
            self.notes.extend(failed_notes(done.results))
        auto = [
            AutoResolved(branch, f.path, f.rule or LINE_MERGE_RULE, f.recalled or describe(f.hunks))
            for f in verdict.auto_resolved
        ] + written
        human = [HumanConflict(branch, f.path, f.kind) for f in verdict.human]
        if human and (st.skip_conflicting or self.dry_run):
            st.skipped.append(Skipped(branch, SkipReason.CONFLICTS, tuple(c.path for c in human)))
            if not st.skip_conflicting:
                # a dry run steps over the branch a real run would pause on, with these resolutions
                st.auto_resolved.extend(auto)
            st.conflicts.extend(human)
            self._save()
            return None
        message = self._message(branch, ours, theirs, auto) + regenerated
        if human:
            partial = tree or settled.merge.write_tree(verdict.resolutions, leftover="ours")
            wt = self._worktree(ours)
            files = [PausedFile(f.conflict, f.content) for f in verdict.human]
            materialize_merge(wt, ours, partial, files, theirs, message, (st.result_branch, branch))
            st.auto_resolved.extend(auto)
            st.status = RunStatus.CONFLICT
            st.paused = Paused(branch, ours, theirs, message, conflicts=[c.path for c in human])
            st.conflicts.extend(human)
            self._save()
            self.notes.append(f"resolve the conflicts in {wt}, `git add` them, then run `mergekit continue`")
            return self._report(RunStatus.CONFLICT)
        tree = tree or settled.merge.write_tree(verdict.resolutions)
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
            if branch in st.dropped:  # --drop-failing left it out: the result branch stays
                return None
        move = RefMove(MoveKind.STEP, ours, commit, branch)
        if self.dry_run:
            apply_move(st, move)
        else:
            move_result(self.repo, st, move, f"mergekit: merge {branch}")
        return None

    def _test(self, commit: str, paused: Paused, final: bool = False) -> RunReport | None:
        st = self.st
        assert st.test is not None
        wt = self._worktree(commit)
        checkout_commit(wt, commit)
        tick(self.progress, len(st.merged), len(st.order), f"testing {paused.branch}")
        outcome = run_test(st.test, wt)
        if outcome.passed:
            return None
        if self._culprits(paused, final):
            return None
        st.status, st.paused = RunStatus.TEST_FAILED, paused
        self._save()
        report = self._report(RunStatus.TEST_FAILED)
        report.failed_branch = paused.branch
        report.test_output = outcome.output
        when = "at the end" if final else f"after merging {paused.branch}"
        self.notes.append(
            f"`{st.test}` failed (exit {outcome.returncode}) {when}; inspect {wt}, commit a fix there "
            "and run `mergekit continue`, or `mergekit abort`"
        )
        report.notes = self.notes
        return report

    def _culprits(self, paused: Paused, final: bool) -> bool:
        """Find which branches fail the test together; True when `--drop-failing` left one out."""
        st, repo = self.st, self.repo
        assert st.test is not None
        merged = [(b, st.tips[b]) for b in st.merged] + ([] if final else [(paused.branch, paused.theirs)])
        if not merged:
            return False
        work = run_state.state_dir(repo.common_dir)
        verdict = investigate_failure(
            self.merger,
            st.base_commit,
            merged,
            st.test,
            culprits_worktree_path(repo, st.result_branch),
            work / "test-runs" / _slug(st.result_branch),
            step=not final,
            drop_failing=st.drop_failing,
            label=st.result_branch,
            squash=st.strategy == "squash",
        )
        found = verdict.report
        st.culprits, st.test_runs = found.culprits, found.runs
        self.notes.append(found.summary)
        if verdict.drop is None:
            return False
        dropped = verdict.drop
        partners = [c for c in found.culprits if c != dropped]
        why = f"together with {', '.join(partners)}" if partners else ""
        st.skipped.append(Skipped(dropped, SkipReason.FAILS_TEST, tuple(found.shared_files), why))
        st.dropped.append(dropped)
        st.conflicts = [c for c in st.conflicts if c.branch != dropped]
        st.auto_resolved = [a for a in st.auto_resolved if a.branch != dropped]
        st.status, st.paused = RunStatus.RUNNING, None
        self.notes.append(
            f"--drop-failing: left out {dropped} (fails the test{' ' + why if why else ''}); "
            "the integration goes on without it"
        )
        if verdict.rebuilt is None:
            self._save()
        else:  # the integration rebuilt without it: a move of the result branch like any other
            move = RefMove(MoveKind.DROP, st.result_commit, verdict.rebuilt, dropped)
            move_result(repo, st, move, f"mergekit: drop {dropped}")
        return True

    # resuming ------------------------------------------------------------------------------

    def _accept_resolution(self, paused: Paused) -> RunReport | None:
        st, repo = self.st, self.repo
        wt = Path(st.worktree or "")
        ws = inspect_worktree(wt)
        if ws.unmerged:
            return self._unresolved(paused, list(ws.unmerged), ConflictKind.UNMERGED)
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
                return self._unresolved(paused, leftover, ConflictKind.MARKERS_LEFT)
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
        self.notes += resolution_memory.remember_handoff(
            repo,
            paused.ours,
            paused.theirs,
            commit,
            paused.conflicts,
            st.result_branch,
            paused.branch,
            announce=lambda old, new: announce_memory(repo, st, old, new),
        )
        st.moving = None  # the memory's write is over (made or not): the next save says so
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
        if paused.branch == FINAL:
            failed = self._test(ws.head, paused, final=True)
            if failed is not None:
                return failed
            if ws.head != st.result_commit:
                move = RefMove(MoveKind.FIX, st.result_commit, ws.head)
                move_result(repo, st, move, "mergekit: fix after final test")
            else:
                st.status, st.paused = RunStatus.RUNNING, None
                self._save()
            return None
        return self._commit_step(paused.branch, paused.ours, paused.theirs, paused.message, ws.head)

    def _unresolved(self, paused: Paused, paths: list[str], why: ConflictKind) -> RunReport:
        report = self._report(RunStatus.CONFLICT)
        others = [c for c in report.conflicts if c.branch != paused.branch]
        report.conflicts = others + [HumanConflict(paused.branch, p, why) for p in paths]
        report.notes = [
            f"resolve and `git add` these files in {self.st.worktree}, then run `mergekit continue`"
        ]
        return report

    # the end -------------------------------------------------------------------------------

    def _finish(self) -> RunReport:
        st = self.st
        if st.test and not self.dry_run:
            last = st.merged[-1] if st.merged else FINAL
            failed = self._test(st.result_commit, Paused(FINAL, st.result_commit, st.result_commit, ""), True)
            if failed is not None:
                failed.failed_branch = last if last != FINAL else None
                return failed
        report = self._report(RunStatus.TEST_FAILED if st.dropped else RunStatus.DONE)
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
        path = worktree_path(self.repo, st.result_branch)
        if path.exists() or is_registered(self.repo, path):
            remove_worktree(self.repo, path)
        # recorded before it exists: a kill while git makes it leaves abort something to remove
        st.worktree = str(path.resolve())
        self._save()
        st.worktree = str(add_worktree(self.repo, path, commit))
        return Path(st.worktree)

    def _parents(self, ours: str, theirs: str) -> list[str]:
        return [ours, theirs] if self.st.strategy == "merge" else [ours]

    def _message(self, branch: str, ours: str, theirs: str, auto: list[AutoResolved]) -> str:
        st = self.st
        subjects = self.repo.commit_subjects(ours, theirs) if st.strategy == "squash" else None
        return step_message(branch, st.result_branch, subjects, auto)

    def _save(self) -> None:
        if not self.dry_run:
            run_state.save(self.repo.common_dir, self.st)

    def _report(self, status: RunStatus) -> RunReport:
        report = report_of(self.st, status)
        report.dry_run = self.dry_run
        report.notes = self.notes
        if self.dry_run:
            report.worktree = None
        return report


def report_of(st: RunState, status: RunStatus) -> RunReport:
    """A report of where the run `st` stands, with `status`."""
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
        worktree=st.worktree if status in (RunStatus.CONFLICT, RunStatus.TEST_FAILED) else None,
        result_commit=st.result_commit,
        strategy=st.strategy,
        failed_branch=paused.branch if paused is not None and st.status is RunStatus.TEST_FAILED else None,
        base_findings=list(st.base_findings),
        culprits=list(st.culprits),
        dropped=list(st.dropped),
        test_runs=list(st.test_runs),
    )


def load_run(repo: Repo, verb: str) -> RunState:
    """The run in progress; a user error naming `verb` when there is none."""
    st = run_state.load(repo.common_dir)
    if st is None:
        raise MergekitError(
            f"no integration run in progress — nothing to {verb}; start one with `mergekit integrate`"
        )
    return st


def worktree_path(repo: Repo, result_branch: str) -> Path:
    """Where the run building `result_branch` keeps its worktree (under the git dir)."""
    return run_state.state_dir(repo.common_dir) / "worktrees" / _slug(result_branch)


def culprits_worktree_path(repo: Repo, result_branch: str) -> Path:
    """Where the culprit search of the run building `result_branch` tests its subsets."""
    return worktree_path(repo, result_branch).with_name(_slug(result_branch) + "-culprits")


def is_registered(repo: Repo, path: Path) -> bool:
    """True when `path` is one of the repository's linked worktrees."""
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
    staged = marker_lines(data)
    if not staged:
        return False
    known: Counter[bytes] = Counter()
    base = repo.merge_base(paused.ours, paused.theirs)
    for commit in (base, paused.ours, paused.theirs):
        version = repo.read_path(commit, path) if commit is not None else None
        if version is not None:
            known |= marker_lines(version)
    return bool(staged - known)
