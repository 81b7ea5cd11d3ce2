"""The messages of the command line itself: a user error, an interruption, a crash (on stderr)."""

from __future__ import annotations

import sys

import click

from mergekit.output import emit_error, write


def user_error(message: str) -> None:
    """One line: what went wrong and what to do (exit 2)."""
    emit_error(message)


def aborted() -> None:
    """The user aborted a prompt."""
    write("mergekit: aborted\n", err=True)


def click_error(exc: click.ClickException) -> None:
    """A usage mistake click found (unknown option, missing argument...), with the usage line."""
    exc.show()


def interrupted() -> None:
    """Ctrl-C."""
    write("mergekit: interrupted\n", err=True)


def crashed(exc: BaseException) -> None:
    """A bug: the traceback, then one line saying so (exit 3)."""
    import traceback

    traceback.print_exc(file=sys.stderr)
    write(f"mergekit: internal error (this is a bug): {exc!r}\n", err=True)
