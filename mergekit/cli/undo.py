"""CLI command `mergekit undo PATH`: put back git's conflict for a file mergekit resolved (no pygit2)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK


@click.command("undo", short_help="Put back git's conflict for a file mergekit resolved.")
@click.argument("path")
@click.option("--force", is_flag=True, help="Overwrite the file even if it has changes not in the index.")
@json_option
@repo_option
def command(path: str, force: bool, as_json: bool, cwd: Path) -> int:
    """Put back git's conflict for PATH, which mergekit resolved, so a person can decide.

    Run it in the hand-off worktree of a paused run (the run then waits for this file too),
    during a `git merge`, or right after a merge commit (then resolve, `git add`, and
    `git commit --amend`). PATH gets git's conflict markers and the index stages 1/2/3.

    \b
    Examples:
      mergekit undo src/index.ts
      mergekit undo package.json --json
    """
    from mergekit.app.undo import undo_resolution
    from mergekit.output.undo import show_undo

    show_undo(undo_resolution(cwd, path, force=force), chosen("text", as_json))
    return EXIT_OK
