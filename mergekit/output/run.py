"""How an integration run is shown: integrate, continue, status and abort (text or one JSON object)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mergekit.model import HumanConflict, RunStatus, Skipped, SkipReason
from mergekit.output import emit_json, emit_text, escape
from mergekit.output.bypassed import bypassed_json, bypassed_lines
from mergekit.output.words import run_status
from mergekit.output.workflow import findings_json, runs_json
from mergekit.output.workflow import run_lines as workflow_lines

if TYPE_CHECKING:
    from mergekit.app.integrate.types import AbortReport, RunReport
    from mergekit.app.resolve_worktree import WorktreeConflicts


def _e(value: object) -> str:
    return escape(str(value))


def _short(oid: str | None) -> str:
    return oid[:12] if oid else "-"


def run_json(report: RunReport) -> dict[str, Any]:
    """The contract's JSON object of integrate, continue and status."""
    data: dict[str, Any] = {
        "status": str(report.status),
        "order": report.order,
        "merged": report.merged,
        "pending": report.pending,
        "auto_resolved": [
            {"branch": a.branch, "path": a.path, "rule": a.rule, "detail": a.detail}
            for a in report.auto_resolved
        ],
        "conflicts": [_conflict_json(c) for c in report.conflicts],
        "worktree": report.worktree,
        "result_branch": report.result_branch,
        "result_commit": report.result_commit,
        "skipped": [_skipped_json(s) for s in report.skipped],
        "base": report.base,
        "strategy": report.strategy,
        "dry_run": report.dry_run,
        "failed_branch": report.failed_branch,
        "test_output": report.test_output,
        "notes": report.notes,
        "base_findings": findings_json(report.base_findings),
        "culprits": report.culprits,
        "dropped": report.dropped,
        "test_runs": runs_json(report.test_runs),
    }
    if report.plan is not None:
        data["reasons"] = {s.name: s.reason for s in report.plan.steps}
    return data


def _conflict_json(c: HumanConflict) -> dict[str, Any]:
    row: dict[str, Any] = {"branch": c.branch, "path": c.path, "kind": str(c.kind)}
    if c.detail:
        row["detail"] = c.detail  # a patch input's hunks that do not apply
    return row


def _skipped_json(s: Skipped) -> dict[str, Any]:
    row: dict[str, Any] = {"branch": s.branch, "reason": str(s.reason), "paths": list(s.paths)}
    if s.detail:
        row["detail"] = s.detail
    return row


def show_run(report: RunReport, fmt: str = "text") -> None:
    """Show the outcome of integrate/continue."""
    if fmt == "json":
        emit_json(run_json(report))
    else:
        emit_text(run_lines(report))


def run_lines(report: RunReport) -> list[str]:
    """The human summary of a run: order, per-branch outcome, auto-resolutions, conflicts, next step."""
    verb = "would integrate" if report.dry_run else "integrating"
    lines = [
        f"[bold]mergekit[/bold] {verb} into [cyan]{_e(report.result_branch)}[/cyan] "
        f"from {_e(report.base)} (strategy {report.strategy})"
    ]
    reasons = {s.name: s.reason for s in report.plan.steps} if report.plan else {}
    skipped = {s.branch: s for s in report.skipped}
    lines.append("[bold]Order[/bold]")
    for i, name in enumerate(report.order, 1):
        autos = [a for a in report.auto_resolved if a.branch == name]
        if name in report.merged:
            outcome = "[green]merged[/green]" if not report.dry_run else "[green]merges[/green]"
            if autos:
                outcome += f", {len(autos)} auto-resolved"
        elif name in skipped:
            skip = skipped[name]
            # a patch's hunks are in the notes; a dropped branch's partners read on from its reason
            why = (
                f"{skip.reason} {skip.detail}"
                if skip.reason is SkipReason.FAILS_TEST and skip.detail
                else skip.reason
            )
            outcome = f"[yellow]skipped[/yellow] ({_e(why)})"
        elif any(c.branch == name for c in report.conflicts):
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
        lines += [f"  {_e(a.branch)}: {_e(a.path)} [dim]({_e(a.rule)})[/dim]" for a in report.auto_resolved]
    if report.conflicts:
        lines.append("[bold red]Needs a human[/bold red]")
        lines += [f"  {_e(c.branch)}: {_e(c.path)} ({_e(c.kind)})" for c in report.conflicts]
    if report.worktree:
        lines.append(f"[bold]Worktree[/bold]: {_e(report.worktree)}")
    lines += workflow_lines(report.base_findings, report.culprits, report.dropped, report.test_runs)
    if report.test_output:
        lines.append("[bold]Test output (end)[/bold]")
        lines += ["  " + _e(line) for line in report.test_output.rstrip().splitlines()[-20:]]
    if not report.dry_run:
        lines.append(f"[bold]Result[/bold]: {_e(report.result_branch)} at {_short(report.result_commit)}")
    lines += [f"[yellow]note[/yellow]: {_e(n)}" for n in report.notes]
    lines.append(f"[bold]Status[/bold]: {run_status(report.status)}")
    return lines


def _worktree_lines(worktree: WorktreeConflicts | None) -> list[str]:
    if worktree is None or not worktree.paths:
        return []
    lines = [
        f"{len(worktree.paths)} conflicted file(s) in this worktree (a git merge, rebase or cherry-pick "
        "stopped): `mergekit resolve` unions what it can"
    ]
    return lines + [_e(line) for line in bypassed_lines(worktree.bypassed)]


def _worktree_json(worktree: WorktreeConflicts | None) -> dict[str, Any]:
    if worktree is None:
        return {}
    return {"worktree_conflicts": list(worktree.paths), "driver_bypassed": bypassed_json(worktree.bypassed)}


def show_status(
    report: RunReport | None, fmt: str = "text", *, worktree: WorktreeConflicts | None = None
) -> None:
    """Show where a paused run stands (or that there is none), and this worktree's conflicted files."""
    if report is None:
        if fmt == "json":
            emit_json({"status": str(RunStatus.NONE), **_worktree_json(worktree)})
        else:
            emit_text(["no integration run in progress", *_worktree_lines(worktree)])
        return
    if fmt == "json":
        emit_json({**run_json(report), **_worktree_json(worktree)})
        return
    lines = run_lines(report)
    if report.pending:
        lines.insert(1, f"[bold]Pending[/bold]: {_e(', '.join(report.pending))}")
    emit_text(lines + _worktree_lines(worktree))


def show_abort(report: AbortReport, fmt: str = "text") -> None:
    """Show what `abort` undid."""
    if fmt == "json":
        emit_json(
            {
                "status": str(RunStatus.ABORTED),
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
