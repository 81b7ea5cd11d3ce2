"""How each status of `mergekit.model` is shown to people: one table per vocabulary, nowhere else."""

from __future__ import annotations

from dataclasses import dataclass

from mergekit.model import Outcome, RunStatus


@dataclass(frozen=True)
class Shown:
    """The ways one outcome is written."""

    color: str
    """rich color."""
    cell: str
    """In `check`'s matrix."""
    verdict: str
    """A pair's verdict (`check` text and JUnit)."""
    predicted: str
    """A step's predicted outcome (`plan`)."""
    label: str
    """A short label (Mermaid nodes, job summaries)."""
    icon: str
    """A Markdown symbol (job summaries)."""


OUTCOMES: dict[Outcome, Shown] = {
    Outcome.CLEAN: Shown("green", "ok", "merges cleanly", "merges cleanly", "clean", "✅"),
    Outcome.AUTO_RESOLVED: Shown(
        "yellow", "auto", "auto-resolved only", "auto-resolves", "auto-resolved", "🟡"
    ),
    Outcome.NEEDS_HUMAN: Shown("red", "HUMAN", "needs a human", "needs a human", "needs a human", "❌"),
    Outcome.ALREADY_MERGED: Shown("", "-", "already merged", "already merged", "already merged", "⏭"),
}
"""Each outcome, as shown."""

RUN_COLORS: dict[RunStatus, str] = {RunStatus.DONE: "green", RunStatus.RUNNING: "cyan"}
"""rich color of a run status (red when absent)."""


def markup(outcome: Outcome, text: str | None = None) -> str:
    """`text` (default: the predicted wording) in the outcome's color, as rich markup."""
    shown = OUTCOMES[outcome]
    words = shown.predicted if text is None else text
    return f"[{shown.color}]{words}[/{shown.color}]" if shown.color else words


def run_status(status: RunStatus) -> str:
    """A run status in its color, as rich markup."""
    color = RUN_COLORS.get(status, "red")
    return f"[{color}]{status}[/{color}]"
