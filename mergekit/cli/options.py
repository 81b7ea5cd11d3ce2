"""Options several commands share, defined once so that they read and behave the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mergekit.output import FORMATS
from mergekit.workflow.wrongbase import DEFAULT_STALE_AFTER

F = TypeVar("F", bound=Callable[..., Any])


def repo_option(func: F) -> F:
    """`-C PATH`: run as if mergekit was started in PATH (like git's own `-C`)."""
    return click.option(
        "-C",
        "cwd",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="Run as if started in this directory (anywhere inside the repository).",
    )(func)


def json_option(func: F) -> F:
    """`--json`: one JSON object on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")(func)


def stale_after_option(func: F) -> F:
    """`--stale-after N`: a branch based more than N commits behind BASE may be stale."""
    return click.option(
        "--stale-after",
        "stale_after",
        type=click.IntRange(min=0),
        default=DEFAULT_STALE_AFTER,
        show_default=True,
        metavar="N",
        help="Report a branch based more than N commits behind BASE that touches what changed since.",
    )(func)


def into_option(help: str) -> Callable[[F], F]:
    """`--into BASE`: the branch the others go into; `help` says what it is for this command."""
    return click.option("--into", "into", metavar="BASE", help=f"{help} [config: into].")


def order_option(func: F) -> F:
    """`--order auto|given`: the planned order, or the order of the arguments."""
    return click.option(
        "--order",
        type=click.Choice(["auto", "given"]),
        help="auto: dependencies first, least contested next; given: as the arguments list them "
        "[config: order; default: auto].",
    )(func)


def format_option(command: str, help: str) -> Callable[[F], F]:
    """`--format`: the formats `mergekit.output.FORMATS` registers for `command`."""
    choices = FORMATS[command]
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help=help
    )


def chosen(fmt: str, as_json: bool) -> str:
    """The output format: `json` when `--json` was given, else `fmt`."""
    return "json" if as_json else fmt
