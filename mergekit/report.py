"""The only module that formats output: run reports, plans, status and abort, as text or JSON.

Text goes through rich when stdout is a terminal (and `MERGEKIT_NO_COLOR`/`NO_COLOR` are
unset), plain text otherwise; `--json` prints exactly one JSON object on stdout. Core modules
return values; the CLI hands them here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from mergekit.integrate import AbortReport, PlanReport, RunReport
from mergekit.plan import Plan


def emit_json(data: dict[str, Any]) -> None:
    """Print one JSON object on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def emit_text(lines: list[str]) -> None:
    """Print rich-markup lines: styled on a terminal, plain otherwise."""
    text = "\n".join(lines)
    if _use_rich():
        Console(highlight=False, soft_wrap=True).print(text)
    else:
        click.echo(Text.from_markup(text).plain)


def _use_rich() -> bool:
    if os.environ.get("MERGEKIT_NO_COLOR") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _e(value: object) -> str:
    return escape(str(value))


def _short(oid: str | None) -> str:
    return oid[:12] if oid else "-"


# -- integrate / continue -------------------------------------------------------------------


def print_run(report: RunReport, as_json: bool) -> None:
    """Show the outcome of integrate/continue."""
    if as_json:
        data = report.to_json()
        if report.plan is not None:
            data["reasons"] = {s.name: s.reason for s in report.plan.steps}
        emit_json(data)
        return
    emit_text(run_lines(report))


def run_lines(report: RunReport) -> list[str]:
    """The human summary of a run: order, per-branch outcome, auto-resolutions, conflicts, next step."""
    verb = "would integrate" if report.dry_run else "integrating"
    lines = [
        f"[bold]mergekit[/bold] {verb} into [cyan]{_e(report.result_branch)}[/cyan] "
        f"from {_e(report.base)} (strategy {report.strategy})"
    ]
    reasons = {s.name: s.reason for s in report.plan.steps} if report.plan else {}
    skipped = {s["branch"]: s for s in report.skipped}
    lines.append("[bold]Order[/bold]")
    for i, name in enumerate(report.order, 1):
        autos = [a for a in report.auto_resolved if a["branch"] == name]
        if name in report.merged:
            outcome = "[green]merged[/green]" if not report.dry_run else "[green]merges[/green]"
            if autos:
                outcome += f", {len(autos)} auto-resolved"
        elif name in skipped:
            outcome = f"[yellow]skipped[/yellow] ({_e(skipped[name]['reason'])})"
        elif report.conflicts and any(c["branch"] == name for c in report.conflicts):
            outcome = "[red]needs a human[/red]"
        elif report.failed_branch == name:
            outcome = "[red]test failed[/red]"
        else:
            outcome = "pending"
        line = f"  {i}. {_e(name)} — {outcome}"
        if name in reasons:
            line += f"  [dim]({_e(reasons[name])})[/dim]"
        lines.append(line)
    if report.auto_resolved:
        lines.append("[bold]Auto-resolved[/bold]")
        lines += [
            f"  {_e(a['branch'])}: {_e(a['path'])} [dim]({_e(a['rule'])})[/dim]" for a in report.auto_resolved
        ]
    if report.conflicts:
        lines.append("[bold red]Needs a human[/bold red]")
        lines += [f"  {_e(c['branch'])}: {_e(c['path'])} ({_e(c['kind'])})" for c in report.conflicts]
    if report.worktree:
        lines.append(f"[bold]Worktree[/bold]: {_e(report.worktree)}")
    if report.test_output:
        lines.append("[bold]Test output (end)[/bold]")
        lines += ["  " + _e(line) for line in report.test_output.rstrip().splitlines()[-20:]]
    if not report.dry_run:
        lines.append(f"[bold]Result[/bold]: {_e(report.result_branch)} at {_short(report.result_commit)}")
    lines += [f"[yellow]note[/yellow]: {_e(n)}" for n in report.notes]
    lines.append(f"[bold]Status[/bold]: {_status_markup(report.status)}")
    return lines


def _status_markup(status: str) -> str:
    color = {"done": "green", "running": "cyan"}.get(status, "red")
    return f"[{color}]{status}[/{color}]"


# -- status / abort -------------------------------------------------------------------------


def print_status(report: RunReport | None, as_json: bool) -> None:
    """Show where a paused run stands (or that there is none)."""
    if report is None:
        if as_json:
            emit_json({"status": "none"})
        else:
            emit_text(["no integration run in progress"])
        return
    if as_json:
        emit_json(report.to_json())
        return
    lines = run_lines(report)
    if report.pending:
        lines.insert(1, f"[bold]Pending[/bold]: {_e(', '.join(report.pending))}")
    emit_text(lines)


