"""How a plan is shown: the order with reasons, dependencies, the pairwise matrix, the predicted
outcome in order, the collisions, patch inputs and branches built on the wrong base — as text,
one JSON object, or a Mermaid flowchart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mergekit.model import Outcome
from mergekit.output import emit_json, emit_text, escape, write
from mergekit.output.collisions import collision_json, collision_message
from mergekit.output.words import OUTCOMES, markup
from mergekit.output.workflow import findings_json, patches_json, prepared_lines
from mergekit.plan import Plan

if TYPE_CHECKING:
    from mergekit.app.plan import PlanReport


def _e(value: object) -> str:
    return escape(str(value))


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
        "predicted": [
            {
                "branch": step.branch,
                "outcome": str(step.outcome),
                "auto_resolved": [{"path": a.path, "rule": a.rule} for a in step.auto_resolved],
                "conflicts": [{"path": c.path, "kind": str(c.kind)} for c in step.conflicts],
            }
            for step in report.predicted
        ],
        "collisions": [collision_json(c) for c in report.collisions],
        "base_findings": findings_json(report.inputs.wrong_base()),
        "patches": patches_json(report.inputs),
    }


def show_plan(report: PlanReport, fmt: str = "text") -> None:
    """Show the plan in `fmt`: text, json or mermaid."""
    if fmt == "json":
        emit_json(plan_json(report))
    elif fmt == "mermaid":
        write(plan_mermaid(report) + "\n")
    else:
        lines = plan_lines(report.plan, report.base, report.empty) + prepared_lines(report.inputs)
        emit_text(lines + predicted_lines(report))


def predicted_lines(report: PlanReport) -> list[str]:
    """The predicted outcome of each merge in the planned order, and the semantic collisions."""
    lines: list[str] = []
    if report.predicted:
        lines.append("[bold]Predicted outcome in this order[/bold]")
        for i, step in enumerate(report.predicted, 1):
            line = f"  {i}. {_e(step.branch)} — {markup(step.outcome)}"
            settled = _e(", ".join(f"{a.path} ({a.rule})" for a in step.auto_resolved))
            if step.auto_resolved and not step.conflicts:
                line += ": " + settled
            lines.append(line)
            if step.conflicts:  # the files the human gets, and apart from them what settles itself
                lines.append("     [red]human:[/red] " + _e(", ".join(c.path for c in step.conflicts)))
                if step.auto_resolved:
                    lines.append("     auto-resolved: " + settled)
    if report.collisions:
        lines.append("[bold yellow]Semantic collisions[/bold yellow] (warnings)")
        lines += [f"  {_e(f'[{c.kind}]')} {_e(collision_message(c))}" for c in report.collisions]
    return lines


def _mm_label(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


_MERMAID_CLASSES = {Outcome.CLEAN: "clean", Outcome.AUTO_RESOLVED: "auto", Outcome.NEEDS_HUMAN: "human"}


def plan_mermaid(report: PlanReport) -> str:
    """A Mermaid flowchart for a PR description: the merge order (thick arrows from BASE), the
    dependencies (dotted "built on" arrows), each merge's predicted outcome, and collisions."""
    plan = report.plan
    ids = {s.name: f"b{i}" for i, s in enumerate(plan.steps, 1)}
    outcome = {p.branch: p.outcome for p in report.predicted}
    lines = ["flowchart LR", f'  base[("{_mm_label(report.base)}")]']
    for i, step in enumerate(plan.steps, 1):
        status = outcome.get(step.name)
        suffix = OUTCOMES[status].label if status is not None else ""
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
    for wanted, cls in _MERMAID_CLASSES.items():
        members = [ids[n] for n, o in outcome.items() if o is wanted and n in ids]
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
