"""How `mergekit resolve` is shown: one line per conflicted file (and `--explain`), or one JSON object."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from mergekit.model import ResolveStatus, RunStatus
from mergekit.output import emit_json, emit_lines
from mergekit.output.bypassed import bypassed_json, bypassed_lines
from mergekit.output.explain import explain_lines

if TYPE_CHECKING:
    from mergekit.app.resolve_worktree import FileOutcome, ResolveReport


def _file_json(outcome: FileOutcome, explain: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": outcome.path,
        "status": str(outcome.status),
        "rule": outcome.rule,
        "conflicts": outcome.conflicts,
        "reason": outcome.reason,
        "added": outcome.added,
    }
    if explain:
        hunks = outcome.resolution.hunks if outcome.resolution else ()
        data["hunks"] = [asdict(h) for h in hunks]
    return data


def resolve_json(report: ResolveReport, explain: bool = False) -> dict[str, Any]:
    """The JSON object of `mergekit resolve`."""
    return {
        "status": str(RunStatus.CONFLICT if report.needs_human else RunStatus.DONE),
        "root": str(report.root),
        "resolved": [f.path for f in report.files if f.status is ResolveStatus.RESOLVED],
        "conflicts": [f.path for f in report.files if f.status is not ResolveStatus.RESOLVED],
        "files": [_file_json(f, explain) for f in report.files],
        "driver_bypassed": bypassed_json(report.bypassed),
    }


def show_resolve(
    report: ResolveReport, fmt: str = "text", *, explain: bool = False, added: bool = False
) -> None:
    """What `resolve` did with each conflicted file, and what to do next."""
    if fmt == "json":
        emit_json(resolve_json(report, explain))
        return
    if not report.files:
        emit_lines(["No conflicted files: nothing to resolve."])
        return
    width = max(len(f.path) for f in report.files)
    lines = []
    for outcome in report.files:
        note = " (added)" if outcome.added else ""
        lines.append(f"{outcome.status:<9} {outcome.path:<{width}}  {outcome.reason}{note}")
        if explain and outcome.resolution is not None:
            lines += [
                "    " + line.removeprefix("mergekit: ")
                for line in explain_lines(outcome.resolution, outcome.path)
            ]
    resolved = [f.path for f in report.files if f.status is ResolveStatus.RESOLVED]
    lines.append(f"{len(resolved)} of {len(report.files)} conflicted files resolved.")
    if resolved and not added:
        lines.append("Review them, then `git add` them (or run `mergekit resolve --add`).")
    if report.needs_human:
        lines.append("The others need you: edit them, `git add` them, then commit.")
    lines += bypassed_lines(report.bypassed)
    emit_lines(lines)
