"""The resolver: git's line merge first, then a syntax-aware union of append-only conflicts.

This package is the only importer of tree_sitter. Its public surface is `resolve_file`,
the values in `types`, `line_merge`, and `ResolverCache` (explicit, bounded reuse of parse trees).
"""

from __future__ import annotations

from mergekit.resolve.cache import ResolverCache
from mergekit.resolve.linemerge import LineMerger, line_merge
from mergekit.resolve.resolver import resolve_file
from mergekit.resolve.types import FileResolution, HunkReport, Labels, LineMergeResult

__all__ = [
    "FileResolution",
    "HunkReport",
    "Labels",
    "LineMergeResult",
    "LineMerger",
    "ResolverCache",
    "line_merge",
    "resolve_file",
]
