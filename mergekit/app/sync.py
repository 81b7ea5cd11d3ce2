"""`mergekit sync`: merge BASE into a branch with mergekit's resolver, so the forge can merge the branch.

Forges ignore custom merge drivers: a pull request whose only conflicts are ones mergekit
resolves still shows "conflicts". `sync_branch` asks `mergekit.merging.Merger` (the one seam
that `integrate`, `plan` and `check` ask: engine merge → resolver → duplicate keys) to merge
BASE into BRANCH in memory, and commits the merge on BRANCH only when nothing needs a human;
otherwise it reports the files and writes nothing. BRANCH moves by compare-and-swap. When
BRANCH is checked out in a worktree, that worktree must be clean (and not in the middle of a
merge or rebase); its index and files then follow the branch, as after a `git merge`. With
`push`, the branch is pushed to its upstream (or `origin`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mergekit.engine.checkout import (
    busy_with,
    checked_out,
    current_branch,
    follow_checkout,
    has_local_changes,
    push,
    upstream,
)
from mergekit.engine.repo import RefMoved, Repo, open_repo
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK, MergekitError
from mergekit.merging import LINE_MERGE_RULE, Merger
from mergekit.model import AutoResolved, HumanConflict, SyncStatus
from mergekit.output.commit import describe, step_message
from mergekit.resolve import Labels

_HEADS = "refs/heads/"


@dataclass
class SyncReport:
    """What `mergekit sync` did."""

    branch: str
    """The branch brought up to date."""
    base: str
    """BASE as the user named it."""
    status: SyncStatus
    """What was done (or `conflict`: a human is needed, nothing written)."""
    before: str
    """The branch's commit before."""
    after: str
    """The branch's commit now (the new merge commit when merged)."""
    base_commit: str
    """The BASE commit merged."""
    auto_resolved: list[AutoResolved] = field(default_factory=list)
    """Each file the resolver settled (`branch` is BASE, the side merged in)."""
    conflicts: list[HumanConflict] = field(default_factory=list)
    """Each file a human must settle."""
    worktree: str | None = None
    """The worktree whose checkout followed the branch, if the branch is checked out."""
    pushed: str | None = None
    """`remote/branch` pushed to, when asked."""

    @property
    def exit_code(self) -> int:
        """0 merged or up to date, 1 a human is needed."""
        return EXIT_NEEDS_HUMAN if self.status is SyncStatus.CONFLICT else EXIT_OK


def sync_branch(cwd: Path, branch: str | None, base: str, *, push_after: bool = False) -> SyncReport:
    """Merge `base` into `branch` (default: the branch checked out at `cwd`) when no human is needed."""
    repo = open_repo(cwd)
    if branch is None:
        branch = current_branch(repo)
        if branch is None:
            raise MergekitError(
                "HEAD is detached here — name the branch to sync: `mergekit sync BRANCH --with BASE`"
            )
    ref = _HEADS + branch
    tip = repo.ref_target(ref)
    if tip is None:
        hint = (
            f" (`git branch {branch} {repo.branch_ref(branch)}` makes one)" if repo.branch_ref(branch) else ""
        )
        raise MergekitError(f"{branch!r} is not a local branch{hint} — sync moves a local branch")
    base_commit = repo.resolve_commit(base)
    if base_commit is None:
        raise MergekitError(
            f"BASE {base!r} not found — pass an existing branch or commit to --with (`git fetch`?)"
        )
    report = SyncReport(
        branch=branch,
        base=base,
        status=SyncStatus.UP_TO_DATE,
        before=tip,
        after=tip,
        base_commit=base_commit,
    )
    if repo.is_ancestor(base_commit, tip):
        pass
    elif repo.is_ancestor(tip, base_commit):
        report.status, report.after = SyncStatus.FAST_FORWARD, base_commit
    else:
        commit = _merge(repo, branch, tip, base, base_commit, report)
        if commit is None:
            return report
        report.status, report.after = SyncStatus.MERGED, commit
    if report.after != tip:
        report.worktree = _move(repo, ref, tip, report.after)
    if push_after:
        remote, remote_branch = upstream(repo, branch)
        push(repo, remote, branch, remote_branch)
        report.pushed = f"{remote}/{remote_branch}"
    return report


def _merge(repo: Repo, branch: str, tip: str, base: str, base_commit: str, report: SyncReport) -> str | None:
    """The merge commit of `base_commit` into `tip`; None (and `report.conflicts`) when a human is needed."""
    settled = Merger(repo).settle(tip, base_commit, Labels(ours=branch, base="base", theirs=base))
    verdict = settled.prediction
    report.auto_resolved = [
        AutoResolved(base, f.path, f.rule or LINE_MERGE_RULE, describe(f.hunks))
        for f in verdict.auto_resolved
    ]
    if verdict.human:
        report.status = SyncStatus.CONFLICT
        report.conflicts = [HumanConflict(base, f.path, f.kind) for f in verdict.human]
        return None
    tree = settled.merge.write_tree(verdict.resolutions)
    return repo.create_commit(
        tree, [tip, base_commit], step_message(base, branch, None, report.auto_resolved)
    )


def _move(repo: Repo, ref: str, old: str, new: str) -> str | None:
    """Point `ref` at `new`; a worktree that has it checked out follows. Returns that worktree."""
    wt = checked_out(repo, ref)
    if wt is None:
        repo.update_ref(ref, new, old, "mergekit sync")
        return None
    branch = ref.removeprefix(_HEADS)
    busy = busy_with(wt.path)
    if busy is not None:
        raise MergekitError(
            f"{branch} is checked out in {wt.path}, which is in the middle of {busy} — finish it first"
        )
    if has_local_changes(wt.path):
        raise MergekitError(
            f"{branch} is checked out in {wt.path} with uncommitted changes — commit or stash them, "
            "then sync again"
        )
    follow_checkout(wt.path, old, new)
    try:
        repo.update_ref(ref, new, old, "mergekit sync")
    except RefMoved:
        follow_checkout(wt.path, new, old)
        raise
    return str(wt.path)
