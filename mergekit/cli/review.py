"""CLI command `mergekit review`: every auto-resolution of a run or a merge commit, as a diff."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK


@click.command("review", short_help="Show each auto-resolution as a diff against git's merge.")
@click.argument("target", required=False, metavar="[RUN|COMMIT]")
@json_option
@repo_option
def command(target: str | None, as_json: bool, cwd: Path) -> int:
    """Show every auto-resolution of a run or a merge commit, as a diff against git's line merge.

    RUN is an integration run's result branch (default: the paused run, else the last one);
    COMMIT is a merge commit made with the merge driver or `mergekit sync`. For each file the
    rule that resolved it, the entries it added, and the diff from git's conflicted text to
    what was committed. Take one back with `mergekit undo PATH`.

    \b
    Examples:
      mergekit review
      mergekit review integration --json
      mergekit review HEAD          # after a `git merge` that the driver resolved
    """
    from mergekit.app.review import review
    from mergekit.output.review import show_review

    show_review(review(cwd, target), chosen("text", as_json))
    return EXIT_OK
