"""CLI command `mergekit languages`."""

from __future__ import annotations

import click

from mergekit.cli.options import chosen
from mergekit.errors import EXIT_OK


@click.command("languages")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def command(as_json: bool) -> int:
    """The language profiles: which files each covers and what it unions."""
    from mergekit.output.languages import show_languages
    from mergekit.resolve.profiles import all_profiles

    show_languages(all_profiles(), chosen("text", as_json))
    return EXIT_OK