def print_abort(report: AbortReport, as_json: bool) -> None:
    """Show what `abort` undid."""
    if as_json:
        emit_json(
            {
                "status": "aborted",
                "result_branch": report.result_branch,
                "result_commit": report.restored_to,
                "removed_worktree": report.removed_worktree,
                "notes": report.notes,
            }
        )
        return
    where = (
        f"restored to {_short(report.restored_to)}"
        if report.restored_to
        else "removed (it did not exist before)"
    )
    lines = [f"aborted: {_e(report.result_branch)} {where}"]
    if report.removed_worktree:
        lines.append(f"removed worktree {_e(report.removed_worktree)}")
    lines += [f"[yellow]note[/yellow]: {_e(n)}" for n in report.notes]
    emit_text(lines)


# -- plan -----------------------------------------------------------------------------------


def plan_json(report: PlanReport) -> dict[str, Any]:
    """The JSON object of `mergekit plan`."""
    plan = report.plan
    return {
        "base": report.base,
        "base_commit": report.base_commit,
        "order": plan.order,
        "steps": [
            {
                "position": i,
                "branch": s.name,
                "reason": s.reason,
                "depends_on": list(s.depends_on),
                "shared_files": s.shared_files,
                "human_conflicts": s.human_conflicts,
            }
            for i, s in enumerate(plan.steps, 1)
        ],
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "shared": sorted(p.shared),
                "conflicts": sorted(p.conflicts),
                "auto_resolvable": sorted(p.auto_resolvable),
                "human": sorted(p.human),
            }
            for p in plan.pairs
        ],
        "dependencies": [list(d) for d in plan.dependencies],
        "empty": report.empty,
        "warnings": list(plan.warnings),
    }


def print_plan(report: PlanReport, as_json: bool) -> None:
    """Show the order with reasons, dependencies and the pairwise conflict matrix."""
    if as_json:
        emit_json(plan_json(report))
        return
    emit_text(plan_lines(report.plan, report.base, report.empty))


def plan_lines(plan: Plan, base: str, empty: list[str]) -> list[str]:
    """The human form of a plan."""
    lines = [f"[bold]Plan[/bold] into {_e(base)}"]
    for i, s in enumerate(plan.steps, 1):
        lines.append(f"  {i}. {_e(s.name)}  [dim]({_e(s.reason)})[/dim]")
    if empty:
        lines.append(f"[bold]Nothing to merge[/bold] (already in BASE): {_e(', '.join(empty))}")
    if plan.dependencies:
        lines.append("[bold]Dependencies[/bold]")
        lines += [f"  {_e(a)} → {_e(b)}" for a, b in plan.dependencies]
    if plan.pairs:
        lines.append("[bold]Pairs touching the same files[/bold]")
        for p in plan.pairs:
            human = sorted(p.human)
            auto = sorted(p.auto_resolvable)
            parts = [f"{len(p.shared)} shared"]
            if auto:
                parts.append(f"auto-resolvable: {_e(', '.join(auto))}")
            if human:
                parts.append(f"[red]human: {_e(', '.join(human))}[/red]")
            if not p.conflicts:
                parts.append("merge cleanly")
            lines.append(f"  {_e(p.a)} vs {_e(p.b)}: " + "; ".join(parts))
    else:
        lines.append("no two branches touch the same file")
    lines += [f"[yellow]warning[/yellow]: {_e(w)}" for w in plan.warnings]
    return lines


# -- demo -----------------------------------------------------------------------------------


def print_demo_intro(path: Path, description: str, branches: list[str], shared: dict[str, list[str]]) -> None:
    """Narrate what the demo repository holds."""
    lines = [
        f"[bold]mergekit demo[/bold] — a scratch repository at {_e(path)}",
        _e(description),
        "[bold]Branches[/bold]: " + _e(", ".join(branches)),
    ]
    if shared:
        lines.append("[bold]Plain git would conflict on every merge after the first in[/bold]:")
        lines += [f"  {_e(p)} ({len(b)} branches)" for p, b in sorted(shared.items())]
    lines.append("")
    emit_text(lines)


def print_demo_handoff(result: RunReport, files: dict[str, str]) -> None:
    """Narrate the hand-off: the conflicted files as the human sees them, and what to type."""
    if result.status != "conflict" or not result.worktree:
        emit_text(["", "every branch merged without a human"])
        return
    lines = ["", "[bold]The hand-off[/bold]: a genuine disagreement goes to a human, in its own worktree"]
    for path, text in files.items():
        lines.append(f"[bold]{_e(path)}[/bold] in {_e(result.worktree)}:")
        lines += ["  " + _e(line) for line in text.splitlines()]
    lines += [
        "A human would now run:",
        f"  cd {_e(result.worktree)}",
        "  git status            # You have unmerged paths",
        "  $EDITOR <file>        # or: git mergetool",
        "  git add <file>",
        "  mergekit continue     # commits the merge and goes on",
    ]
    emit_text(lines)
