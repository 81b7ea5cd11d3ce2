"""CLI commands around the resolver: merge-file (for --help), install, resolve, languages.

`mergekit merge-file` normally never reaches click (`mergekit.entry` sends it straight to
`mergekit.driver`, the fast path git runs per file); the click command here forwards to the same
function so that it is listed in `mergekit --help`. The other commands parse, call one use case
(`mergekit.install`, `mergekit.worktree_conflicts`, `mergekit.resolve.profiles`), print plain
text or one JSON object, and return the exit code. None of them needs pygit2.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK
from mergekit.resolve.types import HunkReport


def _echo_json(data: dict[str, Any]) -> None:
    # a path byte that is not UTF-8 (a surrogate escape) goes out as its `\udcXX` escape: valid JSON
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(re.sub("[\udc80-\udcff]", lambda m: f"\\u{ord(m.group()):04x}", text))


_CWD_HELP = "Run as if started in this directory (anywhere inside the repository)."


@click.command(
    "merge-file",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
    short_help="The git merge driver: merge BASE OURS THEIRS into OURS.",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def merge_file_cmd(args: tuple[str, ...]) -> int:
    """The git merge driver (see `mergekit merge-file --help`)."""
    from mergekit.driver import merge_file_main

    return merge_file_main(list(args))


@click.command("install")
@click.option("--global", "global_", is_flag=True, help="Use the global git config and attributes file.")
@click.option("--uninstall", is_flag=True, help="Remove exactly what install added.")
@click.option("-C", "cwd", type=click.Path(path_type=Path), default=Path("."), help=_CWD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def install_cmd(global_: bool, uninstall: bool, cwd: Path, as_json: bool) -> int:
    """Register mergekit as git's merge driver for the languages it knows.

    Sets merge.mergekit.driver in the repository's git config (--global: your global config)
    and adds `<glob> merge=mergekit` lines for every profile glob to .gitattributes (--global:
    core.attributesFile, default ~/.config/git/attributes), inside a block marked
    `# >>> mergekit >>>`. The block goes first, so your own lines keep precedence; running it
    again changes nothing; --uninstall removes the block and the config keys.
    """
    from mergekit.install import install

    report = install(cwd, global_=global_, uninstall=uninstall)
    if as_json:
        data = asdict(report)
        data["attributes_file"] = str(report.attributes_file)
        data["changed"] = report.changed
        _echo_json(data)
        return EXIT_OK
    where = "global git config" if global_ else "repository git config"
    if uninstall:
        if not report.changed:
            click.echo(
                f"mergekit was not installed: nothing to remove from the {where} or {report.attributes_file}."
            )
        else:
            click.echo(
                f"Removed the mergekit merge driver from the {where} and from {report.attributes_file}."
            )
        return EXIT_OK
    state = "Installed" if report.changed else "Already installed (nothing changed)"
    click.echo(f"{state}: the mergekit merge driver, in the {where}:")
    click.echo(f"  merge.mergekit.driver = {report.driver}")
    click.echo(f"  {len(report.globs)} globs routed to it in {report.attributes_file}")
    if report.kept_user_globs:
        click.echo(f"  kept your own merge attribute for: {' '.join(report.kept_user_globs)}")
    if not global_ and report.attributes_changed:
        click.echo("Commit .gitattributes to share the routing; each clone still needs `mergekit install`.")
    return EXIT_OK


def _hunk_json(hunk: HunkReport) -> dict[str, Any]:
    return asdict(hunk)


@click.command("resolve")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--add", is_flag=True, help="`git add` the files that became clean.")
@click.option("--explain", is_flag=True, help="Show, hunk by hunk, what was unioned (or why not).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@click.option("-C", "cwd", type=click.Path(path_type=Path), default=Path("."), help=_CWD_HELP)
def resolve_cmd(paths: tuple[str, ...], add: bool, explain: bool, as_json: bool, cwd: Path) -> int:
    """Resolve files left conflicted by a plain `git merge` (or rebase, cherry-pick).

    Reads each conflicted file's base, ours and theirs from the index (stages 1, 2, 3), runs
    the resolver, and writes the result into the work tree: clean where the conflicts were
    append-only, git's markers where a human is needed. The index is not touched unless
    --add is given. Files deleted on one side are reported, not touched. PATHS (default:
    every conflicted file) are relative to the current directory.

    Exit codes: 0 every file resolved, 1 some files still need a human, 2 bad input.
    """
    from mergekit.driver import explain_lines
    from mergekit.worktree_conflicts import resolve_worktree

    report = resolve_worktree(cwd, paths, add=add)
    code = EXIT_NEEDS_HUMAN if report.needs_human else EXIT_OK
    if as_json:
        data = report.to_json()
        if explain:
            for entry, outcome in zip(data["files"], report.files, strict=True):
                hunks = outcome.resolution.hunks if outcome.resolution else ()
                entry["hunks"] = [_hunk_json(h) for h in hunks]
        _echo_json(data)
        return code
    if not report.files:
        click.echo("No conflicted files: nothing to resolve.")
        return code
    width = max(len(f.path) for f in report.files)
    for outcome in report.files:
        added = " (added)" if outcome.added else ""
        click.echo(f"{outcome.status:<9} {outcome.path:<{width}}  {outcome.reason}{added}")
        if explain and outcome.resolution is not None:
            for line in explain_lines(outcome.resolution, outcome.path):
                click.echo("    " + line.removeprefix("mergekit: "))
    resolved = [f.path for f in report.files if f.status == "resolved"]
    click.echo(f"{len(resolved)} of {len(report.files)} conflicted files resolved.")
    if resolved and not add:
        click.echo("Review them, then `git add` them (or run `mergekit resolve --add`).")
    if report.needs_human:
        click.echo("The others need you: edit them, `git add` them, then commit.")
    return code


@click.command("languages")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def languages_cmd(as_json: bool) -> int:
    """The language profiles: which files each covers and what it unions."""
    from mergekit.resolve.profiles import all_profiles

    profiles = all_profiles()
    if as_json:
        _echo_json(
            {
                "profiles": [
                    {
                        "name": p.name,
                        "description": p.description,
                        "globs": list(p.globs),
                        "grammar": p.grammar,
                        "containers": [{"name": c.name, "description": c.description} for c in p.containers],
                    }
                    for p in profiles
                ]
            }
        )
        return EXIT_OK
    if not profiles:
        click.echo("No language profiles installed: every file gets git's plain line merge.")
        return EXIT_OK
    for p in profiles:
        click.echo(f"{p.name} — {p.description}")
        click.echo(f"  files: {' '.join(p.globs)}")
        for c in p.containers:
            click.echo(f"  unions {c.name}: {c.description}")
        click.echo("")
    click.echo("Files matching no profile get git's plain line merge (byte for byte `git merge-file`).")
    return EXIT_OK


COMMANDS: list[click.Command] = [merge_file_cmd, install_cmd, resolve_cmd, languages_cmd]
