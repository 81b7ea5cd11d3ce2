"""The resolver's properties over random edits (hypothesis), shared by the property tests.

`tests/test_resolve_properties.py` checks them over the main formats, and
`tests/test_language_properties.py` over the other languages' profiles: a format says how to write
a list (or a key → int mapping) as a file and how to read it back; the strategies draw the edits;
`check_append_only` and `check_overlap` hold a resolution to the property.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import ne

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mergekit.resolve import resolve_file
from mergekit.resolve.profiles import profile_for
from mergekit.resolve.syntax import error_count, parse

FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SOME = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def reparses(path: str, data: bytes) -> bool:
    """True when the profile's grammar parses `data` without an error node."""
    profile = profile_for(path)
    assert profile is not None
    return error_count(parse(profile.grammar, data)) == 0


# ---------------------------------------------------------------- (a) append-only lists


@dataclass(frozen=True)
class ListFormat:
    """How to write a list of names as a file, and read it back."""

    path: str
    render: Callable[[list[str]], bytes]
    read: Callable[[bytes], list[str]]


@dataclass(frozen=True)
class AppendOnly:
    """A base list and two sides that only inserted elements (shared ones at the same place)."""

    base: list[str]
    ours: list[str]
    theirs: list[str]


def _insert(base: list[str], at: dict[int, list[str]]) -> list[str]:
    out: list[str] = []
    for gap in range(len(base) + 1):
        out.extend(at.get(gap, []))
        if gap < len(base):
            out.append(base[gap])
    return out


@st.composite
def append_only(draw: st.DrawFn) -> AppendOnly:
    """Random insertions by both sides into a list of distinct names (anywhere, the front too)."""
    pool = draw(st.permutations([f"m{i}" for i in range(30)]))
    k = draw(st.integers(1, 8))
    base, rest = list(pool[:k]), list(pool[k:])
    n_ours, n_theirs, n_shared = draw(st.integers(0, 4)), draw(st.integers(0, 4)), draw(st.integers(0, 2))
    own = {"ours": rest[:n_ours], "theirs": rest[n_ours : n_ours + n_theirs]}
    shared = rest[n_ours + n_theirs : n_ours + n_theirs + n_shared]
    gap = st.integers(0, k)
    shared_at = {n: draw(gap) for n in shared}
    sides: dict[str, list[str]] = {}
    for side, names in own.items():
        at: dict[int, list[str]] = {}
        for name in names:
            at.setdefault(draw(gap), []).append(name)
        for name, g in shared_at.items():
            # The shared element sits before or after this side's own insertions at that gap.
            spot = at.setdefault(g, [])
            spot.insert(0 if draw(st.booleans()) else len(spot), name)
        sides[side] = _insert(base, at)
    return AppendOnly(base, sides["ours"], sides["theirs"])


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def check_append_only(form: ListFormat, edit: AppendOnly, reparse: bool) -> None:
    """Both sides only added: clean, each element once, base order kept (with `reparse`: it parses)."""
    result = resolve_file(form.render(edit.base), form.render(edit.ours), form.render(edit.theirs), form.path)
    assert result.clean, [h.reason for h in result.hunks]
    merged = form.read(result.merged)
    assert sorted(merged) == sorted(set(edit.base) | set(edit.ours) | set(edit.theirs))
    assert is_subsequence(edit.base, merged)
    assert is_subsequence([n for n in edit.ours if n not in edit.theirs], merged)
    if reparse:
        assert reparses(form.path, result.merged)


# ---------------------------------------------------------------- (b) overlapping edits

DELETED = -1
"""A side's value for a key it deleted."""


@dataclass(frozen=True)
class MapFormat:
    """How to write a key → int mapping as a file, and read it back."""

    path: str
    render: Callable[[list[tuple[str, int]]], bytes]
    read: Callable[[bytes], dict[str, int]]


@dataclass(frozen=True)
class Overlap:
    """A base mapping and two sides' edits; at least one key both sides touched."""

    base: list[tuple[str, int]]
    ours: list[tuple[str, int]]
    theirs: list[tuple[str, int]]


@st.composite
def overlapping(draw: st.DrawFn) -> Overlap:
    """Both sides change, delete or add keys, touching at least one of the same keys."""
    k = draw(st.integers(1, 6))
    base = [(f"k{i}", draw(st.integers(0, 3))) for i in range(k)]
    value = st.integers(0, 3)
    shared_key = draw(st.integers(0, k))  # k means: a key both sides add
    sides = []
    for _ in ("ours", "theirs"):
        out: list[tuple[str, int]] = []
        for i, (key, old) in enumerate(base):
            if i == shared_key:
                action = draw(st.sampled_from(["change", "delete"]))
            else:
                action = draw(st.sampled_from(["keep", "keep", "change", "delete"]))
            if action == "keep":
                out.append((key, old))
            elif action == "change":
                out.append((key, draw(value.filter(partial(ne, old)))))
        added = ["new"] if shared_key == k else []
        added += draw(st.lists(st.sampled_from(["x", "y", "z"]), max_size=2, unique=True))
        out += [(name, draw(value)) for name in added]
        sides.append(out)
    return Overlap(base, sides[0], sides[1])


def per_key_answer(edit: Overlap) -> dict[str, int] | None:
    """git's rule per key (whichever side changed it), or None when the sides disagree on one."""
    base, ours, theirs = dict(edit.base), dict(edit.ours), dict(edit.theirs)
    out: dict[str, int] = {}
    for key in dict.fromkeys([*base, *ours, *theirs]):
        b, o, t = base.get(key, DELETED), ours.get(key, DELETED), theirs.get(key, DELETED)
        if o == b:
            value = t
        elif t in (b, o):
            value = o
        else:
            return None
        if value != DELETED:
            out[key] = value
    return out


def check_overlap(form: MapFormat, edit: Overlap) -> None:
    """A key both sides changed (or deleted vs changed, or added) differently is never clean."""
    result = resolve_file(form.render(edit.base), form.render(edit.ours), form.render(edit.theirs), form.path)
    answer = per_key_answer(edit)
    if answer is None:
        assert not result.clean, result.merged.decode()
    elif result.clean:
        assert form.read(result.merged) == answer
