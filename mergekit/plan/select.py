"""Which branches a run is about: explicit names and globs matched against the branch list.

Pure: the caller passes the repository's branch names; unknown names and empty globs raise a
`MergekitError` that says what to do.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from mergekit.errors import MergekitError

_GLOB_CHARS = set("*?[")


def is_glob(pattern: str) -> bool:
    """True when `pattern` contains glob characters."""
    return any(ch in _GLOB_CHARS for ch in pattern)


def select_branches(patterns: Sequence[str], local: Sequence[str], remote: Sequence[str]) -> list[str]:
    """Expand names and globs (`feature/*`, `origin/agent-*`) to branch names, first mention wins.

    A plain name must be a local branch or a remote-tracking branch; a glob must match at
    least one of them. Matches of one glob come in name order.
    """
    known = set(local) | set(remote)
    selected: list[str] = []
    for pattern in patterns:
        if is_glob(pattern):
            matches = sorted(n for n in known if fnmatch.fnmatchcase(n, pattern))
            if not matches:
                raise MergekitError(
                    f"no branch matches {pattern!r} — check the pattern (quote it for the shell)"
                )
        elif pattern in known:
            matches = [pattern]
        else:
            raise MergekitError(f"branch {pattern!r} not found — run `git fetch` or check the name")
        selected.extend(m for m in matches if m not in selected)
    return selected
