"""How `mergekit languages` shows the language profiles."""

from __future__ import annotations

from collections.abc import Sequence

from mergekit.output import emit_json, emit_lines
from mergekit.resolve.profiles import Profile


def show_languages(profiles: Sequence[Profile], fmt: str = "text") -> None:
    """Each profile: its files and the containers it unions."""
    if fmt == "json":
        emit_json(
            {
                "profiles": [
                    {
                        "name": p.name,
                        "description": p.description,
                        "globs": list(p.globs),
                        "grammar": p.grammar,
                        "containers": [{"name": c.name, "description": c.description} for c in p.containers],
                    }
                    for p in profiles
                ]
            }
        )
        return
    if not profiles:
        emit_lines(["No language profiles installed: every file gets git's plain line merge."])
        return
    lines: list[str] = []
    for p in profiles:
        lines.append(f"{p.name} — {p.description}")
        lines.append(f"  files: {' '.join(p.globs)}")
        lines += [f"  unions {c.name}: {c.description}" for c in p.containers]
        lines.append("")
    lines.append("Files matching no profile get git's plain line merge (byte for byte `git merge-file`).")
    emit_lines(lines)
