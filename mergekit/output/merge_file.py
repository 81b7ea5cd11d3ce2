"""What `mergekit merge-file` (the git merge driver) prints: the result with `-p`, `--explain` on
stderr, and its one-line errors. Like `git merge-file`, nothing is printed about conflicts (git
prints its own CONFLICT line), except for a lockfile: the command that settles it. Standard library
only: git runs the driver once per file.
"""

from __future__ import annotations

import sys

from mergekit.output import write

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from mergekit.resolve.types import FileResolution

PROG = "mergekit merge-file"
"""The program name in messages."""


def show_result(merged: bytes) -> None:
    """`-p`: the merged bytes on stdout, as they are."""
    sys.stdout.buffer.write(merged)
    sys.stdout.flush()


def show_explanation(resolution: FileResolution, path: str) -> None:
    """`--explain`: what the resolver did, on stderr."""
    from mergekit.output.explain import explain_lines

    write("\n".join(explain_lines(resolution, path)) + "\n", err=True)


def warning(message: str) -> None:
    """Something the user should know that did not stop the merge (a broken configuration)."""
    write(f"{PROG}: {message}\n", err=True)


def show_lockfile_hint(hint: str) -> None:
    """A lockfile left conflicted: on stderr, what settles it (git prints its own CONFLICT line)."""
    write(f"mergekit: {hint}\n", err=True)


def usage_error(message: str) -> None:
    """A command-line mistake or an unreadable input (exit 2)."""
    write(f"usage: {PROG} [options] BASE OURS THEIRS\n{PROG}: error: {message}\n", err=True)


def interrupted() -> None:
    """Ctrl-C: OURS was not touched."""
    write(f"{PROG}: interrupted; OURS left as it was\n", err=True)


def crashed(exc: BaseException) -> None:
    """An internal error: the traceback, then one line saying so (the safe failure mode follows)."""
    import traceback

    traceback.print_exc(file=sys.stderr)
    write(f"{PROG}: internal error (this is a bug, please report it): {exc!r}\n", err=True)


def fell_back() -> None:
    """After a failure, git's line merge (with markers) went into OURS instead."""
    write(f"{PROG}: wrote git's line merge (with conflict markers) into OURS instead\n", err=True)


def left_as_it_was(why: str | None = None) -> None:
    """After a failure, nothing could be written (an input unreadable, or OURS not writable)."""
    reason = f"cannot write OURS ({why}); " if why is not None else ""
    write(f"{PROG}: {reason}OURS left as it was\n", err=True)
