"""How much to say and in what colours: `--quiet`, `--verbose`, `--color`, and the progress display.

Every command accepts `-q/--quiet` (no human-readable text on stdout; machine formats such as
`--json` still print), `--verbose` (progress as plain lines on stderr, even when stderr is not
a terminal) and `--color auto|always|never`. `auto` colours a terminal unless `NO_COLOR` (or
`MERGEKIT_NO_COLOR`) is set or git's `color.ui` is `never`/`false`. The command line records
the options here (`configure`); `mergekit.output.emit_text` asks `use_color`.

Long runs report progress through a callback (`mergekit.app.progress.Progress`); `reporter()`
turns it into a rich progress bar on a terminal, plain lines with `--verbose`, nothing
otherwise. The use cases never import this module: they call the callback they were given.
Standard library at import (rich is loaded only to draw).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Literal

from mergekit.app.progress import Progress

ColorMode = Literal["auto", "always", "never"]
COLOR_MODES: tuple[ColorMode, ...] = ("auto", "always", "never")
"""The values of `--color`."""


@dataclass
class UiSettings:
    """What the current command was asked for."""

    quiet: bool = False
    """`--quiet`: no human-readable text on stdout."""
    verbose: bool = False
    """`--verbose`: progress as lines on stderr."""
    color: ColorMode = "auto"
    """`--color`."""
    git_color: str | None = None
    """git's `color.ui` (read once per command, when `auto` needs it)."""


_UI = UiSettings()


def ui() -> UiSettings:
    """The settings of the command being run."""
    return _UI


def configure(*, quiet: bool | None = None, verbose: bool | None = None, color: str | None = None) -> None:
    """Record the command's `--quiet`, `--verbose` and `--color` (None: leave as is)."""
    if quiet is not None:
        _UI.quiet = quiet
    if verbose is not None:
        _UI.verbose = verbose
    if color is not None:
        _UI.color = "always" if color == "always" else "never" if color == "never" else "auto"


def reset() -> None:
    """Back to the defaults (each command run starts from them)."""
    configure(quiet=False, verbose=False, color="auto")
    _UI.git_color = None


def _git_color_ui() -> str:
    if _UI.git_color is None:
        from mergekit.engine.gitcli import run_git
        from mergekit.errors import MergekitError

        try:
            _UI.git_color = run_git(["config", "--get", "color.ui"], check=False).text.strip().lower()
        except MergekitError:
            _UI.git_color = ""
    return _UI.git_color


def use_color(stream: IO[str] | None = None) -> bool:
    """True when text for `stream` (default stdout) should be styled."""
    mode = _UI.color
    if mode == "never":
        return False
    if mode == "always":
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("MERGEKIT_NO_COLOR"):
        return False
    git = _git_color_ui()
    if git in ("never", "false", "off", "no", "0"):
        return False
    if git == "always":
        return True
    target = stream if stream is not None else sys.stdout
    return bool(getattr(target, "isatty", lambda: False)())


@contextmanager
def reporter(label: str, *, enabled: bool = True) -> Iterator[Progress | None]:
    """A progress callback for a long run: a rich bar on a terminal, lines with --verbose, else None.

    `enabled=False` (e.g. with --json on a terminal, where a bar would only get in the way of
    the answer) still gives lines with --verbose.
    """
    if _UI.quiet:
        yield None
        return
    if enabled and sys.stderr.isatty() and _UI.color != "never" and not _UI.verbose:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        with RichProgress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[what]}"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=None, what="")

            def update(done: int, total: int, what: str = "") -> None:
                bar.update(task, completed=done, total=total or None, what=what)

            yield update
        return
    if _UI.verbose:

        def line(done: int, total: int, what: str = "") -> None:
            from mergekit.output import write  # names that are not UTF-8 quoted as git quotes them

            write(f"mergekit: {label} {done}/{total}" + (f": {what}\n" if what else "\n"), err=True)

        yield line
        return
    yield None
