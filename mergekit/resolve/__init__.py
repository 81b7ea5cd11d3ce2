"""The resolver: git's line merge first, then a syntax-aware union of append-only conflicts.

This package is the only importer of tree_sitter. Its public surface is `resolve_file`,
the values in `types`, and `line_merge`.
"""

from __future__ import annotations

from mergekit.resolve.linemerge import line_merge
from mergekit.resolve.types import FileResolution, HunkReport, Labels, LineMergeResult

__all__ = ["FileResolution", "HunkReport", "Labels", "LineMergeResult", "line_merge", "resolve_file"]


def resolve_file(
    base: bytes | None,
    ours: bytes,
    theirs: bytes,
    path: str,
    *,
    labels: Labels = Labels(),
    marker_size: int = 7,
    style: str = "merge",
) -> FileResolution:
    """Merge one file's three versions; union append-only conflicts where the path's profile allows."""
    result = line_merge(base or b"", ours, theirs, labels=labels, marker_size=marker_size, style=style)
    return FileResolution(merged=result.merged, clean=result.conflicts == 0, conflicts=result.conflicts)
