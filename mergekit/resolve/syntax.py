"""tree-sitter access: load a profile's grammar on demand, parse, and count syntax errors.

This module is the only importer of tree_sitter; the rest of the resolver works on the node
objects it returns (type, children, byte offsets) and never names the library.

Three start-up costs of the merge driver (one process per conflicted file) are avoided here:

- a grammar package's `__init__` imports `importlib.resources` (for highlight queries mergekit never
  reads), which costs more than the grammar itself: its `_binding` extension is loaded directly
  (`_language_function`);
- tree-sitter's own `__init__` imports `typing` (for one Protocol class): its `_binding` extension,
  which holds every class mergekit uses, is loaded the same way (`_tree_sitter`);
- compiling a query takes milliseconds (more for a large grammar): `captures` first looks whether
  the subtree holds a node that one of the query's patterns could start at, and compiles only
  then (`_pattern_roots`).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import re
import sys
from collections.abc import Callable
from functools import cache

from mergekit.errors import MergekitError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from typing import Any

    from mergekit.resolve.cache import ResolverCache

    Node = Any
else:
    Node = object
"""A tree-sitter node (kept opaque outside this module; `Any` to the type checker)."""

SCAN_BYTES = 64_000
"""Subtrees up to this size are walked for a query's starting kinds before the query is compiled."""


def _extension(package: str, name: str) -> Any:
    """The extension module `package.name`, loaded on its own where the package has it (and
    registered under its own name, so a later import of the package reuses it), without running
    the package's `__init__`; None when the package has no such module."""
    qualified = f"{package}.{name}"
    loaded = sys.modules.get(qualified)
    if loaded is not None:
        return loaded
    found = importlib.util.find_spec(package)
    where = found.submodule_search_locations if found is not None else None
    spec = importlib.machinery.PathFinder.find_spec(qualified, list(where)) if where else None
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[qualified] = module
    return module


@cache
def _tree_sitter() -> Any:
    """tree-sitter's classes: its `_binding` extension, without the package's `__init__` (which
    imports `typing` for one Protocol class mergekit never uses); the package where it is laid
    out otherwise."""
    binding = _extension("tree_sitter", "_binding")
    if binding is not None and all(
        hasattr(binding, n) for n in ("Language", "Parser", "Query", "QueryCursor")
    ):
        return binding
    import tree_sitter

    return tree_sitter


