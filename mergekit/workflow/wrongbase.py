"""The wrong base, found from plain facts before anything is merged. Pure: no git.

Two findings, each with the command that fixes it:

- `missing-foundation`: the branch lacks commits other branches build on (the foundation: a
  listed branch another listed branch is built on, or commits two listed branches share beyond
  BASE) while it changes files that foundation changed — an agent started from BASE while the
  foundation work lived on a branch. Fix: `git rebase --onto <foundation> <merge-base> <branch>`.
- `stale`: the branch's merge base with BASE is more than N commits behind BASE and the branch
  changes files BASE changed since. Fix: `git rebase --onto <BASE> <merge-base> <branch>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mergekit.model import BaseFindingKind

DEFAULT_STALE_AFTER = 50
"""A branch more than this many commits behind BASE (and touching what changed) is stale."""
_SHOWN = 3


@dataclass(frozen=True)
class BranchBase:
    """Where one branch stands relative to BASE."""

    name: str
    """The branch (or patch input) name."""
    tip: str
    """Its tip commit."""
    merge_base: str
    """Its merge base with BASE."""
    behind: int
    """Commits BASE has that the merge base does not."""
    footprint: frozenset[str]
    """Paths the branch changed since its merge base."""
    changed_on_base: frozenset[str]
    """Paths BASE changed between the merge base and BASE."""


@dataclass(frozen=True)
class Foundation:
    """Commits other branches build on, beyond BASE."""

    name: str
    """The listed branch that is the foundation, or a description of the shared commits."""
    commit: str
    """The foundation's newest commit (a branch tip, or the merge base of two branches)."""
    footprint: frozenset[str]
    """Paths the foundation changed since its merge base with BASE."""
    commits: int
    """How many commits it has beyond BASE."""
    built_on_by: tuple[str, ...]
    """The branches that contain it."""
    missing_from: tuple[str, ...]
    """The branches that do not contain it (the foundation branch itself excluded)."""


@dataclass(frozen=True)
class BaseFinding:
    """A branch built on the wrong base, and how to fix it."""

    branch: str
    """The branch."""
    kind: BaseFindingKind
    """`missing-foundation` or `stale`."""
    detail: str
    """One sentence for people: what is missing or how old, which files, the fix."""
    files: tuple[str, ...]
    """The files that make it matter (changed by both the branch and what it lacks)."""
    onto: str
    """The commit the branch should be rebased onto (the foundation's tip, or BASE)."""
    onto_name: str
    """How to name it in the fix (the foundation branch or BASE as the user named them)."""
    upstream: str
    """The branch's current merge base with BASE (the `git rebase --onto` upstream)."""
    fix: str
    """The command that fixes it."""


def find_base_findings(
    base_name: str,
    base_commit: str,
    branches: Sequence[BranchBase],
    foundations: Sequence[Foundation],
    stale_after: int = DEFAULT_STALE_AFTER,
) -> list[BaseFinding]:
    """Every branch built on the wrong base: missing foundations first, then stale branches.

    A branch gets at most one finding of each kind (the foundation it overlaps most).
    """
    by_name = {b.name: b for b in branches}
    findings: list[BaseFinding] = []
    for branch in branches:
        best: tuple[int, Foundation, frozenset[str]] | None = None
        for foundation in foundations:
            if branch.name not in foundation.missing_from:
                continue
            overlap = branch.footprint & foundation.footprint
            if overlap and (best is None or len(overlap) > best[0]):
                best = (len(overlap), foundation, overlap)
        if best is not None:
            _, foundation, overlap = best
            files = tuple(sorted(overlap))
            builders = ", ".join(foundation.built_on_by)
            commits = f"{foundation.commits} commit{'s' if foundation.commits != 1 else ''}"
            why = (
                f"{branch.name} lacks {foundation.name} ({commits} that {builders} "
                f"build{'s' if len(foundation.built_on_by) == 1 else ''} on) and changes {_files(files)}, "
                f"which {foundation.name} changed"
            )
            findings.append(
                _finding(
                    branch, BaseFindingKind.MISSING_FOUNDATION, why, files, foundation.commit, foundation.name
                )
            )
    for branch in branches:
        if branch.behind <= stale_after or branch.merge_base == base_commit:
            continue
        overlap = branch.footprint & branch.changed_on_base
        if not overlap or branch.name not in by_name:
            continue
        files = tuple(sorted(overlap))
        why = (
            f"{branch.name} is based {branch.behind} commits behind {base_name} (more than {stale_after}) "
            f"and changes {_files(files)}, which {base_name} changed since"
        )
        findings.append(_finding(branch, BaseFindingKind.STALE, why, files, base_commit, base_name))
    return findings


def _finding(
    branch: BranchBase, kind: BaseFindingKind, why: str, files: tuple[str, ...], onto: str, onto_name: str
) -> BaseFinding:
    """The finding for `branch`: `why` it matters, then the fix (rebase it onto `onto_name`)."""
    fix = f"git rebase --onto {onto_name} {branch.merge_base[:12]} {branch.name}"
    return BaseFinding(
        branch=branch.name,
        kind=kind,
        detail=f"{why} — rebase it: `{fix}`",
        files=files,
        onto=onto,
        onto_name=onto_name,
        upstream=branch.merge_base,
        fix=fix,
    )


def _files(files: tuple[str, ...]) -> str:
    shown = ", ".join(files[:_SHOWN])
    more = f" and {len(files) - _SHOWN} more" if len(files) > _SHOWN else ""
    return shown + more
