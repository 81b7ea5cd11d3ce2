"""How `mergekit replay` is shown: tables of outcomes per category, per extension and in total, the
first "different" cases, or one JSON object with every case (the progress display is
`mergekit.output.console.reporter`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from mergekit.app.replay import CATEGORIES, ReplayReport
from mergekit.model import ReplayOutcome
from mergekit.output import emit_json, emit_lines

_HEAD = tuple(ReplayOutcome)


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "    -"


def table(report: ReplayReport, key: str, title: str, order: tuple[str, ...] = ()) -> list[str]:
    """One outcome table grouped by a CaseResult field."""
    groups = report.counts(key)
    names = [n for n in order if n in groups] + sorted(n for n in groups if n not in order and n != "TOTAL")
    width = max([12, len(title)] + [len(n) for n in names])
    head = f"{title:<{width}} {'N':>5} " + " ".join(f"{h:>10}" for h in _HEAD) + f" {'ok%':>6} {'wrong%':>7}"
    lines = [head, "-" * len(head)]
    for name in [*names, "TOTAL"]:
        c: Counter[ReplayOutcome] = groups.get(name, Counter())
        n = sum(c.values())
        if name == "TOTAL":
            lines.append("-" * len(head))
        row = f"{name:<{width}} {n:>5} " + " ".join(f"{c[h]:>10}" for h in _HEAD)
        lines.append(
            row + f" {_pct(c[ReplayOutcome.IDENTICAL], n):>6} {_pct(c[ReplayOutcome.DIFFERENT], n):>7}"
        )
    return lines


def summary_lines(report: ReplayReport, by: tuple[str, ...] = ("category",)) -> list[str]:
    """The human-readable replay report."""
    lines = [f"mergekit replay of {report.source}"]
    if report.merges_seen:
        lines.append(
            f"{report.merges_seen} merge commits, {report.merges_with_conflicts} with content conflicts; "
            f"{len(report.results)} conflicted files scored, {report.left_out} left out "
            "(the human also changed lines outside the conflicts, or binary)"
        )
    if report.missing_parents:
        lines.append(f"{report.missing_parents} merges skipped: a parent is missing (partial clone)")
    if report.missing_base:
        lines.append(f"{report.missing_base} merges skipped: their merge base is cut off (shallow clone)")
    if report.shallow:
        lines.append("warning: shallow clone: older merges are missing (run `git fetch --unshallow`)")
    if not report.results:
        lines.append("no conflicted files to score")
        return lines
    for key in by:
        title = {"category": "category", "ext": "extension", "shape": "shape"}.get(key, key)
        order = CATEGORIES if key == "category" else ()
        lines += ["", *table(report, key, title, order)]
    total: Counter[ReplayOutcome] = report.counts().get("TOTAL", Counter())
    n = sum(total.values())
    identical, different = total[ReplayOutcome.IDENTICAL], total[ReplayOutcome.DIFFERENT]
    lines += [
        "",
        f"identical to the human's file: {identical}/{n} ({_pct(identical, n).strip()}); "
        f"different (clean but not what the human committed): {different} "
        f"({_pct(different, n).strip()}); left to a human: {total[ReplayOutcome.CONFLICT]}",
    ]
    return lines


def different_cases(report: ReplayReport, limit: int) -> list[str]:
    """Ids of the first `limit` cases in the dangerous bucket."""
    return [
        f"{r.case} ({r.category}, {r.path}) rule={r.rule}"
        for r in report.results
        if r.outcome is ReplayOutcome.DIFFERENT
    ][:limit]


def replay_json(report: ReplayReport) -> dict[str, Any]:
    """A JSON object with the totals and every case."""
    return {
        "source": report.source,
        "merges_seen": report.merges_seen,
        "merges_with_conflicts": report.merges_with_conflicts,
        "left_out": report.left_out,
        "missing_parents": report.missing_parents,
        "missing_base": report.missing_base,
        "shallow": report.shallow,
        "totals": {str(k): v for k, v in report.counts().get("TOTAL", Counter()).items()},
        "by_category": {
            k: {str(o): n for o, n in v.items()} for k, v in report.counts("category").items() if k != "TOTAL"
        },
        "cases": [{**asdict(r), "outcome": str(r.outcome)} for r in report.results],
    }


def show_replay(
    report: ReplayReport, fmt: str = "text", by: tuple[str, ...] = ("category",), show_different: int = 0
) -> None:
    """The tables (text) or the JSON object."""
    if fmt == "json":
        emit_json(replay_json(report))
        return
    lines = summary_lines(report, by)
    if report.merges_seen == 0 and not report.from_cases:
        lines = [f"no merge commits in {report.source}: nothing to replay"]
    lines += [f"  different: {case}" for case in different_cases(report, show_different)]
    emit_lines(lines)
