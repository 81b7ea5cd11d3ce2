"""The one exception type for problems the user can fix, and the exit codes every command uses.

Conflicts are values (see `mergekit.model` and `mergekit.merging`), never exceptions: an
exception here means the input was wrong and nothing was changed. `merge-file` (the git merge
driver) speaks git's driver protocol with the same numbers: 0 clean, 1 conflicts left, 2 bad
usage, and 129 for a crash.
"""

from __future__ import annotations

EXIT_OK = 0
"""Success."""
EXIT_NEEDS_HUMAN = 1
"""A human is needed (conflicts left) or a check failed."""
EXIT_USAGE = 2
"""Bad input or usage; a one-line message on stderr, nothing changed."""
EXIT_BUG = 3
"""An unexpected error inside mergekit (a bug); never mistaken for success."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C), as shells report a SIGINT."""
EXIT_DRIVER_CRASH = 129
"""What `merge-file` exits with on an internal error: git treats > 128 as a driver crash."""


class MergekitError(Exception):
    """A problem the user can fix; the message says what to do. Maps to exit code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
