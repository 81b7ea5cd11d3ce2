"""CLI command `mergekit status`."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.integrate.status import run_status
from mergekit.app.resolve_worktree import worktree_conflicts
from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK
from mergekit.output.run import show_status


@click.command("status", short_help="Show where a paused run stands.")
@json_option
@repo_option
def command(as_json: bool, cwd: Path) -> int:
    """Show where a paused run stands, and the conflicted files of this worktree, if any.

    When git merged some of those files without mergekit's installed merge driver (the
    attributes did not route them to it), it says so: `mergekit doctor` tells why.

    \b
    Examples:
      mergekit status
      mergekit status --json
    """
    show_status(run_status(cwd), chosen("text", as_json), worktree=worktree_conflicts(cwd))
    return EXIT_OK
