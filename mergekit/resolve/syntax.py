"""tree-sitter access: load a profile's grammar on demand, parse, and count syntax errors.

This module is the only importer of tree_sitter; the rest of the resolver works on the node
objects it returns (type, children, byte offsets) and never names the library.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

from mergekit.errors import MergekitError

if TYPE_CHECKING:
    from mergekit.resolve.cache import ResolverCache

Node = Any
"""A tree-sitter node (kept opaque outside this module)."""


@cache
def _parser(grammar: str) -> Any:
    """A parser for `module:function` (e.g. `tree_sitter_typescript:language_tsx`)."""
    import tree_sitter

    module_name, _, function = grammar.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise MergekitError(
            f"grammar package {module_name!r} is not installed: reinstall git-mergekit"
        ) from exc
    language = tree_sitter.Language(getattr(module, function or "language")())
    return tree_sitter.Parser(language)


def parse(grammar: str, data: bytes, cache: ResolverCache | None = None) -> Node:
    """Parse `data` with `grammar` and return the root node.

    Trees are immutable: with a `cache`, a version parsed before is not parsed again
    (integrating or checking many branches parses the same versions of a shared file).
    """
    key = (grammar, data)
    tree = cache.trees.get(key) if cache is not None else None
    if tree is None:
        tree = _parser(grammar).parse(data)
        if cache is not None:
            cache.trees.put(key, tree)
    return tree.root_node


def error_count(root: Node) -> int:
    """Number of ERROR and MISSING nodes under `root` (0 for a clean parse)."""
    if not root.has_error:
        return 0
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count


def grammar_node_kinds(grammar: str) -> set[str]:
    """Every named node kind the grammar defines (for checking profiles against grammars)."""
    language = _parser(grammar).language
    kinds = set()
    for kind_id in range(language.node_kind_count):
        name = language.node_kind_for_id(kind_id)
        if name and language.node_kind_is_named(kind_id):
            kinds.add(name)
    return kinds


def field_names(grammar: str) -> set[str]:
    """Every field name the grammar defines."""
    language = _parser(grammar).language
    names = set()
    for field_id in range(1, language.field_count + 1):
        name = language.field_name_for_id(field_id)
        if name:
            names.add(name)
    return names


@cache
def _query(grammar: str, source: str) -> Any:
    import tree_sitter

    return tree_sitter.Query(_parser(grammar).language, source)


def captures(grammar: str, source: str, node: Node, name: str = "b") -> list[Node]:
    """The nodes the query `source` captures as `@name` under `node`, in document order.

    Other captures (`@f` used by a predicate such as `(#eq? @f "require")`) are left out.
    """
    import tree_sitter

    found = tree_sitter.QueryCursor(_query(grammar, source)).captures(node)
    return sorted(found.get(name, []), key=lambda n: n.start_byte)


def grammar_problem(grammar: str) -> str | None:
    """Why the grammar `module:function` cannot be loaded, None when it loads (for `mergekit doctor`)."""
    try:
        _parser(grammar)
    except MergekitError as exc:
        return exc.message
    except Exception as exc:  # a broken grammar package: any error is the answer, not a crash
        return f"{type(exc).__name__}: {exc}"
    return None
