"""CLI command `mergekit demo`."""

from __future__ import annotations

import click

from mergekit.app.demo import run_demo
from mergekit.errors import EXIT_OK
from mergekit.output.demo import show_demo


@click.command("demo", short_help="Integrate five feature branches in a temporary repository.")
@click.option("--keep", is_flag=True, help="Keep the demo repository (its path is printed).")
def command(keep: bool) -> int:
    """Build the five-feature TypeScript app in a temporary repository and integrate it, narrating.

    \b
    Examples:
      mergekit demo
      mergekit demo --keep
    """
    show_demo(run_demo(keep))
    return EXIT_OK
