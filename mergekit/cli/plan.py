"""CLI command `mergekit plan` (`--into` and `--order` default to the configuration)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.plan import plan_branches
from mergekit.cli.options import (
    chosen,
    format_option,
    into_option,
    json_option,
    order_option,
    repo_option,
    stale_after_option,
)
from mergekit.config import load_settings
from mergekit.errors import EXIT_OK
from mergekit.output.console import reporter
from mergekit.output.plan import show_plan
from mergekit.plan import OrderMode


@click.command("plan", short_help="Show the merge order, the conflict matrix and the outcome.")
@click.argument("branches", nargs=-1)
@into_option("The branch to integrate into")
@order_option
@format_option("plan", "text, one JSON object, or a Mermaid flowchart (for a PR description).")
@stale_after_option
@json_option
@repo_option
def command(
    branches: tuple[str, ...],
    into: str | None,
    order: str | None,
    fmt: str,
    stale_after: int,
    as_json: bool,
    cwd: Path,
) -> int:
    """Show the merge order with a reason per position, dependencies, the conflict matrix, the
    predicted outcome of each merge in that order, semantic collisions, and branches built on
    the wrong base. BRANCH|GLOB|PATCH... as for `integrate`.

    \b
    Examples:
      mergekit plan 'feature/*' --into main
      mergekit plan --into main --format mermaid >> pr-description.md
    """
    settings = load_settings(cwd)
    mode: OrderMode = "given" if settings.pick("order", order) == "given" else "auto"
    fmt = chosen(fmt, as_json)
    with reporter("planning", enabled=fmt == "text") as progress:
        result = plan_branches(
            cwd,
            branches,
            settings.require("into", into, "--into"),
            mode,
            stale_after=stale_after,
            progress=progress,
        )
    show_plan(result, fmt)
    return EXIT_OK
