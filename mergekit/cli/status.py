"""CLI command `mergekit status`."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.app.integrate.status import run_status
from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK
from mergekit.output.run import show_status


@click.command("status")
@json_option
@repo_option
def command(as_json: bool, cwd: Path) -> int:
    """Show where a paused run stands."""
    show_status(run_status(cwd), chosen("text", as_json))
    return EXIT_OK
