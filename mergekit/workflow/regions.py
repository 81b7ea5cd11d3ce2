"""Conflict regions keyed on their content: the pure half of the resolution memory (no git).

A conflicted text (git's markers, with the base section: the `zdiff3` style) is common text
and regions, each region with its ours, base and theirs lines. A region's key is a hash of its
normalized content — line endings and trailing blanks ignored, ours and theirs in either order
(the same disagreement seen from the other side is the same conflict) — so a resolution a
person made once can be recognized wherever the same region appears again, whatever else the
file holds. `extract_resolutions` finds, in the file the person committed, what each region
became; `Conflicted.fill` puts remembered resolutions back.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from mergekit.resolve.markers import MARKER_SIZE, Block, parse, split_lines

_SENTINEL = b"\0mergekit-region\0"


@dataclass(frozen=True)
class Region:
    """One conflicting region: the lines of each side."""

    ours: bytes
    """Ours' lines."""
    base: bytes
    """The base's lines (empty when the base had none there)."""
    theirs: bytes
    """Theirs' lines."""

    @property
    def key(self) -> str:
        """The region's content key (see the module docstring)."""
        return region_key(self.base, self.ours, self.theirs)


@dataclass(frozen=True)
class Conflicted:
    """A conflicted text: common text and regions, in file order."""

    pieces: tuple[bytes | Region, ...]
    """Common text (bytes) and regions, alternating as they appear."""

    @property
    def regions(self) -> list[Region]:
        """The regions, in order."""
        return [p for p in self.pieces if isinstance(p, Region)]

    def fill(self, resolutions: Sequence[bytes]) -> bytes:
        """The text with the i-th region replaced by `resolutions[i]`."""
        found = iter(resolutions)
        return b"".join(p if isinstance(p, bytes) else next(found) for p in self.pieces)

    def side(self, which: Literal["ours", "theirs"], known: Mapping[int, bytes]) -> bytes:
        """One side's version of the text, with the regions of `known` (index → text) settled."""
        out: list[bytes] = []
        index = 0
        for piece in self.pieces:
            if isinstance(piece, bytes):
                out.append(piece)
                continue
            out.append(known[index] if index in known else getattr(piece, which))
            index += 1
        return b"".join(out)


def parse_conflicted(text: bytes, marker_size: int = MARKER_SIZE) -> Conflicted | None:
    """The pieces of a text with conflict markers in the diff3/zdiff3 style (read with
    `mergekit.resolve.markers`); None when a region has no base section."""
    pieces: list[bytes | Region] = []
    common: list[bytes] = []
    for part in parse(text, marker_size):
        if not isinstance(part, Block):
            common.append(part)
            continue
        if part.base is None:
            return None
        if common:
            pieces.append(b"".join(common))
            common = []
        pieces.append(Region(b"".join(part.ours), b"".join(part.base), b"".join(part.theirs)))
    if common:
        pieces.append(b"".join(common))
    return Conflicted(tuple(pieces))


def normalize(text: bytes) -> str:
    """Text as compared for keys: UTF-8, line endings and trailing blanks dropped, no blank edges."""
    lines = [line.rstrip() for line in text.decode("utf-8", "replace").splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def region_key(base: bytes, ours: bytes, theirs: bytes) -> str:
    """The key of a region with these sides (ours and theirs in either order)."""
    sides = sorted((normalize(ours), normalize(theirs)))
    payload = json.dumps([normalize(base), *sides], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def extract_resolutions(doc: Conflicted, resolved: bytes) -> list[bytes | None]:
    """What each region became in `resolved` (the file a person committed), None where unsure.

    The common text around a region anchors it: the region's resolution is whatever lies
    between the last line of the common text before it and the first line of the common text
    after it, when both are found in place. Regions whose neighbours the person edited are
    left out (None) rather than guessed.
    """
    skeleton: list[bytes] = []
    at_region: list[int] = []
    for piece in doc.pieces:
        if isinstance(piece, bytes):
            skeleton.extend(split_lines(piece))
        else:
            at_region.append(len(skeleton))
            skeleton.append(_SENTINEL + str(len(at_region)).encode())
    lines = split_lines(resolved)
    matcher = difflib.SequenceMatcher(None, skeleton, lines, autojunk=False)
    where: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            where[block.a + k] = block.b + k
    found: list[bytes | None] = []
    for s in at_region:
        before = where.get(s - 1) if s > 0 else -1
        after = where.get(s + 1) if s + 1 < len(skeleton) else len(lines)
        if before is None or after is None or before + 1 > after:
            found.append(None)
            continue
        found.append(b"".join(lines[before + 1 : after]))
    return found
