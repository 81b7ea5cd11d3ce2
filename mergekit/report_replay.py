"""Formatting for `mergekit replay` (part of the reporting layer, beside `mergekit.report`).

Tables of outcomes per category, per extension and in total, the JSON summary, and the
side-by-side view of the first "different" cases.
"""

from __future__ import annotations

from collections import Counter

from mergekit.replay import CATEGORIES, OUTCOMES, ReplayReport

_HEAD = ("identical", "whitespace", "reordered", "different", "conflict", "crash", "timeout")


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
        c: Counter[str] = groups.get(name, Counter())
        n = sum(c.values())
        if name == "TOTAL":
            lines.append("-" * len(head))
        row = f"{name:<{width}} {n:>5} " + " ".join(f"{c[h]:>10}" for h in _HEAD)
        lines.append(row + f" {_pct(c['identical'], n):>6} {_pct(c['different'], n):>7}")
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
    total = report.counts().get("TOTAL", Counter())
    n = sum(total.values())
    lines += [
        "",
        f"identical to the human's file: {total['identical']}/{n} ({_pct(total['identical'], n).strip()}); "
        f"different (clean but not what the human committed): {total['different']} "
        f"({_pct(total['different'], n).strip()}); left to a human: {total['conflict']}",
    ]
    return lines


def different_cases(report: ReplayReport, limit: int) -> list[str]:
    """Ids of the first `limit` cases in the dangerous bucket."""
    return [
        f"{r.case} ({r.category}, {r.path}) rule={r.rule}" for r in report.results if r.outcome == "different"
    ][:limit]


assert set(_HEAD) == set(OUTCOMES)
