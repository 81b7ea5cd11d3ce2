"""The click command group: parse arguments, call a use case, print through `report`, exit.

Each family of commands lives in its own module and registers itself on `main`; commands are
thin: they parse, call one function that returns values, format them, and map to an exit code.
"""

from __future__ import annotations

import codecs
import importlib
import io
import sys

import click

from mergekit import __version__
from mergekit.errors import EXIT_BUG, EXIT_USAGE, MergekitError

_COMMANDS: dict[str, str] = {
    "integrate": "commands_integrate",
    "continue": "commands_integrate",
    "abort": "commands_integrate",
    "status": "commands_integrate",
    "plan": "commands_integrate",
    "demo": "commands_integrate",
    "check": "commands_check",
    "merge-file": "commands_resolve",
    "install": "commands_resolve",
    "resolve": "commands_resolve",
    "languages": "commands_resolve",
    "replay": "commands_replay",
}
"""Command name → the module (in mergekit.cli) that defines it, imported only when used."""


class _LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs (or help lists it),
    so `mergekit install` does not pay for pygit2 and `mergekit status` not for tree-sitter."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = _COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"mergekit.cli.{module_name}")
        commands: list[click.Command] = module.COMMANDS
        return next((c for c in commands if c.name == cmd_name), None)


@click.group(
    cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="mergekit")
def main() -> None:
    """Integrate many feature branches at once.

    mergekit plans a merge order, merges in memory (your checkout is never touched), unions
    append-only conflicts (barrel exports, route registries, import blocks, settings lists,
    manifests, changelogs) with a syntax-aware resolver, and hands genuine conflicts to a human
    in a dedicated worktree.

    Exit codes: 0 success, 1 a human is needed or a check failed, 2 bad input.
    """


_OCTAL = "mergekit-octal"
"""The output error handler: a byte of a name that is not UTF-8 printed as git quotes it (`\\351`)."""


def _octal_escape(exc: UnicodeError) -> tuple[str, int]:
    """git names files with bytes; Python hands the undecodable ones out as surrogate escapes.

    Printed as git's own quoting writes them (`caf\\351.txt`), output stays valid UTF-8 for
    whatever reads it; any other unencodable character raises as before.
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    if not all("\udc80" <= c <= "\udcff" for c in chunk):
        raise exc
    return "".join(f"\\{ord(c) - 0xDC00:03o}" for c in chunk), exc.end


codecs.register_error(_OCTAL, _octal_escape)


def _one_line(exc: click.UsageError) -> str:
    """click's usage error as one line that says where to read more (not its usage block)."""
    message = " ".join(exc.format_message().split())
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        message = message[0].lower() + message[1:]
    command = exc.ctx.command_path if exc.ctx is not None else "mergekit"
    return f"{message.rstrip('.')} — see `{command} --help`"


def run_cli(args: list[str]) -> int:
    """Run the click group on `args`; return the exit code (2 for user errors, 3 for bugs)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=_OCTAL)
    try:
        rv = main.main(args=args, prog_name="mergekit", standalone_mode=False)
    except MergekitError as exc:
        click.echo(f"mergekit: error: {exc.message}", err=True)
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("mergekit: aborted", err=True)
        return EXIT_USAGE
    except click.UsageError as exc:
        click.echo(f"mergekit: error: {_one_line(exc)}", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"mergekit: error: {' '.join(exc.format_message().split())}", err=True)
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("mergekit: interrupted", err=True)
        return 130
    except Exception as exc:  # a crash must never look like success
        import traceback

        traceback.print_exc(file=sys.stderr)
        click.echo(f"mergekit: internal error (this is a bug): {exc!r}", err=True)
        return EXIT_BUG
    return int(rv) if isinstance(rv, int) else 0
