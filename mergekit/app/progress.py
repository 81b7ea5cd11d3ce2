"""The progress callback long use cases accept (check, plan, replay, integrate with --test).

A use case calls `progress(done, total, what)` as it goes — `what` names the step that is about
to run (`feature/x + feature/y`), `done` counts the steps finished. It never prints: the CLI
passes a callback from `mergekit.output.console.reporter` (a bar on a terminal, lines with
--verbose).
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""`progress(done, total, what)`."""


def tick(progress: Progress | None, done: int, total: int, what: str = "") -> None:
    """Call `progress` when there is one."""
    if progress is not None:
        progress(done, total, what)