def _language_function(module_name: str, function: str) -> Callable[[], object]:
    """The grammar package's language function (`tree_sitter_typescript:language_tsx`).

    tree-sitter's generated Python packages keep their language functions in a `_binding`
    extension module; their `__init__` re-exports them and imports `importlib.resources` for
    their highlight queries. The extension is loaded on its own where it is found (`_extension`);
    any other layout imports the package.
    """
    if module_name not in sys.modules:
        binding = _extension(module_name, "_binding")
        found = getattr(binding, function, None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    module = importlib.import_module(module_name)
    return getattr(module, function)  # type: ignore[no-any-return]


@cache
def _parser(grammar: str) -> Any:
    """A parser for `module:function` (e.g. `tree_sitter_typescript:language_tsx`)."""
    tree_sitter = _tree_sitter()
    module_name, _, function = grammar.partition(":")
    try:
        language_function = _language_function(module_name, function or "language")
    except ImportError as exc:
        raise MergekitError(
            f"grammar package {module_name!r} is not installed: reinstall git-mergekit"
        ) from exc
    language = tree_sitter.Language(language_function())
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
def kind_ids(grammar: str, kinds: frozenset[str]) -> frozenset[int]:
    """The ids of every node kind of the grammar named one of `kinds`: `node.kind_id in ids` is
    `node.type in kinds` without making a string per node."""
    language = _parser(grammar).language
    return frozenset(i for i in range(language.node_kind_count) if language.node_kind_for_id(i) in kinds)


_queries: dict[tuple[str, str], Any] = {}
"""(grammar, query source) → the compiled query, for the life of the process."""


def _query(grammar: str, source: str) -> Any:
    query = _queries.get((grammar, source))
    if query is None:
        language = _parser(grammar).language
        query = _queries[(grammar, source)] = _tree_sitter().Query(language, source)
    return query


def query_problem(grammar: str, source: str) -> str | None:
    """Why the query `source` does not compile for `grammar`, None when it does."""
    try:
        _query(grammar, source)
    except Exception as exc:  # tree_sitter.QueryError, or a grammar that does not load
        return f"{type(exc).__name__}: {exc}"
    return None


def captures(grammar: str, source: str, node: Node, name: str = "b") -> list[Node]:
    """The nodes the query `source` captures as `@name` under `node`, in document order.

    Other captures (`@f` used by a predicate such as `(#eq? @f "require")`) are left out. A
    query not compiled yet is compiled only when a small subtree holds a node one of its patterns
    could start at (a barrel file of `export * from` lines has no import to read names from).
    """
    if (grammar, source) not in _queries and node.end_byte - node.start_byte <= SCAN_BYTES:
        roots = _known_roots(grammar, source)
        if roots is not None and not _holds_kind(node, roots):
            return []
    found = _tree_sitter().QueryCursor(_query(grammar, source)).captures(node)
    return sorted(found.get(name, []), key=lambda n: n.start_byte)


@cache
def _known_roots(grammar: str, source: str) -> frozenset[int] | None:
    """The kind ids the query's patterns start at, when each is a visible kind of the grammar (a
    supertype, like `expression`, is hidden: its nodes have their own kinds); None when that
    cannot be told (the query is then compiled, and a query with a mistake in it fails as it
    always did). A pattern `(kind ...)` matches the nodes whose kind id is the one the grammar
    gives that name, as `Language.id_for_node_kind` looks it up."""
    roots = _pattern_roots(source)
    if roots is None:
        return None
    language = _parser(grammar).language
    ids = set()
    for kind in roots:
        kind_id = language.id_for_node_kind(kind, True)
        if kind_id is None or not language.node_kind_is_visible(kind_id):
            return None
        ids.add(kind_id)
    return frozenset(ids)


_TOKEN = r'"(?:[^"\\]|\\.)*"|;[^\n]*|[()\[\]]|[^\s()\[\]";]+'
_KIND = r"[A-Za-z][A-Za-z0-9_]*"
_Form = list["_Form"] | str


def _pattern_roots(source: str) -> frozenset[str] | None:
    """The node kinds the top-level patterns of a tree-sitter query start at, read from its text:
    `(kind ...)`, optionally captured (`@name`), or a group `((kind ...) @name (#predicate? ...))`.
    None for anything else (alternations, wildcards, quantifiers, anonymous nodes, `MISSING`)."""
    forms = _forms(source)
    if forms is None:
        return None
    roots: set[str] = set()
    for form in forms:
        if isinstance(form, str):
            if form.startswith("@"):
                continue  # the capture of the pattern before it
            return None  # a quantifier, an anonymous node, a wildcard...
        if not form:
            return None
        if isinstance(form[0], str):
            kind = _root_kind(form)
            if kind is None:
                return None
            roots.add(kind)
            continue
        for part in form:  # a group: its patterns, their captures and predicates
            if isinstance(part, str) and part.startswith("@"):
                continue
            if isinstance(part, list) and part and isinstance(part[0], str) and part[0].startswith("#"):
                continue
            kind = _root_kind(part) if isinstance(part, list) else None
            if kind is None:
                return None
            roots.add(kind)
    return frozenset(roots) if roots else None


def _root_kind(form: list[_Form]) -> str | None:
    """`kind` of a pattern `(kind ...)`, None for `(_ ...)`, `(MISSING ...)`, `(a/b)`, `(#pred ...)`."""
    head = form[0] if form else None
    if not isinstance(head, str) or head == "MISSING" or not re.fullmatch(_KIND, head):
        return None
    return head


def _forms(source: str) -> list[_Form] | None:
    """The query's text as nested lists of tokens (`[...]` alternations as lists headed by `[`);
    None when the brackets do not balance."""
    stack: list[list[_Form]] = [[]]
    for token in re.findall(_TOKEN, source):
        if token.startswith(";"):
            continue
        if token in ("(", "["):
            opened: list[_Form] = [] if token == "(" else ["["]
            stack[-1].append(opened)
            stack.append(opened)
        elif token in (")", "]"):
            if len(stack) == 1:
                return None
            closed = stack.pop()
            if (token == "]") != (closed[:1] == ["["]):
                return None
        else:
            stack[-1].append(token)
    return stack[0] if len(stack) == 1 else None


def _holds_kind(node: Node, kinds: frozenset[int]) -> bool:
    """True when `node` or a node under it is of one of `kinds` (kind ids: no name is made)."""
    cursor = node.walk()
    while True:
        if cursor.node.kind_id in kinds:
            return True
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return False


def grammar_problem(grammar: str) -> str | None:
    """Why the grammar `module:function` cannot be loaded, None when it loads (for `mergekit doctor`)."""
    try:
        _parser(grammar)
    except MergekitError as exc:
        return exc.message
    except Exception as exc:  # a broken grammar package: any error is the answer, not a crash
        return f"{type(exc).__name__}: {exc}"
    return None
