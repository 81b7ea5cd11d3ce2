"""CLI command `mergekit abort`."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.integrate.abort import abort_run
from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK
from mergekit.output.run import show_abort


@click.command("abort", short_help="Drop the run: remove its worktree, put the result branch back.")
@json_option
@repo_option
def command(as_json: bool, cwd: Path) -> int:
    """Drop the run: remove its worktree and put the result branch back where it was.

    \b
    Examples:
      mergekit abort
      mergekit abort --json
    """
    show_abort(abort_run(cwd), chosen("text", as_json))
    return EXIT_OK
