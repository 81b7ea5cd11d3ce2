"""CLI command `mergekit resolve`: resolve files a plain `git merge` left conflicted (needs no pygit2)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, repo_option
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK


@click.command("resolve", short_help="Resolve the files a plain `git merge` left conflicted.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--add", is_flag=True, help="`git add` the files that became clean.")
@click.option("--explain", is_flag=True, help="Show, hunk by hunk, what was unioned (or why not).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@repo_option
def command(paths: tuple[str, ...], add: bool, explain: bool, as_json: bool, cwd: Path) -> int:
    """Resolve files left conflicted by a plain `git merge` (or rebase, cherry-pick).

    Reads each conflicted file's base, ours and theirs from the index (stages 1, 2, 3), runs
    the resolver (then the resolution memory), and writes the result into the work tree: clean
    where the conflicts were append-only or remembered, git's markers where a human is needed.
    The index is not touched unless --add is given. Files deleted on one side are reported,
    not touched. PATHS (default: every conflicted file) are relative to the current directory.

    Exit codes: 0 every file resolved, 1 some files still need a human, 2 bad input.

    \b
    Examples:
      git merge feature/x; mergekit resolve --add
      mergekit resolve src/index.ts --explain
    """
    from mergekit.app.resolve_worktree import RepositoryMemory, resolve_worktree
    from mergekit.output.resolve import show_resolve

    report = resolve_worktree(cwd, paths, add=add, memory=RepositoryMemory(cwd))
    show_resolve(report, chosen("text", as_json), explain=explain, added=add)
    return EXIT_NEEDS_HUMAN if report.needs_human else EXIT_OK
