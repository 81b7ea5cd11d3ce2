"""Texts mergekit writes into git: merge commit messages, with the audit trail of auto-resolutions.

Each auto-resolved file is listed in its merge commit's message with what the resolver added,
region by region, so the resolution can be reviewed later with `git log`. The same one-line
description is the `detail` of `auto_resolved[]` in the JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

from mergekit.model import AutoResolved
from mergekit.resolve.types import HunkReport

_SEPARATOR = " | "


def describe(hunks: Sequence[HunkReport]) -> str:
    """One part per unioned region: the rule, what was done, and the entries added."""
    parts = []
    for hunk in hunks:
        if not hunk.resolved:
            continue
        before = set(hunk.base_items)
        added = [item for item in hunk.merged_items if item not in before]
        shown = ", ".join(a if len(a) <= 60 else a[:57] + "..." for a in added[:8])
        more = f" and {len(added) - 8} more" if len(added) > 8 else ""
        parts.append(f"{hunk.rule}: {hunk.reason}; added {shown or 'nothing'}{more}")
    return _SEPARATOR.join(parts)


def step_message(
    branch: str, result_branch: str, subjects: Sequence[str] | None, auto: Sequence[AutoResolved]
) -> str:
    """The commit message of one step: a merge (`subjects` None) or a squash listing `subjects`."""
    if subjects is not None:
        lines = [f"Squash branch '{branch}' into {result_branch}", ""]
        lines += [f"* {s}" for s in subjects]
    else:
        lines = [f"Merge branch '{branch}' into {result_branch}"]
    if auto:
        lines += ["", "mergekit auto-resolved:"]
        for row in auto:
            lines.append(f"  {row.path} ({row.rule})")
            lines += [f"    {part}" for part in row.detail.split(_SEPARATOR) if part]
    return "\n".join(lines) + "\n"
