"""Moving the result branch so that a kill at any moment can be picked up by mergekit's own commands.

Every move of the result branch (start, each step, the fix after a final test, the rebuild
without a branch `--drop-failing` leaves out, abort) goes through `move_result`: the move is
recorded in run.json (`RefMove`: from where to where, and the process making it), then made,
then applied to the state and the record cleared, in one save. A process killed in between
leaves the record, and the next `continue` or `abort` settles it with `recover` before doing
anything else:

- the branch already holds the move's target: the step was made; its bookkeeping is done now;
- the branch is still where the move started: `continue` makes the move (its commit exists and
  was tested when asked), `abort` forgets it;
- anywhere else: someone else moved the branch; the record is dropped and the command's own
  compare-and-swap says so.

`continue` also writes `refs/mergekit/memory` (a person's resolutions, `mergekit.app.memory`); that
write is recorded the same way (`announce_memory`, kind `memory`). Recovering it only removes the
lock a killed write left: the memory is written again, or found written, when `continue` takes
the resolution over again.

A ref lock (`refs/heads/<result>.lock`, `refs/mergekit/memory.lock`) that the killed process left
behind is removed, with a note, only when all of these hold: run.json records that mergekit was
moving exactly that ref;
the process that recorded it ran on this host and is gone (its id is free, or taken by a process
started later); and the lock holds nothing or a
beginning of the id that process was writing (`Repo.stale_ref_lock`) — what libgit2 leaves when
killed mid-write. Any other lock is another git process's: mergekit leaves it alone and says
"another git process holds …; retry" (exit 2).
"""

from __future__ import annotations

import os
import socket
from dataclasses import replace

from mergekit.engine.repo import Repo
from mergekit.errors import MergekitError
from mergekit.model import RunStatus
from mergekit.state import run as run_state
from mergekit.state.atomic import process_alive, process_started
from mergekit.state.run import MoveKind, RefMove, RunState
from mergekit.workflow.recall import MEMORY_REF

HEADS = "refs/heads/"
"""Where local branches live."""


def moved_ref(st: RunState, move: RefMove) -> str:
    """The ref `move` moves: the result branch, or the resolution memory's."""
    return MEMORY_REF if move.kind is MoveKind.MEMORY else HEADS + st.result_branch


def move_result(repo: Repo, st: RunState, move: RefMove, message: str) -> None:
    """Move the result branch as `move` says, so that a kill at any moment is recoverable.

    The move is recorded in run.json first, then made by compare-and-swap, then applied to `st`
    and the record cleared in one save (`make_move`).
    """
    record(st, move)
    run_state.save(repo.common_dir, st)
    make_move(repo, st, message)


def announce_memory(repo: Repo, st: RunState, old: str | None, new: str) -> None:
    """Record, in the saved state, that this process is about to move `refs/mergekit/memory` from
    `old` to `new` (the resolution memory calls this between writing its commit and moving the ref)."""
    record(st, RefMove(MoveKind.MEMORY, old, new))
    run_state.save(repo.common_dir, st)


def record(st: RunState, move: RefMove) -> None:
    """Note `move` in `st` as this process's move in flight (saving `st` records it)."""
    pid = os.getpid()
    st.moving = replace(move, pid=pid, host=socket.gethostname(), started=process_started(pid))


def make_move(repo: Repo, st: RunState, message: str) -> None:
    """Make the move recorded in `st` (already saved), apply it, clear the record, save.

    A failed move (another git process holds the lock, the branch moved) clears the record
    again and raises: nothing moved.
    """
    move = st.moving
    assert move is not None
    try:
        _write(repo, HEADS + st.result_branch, move, message)
    except MergekitError:
        st.moving = None
        run_state.save(repo.common_dir, st)
        raise
    apply_move(st, move)
    st.moving = None
    run_state.save(repo.common_dir, st)


