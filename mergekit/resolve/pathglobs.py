"""Path globs as gitattributes and gitignore read them, for per-path policy (`never_resolve`).

A glob without a `/` matches a file's base name anywhere (`*.lock`); one with a `/` matches the
whole repository path from the top (`migrations/**`, `src/*/schema.sql`). `*` and `?` stay within
one directory level, `**` spans any number of levels, a trailing `/` means "everything under".
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _compile(glob: str) -> re.Pattern[str]:
    pattern = glob.strip()
    if pattern.endswith("/"):
        pattern += "**"
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    return re.compile(body + r"\Z" if anchored else r"(?:.*/)?" + body + r"\Z")


def matches(glob: str, path: str) -> bool:
    """True when the repository path `path` matches `glob`."""
    return bool(_compile(glob).match(path))


def first_match(globs: tuple[str, ...], path: str) -> str | None:
    """The first glob of `globs` that `path` matches, None when none does."""
    return next((g for g in globs if matches(g, path)), None)
