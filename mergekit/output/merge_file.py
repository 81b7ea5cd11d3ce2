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
    """An internal error: the traceback, then one line saying OURS was not touched."""
    import traceback

    traceback.print_exc(file=sys.stderr)
    write(
        f"{PROG}: internal error, OURS left as it was (this is a bug, please report it): {exc!r}\n", err=True
    )
