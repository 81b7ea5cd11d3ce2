"""CLI command `mergekit continue` (a module name `continue` would be a Python keyword)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.integrate.resume import continue_run
from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.output.run import show_run


@click.command("continue", short_help="Go on after the hand-off's conflicts are resolved.")
@json_option
@repo_option
def command(as_json: bool, cwd: Path) -> int:
    """Go on after resolving (and `git add`ing) the conflicts in the run's worktree.

    \b
    Examples:
      cd <the run's worktree> && git add -A && mergekit continue
      mergekit continue --json
    """
    result = continue_run(cwd)
    show_run(result, chosen("text", as_json))
    return result.exit_code
