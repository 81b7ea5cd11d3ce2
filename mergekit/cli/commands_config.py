"""CLI command `mergekit config`: the effective configuration and where each value comes from."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import json_option, repo_option
from mergekit.config import load_settings
from mergekit.errors import EXIT_OK, MergekitError


@click.command("config")
@click.argument("key", required=False)
@json_option
@repo_option
def config_cmd(key: str | None, as_json: bool, cwd: Path) -> int:
    """Show the effective configuration: each key's value and where it came from.

    Sources, weakest first: the built-in default, the committed .mergekit.toml at the top of
    the work tree (the team's settings), `git config mergekit.<key>` (yours), and the
    command-line option of the command you run. Unknown keys in either file are an error that
    names the file and line (exit 2). With KEY, print only that key's value.

    \b
    Example .mergekit.toml:
      into = "main"
      test = "npm test"
      strict = true
      [paths]
      never_resolve = ["migrations/**"]

    \b
    Examples:
      mergekit config
      mergekit config into
      git config mergekit.into develop   # a personal override
    """
    from mergekit import report_ecosystem

    settings = load_settings(cwd)
    if key is not None:
        found = [s for s in settings.effective() if s.name == key]
        if not found:
            raise MergekitError(f"unknown key {key!r} — `mergekit config` lists them all")
        report_ecosystem.print_config_value(found[0], as_json)
        return EXIT_OK
    report_ecosystem.print_config(settings, as_json)
    return EXIT_OK


COMMANDS: list[click.Command] = [config_cmd]
"""The commands this module contributes to the `mergekit` group."""
