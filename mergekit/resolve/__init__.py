"""The resolver: git's line merge first, then a syntax-aware union of append-only conflicts.

This package is the only importer of tree_sitter. Its public surface is `resolve_file`,
the values in `types`, `line_merge`, and `ResolverCache` (explicit, bounded reuse of parse trees).

Importing this package loads nothing: each name is imported from its module on first use, so that
`mergekit.resolve.markers` or `types` alone stays cheap (the merge driver's command line needs the
marker size before it knows whether the resolver will run).
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver imports this package
if TYPE_CHECKING:
    from typing import Any

    from mergekit.resolve.cache import ResolverCache
    from mergekit.resolve.linemerge import LineMerger, line_merge
    from mergekit.resolve.resolver import resolve_file
    from mergekit.resolve.types import FileResolution, HunkReport, Labels, LineMergeResult

_WHERE = {
    "FileResolution": "types",
    "HunkReport": "types",
    "Labels": "types",
    "LineMergeResult": "types",
    "LineMerger": "linemerge",
    "ResolverCache": "cache",
    "line_merge": "linemerge",
    "resolve_file": "resolver",
}
"""Public name → the module of this package that defines it."""


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mergekit.resolve' has no attribute {name!r}")
    return getattr(importlib.import_module(f"mergekit.resolve.{module}"), name)


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