def apply_move(st: RunState, move: RefMove) -> None:
    """What a made move means for the run's state."""
    if move.kind is MoveKind.STEP and move.new is not None:
        st.result_commit = move.new
        if move.branch is not None and move.branch not in st.merged:
            st.merged.append(move.branch)
        st.conflicts = [c for c in st.conflicts if c.branch != move.branch]
        st.status, st.paused = RunStatus.RUNNING, None
    elif move.kind is MoveKind.DROP and move.new is not None:
        st.result_commit = move.new
        if move.branch in st.merged:
            st.merged.remove(move.branch)
    elif move.kind is MoveKind.FIX and move.new is not None:
        st.result_commit = move.new
        st.status, st.paused = RunStatus.RUNNING, None
    elif move.kind is MoveKind.START and move.new is not None:
        st.result_commit = move.new


def recover(repo: Repo, st: RunState, *, finish: bool) -> list[str]:
    """Settle a move a killed mergekit left in flight; return notes saying what was done.

    `finish` (`continue`) makes a move that had not happened yet; without it (`abort`) such a
    move is forgotten. A move another live mergekit is making right now is a user error.
    """
    move = st.moving
    if move is None:
        return []
    if move.kind is MoveKind.ABORT and finish:
        raise MergekitError("an abort of this run was interrupted — run `mergekit abort` to finish it")
    ref = moved_ref(st, move)
    here = move.host == socket.gethostname()
    if here and move.pid != os.getpid() and process_alive(move.pid, move.started):
        raise MergekitError(
            f"mergekit (process {move.pid}) is moving {_short(st, move)} right now — "
            "retry when it has finished"
        )
    notes: list[str] = []
    lock = repo.stale_ref_lock(ref, move.new) if here else None
    if lock is not None:
        lock.unlink(missing_ok=True)
        notes.append(
            f"removed {lock}, left by mergekit (process {move.pid}) killed while moving {_short(st, move)}"
        )
    if move.kind is MoveKind.MEMORY:  # `continue` writes it again (or finds it written)
        st.moving = None
        run_state.save(repo.common_dir, st)
        return notes
    current = repo.ref_target(ref)
    what = _describe(st, move)
    if current == move.new:
        apply_move(st, move)
        notes.append(f"{what} had been made before mergekit was interrupted; recorded it")
    elif current == move.old and finish and (move.new is None or repo.is_commit(move.new)):
        _write(repo, ref, move, f"mergekit: {what} (after an interruption)")
        apply_move(st, move)
        notes.append(f"{what} was interrupted; made it now")
    st.moving = None
    run_state.save(repo.common_dir, st)
    return notes


def interrupted_note(st: RunState) -> str | None:
    """For `status`: what a move left in flight means, None when there is none."""
    move = st.moving
    if move is None:
        return None
    if move.kind is MoveKind.ABORT:
        return "an abort was interrupted — run `mergekit abort` to finish it"
    if move.kind is MoveKind.MEMORY:
        return (
            "mergekit was interrupted while remembering a resolution — `mergekit continue` finishes "
            "the run, `mergekit abort` drops it"
        )
    return (
        f"mergekit was interrupted during the {_describe(st, move)} — `mergekit continue` finishes it, "
        "`mergekit abort` drops the run"
    )


def _describe(st: RunState, move: RefMove) -> str:
    if move.kind is MoveKind.STEP:
        return f"move of {st.result_branch} to the merge of {move.branch}"
    if move.kind is MoveKind.FIX:
        return f"move of {st.result_branch} to the fix after the final test"
    if move.kind is MoveKind.START:
        return f"move of {st.result_branch} to BASE {st.base}"
    if move.kind is MoveKind.DROP:
        return f"move of {st.result_branch} to the integration rebuilt without {move.branch}"
    if move.kind is MoveKind.MEMORY:
        return f"write of {MEMORY_REF}"
    return f"restore of {st.result_branch}"


def _short(st: RunState, move: RefMove) -> str:
    """The moved ref as a person names it."""
    return MEMORY_REF if move.kind is MoveKind.MEMORY else st.result_branch


def _write(repo: Repo, ref: str, move: RefMove, message: str) -> None:
    """Point `ref` from `move.old` to `move.new` (deleting it for None), by compare-and-swap."""
    if move.new is not None:
        repo.update_ref(ref, move.new, move.old, message)
    elif move.old is not None:
        repo.delete_ref(ref, move.old)
