"""CLI command `mergekit check`: the pre-merge CI check (every branch against BASE and each other).

Exit 0 no human needed, 1 a human is needed (or, with `--strict`, a semantic collision), 2 bad
input. With `--format github` and `$GITHUB_STEP_SUMMARY` set, a Markdown summary is appended to
that file. `--into`, `--strict` and `--collisions` default to the configuration (`into`,
`strict`, `collisions`).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from mergekit.app.check import CheckOptions, check_branches
from mergekit.cli.options import chosen, format_option, into_option, repo_option, stale_after_option
from mergekit.config import load_settings
from mergekit.output.check import append_github_summary, show_check
from mergekit.output.console import reporter


@click.command("check", short_help="Predict whether the branches merge into BASE (a CI check).")
@click.argument("branches", nargs=-1)
@into_option("The branch the others will be merged into")
@format_option("check", "text matrix, one JSON object, GitHub annotations, or JUnit XML.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--strict/--no-strict",
    default=None,
    help="Semantic collisions and branches on a wrong base fail it too [config: strict].",
)
@click.option(
    "--collisions/--no-collisions",
    default=None,
    help="Look for semantic collisions (default) or not [config: collisions].",
)
@stale_after_option
@repo_option
def command(
    branches: tuple[str, ...],
    into: str | None,
    fmt: str,
    as_json: bool,
    strict: bool | None,
    collisions: bool | None,
    stale_after: int,
    cwd: Path,
) -> int:
    """Predict merging BRANCH|GLOB|REV|PATCH... into BASE and into each other; write nothing.

    Exit 0 when every pair merges cleanly or with auto-resolutions only, 1 when a human will
    be needed (or, with --strict, a semantic collision or a branch built on the wrong base),
    2 on bad input. Revisions such as HEAD, origin/feature/x and refs/pull/1/head work in CI
    checkouts; a PATCH is a `.patch`/`.diff` file or `-` (standard input).

    \b
    Examples:
      mergekit check 'feature/*' --into main
      mergekit check HEAD --into origin/main --format github     # in CI
    """
    settings = load_settings(cwd)
    fmt = chosen(fmt, as_json)
    with reporter("checking", enabled=fmt == "text") as progress:
        result = check_branches(
            CheckOptions(
                cwd=cwd,
                into=settings.require("into", into, "--into"),
                branches=branches,
                strict=bool(settings.pick("strict", strict)),
                collisions=bool(settings.pick("collisions", collisions)),
                stale_after=stale_after,
                progress=progress,
            )
        )
    show_check(result, fmt)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        append_github_summary(result, Path(summary))
    return result.exit_code
