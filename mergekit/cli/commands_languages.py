"""CLI command `mergekit languages`: the profiles (shipped and the repository's own), where each comes
from, which files it covers and what it unions; with PATH..., which profile each path gets and why."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import json_option, repo_option
from mergekit.errors import EXIT_OK, EXIT_USAGE


@click.command("languages")
@click.argument("paths", nargs=-1)
@json_option
@repo_option
def languages_cmd(paths: tuple[str, ...], as_json: bool, cwd: Path) -> int:
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
    from mergekit import report_ecosystem
    from mergekit.config import load_settings, work_tree_root
    from mergekit.languages import Attributes, PathLanguages, every_profile, node_kind_problems

    root = work_tree_root(cwd) if cwd.is_dir() else None
    profiles = every_profile(root)
    problems = {s.profile.name: node_kind_problems(s.profile) for s in profiles if s.origin != "shipped"}
    answers = []
    if paths:
        if root is None:
            from mergekit.errors import MergekitError

            raise MergekitError("PATH arguments need a work tree — run inside a repository (or use -C)")
        never = load_settings(cwd).setting("paths.never_resolve")
        attributes = Attributes(root)
        try:
            value = never.value if isinstance(never.value, tuple) else ()
            languages = PathLanguages(root, value, attributes=attributes, policy_origin=never.source)
            answers = [(p, languages.explain(p)) for p in paths]
        finally:
            attributes.close()
    report_ecosystem.print_languages(profiles, problems, answers, as_json)
    return EXIT_USAGE if any(problems.values()) else EXIT_OK


COMMANDS: list[click.Command] = [languages_cmd]
"""The commands this module contributes to the `mergekit` group."""
