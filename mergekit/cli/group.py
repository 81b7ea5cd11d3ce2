"""The click group: finds each command's module lazily, adds the common options, maps errors to exit codes.

User errors (`MergekitError`, bad options) print one line on stderr and exit 2; anything
unexpected prints the traceback and exits 3 ("this is a bug"), so a crash never looks like
success.
"""

from __future__ import annotations

import importlib

import click

from mergekit import __version__
from mergekit.cli import COMMANDS
from mergekit.cli.common import common_params, with_common_options
from mergekit.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USAGE, MergekitError
from mergekit.output import cli_messages, console


class _LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs (or help lists it),
    so `mergekit install` does not pay for pygit2 and `mergekit status` not for tree-sitter."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "merge-file":
            return merge_file_cmd
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        command: click.Command = importlib.import_module(f"mergekit.cli.{module_name}").command
        return with_common_options(command)


@click.command(
    "merge-file",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
    short_help="The git merge driver: merge BASE OURS THEIRS into OURS.",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def merge_file_cmd(args: tuple[str, ...]) -> int:
    """The git merge driver (see `mergekit merge-file --help`); `mergekit.entry` normally runs it
    without click, this entry only lists it in `mergekit --help`."""
    from mergekit.cli.merge_file import main

    return main(list(args))


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


main.params.extend(common_params())


def run_cli(args: list[str]) -> int:
    """Run the click group on `args`; return the exit code (2 for user errors, 3 for bugs)."""
    console.reset()
    try:
        rv = main.main(args=args, prog_name="mergekit", standalone_mode=False)
    except MergekitError as exc:
        cli_messages.user_error(exc.message)
        return EXIT_USAGE
    except click.exceptions.Abort:
        cli_messages.aborted()
        return EXIT_USAGE
    except click.exceptions.NoArgsIsHelpError as exc:  # a group without its command: show its help
        cli_messages.command_help(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
        return EXIT_USAGE
    except click.ClickException as exc:
        cli_messages.click_error(exc)
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KeyboardInterrupt:
        cli_messages.interrupted()
        return EXIT_INTERRUPTED
    except Exception as exc:  # a crash must never look like success
        cli_messages.crashed(exc)
        return EXIT_BUG
    return int(rv) if isinstance(rv, int) else 0
