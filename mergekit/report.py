"""The only module that formats output: run reports, plans, checks, status and abort.

Formats: text (rich markup), JSON, GitHub workflow commands and job summaries, JUnit XML and
Mermaid (plans).

Text goes through rich when stdout is a terminal (and `MERGEKIT_NO_COLOR`/`NO_COLOR` are
unset), plain text otherwise; `--json` prints exactly one JSON object on stdout. Core modules
return values; the CLI hands them here.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from mergekit.check import CheckReport, FileCheck, PairCheck
from mergekit.collisions import Collision
from mergekit.integrate import AbortReport, PlanReport, RunReport
from mergekit.plan import Plan

_UNDECODED = re.compile("[\udc80-\udcff]")
"""A byte of a name that is not UTF-8, as Python and pygit2 hand it out (a surrogate escape)."""


def emit_json(data: dict[str, Any]) -> None:
    """Print one JSON object on stdout (a byte that is not UTF-8 appears as its `\\udcXX` escape)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(_UNDECODED.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


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
        "predicted": report.predicted,
        "collisions": [collision_json(c) for c in report.collisions],
    }


def print_plan(report: PlanReport, as_json: bool = False, fmt: str = "text") -> None:
    """Show the order with reasons, dependencies and the pairwise conflict matrix (text, json, mermaid)."""
    if as_json or fmt == "json":
        emit_json(plan_json(report))
    elif fmt == "mermaid":
        click.echo(plan_mermaid(report))
    else:
        lines = plan_lines(report.plan, report.base, report.empty)
        lines += predicted_lines(report)
        emit_text(lines)


_OUTCOME = {
    "clean": "[green]merges cleanly[/green]",
    "auto_resolved": "[yellow]auto-resolves[/yellow]",
    "needs_human": "[red]needs a human[/red]",
    "already merged": "already merged",
}


def predicted_lines(report: PlanReport) -> list[str]:
    """The predicted outcome of each merge in the planned order, and the semantic collisions."""
    lines: list[str] = []
    if report.predicted:
        lines.append("[bold]Predicted outcome in this order[/bold]")
        for i, step in enumerate(report.predicted, 1):
            line = f"  {i}. {_e(step['branch'])} — {_OUTCOME.get(step['outcome'], _e(step['outcome']))}"
            if step["auto_resolved"]:
                line += ": " + _e(", ".join(f"{a['path']} ({a['rule']})" for a in step["auto_resolved"]))
            lines.append(line)
            if step["conflicts"]:
                lines.append("     [red]human:[/red] " + _e(", ".join(c["path"] for c in step["conflicts"])))
    if report.collisions:
        lines.append("[bold yellow]Semantic collisions[/bold yellow] (warnings)")
        lines += [f"  {_e(f'[{c.kind}]')} {_e(c.message)}" for c in report.collisions]
    return lines


