"""Which branches make a test fail together — the way merge queues find a culprit. Pure: no git.

Given the branches of a failing integration in merge order and a callback answering "does the
test fail with just these branches merged?", `find_culprits` returns the smallest failing set
it can prove, in O(k·log n) test runs for k culprits:

1. bisect the merge order for the shortest failing prefix: its last branch is a culprit;
2. if that branch fails alone, it is the culprit; otherwise bisect the branches before it for
   the shortest prefix that fails together with the culprits found so far: its last branch is
   a partner. Repeat until the found set fails on its own — a single branch, or the smallest
   failing pair when no branch fails alone.

The empty set (BASE) is known to pass and the whole list to fail; both are never re-run. A
callback may answer None (the subset could not be built or tested): the search then stops and
says so, keeping what it proved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Probe = Callable[[tuple[str, ...]], bool | None]
"""Subset (in merge order) → True when the test fails, False when it passes, None when unknown."""


@dataclass(frozen=True)
class Trial:
    """One test run of the search."""

    branches: tuple[str, ...]
    """The subset merged for this run, in merge order."""
    failed: bool | None
    """True: the test failed; False: it passed; None: the subset could not be tested."""


@dataclass
class CulpritSearch:
    """What the search proved."""

    culprits: tuple[str, ...] = ()
    """The smallest failing set found, in merge order (empty when nothing was proved)."""
    trials: list[Trial] = field(default_factory=list)
    """Every run, in the order they ran."""
    conclusive: bool = True
    """False when a subset could not be tested or the answers contradict each other (flaky)."""
    note: str = ""
    """Why the search is not conclusive."""


def find_culprits(order: Sequence[str], fails: Probe, passing_prefix: int = 0) -> CulpritSearch:
    """The smallest set of `order` whose merge fails the test (see the module docstring).

    `passing_prefix`: how many leading branches are already known to pass together (a step
    test that passed before the failing step), so the prefix bisection starts there.
    """
    search = CulpritSearch()
    names = tuple(order)
    if not names:
        search.conclusive, search.note = False, "no branch was merged"
        return search
    known: dict[tuple[str, ...], bool | None] = {(): False, names: True}
    for i in range(1, min(passing_prefix, len(names) - 1) + 1):
        known[names[:i]] = False
    position = {n: i for i, n in enumerate(names)}

    def test(subset: Sequence[str]) -> bool | None:
        key = tuple(sorted(subset, key=position.__getitem__))
        if key not in known:
            known[key] = fails(key)
            search.trials.append(Trial(key, known[key]))
        return known[key]

    def first_failing(pool: tuple[str, ...], lo: int, with_: tuple[str, ...]) -> int | None:
        """Smallest j in (lo, len(pool)] with pool[:j] + with_ failing (pool + with_ fails)."""
        hi = len(pool)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            answer = test(pool[:mid] + with_)
            if answer is None:
                return None
            if answer:
                hi = mid
            else:
                lo = mid
        return hi

    end = first_failing(names, min(passing_prefix, len(names) - 1), ())
    if end is None:
        return _stop(search, (), "a subset could not be tested")
    found: tuple[str, ...] = (names[end - 1],)
    pool = names[: end - 1]
    while True:
        alone = test(found)
        if alone is None:
            return _stop(search, found, "a subset could not be tested")
        if alone:
            search.culprits = found
            return search
        if not pool:
            return _stop(search, found, "the failure did not reproduce with the branches found (flaky test?)")
        j = first_failing(pool, 0, found)
        if j is None:
            return _stop(search, found, "a subset could not be tested")
        found = (pool[j - 1], *found)
        pool = pool[: j - 1]


def _stop(search: CulpritSearch, found: tuple[str, ...], why: str) -> CulpritSearch:
    search.culprits = found
    search.conclusive = False
    search.note = why
    return search
