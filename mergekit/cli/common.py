"""What the group adds to every command: `--quiet`, `--verbose`, `--color`, and the repository's
language setup.

`with_common_options(command)` appends the three options (they set
`mergekit.output.console`'s settings and are not passed to the command's function) and runs the
command with the repository's own language setup active (`mergekit.app.languages.active`:
`.mergekit/grammars/`, gitattributes overrides, `never_resolve`; read only if a profile is
looked up). With `--quiet` the command's human-readable stdout is swallowed — machine formats
(`--json`, `--format json|github|junit|mermaid`) still print, and so does everything on stderr.
Only `mergekit.cli.group` imports this module (a command module loads no other).
"""

from __future__ import annotations

import contextlib
import functools
import io
from pathlib import Path
from typing import Any

import click

from mergekit.output import console

_MACHINE_FORMATS = ("json", "github", "junit", "mermaid")
_MARK = "_mergekit_common_options"


def _set(option: str) -> Any:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if option == "quiet" and value:
            console.configure(quiet=True)
        elif option == "verbose" and value:
            console.configure(verbose=True)
        elif option == "color" and value is not None:
            console.configure(color=value)

    return callback


def _console_option(decls: list[str], setting: str, help: str, **kwargs: Any) -> click.Option:
    """An option that sets the console's `setting` as soon as it is parsed (not passed on)."""
    return click.Option(decls, expose_value=False, is_eager=True, callback=_set(setting), help=help, **kwargs)


def common_params() -> list[click.Parameter]:
    """Fresh `-q/--quiet`, `--verbose` and `--color` options."""
    return [
        _console_option(
            ["-q", "--quiet"],
            "quiet",
            "No human-readable output on stdout (the exit code tells); --json still prints.",
            is_flag=True,
        ),
        _console_option(
            ["--verbose"], "verbose", "Show progress as lines on stderr, step by step.", is_flag=True
        ),
        _console_option(
            ["--color"],
            "color",
            "Colour the output: auto (a terminal, unless NO_COLOR or git's color.ui says no), "
            "always or never.",
            type=click.Choice(console.COLOR_MODES),
            default=None,
        ),
    ]


def with_common_options(command: click.Command) -> click.Command:
    """`command` with the common options (added once) and --quiet and the language setup honoured."""
    if getattr(command, _MARK, False):
        return command
    setattr(command, _MARK, True)
    if isinstance(command, click.Group):  # `memory list`: the options work after the subcommand too
        for sub in command.commands.values():
            with_common_options(sub)
    taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
    command.params.extend(p for p in common_params() if not set(getattr(p, "opts", [])) & taken)
    original = command.callback
    if original is None:
        return command

    @functools.wraps(original)
    def run(*args: Any, **kwargs: Any) -> Any:
        from mergekit.app.languages import active

        machine = bool(kwargs.get("as_json")) or kwargs.get("fmt") in _MACHINE_FORMATS
        cwd = kwargs.get("cwd")
        with contextlib.ExitStack() as stack:
            stack.enter_context(active(cwd if isinstance(cwd, Path) else Path(".")))
            if console.ui().quiet and not machine:
                stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
            return original(*args, **kwargs)

    command.callback = run
    return command