def _mm_label(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def plan_mermaid(report: PlanReport) -> str:
    """A Mermaid flowchart for a PR description: the merge order (thick arrows from BASE), the
    dependencies (dotted "built on" arrows), each merge's predicted outcome, and collisions."""
    plan = report.plan
    ids = {s.name: f"b{i}" for i, s in enumerate(plan.steps, 1)}
    outcome = {p["branch"]: p["outcome"] for p in report.predicted}
    lines = ["flowchart LR", f'  base[("{_mm_label(report.base)}")]']
    for i, step in enumerate(plan.steps, 1):
        status = outcome.get(step.name, "")
        suffix = {
            "clean": "clean",
            "auto_resolved": "auto-resolved",
            "needs_human": "needs a human",
            "already merged": "already merged",
        }.get(status, "")
        label = _mm_label(f"{i}. {step.name}") + (f"<br/>{suffix}" if suffix else "")
        lines.append(f'  {ids[step.name]}["{label}"]')
    previous = "base"
    for step in plan.steps:
        lines.append(f"  {previous} ==> {ids[step.name]}")
        previous = ids[step.name]
    for a, b in plan.dependencies:
        if a in ids and b in ids:
            lines.append(f"  {ids[a]} -. built on .-> {ids[b]}")
    seen: set[tuple[str, str]] = set()
    for c in report.collisions:
        pair = (c.ours, c.theirs)
        if c.ours in ids and c.theirs in ids and pair not in seen:
            seen.add(pair)
            kinds = sorted({x.kind for x in report.collisions if (x.ours, x.theirs) == pair})
            lines.append(f'  {ids[c.ours]} -. "⚠ {_mm_label(", ".join(kinds))}" .- {ids[c.theirs]}')
    lines += [
        "  classDef clean fill:#d4edda,stroke:#28a745",
        "  classDef auto fill:#fff3cd,stroke:#d39e00",
        "  classDef human fill:#f8d7da,stroke:#c82333",
    ]
    for cls, wanted in (("clean", "clean"), ("auto", "auto_resolved"), ("human", "needs_human")):
        members = [ids[n] for n, o in outcome.items() if o == wanted and n in ids]
        if members:
            lines.append(f"  class {','.join(members)} {cls}")
    return "\n".join(lines)


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


# -- check ----------------------------------------------------------------------------------

_CELL = {"clean": "ok", "auto_resolved": "auto", "needs_human": "HUMAN"}
_WORDS = {"clean": "merges cleanly", "auto_resolved": "auto-resolved only", "needs_human": "needs a human"}


def check_json(report: CheckReport) -> dict[str, Any]:
    """The JSON object of `mergekit check` (keys documented in the README, section "mergekit check")."""
    pairs = report.pairs
    return {
        "status": report.status,
        "passed": report.passed,
        "exit_code": report.exit_code,
        "strict": report.strict,
        "base": report.base,
        "base_commit": report.base_commit,
        "branches": [{"name": n, "commit": c} for n, c in report.branches],
        "summary": {
            "pairs": len(pairs),
            "clean": sum(p.status == "clean" for p in pairs),
            "auto_resolved": sum(p.status == "auto_resolved" for p in pairs),
            "needs_human": sum(p.status == "needs_human" for p in pairs),
            "collisions": len(report.collisions),
        },
        "pairs": [_pair_json(p) for p in pairs],
        "collisions": [collision_json(c) for c in report.collisions],
        "seconds": round(report.seconds, 3),
    }


def _pair_json(p: PairCheck) -> dict[str, Any]:
    return {
        "ours": p.ours,
        "theirs": p.theirs,
        "with_base": p.with_base,
        "ours_commit": p.ours_commit,
        "theirs_commit": p.theirs_commit,
        "merge_base": p.merge_base,
        "status": p.status,
        "note": p.note,
        "auto_resolved": [{"path": f.path, "rule": f.rule} for f in p.auto_resolved],
        "conflicts": [
            {
                "path": f.path,
                "kind": f.kind,
                "hunks": [
                    {
                        "ours_line": h.ours_line,
                        "ours_lines": h.ours_lines,
                        "theirs_line": h.theirs_line,
                        "theirs_lines": h.theirs_lines,
                    }
                    for h in f.hunks
                ],
            }
            for f in p.human
        ],
        "collisions": len(p.collisions),
    }


def collision_json(c: Collision) -> dict[str, Any]:
    """One collision as a JSON object."""
    return {
        "rule": c.rule,
        "kind": c.kind,
        "key": c.key,
        "ours": c.ours,
        "theirs": c.theirs,
        "ours_path": c.ours_site.path,
        "ours_line": c.ours_site.line,
        "ours_target": c.ours_site.target,
        "theirs_path": c.theirs_site.path,
        "theirs_line": c.theirs_site.line,
        "theirs_target": c.theirs_site.target,
        "message": c.message,
    }


def _pair_label(p: PairCheck) -> str:
    return f"{p.theirs} into {p.ours}" if p.with_base else f"{p.ours} + {p.theirs}"


def _hunk_text(f: FileCheck) -> str:
    if not f.hunks:
        return f.kind
    spots = ", ".join(f"ours {h.ours_line} / theirs {h.theirs_line}" for h in f.hunks)
    return f"{f.kind}; lines {spots}"


def check_lines(report: CheckReport) -> list[str]:
    """The human form: a matrix (rows BASE and branches, columns branches), then the details."""
    names = [n for n, _ in report.branches]
    lines = [
        f"[bold]mergekit check[/bold]: {len(names)} branch{'es' if len(names) != 1 else ''} "
        f"into {_e(report.base)} ({_short(report.base_commit)})"
    ]
    for i, name in enumerate(names, 1):
        lines.append(f"  {i:>2}  {_e(name)}")
    cell: dict[tuple[str, str], PairCheck] = {(p.ours, p.theirs): p for p in report.pairs}
    rows = [report.base, *names]
    labels = ["BASE"] + [str(i) for i in range(1, len(names) + 1)]
    width = 7
    lines.append("")
    lines.append(" " * 6 + "".join(f"{i!s:>{width}}" for i in range(1, len(names) + 1)))
    for row, label in zip(rows, labels, strict=True):
        cells = []
        for col in names:
            pair = cell.get((row, col)) if row != col else None
            if pair is None:
                cells.append(f"{'-':>{width}}")
                continue
            mark = _CELL[pair.status] + ("!" if pair.collisions else "")
            color = {"clean": "green", "auto_resolved": "yellow", "needs_human": "red"}[pair.status]
            cells.append(f"[{color}]{mark:>{width}}[/{color}]")
        lines.append(f"{label:>5} " + "".join(cells))
    lines.append(
        "[dim]ok = merges cleanly, auto = auto-resolved only, HUMAN = needs a human, "
        "! = semantic collision[/dim]"
    )
    human = [p for p in report.pairs if p.status == "needs_human"]
    auto = [p for p in report.pairs if p.status == "auto_resolved"]
    if human:
        lines.append("[bold red]Needs a human[/bold red]")
        for p in human:
            lines.append(f"  {_e(_pair_label(p))}")
            lines += [f"    {_e(f.path)} ({_e(_hunk_text(f))})" for f in p.human]
            lines += [f"    [dim]{_e(f.path)} auto-resolved ({_e(f.rule)})[/dim]" for f in p.auto_resolved]
    if auto:
        lines.append("[bold]Auto-resolved only[/bold]")
        for p in auto:
            files = ", ".join(f"{f.path} ({f.rule})" for f in p.auto_resolved)
            lines.append(f"  {_e(_pair_label(p))}: {_e(files)}")
    if report.collisions:
        what = "errors, --strict" if report.strict else "warnings; --strict fails on them"
        lines.append(f"[bold yellow]Semantic collisions[/bold yellow] ({what})")
        lines += [f"  {_e(f'[{c.kind}]')} {_e(c.message)}" for c in report.collisions]
    verdict = "[green]PASS[/green]" if report.passed else "[red]FAIL[/red]"
    counts = ", ".join(
        f"{sum(p.status == s for p in report.pairs)} {_WORDS[s]}"
        for s in ("clean", "auto_resolved", "needs_human")
    )
    lines.append(
        f"[bold]Result[/bold]: {verdict} — {len(report.pairs)} pairs: {counts}; "
        f"{len(report.collisions)} collision{'s' if len(report.collisions) != 1 else ''} "
        f"({report.seconds:.2f}s)"
    )
    return lines


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _gh(level: str, path: str, line: int, title: str, message: str, end_line: int | None = None) -> str:
    props = f"file={_gh_prop(path)},line={line}"
    if end_line is not None and end_line > line:
        props += f",endLine={end_line}"
    return f"::{level} {props},title={_gh_prop(title)}::{_gh_data(message)}"


def github_lines(report: CheckReport) -> list[str]:
    """GitHub workflow commands: `::error` per conflict hunk, `::warning` per collision (`::error`
    with --strict), `::notice` per auto-resolved file, and a closing summary line."""
    out: list[str] = []
    for p in report.pairs:
        side = p.annotated_side
        for f in p.human:
            message = f"{f.path} needs a human when merging {_pair_label(p)} ({f.kind})"
            if not f.hunks:
                out.append(_gh("error", f.path, 1, "mergekit: needs a human", message))
            for h in f.hunks:
                line, count = (
                    (h.theirs_line, h.theirs_lines) if side == "theirs" else (h.ours_line, h.ours_lines)
                )
                out.append(
                    _gh(
                        "error",
                        f.path,
                        line,
                        "mergekit: needs a human",
                        f"{message}: {p.ours} lines {h.ours_line}-{h.ours_line + max(h.ours_lines, 1) - 1}, "
                        f"{p.theirs} lines {h.theirs_line}-{h.theirs_line + max(h.theirs_lines, 1) - 1}",
                        end_line=line + count - 1 if count else None,
                    )
                )
        for f in p.auto_resolved:
            out.append(
                f"::notice file={_gh_prop(f.path)},title={_gh_prop('mergekit: auto-resolved')}::"
                + _gh_data(f"{f.path} auto-resolved ({f.rule}) when merging {_pair_label(p)}")
            )
    level = "error" if report.strict else "warning"
    for c in report.collisions:
        site = c.theirs_site
        out.append(_gh(level, site.path, site.line, f"mergekit: {c.kind} collision", c.message))
    verdict = "passed" if report.passed else "failed"
    out.append(
        f"mergekit check {verdict}: {len(report.pairs)} pairs, "
        f"{sum(p.status == 'needs_human' for p in report.pairs)} need a human, "
        f"{sum(p.status == 'auto_resolved' for p in report.pairs)} auto-resolved, "
        f"{len(report.collisions)} collisions"
    )
    return out


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def github_summary(report: CheckReport) -> str:
    """A Markdown job summary (for `$GITHUB_STEP_SUMMARY`)."""
    icon = {"clean": "✅ clean", "auto_resolved": "🟡 auto-resolved", "needs_human": "❌ needs a human"}
    verdict = "✅ passed" if report.passed else "❌ failed"
    lines = [
        f"## mergekit check {verdict}",
        "",
        f"{len(report.branches)} branches into `{_md(report.base)}` ({report.base_commit[:12]})",
        "",
        "| ours | theirs | outcome | files |",
        "| --- | --- | --- | --- |",
    ]
    for p in report.pairs:
        files = [f"`{_md(f.path)}` ({_md(_hunk_text(f))})" for f in p.human]
        files += [f"`{_md(f.path)}` ({_md(f.rule or '')})" for f in p.auto_resolved]
        extra = f" ⚠️ {len(p.collisions)} collision(s)" if p.collisions else ""
        shown = "<br>".join(files) or _md(p.note)
        lines.append(f"| `{_md(p.ours)}` | `{_md(p.theirs)}` | {icon[p.status]}{extra} | {shown} |")
    if report.collisions:
        lines += [
            "",
            "### Semantic collisions" + (" (fail with --strict)" if report.strict else " (warnings)"),
            "",
        ]
        lines += [f"- **{_md(c.kind)}** {_md(c.message)}" for c in report.collisions]
    return "\n".join(lines) + "\n"


def junit_xml(report: CheckReport) -> str:
    """JUnit XML: one test case per pair; a pair needing a human is a failure (so is a collision
    with --strict; without it collisions go to the case's system-out)."""
    import xml.etree.ElementTree as ET

    failures = 0
    suite = ET.Element("testsuite", name="mergekit check", timestamp="", hostname="")
    for p in report.pairs:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"mergekit.check.{p.ours}",
            name=_pair_label(p),
            time=f"{p.seconds:.3f}",
        )
        out_lines: list[str] = [f"{p.status}: {_WORDS[p.status]}" + (f" ({p.note})" if p.note else "")]
        out_lines += [f"auto-resolved {f.path} ({f.rule})" for f in p.auto_resolved]
        if p.human:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=f"needs a human: {', '.join(f.path for f in p.human)}",
                type="conflict",
            )
            failure.text = "\n".join(f"{f.path}: {_hunk_text(f)}" for f in p.human)
        elif p.collisions and report.strict:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=f"{len(p.collisions)} semantic collision(s)", type="collision"
            )
            failure.text = "\n".join(c.message for c in p.collisions)
        if p.collisions and not (report.strict and not p.human):
            out_lines += [f"warning: {c.message}" for c in p.collisions]
        ET.SubElement(case, "system-out").text = "\n".join(out_lines)
    suite.set("tests", str(len(report.pairs)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.set("time", f"{report.seconds:.3f}")
    del suite.attrib["timestamp"], suite.attrib["hostname"]
    root = ET.Element(
        "testsuites", name="mergekit", tests=str(len(report.pairs)), failures=str(failures), errors="0"
    )
    root.set("time", f"{report.seconds:.3f}")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def print_check(report: CheckReport, fmt: str) -> None:
    """Show a check report in `fmt`: text, json, github or junit."""
    if fmt == "json":
        emit_json(check_json(report))
    elif fmt == "github":
        click.echo("\n".join(github_lines(report)))
    elif fmt == "junit":
        click.echo(junit_xml(report), nl=False)
    else:
        emit_text(check_lines(report))
