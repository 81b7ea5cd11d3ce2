"""How the agent-workflow findings are shown inside the reports of integrate, plan and check.

Patch inputs (applied or not), branches built on the wrong base, the culprits of a failing
`--test` and the runs that found them, and branches `--drop-failing` left out — as rich-markup
lines and JSON. `output.run`, `output.plan` and `output.check` call these for their sections
(`output.check` also writes the findings as GitHub annotations).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mergekit.model import BaseFindingKind, TestRun, WrongBase
from mergekit.output import escape

if TYPE_CHECKING:
    from mergekit.app.inputs import Prepared

KIND_WORDS = {BaseFindingKind.MISSING_FOUNDATION: "lacks its foundation", BaseFindingKind.STALE: "stale base"}
_OUTCOME = {True: "[red]fails[/red]", False: "[green]passes[/green]"}


def _e(value: object) -> str:
    return escape(str(value))


# -- JSON -------------------------------------------------------------------------------------


def findings_json(findings: Sequence[WrongBase]) -> list[dict[str, Any]]:
    """`base_findings` of the JSON contract: `{branch, kind, detail}`, the files, the fix."""
    return [f.as_json() for f in findings]


def runs_json(runs: Sequence[TestRun]) -> list[dict[str, Any]]:
    """`test_runs`: each run of the culprit search."""
    return [r.as_json() for r in runs]


def patches_json(prepared: Prepared) -> list[dict[str, Any]]:
    """`patches`: where each patch input was applied, or which files and hunks do not apply."""
    rows: list[dict[str, Any]] = [
        {
            "name": p.name,
            "applied": True,
            "tip": p.tip,
            "onto": p.onto,
            "made_on": p.made_on,
            "commits": p.commits,
            "three_way": list(p.three_way),
        }
        for p in prepared.patches
    ]
    for u in prepared.unapplied:
        files = [
            {
                "path": f.path,
                "reason": f.reason,
                "hunks": [
                    {
                        "header": h.header,
                        "old_start": h.old_start,
                        "old_lines": h.old_lines,
                        "new_start": h.new_start,
                        "new_lines": h.new_lines,
                    }
                    for h in f.hunks
                ],
            }
            for f in u.files
        ]
        rows.append({"name": u.name, "applied": False, "commit": u.commit, "files": files})
    return rows


# -- text -------------------------------------------------------------------------------------


def findings_lines(findings: Sequence[WrongBase]) -> list[str]:
    """The `Wrong base` section: one finding per branch and its fix."""
    if not findings:
        return []
    lines = ["[bold yellow]Wrong base[/bold yellow]"]
    for f in findings:
        done = " [green](rebased in memory)[/green]" if f.rebased else ""
        lines.append(f"  {_e(f.branch)}: {_e(KIND_WORDS[f.kind])}{done}")
        lines.append(f"    {_e(f.detail)}")
    return lines


def run_lines(
    findings: Sequence[WrongBase], culprits: Sequence[str], dropped: Sequence[str], runs: Sequence[TestRun]
) -> list[str]:
    """A run's wrong-base findings, culprits, dropped branches and culprit-search test runs."""
    lines = findings_lines(findings)
    if culprits:
        word = "Fails alone" if len(culprits) == 1 else "Fails together"
        lines.append(f"[bold red]{word}[/bold red]: {_e(' + '.join(culprits))}")
    if runs:
        plural = "s" if len(runs) != 1 else ""
        lines.append(f"[bold]Culprit search[/bold]: {len(runs)} test run{plural}")
        for run in runs:
            outcome = _OUTCOME[run.failed] if run.failed is not None else "not tested (needs a human)"
            names = " + ".join(run.branches) or "BASE"
            where = f"  [dim]{_e(run.log)}[/dim]" if run.log else ""
            lines.append(f"  {_e(names)}: {outcome}{where}")
    if dropped:
        names = _e(", ".join(dropped))
        lines.append(f"[bold yellow]Dropped[/bold yellow] (--drop-failing, not merged): {names}")
    return lines


def prepared_lines(prepared: Prepared) -> list[str]:
    """Patch inputs (applied or not) and wrong-base findings, for `plan` and `check`."""
    lines: list[str] = []
    if prepared.patches or prepared.unapplied:
        lines.append("[bold]Patch inputs[/bold]")
        lines += [f"  {_e(n)}" for n in prepared.notes if n.startswith("patch ")]
        for u in prepared.unapplied:
            lines.append(f"  [red]{_e(u.name)} does not apply[/red]")
            for f in u.files:
                hunks = ", ".join(h.header for h in f.hunks)
                shown = f" [dim]{_e(hunks)}[/dim]" if hunks else ""
                lines.append(f"    {_e(f.path)}: {_e(f.reason)}{shown}")
    lines += findings_lines(prepared.wrong_base())
    lines += [f"[yellow]note[/yellow]: {_e(r.note)}" for r in prepared.rebased]
    return lines
