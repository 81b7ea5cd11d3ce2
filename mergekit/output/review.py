"""How `mergekit review` is shown: each auto-resolution — where, which rule, what it added — and the
diff from git's line merge to what was committed."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from mergekit.app.review import Resolution, ReviewReport
from mergekit.output import emit_json, emit_text


def _e(value: object) -> str:
    return escape(str(value))


def _resolution_json(r: Resolution) -> dict[str, Any]:
    return {
        "commit": r.commit,
        "branch": r.branch,
        "path": r.path,
        "rule": r.rule,
        "added": list(r.added),
        "diff": r.diff,
    }


def review_json(report: ReviewReport) -> dict[str, Any]:
    """The JSON object of `mergekit review --json`."""
    return {
        "kind": report.kind,
        "target": report.target,
        "commits": report.commits,
        "resolutions": [_resolution_json(r) for r in report.resolutions],
    }


def show_review(report: ReviewReport, fmt: str = "text") -> None:
    """Each auto-resolution with its diff, or one JSON object."""
    if fmt == "json":
        emit_json(review_json(report))
        return
    what = f"run into {report.target}" if report.kind == "run" else f"merge commit {report.target}"
    lines = [f"[bold]mergekit review[/bold] — {_e(what)}: {len(report.resolutions)} auto-resolution(s)"]
    if not report.resolutions:
        lines.append("nothing was auto-resolved: every file is as git's own merge left it")
    for r in report.resolutions:
        where = f"commit {r.commit[:12]}" if r.commit else "paused step, in the hand-off worktree"
        lines.append("")
        lines.append(
            f"[bold]{_e(r.path)}[/bold] — merging {_e(r.branch)} ({where}) [cyan]{_e(r.rule)}[/cyan]"
        )
        if r.added:
            lines.append("  added: " + _e(", ".join(" ".join(a.split()) for a in r.added)))
        for line in r.diff.rstrip("\n").splitlines():
            color = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
            lines.append(f"  [{color}]{_e(line)}[/{color}]")
    if report.resolutions:
        lines.append("")
        lines.append(
            "[dim]to hand a file back to a person: mergekit undo PATH (in the worktree, or after the merge)"
            "[/dim]"
        )
    emit_text(lines)
