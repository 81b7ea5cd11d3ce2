"""CLI command `mergekit replay`: score the resolver on past merges or on case folders.

Loads neither pygit2 nor rich to show its tables (history replay loads pygit2 to merge).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from mergekit.app.replay import replay_cases, replay_history
from mergekit.cli.options import chosen, json_option, repo_option
from mergekit.errors import EXIT_OK, MergekitError
from mergekit.output import replay as out
from mergekit.output.console import reporter


def _since(value: str | None) -> int | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise MergekitError(f"--since {value!r} is not a date: use YYYY-MM-DD") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


@click.command("replay", short_help="Score the resolver on this repository's past merges.")
@click.argument("rev_range", required=False, metavar="[REV-RANGE]")
@click.option(
    "--max-merges", type=click.IntRange(min=1), metavar="N", help="Look at the newest N merge commits only."
)
@click.option("--since", metavar="DATE", help="Only merges committed on or after DATE (YYYY-MM-DD).")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=1, show_default=True, metavar="N", help="Worker processes."
)
@click.option(
    "--cases",
    "cases",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Score a folder of case folders instead.",
)
@click.option(
    "--export",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write the conflicts found as case folders into DIR.",
)
@click.option(
    "--show-different",
    type=click.IntRange(min=0),
    default=0,
    metavar="K",
    help="List the first K 'different' cases.",
)
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["category", "ext", "shape"]),
    help="Add a table by file extension or case shape (repeatable; the category table is always shown).",
)
@json_option
@repo_option
def command(
    rev_range: str | None,
    max_merges: int | None,
    since: str | None,
    jobs: int,
    cases: Path | None,
    export: Path | None,
    show_different: int,
    by: tuple[str, ...],
    as_json: bool,
    cwd: Path,
) -> int:
    """What would mergekit have done on this repository's past merges?

    Recomputes each two-parent merge in memory (nothing is written to the repository), runs the
    resolver on every conflicted file and compares it with what the person committed:
    identical, same modulo whitespace, same lines in another order, DIFFERENT (clean but not
    what the human committed), or left to a human. Files where the human also changed lines
    outside the conflicts are left out and counted. With --cases DIR, scores case folders
    (base/ours/theirs/resolved + meta.json) instead.

    \b
    Examples:
      mergekit replay --max-merges 200
      mergekit replay origin/main~500..origin/main --json
    """
    with reporter("replaying", enabled=not as_json) as progress:
        if cases is not None:
            result = replay_cases(cases, jobs=jobs, progress=progress)
        else:
            result = replay_history(cwd, rev_range, _since(since), max_merges, jobs, export, progress)
    groups = ("category", *[b for b in by if b != "category"])
    out.show_replay(result, chosen("text", as_json), groups, show_different)
    return EXIT_OK
