"""The messages of the command line itself: a user error, an interruption, a crash (on stderr)."""

from __future__ import annotations

import sys

import click

from mergekit.output import emit_error, write


def user_error(message: str) -> None:
    """One line: what went wrong and what to do (exit 2)."""
    emit_error(message)


def command_help(text: str) -> None:
    """A command group run without its command (`mergekit`, `mergekit memory`): its help, whole."""
    write(text + "\n")


def aborted() -> None:
    """The user aborted a prompt."""
    write("mergekit: aborted\n", err=True)


def click_error(exc: click.ClickException) -> None:
    """A mistake click found (a bad option value, an unknown option or command, a missing argument):
    one line naming it and the `--help` to read, never click's usage block."""
    message = " ".join(exc.format_message().split())
    if isinstance(exc, click.UsageError):
        if len(message) > 1 and message[0].isupper() and message[1].islower():
            message = message[0].lower() + message[1:]
        command = exc.ctx.command_path if exc.ctx is not None else "mergekit"
        message = f"{message.rstrip('.')} — see `{command} --help`"
    emit_error(message)


def interrupted() -> None:
    """Ctrl-C."""
    write("mergekit: interrupted\n", err=True)


def crashed(exc: BaseException) -> None:
    """A bug: the traceback, then one line saying so (exit 3)."""
    import traceback

    traceback.print_exc(file=sys.stderr)
    write(f"mergekit: internal error (this is a bug): {exc!r}\n", err=True)
