"""How `mergekit undo` is shown: what was put back, and what to do next."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from mergekit.app.undo import UndoReport
from mergekit.output import emit_json, emit_text


def undo_json(report: UndoReport) -> dict[str, Any]:
    """The JSON object of `mergekit undo --json`."""
    return {
        "status": "conflict",
        "path": report.path,
        "root": str(report.root),
        "ours": report.ours,
        "theirs": report.theirs,
        "base": report.base,
        "conflicts": report.conflicts,
        "after_commit": report.after_commit,
        "run_branch": report.run_branch,
    }


def show_undo(report: UndoReport, fmt: str = "text") -> None:
    """Say what was put back and what to do next."""
    if fmt == "json":
        emit_json(undo_json(report))
        return
    lines = [
        f"put back git's conflict in {escape(report.path)} ({report.conflicts} hunk(s), index stages 1/2/3)"
    ]
    if report.run_branch:
        lines.append("the paused run waits for it: resolve it, `git add` it, then `mergekit continue`")
    elif report.after_commit:
        lines.append("resolve it, `git add` it, then `git commit --amend` to replace the merge's version")
    else:
        lines.append("resolve it and `git add` it, then finish the merge")
    emit_text(lines)
