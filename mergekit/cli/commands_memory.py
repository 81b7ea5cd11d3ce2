"""CLI commands `mergekit memory list|forget`: see and prune the resolution memory.

The memory (`refs/mergekit/memory`) holds the resolutions people made of hand-offs; mergekit
reuses them when the same conflict comes back (rule `memory`). Each command parses, calls one
function of `mergekit.workflow.memory`, prints through `mergekit.report_workflow`, returns 0.
"""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.output import check as report
from mergekit.cli.options import json_option, repo_option
from mergekit.engine import open_repo
from mergekit.errors import EXIT_OK
from mergekit.report_workflow import memory_json, memory_lines
from mergekit.workflow import memory


@click.group("memory")
def memory_cmd() -> None:
    """The resolution memory: resolutions of hand-offs, reused when the same conflict returns.

    Stored in the repository under refs/mergekit/memory; share it with
    `git push origin refs/mergekit/memory`.
    """


@memory_cmd.command("list")
@json_option
@repo_option
def list_cmd(as_json: bool, cwd: Path) -> int:
    """Every remembered resolution: key, file, both sides and what they became."""
    entries = list(memory.load(open_repo(cwd)).entries.values())
    if as_json:
        report.emit_json(memory_json(entries))
    else:
        report.emit_text(memory_lines(entries))
    return EXIT_OK


@memory_cmd.command("forget")
@click.argument("keys", nargs=-1)
@click.option("--path", "paths", multiple=True, metavar="PATH", help="Forget every entry recorded in PATH.")
@click.option("--all", "everything", is_flag=True, help="Forget everything.")
@json_option
@repo_option
def forget_cmd(
    keys: tuple[str, ...], paths: tuple[str, ...], everything: bool, as_json: bool, cwd: Path
) -> int:
    """Forget remembered resolutions: KEY... (at least 4 characters each), --path PATH, or --all."""
    removed = memory.forget(open_repo(cwd), keys, paths, everything)
    if as_json:
        report.emit_json(memory_json(removed, removed=True))
    else:
        report.emit_text(memory_lines(removed, removed=True))
    return EXIT_OK


COMMANDS: list[click.Command] = [memory_cmd]
"""The commands this module contributes to the `mergekit` group."""
