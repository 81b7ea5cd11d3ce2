"""CLI command `mergekit integrate`: merge the branches into a result branch (`--dry-run`: predict it)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions
from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.output.run import show_run


@click.command("integrate")
@click.argument("branches", nargs=-1)
@click.option(
    "--into", "into", required=True, metavar="BASE", help="The branch to integrate into (never moved)."
)
@click.option(
    "--branch", "result_branch", default="integration", show_default=True, help="The result branch to build."
)
@click.option(
    "--force", is_flag=True, help="Rebuild --branch even if it exists and mergekit did not make it."
)
@click.option("--order", type=click.Choice(["auto", "given"]), default="auto", show_default=True)
@click.option("--strategy", type=click.Choice(["merge", "squash"]), default="merge", show_default=True)
@click.option("--test", "test_cmd", metavar="CMD", help="Shell command run after each merge and at the end.")
@click.option(
    "--skip-conflicting", is_flag=True, help="Merge what merges; report branches that need a human."
)
@click.option("--dry-run", is_flag=True, help="Plan and predict the outcome; write nothing.")
@json_option
@repo_option
def command(
    branches: tuple[str, ...],
    into: str,
    result_branch: str,
    force: bool,
    order: str,
    strategy: str,
    test_cmd: str | None,
    skip_conflicting: bool,
    dry_run: bool,
    as_json: bool,
    cwd: Path,
) -> int:
    """Merge BRANCH|GLOB... (default: the branches of the linked worktrees) into a result branch.

    The order is planned (dependencies first, least contested next); append-only conflicts
    are resolved structurally; a genuine conflict pauses the run in a dedicated worktree.
    """
    opts = IntegrateOptions(
        cwd=cwd,
        into=into,
        branches=branches,
        result_branch=result_branch,
        force=force,
        order="given" if order == "given" else "auto",
        strategy="squash" if strategy == "squash" else "merge",
        test=test_cmd,
        skip_conflicting=skip_conflicting,
        dry_run=dry_run,
    )
    result = integrate(opts)
    show_run(result, chosen("text", as_json))
    return result.exit_code
