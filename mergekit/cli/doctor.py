"""CLI command `mergekit doctor`: will git run mergekit's merge driver, and if not, why (no pygit2)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, repo_option


@click.command("doctor", short_help="Check that git will run the merge driver, and why not.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@repo_option
def command(paths: tuple[str, ...], as_json: bool, cwd: Path) -> int:
    """Check that git will run mergekit's merge driver, and say how to fix what stops it.

    One line per check, with the fix: the git version; merge.mergekit.driver and whether the
    program it names runs; the attributes files that route paths to the driver and whether that
    routing lasts (an uncommitted .gitattributes change does not); for each PATH, whether the
    driver fires (`git check-attr merge`) and which profile applies; merge.conflictStyle;
    MERGEKIT=0; the profiles and their grammars; the tools that regenerate the repository's
    lockfiles. PATHS (relative to the current directory) default to the files of the merge in
    progress, else those both sides changed in the last merge, else a sample per profile.

    Exit codes: 0 all good (warnings allowed), 1 something will not work as you expect, 2 bad input.

    \b
    Examples:
      mergekit doctor
      mergekit doctor src/index.ts package.json
      mergekit doctor --json
    """
    from mergekit.app.doctor import doctor
    from mergekit.output.doctor import show_doctor

    report = doctor(cwd, paths)
    show_doctor(report, chosen("text", as_json))
    return report.exit_code
