"""`mergekit continue`: go on after a human resolved (and `git add`ed) in the run's worktree, or fixed
a failing test there."""

from __future__ import annotations

from pathlib import Path

from mergekit.app.integrate.recovery import recover
from mergekit.app.integrate.runner import Runner, load_run
from mergekit.app.integrate.types import RunReport
from mergekit.engine.repo import open_repo


def continue_run(cwd: Path) -> RunReport:
    """Take over the paused step and go on with the remaining branches."""
    repo = open_repo(cwd)
    st = load_run(repo, "continue")
    notes = recover(repo, st, finish=True)
    runner = Runner(repo, st)
    runner.notes.extend(notes)
    return runner.resume()
