"""Formatting for the workflow features (part of the reporting layer, beside `mergekit.report`).

Patch inputs, branches built on the wrong base, test culprits and the resolution memory, as
rich-markup text lines, GitHub workflow commands and JSON objects. `mergekit.report` calls
these from its run, plan and check printers; `mergekit memory` calls them directly.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from rich.markup import escape

from mergekit.workflow.memory import MEMORY_REF, MemoryEntry
from mergekit.workflow.prepare import Prepared

_KIND = {"missing-foundation": "lacks its foundation", "stale": "stale base"}
_OUTCOME = {True: "[red]fails[/red]", False: "[green]passes[/green]"}


def _e(value: object) -> str:
    return escape(str(value))


def findings_lines(findings: Sequence[dict[str, Any]]) -> list[str]:
    """The `Wrong base` section: one finding per branch and its fix."""
    if not findings:
        return []
    lines = ["[bold yellow]Wrong base[/bold yellow]"]
    for f in findings:
        done = " [green](rebased in memory)[/green]" if f.get("rebased") else ""
        lines.append(f"  {_e(f['branch'])}: {_e(_KIND.get(f['kind'], f['kind']))}{done}")
        lines.append(f"    {_e(f['detail'])}")
    return lines


def run_lines(
    base_findings: Sequence[dict[str, Any]],
    culprits: Sequence[str],
    dropped: Sequence[str],
    test_runs: Sequence[dict[str, Any]],
) -> list[str]:
    """A run's wrong-base findings, culprits, dropped branches and culprit-search test runs."""
    lines = findings_lines(base_findings)
    if culprits:
        word = "Fails alone" if len(culprits) == 1 else "Fails together"
        lines.append(f"[bold red]{word}[/bold red]: {_e(' + '.join(culprits))}")
    if test_runs:
        plural = "s" if len(test_runs) != 1 else ""
        lines.append(f"[bold]Culprit search[/bold]: {len(test_runs)} test run{plural}")
        for run in test_runs:
            outcome = _OUTCOME.get(run["failed"], "not tested (needs a human)")
            names = " + ".join(run["branches"]) or "BASE"
            where = f"  [dim]{_e(run['log'])}[/dim]" if run.get("log") else ""
            lines.append(f"  {_e(names)}: {outcome}{where}")
    if dropped:
        names = _e(", ".join(dropped))
        lines.append(f"[bold yellow]Dropped[/bold yellow] (--drop-failing, not merged): {names}")
    return lines


def prepared_lines(prepared: Prepared | None) -> list[str]:
    """Patch inputs (applied or not) and wrong-base findings, for `plan` and `check`."""
    if prepared is None:
        return []
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
    lines += findings_lines(prepared.findings_json())
    lines += [f"[yellow]note[/yellow]: {_e(r.note)}" for r in prepared.rebased]
    return lines


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github_findings(findings: Sequence[dict[str, Any]], strict: bool) -> list[str]:
    """A workflow annotation per wrong-base finding (`::error` with --strict, else `::warning`),
    on the first file that makes it matter."""
    level = "error" if strict else "warning"
    out = []
    for f in findings:
        title = f"mergekit: {f['branch']} {_KIND.get(f['kind'], f['kind'])}"
        where = f"file={_gh_prop(f['files'][0])},line=1," if f.get("files") else ""
        out.append(f"::{level} {where}title={_gh_prop(title)}::{_gh_data(f['detail'])}")
    return out


# -- mergekit memory --------------------------------------------------------------------------


def memory_json(entries: Sequence[MemoryEntry], removed: bool = False) -> dict[str, Any]:
    """The JSON object of `mergekit memory list` (or `forget`: the entries removed)."""
    return {"ref": MEMORY_REF, "removed" if removed else "entries": [e.to_json() for e in entries]}


def memory_lines(entries: Sequence[MemoryEntry], removed: bool = False) -> list[str]:
    """One block per remembered resolution: key, file, sides, when, and what it became."""
    if not entries:
        return ["nothing forgotten" if removed else f"no remembered resolutions ({MEMORY_REF} is empty)"]
    head = "Forgot" if removed else "Remembered resolutions"
    lines = [f"[bold]{head}[/bold] ({len(entries)}, in {MEMORY_REF})"]
    for e in sorted(entries, key=lambda x: (x.path, x.key)):
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(e.recorded_at)) if e.recorded_at else "-"
        sides = f"{e.ours_label or 'ours'} + {e.theirs_label or 'theirs'}"
        lines.append(f"  [cyan]{e.key[:12]}[/cyan]  {_e(e.path)}  [dim]({_e(sides)}, {when} UTC)[/dim]")
        for label, text in (("ours", e.ours), ("theirs", e.theirs), ("became", e.resolution)):
            shown = text.strip().splitlines()
            first = shown[0] if shown else "(nothing)"
            more = f" [dim](+{len(shown) - 1} lines)[/dim]" if len(shown) > 1 else ""
            lines.append(f"      {label:<7}{_e(first)}{more}")
    if not removed:
        share = f"git push origin {MEMORY_REF}"
        lines.append(f"[dim]forget one with `mergekit memory forget KEY`; share them: {share}[/dim]")
    return lines


# -- mergekit demo ----------------------------------------------------------------------------


def demo_memory_lines(branch: str, paths: Sequence[str], continued: Any, again: Any) -> list[str]:
    """Narrate the demo's second act: a person resolves the hand-off, mergekit remembers it, and
    a second run resolves the same conflict from memory. `continued` and `again` are run reports."""
    files = _e(", ".join(paths))
    lines = [
        "",
        f"[bold]A person resolves it[/bold] — here by keeping {_e(branch)}'s side of {files} — "
        "and runs `mergekit continue`:",
    ]
    lines += [f"  {_e(n)}" for n in continued.notes if "remembered" in n]
    lines.append(f"  status: {_e(continued.status)}")
    lines.append("")
    lines.append(
        f"[bold]The agents re-run[/bold]: a second integration into {_e(again.result_branch)}, from scratch"
    )
    recalled = [a for a in again.auto_resolved if a["rule"] == "memory"]
    lines += [f"  {_e(a['branch'])}: {_e(a['path'])} [green]resolved from memory[/green]" for a in recalled]
    verdict = "no human needed this time" if again.status == "done" else f"status {again.status}"
    lines.append(f"  status: {_e(again.status)} — {verdict}")
    lines.append(
        f"[dim]the memory lives in {MEMORY_REF}: `mergekit memory list`, `mergekit memory forget`[/dim]"
    )
    return lines
