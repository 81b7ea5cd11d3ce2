"""How `mergekit demo` narrates: the repository, the plan, the run, the hand-off to a human, and
the second run that resolves the same conflict from the resolution memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mergekit.model import RunStatus
from mergekit.output import emit_text, escape
from mergekit.output.plan import show_plan
from mergekit.output.run import show_run
from mergekit.workflow.recall import MEMORY_REF, MEMORY_RULE

if TYPE_CHECKING:
    from mergekit.app.demo import DemoResult


def _e(value: object) -> str:
    return escape(str(value))


def show_demo(result: DemoResult) -> None:
    """Narrate the whole demo."""
    scenario, run = result.scenario, result.run
    lines = [
        f"[bold]mergekit demo[/bold] — a scratch repository at {_e(scenario.path)}",
        _e(scenario.description),
        "[bold]Branches[/bold]: " + _e(", ".join(scenario.branches)),
    ]
    if scenario.shared_files:
        lines.append("[bold]Plain git would conflict on every merge after the first in[/bold]:")
        lines += [f"  {_e(p)} ({len(b)} branches)" for p, b in sorted(scenario.shared_files.items())]
    lines.append("")
    emit_text(lines)
    show_plan(result.plan)
    show_run(run)
    if run.status is not RunStatus.CONFLICT or not run.worktree:
        emit_text(["", "every branch merged without a human"])
    else:
        lines = ["", "[bold]The hand-off[/bold]: a genuine disagreement goes to a human, in its own worktree"]
        for path, text in result.handoff.items():
            lines.append(f"[bold]{_e(path)}[/bold] in {_e(run.worktree)}:")
            lines += ["  " + _e(line) for line in text.splitlines()]
        lines += [
            "A human would now run:",
            f"  cd {_e(run.worktree)}",
            "  git status            # You have unmerged paths",
            "  $EDITOR <file>        # or: git mergetool",
            "  git add <file>",
            "  mergekit continue     # commits the merge and goes on",
        ]
        emit_text(lines + memory_lines(result))
    if result.kept is not None:
        emit_text([f"kept the demo repository: {_e(result.kept)}"])
    else:
        emit_text(["cleaned up (pass --keep to explore the repository and the hand-off worktree)"])


def memory_lines(result: DemoResult) -> list[str]:
    """The second act: a person resolves the hand-off, mergekit remembers it, and a second run
    resolves the same conflict from memory."""
    run, continued, again = result.run, result.continued, result.rerun
    if continued is None:
        return []
    branch = run.conflicts[0].branch if run.conflicts else ""
    files = _e(", ".join(c.path for c in run.conflicts))
    lines = [
        "",
        f"[bold]A person resolves it[/bold] — here by keeping {_e(branch)}'s side of {files} — "
        "and runs `mergekit continue`:",
    ]
    lines += [f"  {_e(n)}" for n in continued.notes if "remembered" in n]
    lines.append(f"  status: {_e(continued.status)}")
    if again is None:
        return lines
    lines += [
        "",
        f"[bold]The agents re-run[/bold]: a second integration into {_e(again.result_branch)}, from scratch",
    ]
    recalled = [a for a in again.auto_resolved if a.rule == MEMORY_RULE]
    lines += [f"  {_e(a.branch)}: {_e(a.path)} [green]resolved from memory[/green]" for a in recalled]
    verdict = "no human needed this time" if again.status is RunStatus.DONE else f"status {again.status}"
    lines.append(f"  status: {_e(again.status)} — {verdict}")
    lines.append(
        f"[dim]the memory lives in {MEMORY_REF}: `mergekit memory list`, `mergekit memory forget`[/dim]"
    )
    return lines
