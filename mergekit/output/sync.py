"""How `mergekit sync` is shown: what it did to the branch, or why a human is needed."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from mergekit.app.sync import SyncReport
from mergekit.model import SyncStatus
from mergekit.output import emit_json, emit_text


def _e(value: object) -> str:
    return escape(str(value))


def sync_json(report: SyncReport) -> dict[str, Any]:
    """The JSON object of `mergekit sync --json`."""
    return {
        "status": str(report.status),
        "branch": report.branch,
        "base": report.base,
        "before": report.before,
        "after": report.after,
        "base_commit": report.base_commit,
        "auto_resolved": [{"path": a.path, "rule": a.rule} for a in report.auto_resolved],
        "conflicts": [{"path": c.path, "kind": str(c.kind)} for c in report.conflicts],
        "worktree": report.worktree,
        "pushed": report.pushed,
    }


def sync_headline(report: SyncReport) -> str:
    """One line (rich markup) saying what sync did."""
    base, branch = _e(report.base), _e(report.branch)
    if report.status is SyncStatus.MERGED:
        return f"[green]merged[/green] {base} into {branch}: {report.after[:12]}"
    if report.status is SyncStatus.FAST_FORWARD:
        return f"[green]fast-forwarded[/green] {branch} to {base} ({report.after[:12]})"
    if report.status is SyncStatus.UP_TO_DATE:
        return f"{branch} already contains {base}: nothing to do"
    return f"[red]a human is needed[/red] to merge {base} into {branch}; nothing was committed"


def show_sync(report: SyncReport, fmt: str = "text") -> None:
    """What sync did (or why a human is needed)."""
    if fmt == "json":
        emit_json(sync_json(report))
        return
    lines = [sync_headline(report)]
    lines += [f"  auto-resolved {_e(a.path)} [dim]({_e(a.rule)})[/dim]" for a in report.auto_resolved]
    lines += [f"  [red]needs a human[/red]: {_e(c.path)} ({_e(c.kind)})" for c in report.conflicts]
    if report.conflicts:
        lines.append(f"  merge it yourself: git switch {_e(report.branch)} && git merge {_e(report.base)}")
    if report.worktree:
        lines.append(f"  the checkout in {_e(report.worktree)} followed the branch")
    if report.pushed:
        lines.append(f"  pushed to {_e(report.pushed)}")
    emit_text(lines)
