"""Gather the facts planning needs from the repository: tips, footprints, ancestry, predicted conflicts.

Predictions are in-memory merges done in a scratch view of the repository, so surveying
writes nothing: not a ref, not an object. The resolver classifies each predicted conflict
as auto-resolvable or human.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from mergekit.engine import InvalidEntry, Repo, first_invalid_path, merge_commits
from mergekit.plan import BranchFacts, PairPrediction
from mergekit.resolve import Labels
from mergekit.settle import settle


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


def survey(repo: Repo, base: str, tips: Sequence[tuple[str, str]], predict: bool = True) -> Survey:
    """Facts for branches `tips` = [(name, tip)] against the BASE commit `base`."""
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
    footprints = {name: repo.footprint(base, tip) for name, tip in live}
    for name, _ in live:
        bad = first_invalid_path(footprints[name])
        if bad is not None:
            raise InvalidEntry(name, bad)
    with repo.scratch() as scratch:
        for name, tip in live:
            human = frozenset(_predict(scratch, base, tip, "BASE", name)[1]) if predict else frozenset()
            result.branches.append(
                BranchFacts(name=name, tip=tip, footprint=footprints[name], base_conflicts=human)
            )
        for (a, a_tip), (b, b_tip) in combinations(sorted(live), 2):
            shared = _different(scratch, a_tip, b_tip, footprints[a] & footprints[b])
            if not shared:
                continue
            if not predict or (a, b) in result.ancestry or (b, a) in result.ancestry:
                result.pairs.append(PairPrediction(a=a, b=b, shared=shared))
                continue
            auto, human_paths = _predict(scratch, a_tip, b_tip, a, b)
            result.pairs.append(
                PairPrediction(a=a, b=b, shared=shared, conflicts=auto | human_paths, auto_resolvable=auto)
            )
    return result


def _predict(
    scratch: Repo, ours: str, theirs: str, ours_name: str, theirs_name: str
) -> tuple[frozenset[str], frozenset[str]]:
    """(auto-resolvable paths, human paths) when merging `theirs` into `ours`."""
    merge = merge_commits(scratch, ours, theirs)
    settled = settle(merge.conflicts, Labels(ours=ours_name, theirs=theirs_name))
    return frozenset(p for p, _ in settled.auto_resolved), frozenset(c.path for c in settled.human)


def _different(repo: Repo, a_tip: str, b_tip: str, paths: frozenset[str]) -> frozenset[str]:
    """The paths of `paths` whose content differs between two tips (identical changes never clash)."""
    if not paths:
        return paths
    a_ids, b_ids = repo.path_ids(a_tip, paths), repo.path_ids(b_tip, paths)
    return frozenset(p for p in paths if a_ids[p] != b_ids[p])
