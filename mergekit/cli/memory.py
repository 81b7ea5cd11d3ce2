"""CLI command `mergekit memory list|forget`: see and prune the resolution memory.

The memory (`refs/mergekit/memory`) holds the resolutions people made of hand-offs; mergekit
reuses them when the same conflict comes back (rule `memory`). Each subcommand parses, calls one
use case of `mergekit.app.memory`, shows the entries through `mergekit.output.memory`.
"""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK


@click.group("memory", short_help="List or forget the remembered resolutions of hand-offs.")
def command() -> None:
    """The resolution memory: resolutions of hand-offs, reused when the same conflict returns.

    Stored in the repository under refs/mergekit/memory; share it with
    `git push origin refs/mergekit/memory`.

    \b
    Examples:
      mergekit memory list
      mergekit memory forget --path src/index.ts
    """


@command.command("list", short_help="List the remembered resolutions.")
@json_option
@repo_option
def list_cmd(as_json: bool, cwd: Path) -> int:
    """Every remembered resolution: key, file, both sides and what they became.

    \b
    Examples:
      mergekit memory list
      mergekit memory list --json
    """
    from mergekit.app.memory import list_entries
    from mergekit.output.memory import show_memory

    show_memory(list_entries(cwd), chosen("text", as_json))
    return EXIT_OK


@command.command("forget", short_help="Forget remembered resolutions (KEY..., --path or --all).")
@click.argument("keys", nargs=-1)
@click.option("--path", "paths", multiple=True, metavar="PATH", help="Forget every entry recorded in PATH.")
@click.option("--all", "everything", is_flag=True, help="Forget everything.")
@json_option
@repo_option
def forget_cmd(
    keys: tuple[str, ...], paths: tuple[str, ...], everything: bool, as_json: bool, cwd: Path
) -> int:
    """Forget remembered resolutions: KEY... (at least 4 characters each), --path PATH, or --all.

    A forgotten resolution is not reused: the next run hands that conflict to a person again.

    \b
    Examples:
      mergekit memory forget 3f2a9c1e
      mergekit memory forget --path src/index.ts
      mergekit memory forget --all
    """
    from mergekit.app.memory import forget_entries
    from mergekit.output.memory import show_memory

    show_memory(forget_entries(cwd, keys, paths, everything), chosen("text", as_json), removed=True)
    return EXIT_OK
