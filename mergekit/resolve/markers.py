"""Conflict markers: the one reader and writer of git's `<<<<<<<`, `|||||||`, `=======`, `>>>>>>>` lines.

A marker line is `size` copies of one marker character (7 unless `conflict-marker-size` says
otherwise), then the end of the line, or a space or tab and a label (`<<<<<<< HEAD`). Eight `<`
are not a marker of size seven. Lines are git's lines: split on `\n`, a `\r` before it ignored.
Standard library only: the merge driver, `mergekit resolve`, `continue`, `check` and `replay`
all read markers through here.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from mergekit.resolve.values import value

MARKER_SIZE = 7
"""git's default conflict-marker length (the `conflict-marker-size` attribute changes it per path)."""

OPEN, BASE, MIDDLE, CLOSE = b"<", b"|", b"=", b">"
"""The marker characters: ours starts, base starts (diff3), theirs starts, the block ends."""


@lru_cache(maxsize=32)
def _pattern(chars: bytes, size: int) -> re.Pattern[bytes]:
    """Marker lines of `size` made of any of `chars`; group 1 is the run, group 2 the label."""
    runs = b"|".join(re.escape(c * size) for c in (bytes([b]) for b in chars))
    return re.compile(rb"^(" + runs + rb")(?:[ \t]([^\n]*?))?\r?$", re.MULTILINE)


_FIRST = frozenset((OPEN, BASE, MIDDLE, CLOSE))
"""The first byte of every marker line."""


def _may_hold(text: bytes, chars: bytes, size: int) -> bool:
    """False when `text` holds no run of `size` of any of `chars`, so no marker line: the pattern
    need not be compiled (the merge driver checks every input it is given)."""
    return any(bytes([b]) * size in text for b in chars)


def _kind(line: bytes, size: int) -> tuple[bytes, str] | None:
    """(marker character, label) when `line` is a marker line of `size`, else None."""
    if line[:1] not in _FIRST:
        return None  # most lines: no pattern to run
    match = _pattern(OPEN + BASE + MIDDLE + CLOSE, size).match(line.rstrip(b"\n"))
    if match is None:
        return None
    return match.group(1)[:1], (match.group(2) or b"").decode("utf-8", "replace")


def contains_markers(text: bytes, size: int = MARKER_SIZE) -> bool:
    """True when any line of `text` is an opening, middle or closing marker (already conflicted input)."""
    chars = OPEN + MIDDLE + CLOSE
    return _may_hold(text, chars, size) and _pattern(chars, size).search(text) is not None


def has_conflict(text: bytes, size: int = MARKER_SIZE) -> bool:
    """True when `text` still holds an opening and a closing marker line (a conflict not yet settled)."""
    if not (_may_hold(text, OPEN, size) and _may_hold(text, CLOSE, size)):
        return False
    return _pattern(OPEN, size).search(text) is not None and _pattern(CLOSE, size).search(text) is not None


def marker_lines(text: bytes, size: int = MARKER_SIZE) -> Counter[bytes]:
    """Every marker line of `text` of any kind (an opening without its closing too, a lone
    separator), without its line end, with how often it occurs."""
    found = _pattern(OPEN + BASE + MIDDLE + CLOSE, size).finditer(text)
    return Counter(m.group().rstrip(b"\r") for m in found)


def count_conflicts(text: bytes, size: int = MARKER_SIZE) -> int:
    """How many opening marker lines `text` holds."""
    return len(_pattern(OPEN, size).findall(text)) if _may_hold(text, OPEN, size) else 0


def labels(text: bytes, size: int = MARKER_SIZE) -> dict[str, str]:
    """The labels of the first ours, base and theirs markers (`{"ours": "HEAD", ...}`), where present."""
    found: dict[str, str] = {}
    for char, side in ((OPEN, "ours"), (BASE, "base"), (CLOSE, "theirs")):
        match = _pattern(char, size).search(text)
        if match is not None and match.group(2):
            found[side] = match.group(2).decode("utf-8", "replace")
    return found


def split_lines(text: bytes) -> list[bytes]:
    """git's lines of `text`, each with its `\\n` (the last one may lack it)."""
    parts = text.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


@value
class Block:
    """One conflict block: each side's lines (with their line ends) and the markers' labels."""

    ours: tuple[bytes, ...]
    """Lines between the opening marker and the base or middle marker."""
    base: tuple[bytes, ...] | None
    """Lines of the base section (diff3 and zdiff3 styles), None without one."""
    theirs: tuple[bytes, ...]
    """Lines between the middle marker and the closing marker."""
    ours_label: str = ""
    """The opening marker's label."""
    theirs_label: str = ""
    """The closing marker's label."""


class _Open:
    """A block being read: its lines as written (markers included) and each section so far."""

    __slots__ = ("base", "label", "ours", "raw", "section", "theirs")

    def __init__(self, raw: list[bytes], label: str) -> None:
        self.raw = raw
        self.label = label
        self.section = "ours"
        self.ours: list[bytes] = []
        self.base: list[bytes] | None = None
        self.theirs: list[bytes] = []

    def add(self, line: bytes) -> None:
        target = {"ours": self.ours, "base": self.base, "theirs": self.theirs}[self.section]
        assert target is not None
        target.append(line)

    def close(self, label: str) -> Block:
        base = tuple(self.base) if self.base is not None else None
        return Block(tuple(self.ours), base, tuple(self.theirs), self.label, label)


def parse(text: bytes, size: int = MARKER_SIZE) -> list[bytes | Block]:
    """`text` as a sequence of plain lines and conflict blocks, in order.

    A block that is never closed is not a conflict: its lines, markers included, stay plain.
    """
    out: list[bytes | Block] = []
    block: _Open | None = None
    for line in split_lines(text):
        marker = _kind(line, size)
        char, label = marker if marker is not None else (b"", "")
        if block is None:
            if char == OPEN:
                block = _Open(raw=[line], label=label)
            else:
                out.append(line)
            continue
        block.raw.append(line)
        if block.section == "ours" and char == BASE:
            block.section, block.base = "base", []
        elif block.section in ("ours", "base") and char == MIDDLE:
            block.section = "theirs"
        elif block.section == "theirs" and char == CLOSE:
            out.append(block.close(label))
            block = None
        else:
            block.add(line)
    if block is not None:
        out.extend(block.raw)
    return out


def conflict_block(
    ours: bytes, theirs: bytes, ours_label: str, theirs_label: str, size: int = MARKER_SIZE
) -> bytes:
    """A conflict block (merge style) holding `ours` then `theirs`, each ending with a line end."""

    def marker(char: bytes, label: str = "") -> bytes:
        return char * size + (b" " + label.encode("utf-8") if label else b"") + b"\n"

    def ended(text: bytes) -> bytes:
        return text if not text or text.endswith(b"\n") else text + b"\n"

    return (
        marker(OPEN, ours_label) + ended(ours) + marker(MIDDLE) + ended(theirs) + marker(CLOSE, theirs_label)
    )
