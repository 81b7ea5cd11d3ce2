"""Printers for the ecosystem commands: config, languages (with origins), review, undo and sync.

Text goes through `mergekit.console` (rich markup, plain when colours are off, nothing with
--quiet); `--json` prints one object. The use cases return values; only this module formats them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

from mergekit import console
from mergekit.config import BY_NAME, FILE_NAME, Setting, Settings
from mergekit.languages import Answer, SourcedProfile

if TYPE_CHECKING:
    from mergekit.review import ReviewReport
    from mergekit.sync import SyncReport
    from mergekit.undo import UndoReport


def _e(value: object) -> str:
    return escape(str(value))


def _shown(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return str(value)


def _json_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


# -- config ---------------------------------------------------------------------------------


def config_json(settings: Settings) -> dict[str, Any]:
    """The JSON object of `mergekit config --json`."""
    file = settings.file
    tables = file.foreign if file is not None else {}
    lines = file.foreign_lines if file is not None else {}
    return {
        "root": str(settings.root) if settings.root else None,
        "file": str(file.path) if file is not None else None,
        "settings": {
            s.name: {"value": _json_value(s.value), "source": s.source, "help": BY_NAME[s.name].help}
            for s in settings.effective()
        },
        "tables": {
            name: {"value": value, "source": f"{FILE_NAME}:{lines.get(name, 1)}"}
            for name, value in tables.items()
        },
    }


def print_config(settings: Settings, as_json: bool) -> None:
    """Show every key's effective value and its source."""
    if as_json:
        console.emit_json(config_json(settings))
        return
    file = settings.file
    where = str(file.path) if file is not None else f"no {FILE_NAME} (defaults and git config only)"
    lines = [f"[bold]mergekit config[/bold] — {_e(where)}"]
    rows = settings.effective()
    width = max(len(s.name) for s in rows)
    for s in rows:
        style = "dim" if s.source == "default" else "cyan"
        lines.append(f"  {_e(s.name):<{width}}  {_e(_shown(s.value))}  [{style}]({_e(s.source)})[/{style}]")
    if file is not None:
        for name in file.foreign:
            lines.append(
                f"  [{_e(name)}]  [dim](table at {FILE_NAME}:{file.foreign_lines.get(name, 1)})[/dim]"
            )
    lines.append("[dim]command-line options win over git config, which wins over the file[/dim]")
    console.emit_text(lines)


def print_config_value(setting: Setting, as_json: bool) -> None:
    """Show one key."""
    if as_json:
        console.emit_json(
            {"key": setting.name, "value": _json_value(setting.value), "source": setting.source}
        )
        return
    console.emit_text([_e(_shown(setting.value))])


# -- languages ------------------------------------------------------------------------------


def print_languages(
    profiles: list[SourcedProfile],
    problems: dict[str, list[str]],
    answers: list[tuple[str, Answer]],
    as_json: bool,
) -> None:
    """Show the profiles with their origin, any problems, and the answer for each asked path."""
    if as_json:
        data: dict[str, Any] = {
            "profiles": [
                {
                    "name": s.profile.name,
                    "description": s.profile.description,
                    "origin": s.origin,
                    "globs": list(s.profile.globs),
                    "grammar": s.profile.grammar,
                    "containers": [
                        {"name": c.name, "description": c.description} for c in s.profile.containers
                    ],
                    "problems": problems.get(s.profile.name, []),
                }
                for s in profiles
            ]
        }
        if answers:
            data["paths"] = [
                {"path": p, "profile": a.profile.name if a.profile else None, "reason": a.reason}
                for p, a in answers
            ]
        console.emit_json(data)
        return
    lines: list[str] = []
    if answers:
        for path, answer in answers:
            name = answer.profile.name if answer.profile else "plain line merge"
            lines.append(f"{_e(path)}: [bold]{_e(name)}[/bold] [dim]({_e(answer.reason)})[/dim]")
        console.emit_text(lines)
        return
    if not profiles:
        console.emit_text(["No language profiles installed: every file gets git's plain line merge."])
        return
    for s in profiles:
        p = s.profile
        origin = "" if s.origin == "shipped" else f" [cyan](from {_e(s.origin)}"
        if origin:
            origin += ", replaces the shipped one)[/cyan]" if s.replaces_shipped else ")[/cyan]"
        lines.append(f"{_e(p.name)} — {_e(p.description)}{origin}")
        lines.append(f"  files: {_e(' '.join(p.globs))}")
        for c in p.containers:
            lines.append(f"  unions {_e(c.name)}: {_e(c.description)}")
        lines += [f"  [red]problem[/red]: {_e(x)}" for x in problems.get(p.name, [])]
        lines.append("")
    lines.append("Files matching no profile get git's plain line merge (byte for byte `git merge-file`).")
    console.emit_text(lines)


# -- sync -----------------------------------------------------------------------------------


def print_sync(report: SyncReport, as_json: bool) -> None:
    """Show what sync did (or why a human is needed)."""
    if as_json:
        console.emit_json(report.to_json())
        return
    what = {
        "merged": f"[green]merged[/green] {_e(report.base)} into {_e(report.branch)}: {report.after[:12]}",
        "fast-forward": f"[green]fast-forwarded[/green] {_e(report.branch)} to {_e(report.base)} "
        f"({report.after[:12]})",
        "up-to-date": f"{_e(report.branch)} already contains {_e(report.base)}: nothing to do",
        "conflict": f"[red]a human is needed[/red] to merge {_e(report.base)} into {_e(report.branch)}; "
        "nothing was committed",
    }[report.status]
    lines = [what]
    lines += [f"  auto-resolved {_e(a['path'])} [dim]({_e(a['rule'])})[/dim]" for a in report.auto_resolved]
    lines += [f"  [red]needs a human[/red]: {_e(c['path'])} ({_e(c['kind'])})" for c in report.conflicts]
    if report.conflicts:
        lines.append(f"  merge it yourself: git switch {_e(report.branch)} && git merge {_e(report.base)}")
    if report.worktree:
        lines.append(f"  the checkout in {_e(report.worktree)} followed the branch")
    if report.pushed:
        lines.append(f"  pushed to {_e(report.pushed)}")
    console.emit_text(lines)


# -- review and undo ------------------------------------------------------------------------


def print_review(report: ReviewReport, as_json: bool) -> None:
    """Show each auto-resolution: where, which rule, what it added, and the diff."""
    if as_json:
        console.emit_json(report.to_json())
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
    console.emit_text(lines)


def print_undo(report: UndoReport, as_json: bool) -> None:
    """Say what was put back and what to do next."""
    if as_json:
        console.emit_json(report.to_json())
        return
    lines = [f"put back git's conflict in {_e(report.path)} ({report.conflicts} hunk(s), index stages 1/2/3)"]
    if report.run_branch:
        lines.append("the paused run waits for it: resolve it, `git add` it, then `mergekit continue`")
    elif report.after_commit:
        lines.append("resolve it, `git add` it, then `git commit --amend` to replace the merge's version")
    else:
        lines.append("resolve it and `git add` it, then finish the merge")
    console.emit_text(lines)
