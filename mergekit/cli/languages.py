"""CLI command `mergekit languages`: the profiles (shipped and the repository's own), where each comes
from, which files it covers and what it unions; with PATH..., which profile each path gets and why.
Needs no pygit2."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK, EXIT_USAGE


@click.command("languages", short_help="List the language profiles and what each one unions.")
@click.argument("paths", nargs=-1)
@json_option
@repo_option
def command(paths: tuple[str, ...], as_json: bool, cwd: Path) -> int:
    """The language profiles: where each comes from, which files it covers and what it unions.

    Shipped profiles come with mergekit; a repository adds its own in .mergekit/grammars/*.toml
    (same format and checks; a profile named like a shipped one replaces it here). Per path,
    the gitattributes `mergekit-language=NAME` (or GitHub's `linguist-language=NAME`) picks the
    profile, `mergekit=off` turns the union off, and `[paths] never_resolve` in .mergekit.toml
    keeps git's plain line merge. With PATH..., says which profile each path gets and why.
    Exit 2 when a repository profile names node kinds its grammar does not have.

    \b
    Examples:
      mergekit languages
      mergekit languages src/index.ts migrations/0002.py
      echo 'routes/*.txt mergekit-language=requirements' >> .gitattributes
    """
    from mergekit.app.languages import languages_report
    from mergekit.output.languages import show_languages

    report = languages_report(cwd, paths)
    show_languages(report, chosen("text", as_json))
    return EXIT_USAGE if report.has_problems else EXIT_OK
