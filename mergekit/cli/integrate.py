"""CLI command `mergekit integrate`: merge the branches into a result branch (`--dry-run`: predict it).

`--into`, `--branch`, `--order`, `--strategy` and `--test` default to the configuration.
"""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions
from mergekit.cli.options import (
    chosen,
    into_option,
    json_option,
    order_option,
    repo_option,
    stale_after_option,
)
from mergekit.config import load_settings
from mergekit.output.console import reporter
from mergekit.output.run import show_run


@click.command("integrate", short_help="Merge the branches into a result branch, in a planned order.")
@click.argument("branches", nargs=-1)
@into_option("The branch to integrate into (never moved)")
@click.option(
    "--branch",
    "result_branch",
    metavar="NAME",
    help="The result branch to build [config: branch; default: integration].",
)
@click.option(
    "--force", is_flag=True, help="Rebuild --branch even if it exists and mergekit did not make it."
)
@order_option
@click.option(
    "--strategy",
    type=click.Choice(["merge", "squash"]),
    help="merge: a merge commit per branch; squash: one squashed commit per branch "
    "[config: strategy; default: merge].",
)
@click.option(
    "--test",
    "test_cmd",
    metavar="CMD",
    help="Shell command run after each merge and at the end [config: test].",
)
@click.option(
    "--skip-conflicting", is_flag=True, help="Merge what merges; report branches that need a human."
)
@click.option("--dry-run", is_flag=True, help="Plan and predict the outcome; write nothing.")
@click.option(
    "--rebase-stale",
    is_flag=True,
    help="Replay branches built on the wrong base onto the right one (in memory) before integrating.",
)
@click.option(
    "--drop-failing", is_flag=True, help="When --test fails, leave the culprit out instead of stopping."
)
@stale_after_option
@json_option
@repo_option
def command(
    branches: tuple[str, ...],
    into: str | None,
    result_branch: str | None,
    force: bool,
    order: str | None,
    strategy: str | None,
    test_cmd: str | None,
    skip_conflicting: bool,
    dry_run: bool,
    rebase_stale: bool,
    drop_failing: bool,
    stale_after: int,
    as_json: bool,
    cwd: Path,
) -> int:
    """Merge BRANCH|GLOB|PATCH... (default: the branches of the linked worktrees) into a result branch.

    The order is planned (dependencies first, least contested next); append-only conflicts
    are resolved structurally (or from the resolution memory); a genuine conflict pauses the
    run in a dedicated worktree. A PATCH is a `.patch`/`.diff` file or `-` (standard input).

    \b
    Examples:
      mergekit integrate --into main                 # the branches of the linked worktrees
      mergekit integrate 'feature/*' --into main --test 'npm test'
      mergekit integrate a b c --into main --order given --dry-run
    """
    settings = load_settings(cwd)
    test = settings.pick("test", test_cmd)
    with reporter("integrating", enabled=bool(test) and not as_json) as progress:
        result = integrate(
            IntegrateOptions(
                cwd=cwd,
                into=settings.require("into", into, "--into"),
                branches=branches,
                result_branch=settings.pick("branch", result_branch),
                force=force,
                order="given" if settings.pick("order", order) == "given" else "auto",
                strategy="squash" if settings.pick("strategy", strategy) == "squash" else "merge",
                test=test,
                skip_conflicting=skip_conflicting,
                dry_run=dry_run,
                rebase_stale=rebase_stale,
                drop_failing=drop_failing,
                stale_after=stale_after,
                progress=progress,
            )
        )
    show_run(result, chosen("text", as_json))
    return result.exit_code
