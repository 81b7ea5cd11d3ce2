"""`mergekit abort`: drop the run, remove its worktrees, put the result branch back where it was."""

from __future__ import annotations

from pathlib import Path

from mergekit.app.integrate.recovery import HEADS, move_result, recover
from mergekit.app.integrate.runner import culprits_worktree_path, is_registered, load_run
from mergekit.app.integrate.types import AbortReport
from mergekit.engine.repo import open_repo
from mergekit.engine.worktree import remove_worktree
from mergekit.state import run as run_state
from mergekit.state.run import MoveKind, RefMove


def abort_run(cwd: Path) -> AbortReport:
    """Drop the run: remove its worktree, put the result branch back where it was before the run.

    A result branch someone else moved since is left alone (and said so in the notes).
    """
    repo = open_repo(cwd)
    st = load_run(repo, "abort")
    ref = HEADS + st.result_branch
    notes = recover(repo, st, finish=False)
    removed = None
    # the branch first: when another git process holds its lock, nothing else has changed yet
    current = repo.ref_target(ref)
    if current == st.result_before:
        pass
    elif current != st.result_commit:
        notes.append(f"{st.result_branch} was moved by someone else (now {current}); left it alone")
    else:
        move_result(repo, st, RefMove(MoveKind.ABORT, current, st.result_before), "mergekit: abort")
    if st.worktree is not None:
        wt = Path(st.worktree)
        if wt.exists() or is_registered(repo, wt):
            remove_worktree(repo, wt)
            removed = st.worktree
    scratch = culprits_worktree_path(repo, st.result_branch)  # a culprit search killed half-way
    if scratch.exists() or is_registered(repo, scratch):
        remove_worktree(repo, scratch)
    run_state.clear(repo.common_dir)
    return AbortReport(
        result_branch=st.result_branch,
        restored_to=repo.ref_target(ref),
        removed_worktree=removed,
        notes=notes,
    )
