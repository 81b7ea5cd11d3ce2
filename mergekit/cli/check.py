"""CLI command `mergekit check`: the pre-merge CI check (every branch against BASE and each other).

Exit 0 no human needed, 1 a human is needed (or, with `--strict`, a semantic collision), 2 bad
input. With `--format github` and `$GITHUB_STEP_SUMMARY` set, a Markdown summary is appended to
that file.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from mergekit.app.check import CheckOptions, check_branches
from mergekit.cli.options import chosen, format_option, repo_option
from mergekit.output.check import append_github_summary, show_check


@click.command("check")
@click.argument("branches", nargs=-1)
@click.option(
    "--into", "into", required=True, metavar="BASE", help="The branch the others will be merged into."
)
@format_option("check", "text matrix, one JSON object, GitHub annotations, or JUnit XML.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--strict", is_flag=True, help="Semantic collisions fail the check too.")
@click.option("--no-collisions", is_flag=True, help="Do not look for semantic collisions.")
@repo_option
def command(
    branches: tuple[str, ...],
    into: str,
    fmt: str,
    as_json: bool,
    strict: bool,
    no_collisions: bool,
    cwd: Path,
) -> int:
    """Predict merging BRANCH|GLOB|REV... into BASE and into each other; write nothing.

    Exit 0 when every pair merges cleanly or with auto-resolutions only, 1 when a human will
    be needed (or a semantic collision with --strict), 2 on bad input. Revisions such as
    HEAD, origin/feature/x and refs/pull/1/head work in CI checkouts.
    """
    result = check_branches(
        CheckOptions(cwd=cwd, into=into, branches=branches, strict=strict, collisions=not no_collisions)
    )
    fmt = chosen(fmt, as_json)
    show_check(result, fmt)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        append_github_summary(result, Path(summary))
    return result.exit_code
