"""Reading gitattributes files: which lines set the `merge` attribute, and how they read from the top.

`mergekit install` routes the profiles' globs to the driver from `info/attributes`, which git reads
*after* every `.gitattributes` (it has the highest precedence). So that the user's own choices
(`package-lock.json -merge`, `*.lock binary`, `CHANGELOG.md merge=union`) keep winning, the lines
of the repository's `.gitattributes` files that set a merge attribute are repeated after the
routing, each rewritten to read from the top of the work tree (gitattributes(5): a pattern
without a slash matches at any depth below its file's folder; one with a slash is relative to
that folder). Only the merge attribute is repeated, so nothing else about a path changes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from pathlib import Path

from mergekit.engine.gitcli import run_git

FILE_NAME = ".gitattributes"
"""The per-directory attributes file git reads from the work tree."""
MACRO_PREFIX = "[attr]"
"""A line defining a macro attribute starts with this."""
BUILTIN_MACROS = {"binary": "-merge"}
"""git's built-in macros that set the merge attribute (`binary` is `-diff -merge -text`)."""


def merge_state(word: str, macros: dict[str, str]) -> str | None:
    """The merge setting one attribute word makes (`merge=X`, `merge`, `-merge`, `!merge`), or None."""
    if word in ("merge", "-merge", "!merge") or word.startswith("merge="):
        return word
    return macros.get(word)


def _macros(texts: Sequence[str]) -> dict[str, str]:
    """Macros (git's and the files' `[attr]name ...` lines) that set the merge attribute."""
    found = dict(BUILTIN_MACROS)
    for text in texts:
        for line in text.splitlines():
            words = line.split()
            if not words or not words[0].startswith(MACRO_PREFIX):
                continue
            name = words[0][len(MACRO_PREFIX) :]
            state = None
            for word in words[1:]:
                state = merge_state(word, found) or state
            if name and state is not None:
                found[name] = state
    return found


def from_top(folder: str, pattern: str) -> str | None:
    """`pattern` of the attributes file in `folder` (a repository path, "" at the top), rewritten
    to match the same paths from the top of the work tree; None when it cannot be (quoted)."""
    if not folder:
        return pattern
    if pattern.startswith('"'):
        return None
    if "/" in pattern:
        return f"{folder}/{pattern.lstrip('/')}"
    return f"{folder}/**/{pattern}"


def merge_lines(files: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The lines of `files` ((repository path of the attributes file, its text), outermost first)
    that set a merge attribute, as `<pattern from the top> <merge setting>`, in git's order of
    precedence (later lines win)."""
    macros = _macros([text for _, text in files])
    ordered = sorted(files, key=lambda f: (f[0].count("/"), f[0]))
    lines: list[str] = []
    for where, text in ordered:
        folder = posixpath.dirname(where)
        for line in text.splitlines():
            words = line.split()
            if not words or words[0].startswith(("#", MACRO_PREFIX, "!")) or words[0].endswith("/"):
                continue
            state = None
            for word in words[1:]:
                state = merge_state(word, macros) or state
            pattern = from_top(folder, words[0])
            if state is not None and pattern is not None:
                lines.append(f"{pattern} {state}")
    return tuple(lines)


def sets_driver(text: str, driver: str) -> list[str]:
    """The lines of `text` that hand paths to the merge driver named `driver`."""
    macros = _macros([text])
    found = []
    for line in text.splitlines():
        words = line.split()
        if len(words) < 2 or words[0].startswith(("#", MACRO_PREFIX)):
            continue
        if any(merge_state(w, macros) == f"merge={driver}" for w in words[1:]):
            found.append(line.strip())
    return found


def attributes_files(root: Path) -> list[str]:
    """The `.gitattributes` files of the work tree at `root` (repository paths): the tracked ones,
    and the top one even when it is not tracked (git reads it all the same)."""
    listed = run_git(["ls-files", "-z", "--full-name", "--", f":(glob)**/{FILE_NAME}"], root).stdout
    found = {p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p}
    if (root / FILE_NAME).is_file():
        found.add(FILE_NAME)
    return sorted(found, key=lambda p: (p.count("/"), p))
