"""What a collision is: two branches binding one key to different things, and where each does it.

Plain values with no imports: `check`, `plan` and the output package share them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """Where one side defines a key."""

    path: str
    """The file."""
    line: int
    """The 1-based line (1 for path rules)."""
    target: str
    """What the key is bound to there (a handler, a module, a version, the file itself)."""


@dataclass(frozen=True)
class Collision:
    """Two branches adding the same key, bound to different things."""

    rule: str
    """The rule that found it."""
    kind: str
    """`route`, `export`, `key`, `migration`, `dependency` or `declaration`."""
    key: str
    """The key both added (`GET /billing`, `Invoice`, `0005`, `lodash`)."""
    ours: str
    """The first branch of the pair (or BASE)."""
    theirs: str
    """The second branch of the pair."""
    ours_site: Site
    """Where ours defines it."""
    theirs_site: Site
    """Where theirs defines it."""
    description: str
    """The rule's description."""


Found = dict[tuple[str, str, str], list[Site]]
"""(rule, scope, key) → the sites that define it."""
