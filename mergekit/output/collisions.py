"""How a semantic collision is shown: one line for people, one JSON object (plan and check share them)."""

from __future__ import annotations

from typing import Any

from mergekit.collisions.types import Collision


def _clip(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 3] + "..."


def collision_message(c: Collision) -> str:
    """One line for people: the rule's description, the key, and where each side binds it."""
    o, t = c.ours_site, c.theirs_site
    return (
        f"{c.description}: {c.key!r} — {c.ours} at {o.path}:{o.line} ({_clip(o.target)}), "
        f"{c.theirs} at {t.path}:{t.line} ({_clip(t.target)})"
    )


def collision_json(c: Collision) -> dict[str, Any]:
    """One collision as a JSON object."""
    return {
        "rule": c.rule,
        "kind": c.kind,
        "key": c.key,
        "ours": c.ours,
        "theirs": c.theirs,
        "ours_path": c.ours_site.path,
        "ours_line": c.ours_site.line,
        "ours_target": c.ours_site.target,
        "theirs_path": c.theirs_site.path,
        "theirs_line": c.theirs_site.line,
        "theirs_target": c.theirs_site.target,
        "message": collision_message(c),
    }
