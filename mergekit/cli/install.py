"""CLI command `mergekit install`: register the merge driver (needs no pygit2)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, repo_option
from mergekit.errors import EXIT_OK, MergekitError
from mergekit.model import InstallScope


@click.command("install", short_help="Register mergekit as git's merge driver.")
@click.option(
    "--shared", is_flag=True, help="Write the committed .gitattributes block for the team (commit it)."
)
@click.option("--global", "global_", is_flag=True, help="Use the global git config and attributes file.")
@click.option("--uninstall", is_flag=True, help="Remove exactly what install (with the same option) added.")
@repo_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def command(shared: bool, global_: bool, uninstall: bool, cwd: Path, as_json: bool) -> int:
    """Register mergekit as git's merge driver for the languages it knows.

    Without options, for this clone: sets merge.mergekit.driver in the repository's git config
    and adds `<glob> merge=mergekit` lines for every profile glob to .git/info/attributes (shared
    by linked worktrees, never committed, untouched by checkout, reset and stash).

    --shared writes the lines into .gitattributes instead, for the whole team: commit it; every
    other clone still needs the config (`mergekit install` there). --global uses your global
    config and core.attributesFile (default ~/.config/git/attributes).

    The lines sit in a block marked `# >>> mergekit >>>`, first in the file, so your own lines
    keep precedence (in .git/info/attributes the block repeats the merge attributes your
    .gitattributes set, for the same reason). Running it again changes nothing; --uninstall
    removes the block and the config keys. `mergekit doctor` checks that the driver will fire.
    The globs of the repository's own profiles (.mergekit/grammars/*.toml) are routed too.

    \b
    Examples:
      mergekit install
      mergekit install --shared
      mergekit install --global
      mergekit install --uninstall
    """
    from mergekit.app.install import install
    from mergekit.output.install import show_install

    if shared and global_:
        raise MergekitError("--shared and --global exclude each other: choose one")
    scope = InstallScope.SHARED if shared else InstallScope.GLOBAL if global_ else InstallScope.CLONE
    show_install(install(cwd, scope=scope, uninstall=uninstall), chosen("text", as_json))
    return EXIT_OK
