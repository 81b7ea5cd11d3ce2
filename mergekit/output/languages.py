"""How `mergekit languages` shows the language profiles: where each comes from (shipped or the
repository's `.mergekit/grammars/`), its files, what it unions, any problem; and, for each path
asked about, which profile it gets and why."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from mergekit.app.languages import LanguagesReport
from mergekit.output import emit_json, emit_text
from mergekit.resolve.repository import SHIPPED


def _e(value: object) -> str:
    return escape(str(value))


def languages_json(report: LanguagesReport) -> dict[str, Any]:
    """The JSON object of `mergekit languages --json`."""
    data: dict[str, Any] = {
        "profiles": [
            {
                "name": s.profile.name,
                "description": s.profile.description,
                "origin": s.origin,
                "globs": list(s.profile.globs),
                "grammar": s.profile.grammar,
                "containers": [{"name": c.name, "description": c.description} for c in s.profile.containers],
                "problems": report.problems.get(s.profile.name, []),
            }
            for s in report.profiles
        ]
    }
    if report.answers:
        data["paths"] = [
            {"path": p, "profile": a.profile.name if a.profile else None, "reason": a.reason}
            for p, a in report.answers
        ]
    return data


def show_languages(report: LanguagesReport, fmt: str = "text") -> None:
    """The profiles with their origin and problems, or the answer for each asked path."""
    if fmt == "json":
        emit_json(languages_json(report))
        return
    lines: list[str] = []
    if report.answers:
        for path, answer in report.answers:
            name = answer.profile.name if answer.profile else "plain line merge"
            lines.append(f"{_e(path)}: [bold]{_e(name)}[/bold] [dim]({_e(answer.reason)})[/dim]")
        emit_text(lines)
        return
    if not report.profiles:
        emit_text(["No language profiles installed: every file gets git's plain line merge."])
        return
    for s in report.profiles:
        p = s.profile
        origin = ""
        if s.origin != SHIPPED:
            replaces = ", replaces the shipped one" if s.replaces_shipped else ""
            origin = f" [cyan](from {_e(s.origin)}{replaces})[/cyan]"
        lines.append(f"{_e(p.name)} — {_e(p.description)}{origin}")
        lines.append(f"  files: {_e(' '.join(p.globs))}")
        lines += [f"  unions {_e(c.name)}: {_e(c.description)}" for c in p.containers]
        lines += [f"  [red]problem[/red]: {_e(x)}" for x in report.problems.get(p.name, [])]
        lines.append("")
    lines.append("Files matching no profile get git's plain line merge (byte for byte `git merge-file`).")
    emit_text(lines)
