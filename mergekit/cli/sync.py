"""CLI command `mergekit sync`: merge BASE into a branch with the resolver, commit only when no human
is needed (exit 0 merged or up to date, 1 a human is needed — nothing committed, 2 bad input)."""

from __future__ import annotations

from pathlib import Path

import click

from mergekit.cli.options import chosen, json_option, repo_option


@click.command("sync", short_help="Merge BASE into a branch so a forge can merge it.")
@click.argument("branch", required=False)
@click.option("--with", "base", metavar="BASE", help="The branch to merge in [config: into].")
@click.option(
    "--push", "push_after", is_flag=True, help="Push the branch to its upstream (or origin) afterwards."
)
@json_option
@repo_option
def command(branch: str | None, base: str | None, push_after: bool, as_json: bool, cwd: Path) -> int:
    """Merge BASE into BRANCH (default: the checked-out branch) so a forge can merge it.

    Forges ignore merge drivers, so a pull request whose only conflicts are ones mergekit
    resolves still shows "conflicts". sync merges BASE in memory with mergekit's resolver and
    commits the merge on BRANCH only when nothing needs a human; otherwise it lists the files
    and commits nothing (exit 1). Your checkout is untouched unless BRANCH is checked out: then
    that worktree must be clean, and its files follow the branch as after a `git merge`.

    \b
    Examples:
      mergekit sync --with main                  # the current branch
      mergekit sync feature/x --with origin/main --push
    """
    from mergekit.app.sync import sync_branch
    from mergekit.config import load_settings
    from mergekit.output.sync import show_sync

    settings = load_settings(cwd)
    report = sync_branch(cwd, branch, settings.require("into", base, "--with"), push_after=push_after)
    show_sync(report, chosen("text", as_json))
    return report.exit_code
