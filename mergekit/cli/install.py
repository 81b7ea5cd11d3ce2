"""CLI command `mergekit install`: register the merge driver (needs no pygit2)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen
from mergekit.errors import EXIT_OK

_CWD_HELP = "Run as if started in this directory (anywhere inside the repository)."


@click.command("install")
@click.option("--global", "global_", is_flag=True, help="Use the global git config and attributes file.")
@click.option("--uninstall", is_flag=True, help="Remove exactly what install added.")
@click.option("-C", "cwd", type=click.Path(path_type=Path), default=Path("."), help=_CWD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def command(global_: bool, uninstall: bool, cwd: Path, as_json: bool) -> int:
    """Register mergekit as git's merge driver for the languages it knows.

    Sets merge.mergekit.driver in the repository's git config (--global: your global config)
    and adds `<glob> merge=mergekit` lines for every profile glob to .gitattributes (--global:
    core.attributesFile, default ~/.config/git/attributes), inside a block marked
    `# >>> mergekit >>>`. The block goes first, so your own lines keep precedence; running it
    again changes nothing; --uninstall removes the block and the config keys.
    """
    from mergekit.app.install import install
    from mergekit.output.install import show_install

    show_install(install(cwd, global_=global_, uninstall=uninstall), chosen("text", as_json))
    return EXIT_OK
