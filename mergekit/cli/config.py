"""CLI command `mergekit config`: the effective configuration and where each value comes from."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK, MergekitError


@click.command("config", short_help="Show each setting's value and where it comes from.")
@click.argument("key", required=False)
@json_option
@repo_option
def command(key: str | None, as_json: bool, cwd: Path) -> int:
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
    from mergekit.config import load_settings
    from mergekit.output.config import show_config, show_config_value

    settings = load_settings(cwd)
    fmt = chosen("text", as_json)
    if key is None:
        show_config(settings, fmt)
        return EXIT_OK
    found = [s for s in settings.effective() if s.name == key]
    if not found:
        raise MergekitError(f"unknown key {key!r} — `mergekit config` lists them all")
    show_config_value(found[0], fmt)
    return EXIT_OK
