"""The merge order: dependencies first, then the least contested branches, ties by name.

Pure logic over `BranchFacts`, an ancestry relation and `PairPrediction`s. Branches whose
merge will need a human go as late as their dependents allow, so everything mergeable lands
before the run has to pause; among equals fewer shared-file modifications go first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Literal

from mergekit.plan.types import BranchFacts, PairPrediction, Plan, PlanStep

OrderMode = Literal["auto", "given"]
_Key = Callable[[str], tuple[int, int, str]]


def make_plan(
    branches: Sequence[BranchFacts],
    ancestry: Collection[tuple[str, str]],
    pairs: Sequence[PairPrediction],
    order: OrderMode = "auto",
) -> Plan:
    """Order `branches`; `ancestry` holds (a, b) when a's tip is an ancestor of b's tip."""
    names = [b.name for b in branches]
    known = set(names)
    edges = _direct_dependencies(names, {(a, b) for a, b in ancestry if a in known and b in known and a != b})
    deps_of = {n: tuple(sorted(a for a, b in edges if b == n)) for n in names}
    independent = [p for p in pairs if (p.a, p.b) not in ancestry and (p.b, p.a) not in ancestry]
    shared, human = _scores(branches, independent)

    def key(name: str) -> tuple[int, int, str]:
        return human[name], shared[name], name

    warnings: list[str] = []
    if order == "given":
        sequence = list(names)
        position = {n: i for i, n in enumerate(sequence)}
        for a, b in edges:
            if position[a] > position[b]:
                warnings.append(f"{b} is built on {a} but comes first in the given order; {a} will be empty")
        reasons = {n: f"given order (argument {position[n] + 1})" for n in names}
    else:
        sequence, reasons = _topological(names, edges, key)
    steps = []
    for name in sequence:
        deps = deps_of[name]
        reason = reasons[name]
        if deps:
            reason = f"built on {', '.join(deps)}; {reason}"
        steps.append(
            PlanStep(
                name=name,
                reason=reason,
                depends_on=deps,
                shared_files=shared[name],
                human_conflicts=human[name],
            )
        )
    relevant = tuple(sorted((p for p in pairs if p.shared), key=lambda p: (p.a, p.b)))
    return Plan(
        steps=tuple(steps), pairs=relevant, dependencies=tuple(sorted(edges)), warnings=tuple(warnings)
    )


def _scores(
    branches: Sequence[BranchFacts], pairs: Sequence[PairPrediction]
) -> tuple[dict[str, int], dict[str, int]]:
    """Per branch: shared-file modifications and predicted human conflicts (pairs and BASE).

    Pairs where one branch is built on the other are left out by the caller: the later one
    contains the earlier one, so they do not contend.
    """
    shared = {b.name: 0 for b in branches}
    human = {b.name: len(b.base_conflicts) for b in branches}
    for pair in pairs:
        for name in (pair.a, pair.b):
            if name in shared:
                shared[name] += len(pair.shared)
                human[name] += len(pair.human)
    return shared, human


def _direct_dependencies(names: Sequence[str], ancestry: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Drop (a, c) when a → b → c exists; equal tips (a ↔ b) keep only the name-ordered edge."""
    edges = {(a, b) for a, b in ancestry if not ((b, a) in ancestry and b < a)}
    direct = set()
    for a, c in edges:
        if not any((a, b) in edges and (b, c) in edges for b in names if b not in (a, c)):
            direct.add((a, c))
    return direct


def _topological(
    names: Sequence[str], edges: set[tuple[str, str]], key: _Key
) -> tuple[list[str], dict[str, str]]:
    """Kahn's algorithm, always taking the ready branch with the smallest `key`."""
    waiting = {n: {a for a, b in edges if b == n} for n in names}
    done: list[str] = []
    reasons: dict[str, str] = {}
    while waiting:
        ready = sorted((n for n, deps in waiting.items() if not deps), key=key)
        if not ready:  # a cycle cannot come from ancestry, but never loop forever
            ready = sorted(waiting, key=key)
        pick = ready[0]
        h, s, _ = key(pick)
        reason = f"{_count(h, 'predicted human conflict')}, {_count(s, 'shared-file modification')}"
        if len(ready) > 1:
            runner_up = key(ready[1])
            if runner_up[:2] == (h, s):
                reason += f"; tie with {ready[1]} broken by name"
            else:
                reason += f"; fewer than {ready[1]} ({runner_up[0]}, {runner_up[1]})"
        reasons[pick] = reason
        done.append(pick)
        del waiting[pick]
        for deps in waiting.values():
            deps.discard(pick)
    return done, reasons


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
