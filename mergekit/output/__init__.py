"""Everything mergekit prints, and the formats each command offers.

Use cases return values; the command modules (`mergekit.cli`) hand them to the module here that
shows that command's values: `run` (integrate, continue, status, abort), `plan`, `check`,
`resolve`, `install`, `doctor`, `languages`, `replay`, `demo`, `memory`, `config`, `sync`,
`review`, `undo`, `merge_file` (the driver's messages) and `github_action` (the GitHub Action's
lines and pull request comment), with `explain` (what the resolver did, hunk by hunk),
`collisions`, `workflow` (patch inputs, wrong bases, test culprits), `words` (how each status is
shown), `commit` (the texts written into commit messages) and `console` (--quiet, --verbose,
--color and the progress display) shared between them.

`FORMATS` is the registry of formats per command; `--format` choices come from it. This module
and the driver's modules import neither click nor rich (the merge driver loads them): rich is
imported only to show markup on a terminal.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver imports this package
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
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
    "config": ("text", "json"),
    "sync": ("text", "json"),
    "review": ("text", "json"),
    "undo": ("text", "json"),
    "memory": ("text", "json"),
}
"""Command → the output formats it offers (the first is the default)."""


def _escape_undecoded(text: str, escape: Callable[[int], str]) -> str:
    """`text` with each byte of a name that is not UTF-8 — a surrogate escape `\\udc80` to `\\udcff`,
    as Python and pygit2 hand such bytes out — replaced by `escape` of its code point."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(escape(ord(c)) if "\udc80" <= c <= "\udcff" else c for c in text)
    return text  # the common case, without looking at each character in Python


def visible(text: str) -> str:
    """`text` with each byte of a name that is not UTF-8 written as git quotes it (`caf\\351.txt`).

    git names files with bytes; Python hands the undecodable ones out as surrogate escapes, which
    no UTF-8 stream can print. Written as git's own quoting writes them, output stays valid UTF-8.
    """
    return _escape_undecoded(text, lambda code: f"\\{code - 0xDC00:03o}")


def write(text: str, *, err: bool = False) -> None:
    """Write `text` on stdout (or stderr); bytes of names that are not UTF-8 as git quotes them."""
    stream = sys.stderr if err else sys.stdout
    stream.write(visible(text))
    stream.flush()


def emit_json(data: dict[str, Any]) -> None:
    """Print one JSON object on stdout (the only way mergekit prints JSON).

    A byte of a name that is not UTF-8 appears as its `\\udcXX` escape, so the output stays valid
    UTF-8 (`json.loads`, then `os.fsencode`, gives the byte back).
    """
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    write(_escape_undecoded(text, lambda code: f"\\u{code:04x}") + "\n")


def emit_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Print plain lines."""
    write("".join(line + "\n" for line in lines), err=err)


def emit_text(lines: list[str]) -> None:
    """Print lines written in rich markup: styled when colours are on (`--color`, `NO_COLOR`, git's
    `color.ui`, a terminal: `mergekit.output.console.use_color`), plain text otherwise."""
    from rich.text import Text

    from mergekit.output.console import use_color

    text = visible("\n".join(lines))
    if use_color():
        from rich.console import Console

        Console(highlight=False, soft_wrap=True, force_terminal=True).print(text)
    else:
        write(Text.from_markup(text).plain + "\n")


def escape(text: str) -> str:
    """`text` with rich markup escaped (rich is imported on first use: JSON output never needs it)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def emit_error(message: str) -> None:
    """The one line a user error prints on stderr."""
    write(f"mergekit: error: {message}\n", err=True)
