"""CLI command `mergekit plan`."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.plan import plan_branches
from mergekit.cli.options import chosen, format_option, json_option, repo_option
from mergekit.errors import EXIT_OK
from mergekit.output.plan import show_plan


@click.command("plan")
@click.argument("branches", nargs=-1)
@click.option("--into", "into", required=True, metavar="BASE", help="The branch to integrate into.")
@click.option("--order", type=click.Choice(["auto", "given"]), default="auto", show_default=True)
@format_option("plan", "text, one JSON object, or a Mermaid flowchart (for a PR description).")
@json_option
@repo_option
def command(branches: tuple[str, ...], into: str, order: str, fmt: str, as_json: bool, cwd: Path) -> int:
    """Show the merge order with a reason per position, dependencies, the conflict matrix, the
    predicted outcome of each merge in that order, and semantic collisions."""
    result = plan_branches(cwd, branches, into, "given" if order == "given" else "auto")
    show_plan(result, chosen(fmt, as_json))
    return EXIT_OK
