"""The click command group: parse arguments, call a use case, print through `report`, exit.

Each family of commands lives in its own module and registers itself on `main`; commands are
thin: they parse, call one function that returns values, format them, and map to an exit code.
"""

from __future__ import annotations

import sys

import click

from mergekit import __version__
from mergekit.errors import EXIT_BUG, EXIT_USAGE, MergekitError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mergekit")
def main() -> None:
    """Integrate many feature branches at once.

    mergekit plans a merge order, merges in memory (your checkout is never touched), unions
    append-only conflicts (barrel exports, route registries, import blocks, settings lists,
    manifests, changelogs) with a syntax-aware resolver, and hands genuine conflicts to a human
    in a dedicated worktree.

    Exit codes: 0 success, 1 a human is needed or a check failed, 2 bad input.
    """


def _register() -> None:
    """Attach every command family to the group (imported here so each module stays small)."""
    from mergekit.cli import commands_check, commands_integrate, commands_replay, commands_resolve

    for module in (commands_integrate, commands_resolve, commands_replay, commands_check):
        for command in module.COMMANDS:
            main.add_command(command)


def run_cli(args: list[str]) -> int:
    """Run the click group on `args`; return the exit code (2 for user errors, 3 for bugs)."""
    _register()
    try:
        rv = main.main(args=args, prog_name="mergekit", standalone_mode=False)
    except MergekitError as exc:
        click.echo(f"mergekit: error: {exc.message}", err=True)
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("mergekit: aborted", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
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
