"""Planning is pure: branch selection, dependencies, ordering by contention, reasons."""

from __future__ import annotations

import pytest

from mergekit.errors import MergekitError
from mergekit.plan import BranchFacts, PairPrediction, make_plan, select_branches


def _facts(*names: str) -> list[BranchFacts]:
    return [BranchFacts(name=n, tip=f"{i:040x}") for i, n in enumerate(names)]


def test_select_names_globs_remote_and_unicode_dedup() -> None:
    local = ["feature/a", "feature/b", "main", "ü/x"]
    remote = ["origin/feature/c"]
    got = select_branches(["feature/b", "feature/*", "origin/*", "ü/x"], local, remote)
    assert got == ["feature/b", "feature/a", "origin/feature/c", "ü/x"]


def test_select_unknown_name_and_empty_glob_are_errors() -> None:
    with pytest.raises(MergekitError, match="branch 'nope' not found"):
        select_branches(["nope"], ["main"], [])
    with pytest.raises(MergekitError, match="no branch matches 'x/\\*'"):
        select_branches(["x/*"], ["main"], [])


def test_dependencies_come_first_even_against_name_order() -> None:
    # epic: migration ← api ← frontend, migration ← service
    branches = _facts("a-frontend", "b-api", "c-service", "z-migration")
    ancestry = {
        ("z-migration", "b-api"),
        ("z-migration", "c-service"),
        ("z-migration", "a-frontend"),
        ("b-api", "a-frontend"),
    }
    plan = make_plan(branches, ancestry, [])
    assert plan.order == ["z-migration", "b-api", "a-frontend", "c-service"]
    assert plan.dependencies == (
        ("b-api", "a-frontend"),
        ("z-migration", "b-api"),
        ("z-migration", "c-service"),
    )
    frontend = plan.steps[2]
    assert frontend.depends_on == ("b-api",)
    assert frontend.reason.startswith("built on b-api")


def test_order_by_overlap_and_predicted_conflicts() -> None:
    branches = _facts("alpha", "beta", "gamma", "delta")
    pairs = [
        # alpha and beta both append to the barrel (auto-resolvable)
        PairPrediction(
            "alpha", "beta", frozenset({"index.ts"}), frozenset({"index.ts"}), frozenset({"index.ts"})
        ),
        # alpha and gamma disagree about a constant: a human is needed
        PairPrediction("alpha", "gamma", frozenset({"config.ts"}), frozenset({"config.ts"}), frozenset()),
    ]
    plan = make_plan(branches, set(), pairs)
    # delta touches nothing shared; beta shares one auto file; alpha and gamma need a human → last
    assert plan.order == ["delta", "beta", "gamma", "alpha"]
    assert [s.human_conflicts for s in plan.steps] == [0, 0, 1, 1]
    assert [s.shared_files for s in plan.steps] == [0, 1, 1, 2]
    assert "fewer than beta" in plan.steps[0].reason
    assert [(p.a, p.b) for p in plan.pairs] == [("alpha", "beta"), ("alpha", "gamma")]
    assert plan.pairs[1].human == {"config.ts"}


def test_ties_broken_by_name_and_deterministic() -> None:
    plan = make_plan(_facts("b", "c", "a"), set(), [])
    assert plan.order == ["a", "b", "c"]
    assert "tie with b broken by name" in plan.steps[0].reason
    assert make_plan(_facts("c", "a", "b"), set(), []).order == plan.order


def test_base_conflicts_push_a_branch_back() -> None:
    branches = [BranchFacts("a", "1" * 40, base_conflicts=frozenset({"x"})), BranchFacts("b", "2" * 40)]
    assert make_plan(branches, set(), []).order == ["b", "a"]


def test_given_order_is_kept_and_warns_about_dependencies() -> None:
    plan = make_plan(_facts("z-api", "a-migration"), {("a-migration", "z-api")}, [], order="given")
    assert plan.order == ["z-api", "a-migration"]
    assert plan.steps[0].reason == "built on a-migration; given order (argument 1)"
    assert plan.warnings and "z-api is built on a-migration" in plan.warnings[0]


def test_equal_tips_do_not_make_a_cycle() -> None:
    plan = make_plan(_facts("b", "a"), {("a", "b"), ("b", "a")}, [])
    assert plan.order == ["a", "b"]
    assert plan.dependencies == (("a", "b"),)
