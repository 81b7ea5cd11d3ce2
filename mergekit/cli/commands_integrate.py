"""CLI commands of the integration run: integrate, continue, abort, status, plan, demo.

Each command parses its options, calls one use case in `mergekit.integrate`, prints the value
through `mergekit.report` and returns the exit code (0 done, 1 a human is needed, 2 bad
input — the latter raised as `MergekitError` and mapped by the group). `-C PATH` runs as if
started in PATH (default: the current directory), like git's own `-C`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from mergekit import console, report
from mergekit.cli.options import json_option, repo_option
from mergekit.config import load_settings
from mergekit.errors import EXIT_OK
from mergekit.integrate import (
    IntegrateOptions,
    abort_run,
    continue_run,
    integrate,
    plan_branches,
    run_status,
)
from mergekit.plan import OrderMode


@click.command("integrate")
@click.argument("branches", nargs=-1)
@click.option(
    "--into", "into", metavar="BASE", help="The branch to integrate into (never moved) [config: into]."
)
@click.option(
    "--branch", "result_branch", help="The result branch to build [config: branch; default: integration]."
)
@click.option(
    "--force", is_flag=True, help="Rebuild --branch even if it exists and mergekit did not make it."
)
@click.option("--order", type=click.Choice(["auto", "given"]), help="[config: order; default: auto]")
@click.option("--strategy", type=click.Choice(["merge", "squash"]), help="[config: strategy; default: merge]")
@click.option(
    "--test",
    "test_cmd",
    metavar="CMD",
    help="Shell command run after each merge and at the end [config: test]",
)
@click.option(
    "--skip-conflicting", is_flag=True, help="Merge what merges; report branches that need a human."
)
@click.option("--dry-run", is_flag=True, help="Plan and predict the outcome; write nothing.")
@json_option
@repo_option
def integrate_cmd(
    branches: tuple[str, ...],
    into: str | None,
    result_branch: str | None,
    force: bool,
    order: str | None,
    strategy: str | None,
    test_cmd: str | None,
    skip_conflicting: bool,
    dry_run: bool,
    as_json: bool,
    cwd: Path,
) -> int:
    """Merge BRANCH|GLOB... (default: the branches of the linked worktrees) into a result branch.

    The order is planned (dependencies first, least contested next); append-only conflicts
    are resolved structurally; a genuine conflict pauses the run in a dedicated worktree.

    \b
    Examples:
      mergekit integrate --into main                 # the branches of the linked worktrees
      mergekit integrate 'feature/*' --into main --test 'npm test'
      mergekit integrate a b c --into main --order given --dry-run
    """
    settings = load_settings(cwd)
    order = settings.pick("order", order)
    strategy = settings.pick("strategy", strategy)
    opts = IntegrateOptions(
        cwd=cwd,
        into=settings.require("into", into, "--into"),
        branches=branches,
        result_branch=settings.pick("branch", result_branch),
        force=force,
        order="given" if order == "given" else "auto",
        strategy="squash" if strategy == "squash" else "merge",
        test=settings.pick("test", test_cmd),
        skip_conflicting=skip_conflicting,
        dry_run=dry_run,
    )
    with console.reporter("integrating", enabled=bool(opts.test) and not as_json) as progress:
        result = integrate(replace(opts, progress=progress))
    report.print_run(result, as_json)
    return result.exit_code


@click.command("continue")
@json_option
@repo_option
def continue_cmd(as_json: bool, cwd: Path) -> int:
    """Go on after resolving (and `git add`ing) the conflicts in the run's worktree."""
    result = continue_run(cwd)
    report.print_run(result, as_json)
    return result.exit_code


@click.command("abort")
@json_option
@repo_option
def abort_cmd(as_json: bool, cwd: Path) -> int:
    """Drop the run: remove its worktree and put the result branch back where it was."""
    report.print_abort(abort_run(cwd), as_json)
    return EXIT_OK


@click.command("status")
@json_option
@repo_option
def status_cmd(as_json: bool, cwd: Path) -> int:
    """Show where a paused run stands."""
    report.print_status(run_status(cwd), as_json)
    return EXIT_OK


@click.command("plan")
@click.argument("branches", nargs=-1)
@click.option("--into", "into", metavar="BASE", help="The branch to integrate into [config: into].")
@click.option("--order", type=click.Choice(["auto", "given"]), help="[config: order; default: auto]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "mermaid"]),
    default="text",
    show_default=True,
    help="text, one JSON object, or a Mermaid flowchart (for a PR description).",
)
@json_option
@repo_option
def plan_cmd(
    branches: tuple[str, ...], into: str | None, order: str | None, fmt: str, as_json: bool, cwd: Path
) -> int:
    """Show the merge order with a reason per position, dependencies, the conflict matrix, the
    predicted outcome of each merge in that order, and semantic collisions.

    \b
    Examples:
      mergekit plan 'feature/*' --into main
      mergekit plan --into main --format mermaid >> pr-description.md
    """
    settings = load_settings(cwd)
    order = settings.pick("order", order)
    mode: OrderMode = "given" if order == "given" else "auto"
    into = settings.require("into", into, "--into")
    with console.reporter("planning", enabled=fmt == "text" and not as_json) as progress:
        result = plan_branches(cwd, branches, into, mode, progress=progress)
    report.print_plan(result, as_json, fmt)
    return EXIT_OK


@click.command("demo")
@click.option("--keep", is_flag=True, help="Keep the demo repository (its path is printed).")
def demo_cmd(keep: bool) -> int:
    """Build the five-feature TypeScript app in a temporary repository and integrate it, narrating."""
    from mergekit.scenarios import build_five_features

    tmp = Path(tempfile.mkdtemp(prefix="mergekit-demo-"))
    try:
        scenario = build_five_features(tmp / "acme-app")
        report.print_demo_intro(scenario.path, scenario.description, scenario.branches, scenario.shared_files)
        planned = plan_branches(scenario.path, tuple(scenario.branches), scenario.base)
        report.print_plan(planned, as_json=False)
        result = integrate(
            IntegrateOptions(cwd=scenario.path, into=scenario.base, branches=tuple(scenario.branches))
        )
        report.print_run(result, as_json=False)
        shown: dict[str, str] = {}
        if result.worktree:
            for conflict in result.conflicts:
                file = Path(result.worktree) / conflict["path"]
                if file.is_file():
                    shown[conflict["path"]] = file.read_text(encoding="utf-8", errors="replace")
        report.print_demo_handoff(result, shown)
        if keep:
            report.emit_text([f"kept the demo repository: {tmp / 'acme-app'}"])
        else:
            if result.status != "done":
                abort_run(scenario.path)
            report.emit_text(["cleaned up (pass --keep to explore the repository and the hand-off worktree)"])
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return EXIT_OK


COMMANDS: list[click.Command] = [integrate_cmd, continue_cmd, abort_cmd, status_cmd, plan_cmd, demo_cmd]
"""The commands this module contributes to the `mergekit` group."""
