"""The per-file time limit of the structural merge, checked inside every long loop.

A `Deadline` is created once per file and handed down to the container search, the slot cutting
and the key-path code; when it passes, `OutOfTime` unwinds to `resolve_file`, which returns git's
own line merge. Checking the clock costs about 50 ns, so loops check it every few iterations.
"""

from __future__ import annotations

import time


class OutOfTime(Exception):
    """The per-file time limit passed: give up on the structural merge of this file."""


class Deadline:
    """A point in time after which structural work on one file stops."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        """The limit this deadline was made with."""
        self.at = time.monotonic() + seconds
        """The `time.monotonic()` value at which the work stops."""

    def check(self) -> None:
        """Raise `OutOfTime` when the deadline has passed."""
        if time.monotonic() > self.at:
            raise OutOfTime


NO_DEADLINE = Deadline(float("inf"))
"""For callers outside a resolution (collision rules, tests): never runs out."""
