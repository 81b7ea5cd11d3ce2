"""How conflicted files that git merged without the installed driver are shown (`resolve`, `status`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mergekit.model import BypassReason

if TYPE_CHECKING:
    from mergekit.app.routing import Bypassed

WHY: dict[BypassReason, str] = {
    BypassReason.NOT_ROUTED: "its merge driver is configured, but no attribute routed these files to it",
    BypassReason.NOT_CONFIGURED: "the attributes name its merge driver, but this clone's git config lacks it",
}
"""Each reason, as said to people."""
SHOWN = 5
"""At most this many paths are named per reason."""


def bypassed_json(items: Sequence[Bypassed]) -> list[dict[str, Any]]:
    """`driver_bypassed` in the JSON: `[{path, reason}]`."""
    return [{"path": b.path, "reason": str(b.reason)} for b in items]


def bypassed_lines(items: Sequence[Bypassed]) -> list[str]:
    """One note per reason: which files, why mergekit was not involved, and what to run."""
    lines = []
    for reason, why in WHY.items():
        paths = [b.path for b in items if b.reason is reason]
        if not paths:
            continue
        named = ", ".join(paths[:SHOWN]) + (f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else "")
        lines.append(
            f"note: git merged {named} without mergekit ({why}); `mergekit doctor` says how to fix it."
        )
    return lines
