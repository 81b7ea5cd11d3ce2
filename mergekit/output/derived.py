"""How derived files are spoken of in a run's notes: a file a tool could not regenerate, and what to run.

The words name the file, why it was not regenerated (its tool is not on PATH, an input still
needs a human, the command failed with this output) and the command a person runs instead
(`Job.hint`). The commit message's list of regenerated files is in `mergekit.output.commit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mergekit.derived.run import JobResult
    from mergekit.merging import Regeneration


def stale_notes(regeneration: Regeneration) -> list[str]:
    """Notes for the derived files of a step that its tools do not regenerate (blocked, tool missing)."""
    notes = [f"{job.label}: once its inputs are settled, {job.hint()}" for job in regeneration.blocked]
    notes += [
        f"{job.label} may be stale: {job.tool} is not on PATH — {job.hint()}" for job in regeneration.missing
    ]
    return notes


def failed_notes(results: Sequence[JobResult]) -> list[str]:
    """Notes for the jobs whose command failed: the first line of why, and what to run instead."""
    notes = []
    for result in results:
        if result.ok:
            continue
        why = result.error.splitlines()[0] if result.error else "failed"
        notes.append(f"{result.job.label}: {why} — {result.job.hint()}")
    return notes
