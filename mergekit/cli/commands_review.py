"""CLI commands `mergekit review` and `mergekit undo`: look at what the resolver did, and take it back."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import json_option, repo_option
from mergekit.errors import EXIT_OK


@click.command("review")
@click.argument("target", required=False, metavar="[RUN|COMMIT]")
@json_option
@repo_option
def review_cmd(target: str | None, as_json: bool, cwd: Path) -> int:
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
    from mergekit import report_ecosystem
    from mergekit.review import review

    report_ecosystem.print_review(review(cwd, target), as_json)
    return EXIT_OK


@click.command("undo")
@click.argument("path")
@click.option("--force", is_flag=True, help="Overwrite the file even if it has changes not in the index.")
@json_option
@repo_option
def undo_cmd(path: str, force: bool, as_json: bool, cwd: Path) -> int:
    """Put back git's conflict for PATH, which mergekit resolved, so a person can decide.

    Run it in the hand-off worktree of a paused run (the run then waits for this file too),
    during a `git merge`, or right after a merge commit (then resolve, `git add`, and
    `git commit --amend`). PATH gets git's conflict markers and the index stages 1/2/3.

    \b
    Examples:
      mergekit undo src/index.ts
      mergekit undo package.json --json
    """
    from mergekit import report_ecosystem
    from mergekit.undo import undo_resolution

    report_ecosystem.print_undo(undo_resolution(cwd, path, force=force), as_json)
    return EXIT_OK


COMMANDS: list[click.Command] = [review_cmd, undo_cmd]
"""The commands this module contributes to the `mergekit` group."""
