"""Texts mergekit writes into git: merge commit messages, with the audit trail of auto-resolutions.

Each auto-resolved file is listed in its merge commit's message with what the resolver added,
region by region, so the resolution can be reviewed later with `git log`. The same one-line
description is the `detail` of `auto_resolved[]` in the JSON. Files the project's tools
regenerated (lockfiles) are listed with the command that wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mergekit.model import AutoResolved
from mergekit.resolve.types import HunkReport

if TYPE_CHECKING:
    from mergekit.derived.run import JobResult

_SEPARATOR = " | "
AUTO_RESOLVED_HEADER = "mergekit auto-resolved:"
"""The line that opens the audit trail in a merge commit's message (`mergekit review` reads it)."""


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
        lines += ["", AUTO_RESOLVED_HEADER]
        for row in auto:
            lines.append(f"  {row.path} ({row.rule})")
            lines += [f"    {part}" for part in row.detail.split(_SEPARATOR) if part]
    return "\n".join(lines) + "\n"


def regenerated_message(results: Sequence[JobResult]) -> str:
    """The lines a step's commit message gets for its derived files: which command wrote which file."""
    done = [r for r in results if r.ok]
    if not done:
        return ""
    lines = ["", "mergekit regenerated:"]
    for r in done:
        where = f" in {r.job.workdir}" if r.job.workdir else ""
        changed = ", ".join(sorted(r.files)) or f"{r.job.label} (unchanged)"
        lines.append(f"  {changed} with `{r.command}`{where}")
    return "\n".join(lines) + "\n"
