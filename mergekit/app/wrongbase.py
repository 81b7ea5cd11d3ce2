"""The wrong base, use case side: gather each branch's facts from the repository, find what is
wrong (`mergekit.workflow.wrongbase`), and — for `--rebase-stale` — replay such branches onto the
right base in memory before integrating (each replayed commit's conflicts judged by the one seam,
`mergekit.merging.Merger`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from mergekit.engine.rebase import Settle, commits_between, count_between, replay_commits
from mergekit.engine.repo import Repo, ShallowHistory
from mergekit.engine.types import Conflict
from mergekit.merging import Merger
from mergekit.model import BaseFindingKind, Outcome
from mergekit.resolve import Labels
from mergekit.workflow.wrongbase import (
    DEFAULT_STALE_AFTER,
    BaseFinding,
    BranchBase,
    Foundation,
    find_base_findings,
)


@dataclass(frozen=True)
class Rebased:
    """What `--rebase-stale` did with one branch."""

    branch: str
    """The branch."""
    kind: BaseFindingKind
    """The finding it fixed (`missing-foundation` or `stale`)."""
    onto_name: str
    """What it was replayed onto."""
    tip: str | None
    """The replayed tip (None when the replay stopped on a conflict)."""
    replayed: int = 0
    """Commits replayed."""
    conflicts: tuple[str, ...] = ()
    """When it stopped: the files that conflicted."""

    @property
    def note(self) -> str:
        """One line for people."""
        if self.tip is None:
            return (
                f"could not rebase {self.branch} onto {self.onto_name} in memory (conflicts in "
                f"{', '.join(self.conflicts)}); integrating it as it is — rebase it by hand"
            )
        return (
            f"rebased {self.branch} onto {self.onto_name} in memory ({self.replayed} "
            f"commit{'s' if self.replayed != 1 else ''}) before integrating"
        )


def base_findings(
    repo: Repo,
    base_name: str,
    base_commit: str,
    tips: Sequence[tuple[str, str]],
    stale_after: int = DEFAULT_STALE_AFTER,
) -> list[BaseFinding]:
    """Every input of `tips` built on the wrong base (see `mergekit.workflow.wrongbase`)."""
    live = [(n, t) for n, t in tips if not repo.is_ancestor(t, base_commit)]
    facts: list[BranchBase] = []
    for name, tip in live:
        try:
            merge_base = repo.merge_base(base_commit, tip)
        except ShallowHistory:
            raise ShallowHistory(base_name, name) from None  # named as plan, check and integrate name it
        if merge_base is None:
            continue
        behind = count_between(repo, merge_base, base_commit)
        changed = repo.changed_paths(merge_base, base_commit) if behind > stale_after else frozenset()
        facts.append(
            BranchBase(
                name=name,
                tip=tip,
                merge_base=merge_base,
                behind=behind,
                footprint=repo.changed_paths(merge_base, tip),
                changed_on_base=changed,
            )
        )
    foundations = _foundations(repo, base_commit, live)
    return find_base_findings(base_name, base_commit, facts, foundations, stale_after)


def _foundations(repo: Repo, base_commit: str, live: Sequence[tuple[str, str]]) -> list[Foundation]:
    """Listed branches others are built on, and commits two listed branches share beyond BASE.

    Each branch's commits beyond BASE are walked once; ancestry between branches is then a set
    lookup (a commit beyond BASE is an ancestor of a tip exactly when it is among its commits).
    """
    own = {tip: frozenset(commits_between(repo, base_commit, tip)) for _, tip in live}
    found: dict[str, str] = {}  # foundation commit → its name
    for name, tip in live:
        if any(t != tip and tip in own[t] for _, t in live):
            found.setdefault(tip, name)
    for a_tip, b_tip in combinations(own, 2):
        if not own[a_tip] & own[b_tip]:
            continue
        shared = repo.merge_base(a_tip, b_tip)
        if shared is not None and shared not in found and shared not in (a_tip, b_tip):
            found[shared] = shared[:12]
    result = []
    for commit, name in found.items():
        below = own.get(commit) or frozenset(commits_between(repo, base_commit, commit))
        builders = tuple(n for n, t in live if t != commit and commit in own[t])
        missing = tuple(n for n, t in live if n != name and commit not in own[t] and t not in below)
        if not builders or not missing:
            continue
        start = repo.merge_base(base_commit, commit)
        if start is None:
            continue
        result.append(
            Foundation(
                name=name,
                commit=commit,
                footprint=repo.changed_paths(start, commit),
                commits=len(below),
                built_on_by=builders,
                missing_from=missing,
            )
        )
    return result


def rebase_findings(
    merger: Merger, findings: Sequence[BaseFinding], tips: Sequence[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[Rebased]]:
    """Replay each branch with a finding onto the right base, in memory (new commits in
    `merger.repo`, no ref moves); a replayed commit's conflicts must all be settled by `merger`.

    Returns the tips with the replayed ones swapped in, and what happened to each branch. A
    missing foundation wins over staleness (the foundation is based on BASE already).
    """
    chosen: dict[str, BaseFinding] = {}
    for finding in sorted(findings, key=lambda f: f.kind is not BaseFindingKind.MISSING_FOUNDATION):
        chosen.setdefault(finding.branch, finding)
    current = dict(tips)
    done: list[Rebased] = []
    for branch, finding in chosen.items():
        tip = current.get(branch)
        if tip is None:
            continue
        replay = replay_commits(
            merger.repo,
            finding.upstream,
            tip,
            finding.onto,
            settle=_settler(merger, finding.onto_name, branch),
        )
        done.append(
            Rebased(
                branch=branch,
                kind=finding.kind,
                onto_name=finding.onto_name,
                tip=replay.tip,
                replayed=replay.replayed,
                conflicts=replay.conflicts,
            )
        )
        if replay.tip is not None:
            current[branch] = replay.tip
    return [(n, current[n]) for n, _ in tips], done


def _settler(merger: Merger, ours: str, theirs: str) -> Settle:
    """A replay's settle callback: the seam's resolutions when it settles every conflict."""
    labels = Labels(ours=ours, base="base", theirs=theirs)

    def settled(conflicts: Sequence[Conflict]) -> Mapping[str, bytes] | None:
        verdicts = merger.judge(conflicts, labels)
        if any(v.outcome is Outcome.NEEDS_HUMAN for v in verdicts):
            return None
        return {v.path: v.content for v in verdicts if v.content is not None}

    return settled
