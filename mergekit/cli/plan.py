"""CLI command `mergekit plan`."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.plan import plan_branches
from mergekit.cli.options import chosen, format_option, json_option, repo_option, stale_after_option
from mergekit.errors import EXIT_OK
from mergekit.output.plan import show_plan
from mergekit.plan import OrderMode


@click.command("plan")
@click.argument("branches", nargs=-1)
@click.option("--into", "into", required=True, metavar="BASE", help="The branch to integrate into.")
@click.option("--order", type=click.Choice(["auto", "given"]), default="auto", show_default=True)
@format_option("plan", "text, one JSON object, or a Mermaid flowchart (for a PR description).")
@stale_after_option
@json_option
@repo_option
def command(
    branches: tuple[str, ...], into: str, order: str, fmt: str, stale_after: int, as_json: bool, cwd: Path
) -> int:
    """Show the merge order with a reason per position, dependencies, the conflict matrix, the
    predicted outcome of each merge in that order, semantic collisions, and branches built on
    the wrong base. BRANCH|GLOB|PATCH... as for `integrate`."""
    mode: OrderMode = "given" if order == "given" else "auto"
    result = plan_branches(cwd, branches, into, mode, stale_after=stale_after)
    show_plan(result, chosen(fmt, as_json))
    return EXIT_OK
