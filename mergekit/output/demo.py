"""How `mergekit demo` narrates: the repository, the plan, the run, and the hand-off to a human."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from mergekit.model import RunStatus
from mergekit.output import emit_text
from mergekit.output.plan import show_plan
from mergekit.output.run import show_run

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
        emit_text(lines)
    if result.kept is not None:
        emit_text([f"kept the demo repository: {_e(result.kept)}"])
    else:
        emit_text(["cleaned up (pass --keep to explore the repository and the hand-off worktree)"])
