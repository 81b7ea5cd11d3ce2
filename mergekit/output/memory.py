"""How `mergekit memory list|forget` shows the resolution memory: one block per remembered
resolution (key, file, both sides, what they became), or one JSON object."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mergekit.output import emit_json, emit_text, escape
from mergekit.workflow.recall import MEMORY_REF

if TYPE_CHECKING:
    from mergekit.app.memory import MemoryEntry


def _e(value: object) -> str:
    return escape(str(value))


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


def show_memory(entries: Sequence[MemoryEntry], fmt: str = "text", removed: bool = False) -> None:
    """Show remembered (or, with `removed`, forgotten) resolutions in `fmt`: text or json."""
    if fmt == "json":
        emit_json(memory_json(entries, removed))
    else:
        emit_text(memory_lines(entries, removed))
