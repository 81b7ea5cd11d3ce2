"""Planning: which branches, in which order, and why — pure logic over plain values, no git calls.

`select_branches` expands names and globs; `make_plan` orders branches from their facts
(tips, footprints), the ancestry relation and pairwise conflict predictions.
"""

from __future__ import annotations

from mergekit.plan.order import OrderMode, make_plan
from mergekit.plan.select import is_glob, select_branches
from mergekit.plan.types import BranchFacts, PairPrediction, Plan, PlanStep

__all__ = [
    "BranchFacts",
    "OrderMode",
    "PairPrediction",
    "Plan",
    "PlanStep",
    "is_glob",
    "make_plan",
    "select_branches",
]
