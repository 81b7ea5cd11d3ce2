"""What the resolver did with a file, hunk by hunk: `merge-file --explain` and `resolve --explain`.

Standard library only (the merge driver prints these).
"""

from __future__ import annotations

from mergekit.resolve.types import FileResolution, HunkReport


def explain_lines(resolution: FileResolution, path: str) -> list[str]:
    """Plain-text lines saying what the resolver did with each conflicting hunk of `path`."""
    lines: list[str] = []
    if resolution.fallback:
        lines.append(f"mergekit: {path}: plain line merge ({resolution.fallback})")
    for number, hunk in enumerate(resolution.hunks, 1):
        lines.extend(_hunk_lines(number, hunk, path))
    if not lines:
        lines.append(f"mergekit: {path}: {'clean line merge' if resolution.clean else 'no hunk report'}")
    return lines


def _hunk_lines(number: int, hunk: HunkReport, path: str) -> list[str]:
    verdict = f"resolved by {hunk.rule}" if hunk.resolved else "left to a human"
    where = f" in {hunk.container}" if hunk.container else ""
    lines = [f"mergekit: {path}: hunk {number}{where}: {verdict}: {hunk.reason}"]
    for side, items in (
        ("base", hunk.base_items),
        ("ours", hunk.ours_items),
        ("theirs", hunk.theirs_items),
        ("merged", hunk.merged_items),
    ):
        if items:
            lines.append(f"    {side:>6}: " + " | ".join(_one_line(i) for i in items))
    return lines


def _one_line(item: str, limit: int = 80) -> str:
    text = " ".join(item.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
