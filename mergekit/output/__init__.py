"""Everything mergekit prints, and the formats each command offers.

Use cases return values; the command modules (`mergekit.cli`) hand them to the module here that
shows that command's values: `run` (integrate, continue, status, abort), `plan`, `check`,
`resolve`, `install`, `doctor`, `languages`, `replay`, `demo`, `memory`, `merge_file` (the driver's
messages), with `explain` (what the resolver did, hunk by hunk), `collisions`, `workflow` (patch
inputs, wrong bases, test culprits), `words` (how each status is shown) and `commit` (the texts
written into commit messages) shared between them.

`FORMATS` is the registry of formats per command; `--format` choices come from it. This module
and the driver's modules import neither click nor rich (the merge driver loads them): rich is
imported only to show markup on a terminal.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver imports this package
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

FORMATS: dict[str, tuple[str, ...]] = {
    "integrate": ("text", "json"),
    "continue": ("text", "json"),
    "status": ("text", "json"),
    "abort": ("text", "json"),
    "plan": ("text", "json", "mermaid"),
    "check": ("text", "json", "github", "junit"),
    "resolve": ("text", "json"),
    "install": ("text", "json"),
    "doctor": ("text", "json"),
    "languages": ("text", "json"),
    "replay": ("text", "json"),
    "demo": ("text",),
    "memory": ("text", "json"),
}
"""Command → the output formats it offers (the first is the default)."""


def write(text: str, *, err: bool = False) -> None:
    """Write `text` as it is on stdout (or stderr)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


def emit_json(data: dict[str, Any]) -> None:
    """Print one JSON object on stdout (the only way mergekit prints JSON)."""
    import json

    write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def emit_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Print plain lines."""
    write("".join(line + "\n" for line in lines), err=err)


def emit_text(lines: list[str]) -> None:
    """Print lines written in rich markup: styled on a terminal, plain text otherwise."""
    from rich.text import Text

    text = "\n".join(lines)
    if _use_rich():
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(text)
    else:
        write(Text.from_markup(text).plain + "\n")


def escape(text: str) -> str:
    """`text` with rich markup escaped (rich is imported on first use: JSON output never needs it)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def emit_error(message: str) -> None:
    """The one line a user error prints on stderr."""
    write(f"mergekit: error: {message}\n", err=True)


def _use_rich() -> bool:
    if os.environ.get("MERGEKIT_NO_COLOR") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
