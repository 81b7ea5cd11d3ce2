"""`mergekit status`: where the run in progress stands."""

from __future__ import annotations

from pathlib import Path

from mergekit.app.integrate.recovery import interrupted_note
from mergekit.app.integrate.runner import report_of
from mergekit.app.integrate.types import RunReport
from mergekit.engine.repo import open_repo
from mergekit.engine.worktree import inspect_worktree
from mergekit.model import RunStatus
from mergekit.state import run as run_state


def run_status(cwd: Path) -> RunReport | None:
    """Where the run in progress stands (None when there is none)."""
    repo = open_repo(cwd)
    st = run_state.load(repo.common_dir)
    if st is None:
        return None
    report = report_of(st, st.status)
    interrupted = interrupted_note(st)
    if interrupted is not None:
        report.notes.append(interrupted)
    if (
        st.paused is not None
        and st.status is RunStatus.CONFLICT
        and st.worktree
        and Path(st.worktree).is_dir()
    ):
        unresolved = set(inspect_worktree(Path(st.worktree)).unmerged)
        report.notes.append(
            f"{len(unresolved)} of {len(st.paused.conflicts)} conflicted files still unmerged"
            if unresolved
            else "all conflicts staged — run `mergekit continue`"
        )
    return report
