"""Last checks on a structurally merged file, before it may be called clean.

Each check is a reason to throw the structural result away and hand git's conflict to a human:

- a line that is in none of base, ours and theirs (text glued or garbled by rendering);
- a line one side added that is missing (an addition dropped);
- an import one side added whose name the merged file never uses (the other side removed the use);
- a key (signature or identity) that the merge gives more distinct entries than any side had, or
  an entry held more often than by any side (see `mergekit.resolve.duplicates`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache

from mergekit.resolve.items import Item, spellings
from mergekit.resolve.profiles import Container

_TRAILING = b",;"
_SPACED = re.compile(rb"[\s,;]+")


_WORDY = re.compile(rb"[A-Za-z0-9\x80-\xff]")


def line_counts(data: bytes) -> Counter[bytes]:
    """How often each line occurs, as lines are compared here: without indentation, trailing
    spaces and a trailing `,`/`;`; lines without a letter or digit (blank lines, lone brackets)
    left out. A copy of what `_counted` keeps: one merge counts the same versions several times."""
    return Counter(_counted(data))


@lru_cache(maxsize=8)
def _counted(data: bytes) -> Counter[bytes]:
    counts = Counter([line.strip().rstrip(_TRAILING).strip() for line in data.splitlines()])
    for key in [key for key in counts if not _WORDY.search(key)]:
        del counts[key]
    return counts


def _loose(key: bytes) -> bytes:
    """A line key with every `,`, `;` and space taken out (a separator added before a comment)."""
    return _SPACED.sub(b"", key)


def line_damage(
    merged: bytes, base: bytes, ours: bytes, theirs: bytes, rewritten: bytes = b"", replaced: bytes = b""
) -> str | None:
    """Why the merged text is not made of its inputs' lines, or None when it is.

    Invented: a line in none of the inputs (whitespace, a trailing separator, and a separator put
    before a trailing comment do not count), other than the `rewritten` lines of one-line lists
    the resolver unioned. Lost: a line ours or theirs added that the result does not hold (nor a
    longer version of it: the same entry with the other side's comment after it), other than the
    `replaced` lines those one-line unions rewrote.
    """
    result, b, o, t = line_counts(merged), line_counts(base), line_counts(ours), line_counts(theirs)
    known = set(b) | set(o) | set(t) | set(line_counts(rewritten))
    loose = {_loose(k) for k in known}
    for line in result:
        if line not in known and _loose(line) not in loose:
            return f"the merged text would hold a line no side has: {line[:80].decode('utf-8', 'replace')!r}"
    missing = [line for line in (set(o) | set(t)) - set(b) - set(line_counts(replaced)) if line not in result]
    if missing:
        # a line the other side wrote with a comment after it is kept, comment and all
        longer = sorted(result)
        for line in missing:
            at = bisect.bisect_left(longer, line)
            if not (at < len(longer) and longer[at].startswith(line)):
                return f"a line one side added would be lost: {line[:80].decode('utf-8', 'replace')!r}"
    return None


def unused_import(merged: bytes, added: list[tuple[Item, Container]]) -> str | None:
    """An import one side added whose name the merged file never uses: the other side dropped its use."""
    for item, spec in added:
        if spec.reexport and re.search(spec.reexport, item.body.decode("utf-8", "replace")):
            continue  # a re-export is used by other files
        for name in item.names:
            if not any(_used(merged, item.body, alias) for alias in spellings(name, spec)):
                return f"{item.key[:80]!r} was added but {name!r} is not used in the merged file"
    return None


def _used(merged: bytes, body: bytes, name: str) -> bool:
    """True when `name` occurs in the merged file outside the import that binds it."""
    pattern = re.compile(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])")
    return len(pattern.findall(merged)) > len(pattern.findall(body))
