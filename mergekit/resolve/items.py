"""Union containers found in one version of a file, and their children as re-renderable slots.

A container's interior is cut into *slots*, one per child: `lead` (whitespace and comments
before the child), `body` (the child's own text), `mid` and `sep` (the separator after it, if
the container has one) and `tail` (the rest of the line when only a comment or spaces follow).
Joining the slots plus `closing` gives back the interior byte for byte, so a merged list can be
rendered in the container's own style.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from mergekit.resolve.limits import NO_DEADLINE, Deadline
from mergekit.resolve.profiles import Container, Profile
from mergekit.resolve.syntax import Node
from mergekit.resolve.values import value

_CLOSERS = frozenset({"]", "}", ")", ">", "end"})
HEAD_BYTES = 512
"""How far back on its line a container's introducing text is read (a one-line file is one line)."""
KEY_PATH_STEPS = 64
"""How many ancestors the key path of a container looks at (2,000-deep nesting stays linear)."""


class Item:
    """One child of a union container, with the text around it.

    A plain class with `__slots__`, compared by identity: one is made for every child of every
    container cut, so neither `dataclasses` nor generated methods are worth their cost. Treat it
    as immutable: `replace` gives a changed copy.
    """

    FIELDS = (
        "kind",
        "key",
        "sig",
        "union",
        "lead",
        "body",
        "mid",
        "sep",
        "tail",
        "first",
        "at",
        "names",
        "raw",
        "idents",
        "broken",
        "opens",
    )
    """The fields in order (as `__init__` takes them)."""
    __slots__ = FIELDS

    def __init__(
        self,
        kind: str,
        key: str,
        sig: str | None,
        union: bool,
        lead: bytes,
        body: bytes,
        mid: bytes = b"",
        sep: bytes = b"",
        tail: bytes = b"",
        first: bool = False,
        at: int = 0,
        names: tuple[str, ...] = (),
        raw: bool = False,
        idents: tuple[str, ...] = (),
        broken: bool = False,
        opens: bool = False,
    ) -> None:
        self.kind = kind
        """The child's node kind (`line` for line-per-entry files)."""
        self.key = key
        """Normalized text (whitespace collapsed): two children are the same when their keys are."""
        self.sig = sig
        """Signature (e.g. the import source, the dict key); None when the profile gives none."""
        self.union = union
        """True when the child is of a kind the container may union."""
        self.lead = lead
        """Whitespace and comments before the child."""
        self.body = body
        """The child's own text."""
        self.mid = mid
        """Text between the child and its separator."""
        self.sep = sep
        """The separator after the child (`,`), or empty."""
        self.tail = tail
        """Trailing spaces/comment on the child's last line."""
        self.first = first
        """True for the first slot of its container (its lead follows the opening delimiter)."""
        self.at = at
        """Byte offset of the body in the version it was read from."""
        self.names = names
        """Names the child binds (an import's local names), from the container's `bindings` query."""
        self.raw = raw
        """True for several children merged line by line: rendered as is, separators included."""
        self.idents = idents
        """`kind:key=value` for each identity key of a child that is a mapping (see `identities`)."""
        self.broken = broken
        """True when the child holds a syntax error (it is never merged then)."""
        self.opens = opens
        """True for a line that opens a section (an INI `[section]`): never an entry on its own, but
        whole sections both sides added at one place are unioned (see `union.merge_items`)."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in Item.FIELDS)
        return f"Item({shown})"

    def replace(self, **changes: object) -> Item:
        """A copy with the given fields changed (`dataclasses.replace` for this class)."""
        unknown = set(changes).difference(Item.FIELDS)
        if unknown:
            raise TypeError(f"Item has no field {sorted(unknown)[0]!r}")
        copy = Item.__new__(Item)
        for name in Item.FIELDS:
            object.__setattr__(copy, name, changes[name] if name in changes else getattr(self, name))
        return copy

    def render(self) -> bytes:
        """The slot's text."""
        return self.lead + self.body + self.mid + self.sep + self.tail

    def with_sep(self, sep: bytes) -> Item:
        """The same slot with its separator set to `sep`."""
        return self.replace(sep=sep)


@value
class Found:
    """A union container in one version of a file."""

    spec: Container
    """The profile's description of this container."""
    node_type: str
    """The container node's kind."""
    head: str
    """Identity: the container kind and the normalized text that introduces it on its line."""
    start: int
    """Byte offset where the interior (between the delimiters) starts."""
    end: int
    """Byte offset where the interior ends."""
    items: tuple[Item, ...]
    """The children, in order."""
    closing: bytes
    """Interior text after the last slot (e.g. the newline before `]`)."""
    has_error: bool
    """True when the container's own structure has a syntax error (an ERROR or MISSING node among
    its children): never merged then. Errors inside one child mark that child `broken`."""
    depth: int
    """Nesting depth in the tree (deeper = more inner)."""


def normalize(text: bytes) -> str:
    """Collapse whitespace runs so that re-indented children still compare equal.

    `bytes.split()` splits on ASCII whitespace (space, tab, line feed, carriage return, form feed,
    vertical tab, as a bytes regular expression's whitespace class): the same as stripping and
    replacing each run by one space, three times faster (this runs for every child of every
    version).
    """
    return b" ".join(text.split()).decode("utf-8", "replace")


@cache
def _steps(path: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


@cache
def _alternatives(signature: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(child kind or "", paths) per alternative: `class_definition:name` applies to classes only."""
    out = []
    for alternative in signature:
        kind, _, paths = alternative.rpartition(":")
        out.append((kind, tuple(paths.split("+"))))
    return tuple(out)


@cache
def _one_field(paths: tuple[str, ...]) -> str | None:
    """The field name when an alternative is one path of one field-name step (`source`), which
    `_field_path` follows as `child_by_field_name`; None for anything else."""
    if len(paths) != 1:
        return None
    steps = _steps(paths[0])
    if len(steps) != 1 or not isinstance(steps[0], str) or steps[0] in ("", "*") or steps[0].startswith("("):
        return None
    return steps[0]


def _step(node: Node, part: str | int) -> Node | None:
    """One step of a path: a named-child index, `(kind)` (the first named child of that kind) or
    a field name."""
    if isinstance(part, int):
        return node.named_child(part) if part < node.named_child_count else None
    if part.startswith("("):
        kind = part[1:-1]
        return next((c for c in node.named_children if c.type == kind), None)
    return node.child_by_field_name(part)


def _field_path(node: Node, path: str) -> tuple[str | None, Node]:
    """Follow a dotted path of field names, named-child indexes and `(kind)` steps
    (`0.arguments.0`): the text reached (or None), and the node its last step was taken on.

    A `*` step follows the rest of the path from every named child (comments aside) and joins
    their texts with `,` (`parameters.*.type`: a method's parameter types); it fails when one
    child does not have the rest.
    """
    current: Node = node
    steps = _steps(path)
    for n, part in enumerate(steps):
        if part == "*":
            rest = ".".join(str(s) for s in steps[n + 1 :])
            texts = []
            for child in current.named_children:
                if child.is_extra:
                    continue
                text = _field_path(child, rest)[0] if rest else normalize(child.text)
                if text is None:
                    return None, current
                texts.append(text)
            return ",".join(texts), current
        found = _step(current, part)
        if found is None:
            return None, current
        if n == len(steps) - 1:
            return normalize(found.text), current
        current = found
    return normalize(current.text), node


def pattern_key(pattern: str, text: str) -> str | None:
    """The groups of `pattern` matched at the start of `text`, joined by `|`, or None."""
    m = _pattern(pattern).match(text)
    if m is None:
        return None
    groups = [g for g in m.groups() if g is not None]
    return "|".join(groups) if groups else m.group(0)


def signature(node: Node, spec: Container) -> str | None:
    """The child's key under the container's signature rules, or None.

    Each alternative is `path[+path...]`, optionally `kind:` first to apply to that child kind only.
    The key is `<kind>:<parts>`, where the kind is that of the node the first path's last step
    was taken on: a decorated Python function (`definition.name`) and a plain one (`name`) both
    read `function_definition:name`, so one name added twice is seen whatever wraps it. A
    `sig_pattern` matched against the child's text comes first (`<kind>:<groups>`).
    """
    return _signature(node, str(node.type), spec, _alternatives(spec.signature))


def _signature(
    node: Node, node_kind: str, spec: Container, alternatives: tuple[tuple[str, tuple[str, ...]], ...]
) -> str | None:
    """`signature` of a node of kind `node_kind`, with the container's `_alternatives` read once."""
    if spec.sig_pattern:
        key = pattern_key(spec.sig_pattern, normalize(node.text))
        if key is not None:
            return node_kind + ":" + key
    for only, alternative in alternatives:
        if only and node_kind != only:
            continue
        field = _one_field(alternative)
        if field is not None:  # the usual case (`source`, `key`), without walking a path
            target = node.child_by_field_name(field)
            if target is not None:
                return node_kind + ":" + normalize(target.text)
            continue
        parts = []
        kind = ""
        for path in alternative:
            text, holder = _field_path(node, path)
            if text is None:
                break
            kind = kind or str(holder.type)
            parts.append(text)
        else:
            return kind + ":" + "|".join(parts)
    return None


def _is_trivia(node: Node, spec: Container, comments: frozenset[str]) -> bool:
    """Comments and the kinds the profile attaches to the next child (Rust attributes)."""
    return node.type in comments or node.is_extra or node.type in spec.attach


def _item_indexes(node: Node, children: list[Node], spec: Container, comments: frozenset[str]) -> list[int]:
    """Indexes of the children that are items: named, not comments or attached kinds, not the
    header (a `header` kind, or `@field` for the child in that field)."""
    kinds = comments | frozenset(spec.attach) | frozenset(h for h in spec.header if not h.startswith("@"))
    fields = {h[1:] for h in spec.header if h.startswith("@")}
    out = [
        i
        for i, c in enumerate(children)
        if c.is_named
        and not c.is_extra
        and c.type not in kinds
        and not (fields and node.field_name_for_child(i) in fields)
    ]
    if spec.follow:
        follows = [
            n > 0 and children[i].type in spec.follow and out[n - 1] == i - 1 for n, i in enumerate(out)
        ]
        out = [i for i, follower in zip(out, follows, strict=True) if not follower]
    return out


def _extent(children: list[Node], i: int, spec: Container) -> int:
    """The index of the last child that belongs to child `i`: itself, or the `follow` kinds right
    after it (Dart's `function_body` after a `method_signature`)."""
    while spec.follow and i + 1 < len(children) and children[i + 1].type in spec.follow:
        i += 1
    return i


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _is_union(kind: str, spec: Container, text: bytes) -> bool:
    """True when a child of this kind and text is one the container may union."""
    if spec.children and kind not in spec.children:
        return False
    if spec.item_pattern:
        return _pattern(spec.item_pattern).search(text.decode("utf-8", "replace")) is not None
    return True


def _matches(node: Node, spec: Container, data: bytes) -> bool:
    if node.type not in spec.node:
        return False
    if spec.parent and (node.parent is None or node.parent.type not in spec.parent):
        return False
    if spec.anchor:
        return _pattern(spec.anchor).search(_head_text(node, data)) is not None
    return True


def _line_start(data: bytes, at: int) -> int:
    """Start of the line holding byte `at`, looking back at most `HEAD_BYTES`."""
    floor = max(0, at - HEAD_BYTES)
    found = data.rfind(b"\n", floor, at)
    return found + 1 if found >= 0 else floor


def _head_text(node: Node, data: bytes) -> str:
    """Text from the start of the container's line (or statement) up to the container."""
    return data[_line_start(data, node.start_byte) : node.start_byte].decode("utf-8", "replace").strip()


def _own_key(parent: Node, child: Node) -> str | None:
    """The key or name `parent` gives the entry holding `child`, if it comes before `child`."""
    for field in ("key", "name"):
        target = parent.child_by_field_name(field)
        if target is not None and target.end_byte <= child.start_byte:
            return normalize(target.text)
    return None


def _key_path(keys: list[str]) -> str:
    """The last few keys/names of the enclosing entries (`services/db` in a nested YAML mapping)."""
    return "/".join(keys[-6:])


def _chain(root: Node, lo: int, hi: int) -> list[Node]:
    """The nodes from the root down to the smallest one spanning [lo, hi), root first.

    Walks down with a tree cursor: `node.parent` costs a walk from the root in tree-sitter, so
    collecting ancestors upwards would cost depth² (2,000-deep JSON).
    """
    cursor = root.walk()
    chain = [cursor.node]
    while cursor.goto_first_child_for_byte(lo) is not None:
        node = cursor.node
        if node.start_byte > lo or node.end_byte < hi:
            break
        chain.append(node)
    return chain


class _Ancestry:
    """Depth and key path of nodes found by a query, each ancestor looked up once."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int, int], tuple[int, tuple[str, ...]]] = {}

    def of(self, node: Node) -> tuple[int, tuple[str, ...]]:
        """(depth, keys of the enclosing entries) of `node`."""
        pending: list[Node] = []
        current: Node | None = node
        known: tuple[int, tuple[str, ...]] = (-1, ())
        while current is not None:
            ident = (current.start_byte, current.end_byte, current.kind_id)
            hit = self._memo.get(ident)
            if hit is not None:
                known = hit
                break
            pending.append(current)
            current = current.parent
        depth, keys = known
        parent = current
        for child in reversed(pending):
            depth += 1
            if parent is not None:
                key = _own_key(parent, child)
                if key is not None:
                    keys = (*keys[-5:], key)
            self._memo[(child.start_byte, child.end_byte, child.kind_id)] = (depth, keys)
            parent = child
        return depth, keys


def _header_text(node: Node, children: list[Node], spec: Container) -> str:
    """The text of the children that introduce the container (a TOML table's name, a Markdown
    section's heading, the module of `from module import ...`): part of its identity."""
    if not spec.header:
        return ""
    fields = {h[1:] for h in spec.header if h.startswith("@")}
    texts = [
        normalize(c.text)
        for i, c in enumerate(children)
        if c.type in spec.header or (fields and node.field_name_for_child(i) in fields)
    ]
    return "@" + " ".join(texts)


def _scope_path(node: Node, kinds: tuple[str, ...], data: bytes) -> str:
    """The first lines of the enclosing nodes of these kinds (`resource "a" "b" {`), outermost first."""
    if not kinds:
        return ""
    lines: list[str] = []
    current = node.parent
    while current is not None:
        if current.type in kinds:
            eol = data.find(b"\n", current.start_byte, node.start_byte)
            lines.append(normalize(data[current.start_byte : eol if eol >= 0 else node.start_byte]))
        current = current.parent
    return "@" + "/".join(reversed(lines))


def _rstrip_end(data: bytes, start: int, end: int) -> int:
    """`end` moved back over trailing whitespace (list items in Markdown end with newlines)."""
    while end > start and data[end - 1 : end] in (b" ", b"\t", b"\n", b"\r"):
        end -= 1
    return end


def bound_name(text: str, spec: Container) -> str | None:
    """The local name an import text binds under the container's binding rules, or None."""
    text = text.strip("\"'`")
    if spec.binding_strip:
        text = _pattern(spec.binding_strip).sub("", text)
    if spec.binding_split and spec.binding_take:
        parts = text.split(spec.binding_split)
        text = parts[0] if spec.binding_take == "first" else parts[-1]
    if not text or text in spec.binding_ignore:
        return None
    return text


def spellings(name: str, spec: Container) -> list[str]:
    """The ways code may refer to a bound name (`binding_aliases`: Go's `go-yaml` is used as `yaml`)."""
    out = [name]
    for current in out:
        if len(out) > 16:
            break
        for alias in spec.binding_aliases:
            other = _pattern(alias).sub("", current)
            if other and other not in out:
                out.append(other)
    return out


def bound_names_at(node: Node, spec: Container, grammar: str) -> list[tuple[str, int]]:
    """The local names import-like children under `node` bind, with their byte offsets."""
    if not spec.bindings:
        return []
    from mergekit.resolve.syntax import captures

    names = []
    for target in captures(grammar, spec.bindings, node):
        name = bound_name(target.text.decode("utf-8", "replace"), spec)
        if name is not None:
            names.append((name, int(target.start_byte)))
    return names


def _names_by_child(
    node: Node, kids: list[Node], spec: Container, grammar: str
) -> dict[int, tuple[str, ...]]:
    """Bound names per child (keyed by start byte), from one run of the bindings query."""
    if not spec.bindings or not kids:
        return {}
    starts = [k.start_byte for k in kids]
    out: dict[int, list[str]] = {}
    for name, at in bound_names_at(node, spec, grammar):
        k = bisect.bisect_right(starts, at) - 1
        if k >= 0 and at < kids[k].end_byte:
            out.setdefault(starts[k], []).append(name)
    return {k: tuple(v) for k, v in out.items()}


def identities(node: Node, spec: Container) -> tuple[str, ...]:
    """`key=value` for each identity key (`name`, `id`, `uses` ...) of a child that is a mapping.

    The mapping is the child itself or a descendant at most three levels down (a YAML sequence
    item holds a block node holding the mapping); the pairs are its children with a `key` field.
    """
    if not spec.identity:
        return ()
    level = [node]
    for _ in range(4):
        found: dict[str, str] = {}
        nxt: list[Node] = []
        for candidate in level:
            for pair in candidate.named_children:
                key = pair.child_by_field_name("key")
                if key is None:
                    nxt.append(pair)
                    continue
                name = normalize(key.text).strip("\"'")
                if name in spec.identity and name not in found:
                    value = pair.child_by_field_name("value")
                    found[name] = normalize(value.text if value is not None else b"").strip("\"'")
            if found:
                return tuple(f"{node.type}:{k}={found[k]}" for k in spec.identity if k in found)
        level = nxt[:64]
        if not level:
            break
    return ()


def _interior(
    node: Node,
    spec: Container,
    comments: frozenset[str],
    children: list[Node] | None = None,
    item_idx: list[int] | None = None,
) -> tuple[int, int]:
    """Byte range between the container's opening and closing delimiters (or its whole span)."""
    if children is None:
        children = list(node.children)
    if item_idx is None:
        item_idx = _item_indexes(node, children, spec, comments)
    if item_idx:
        first, last = item_idx[0], _extent(children, item_idx[-1], spec)
        header = [c for c in children[:first] if not _is_trivia(c, spec, comments)]
        trailer = [c for c in children[last + 1 :] if not _is_trivia(c, spec, comments)]
        trailer = [c for c in trailer if c.type not in (spec.separator, spec.terminator)]
    else:
        header = [c for c in children if not c.is_named and c.type in ("[", "{", "(")]
        trailer = [c for c in children if not c.is_named and c.type in ("]", "}", ")")]
    start = header[-1].end_byte if header else node.start_byte
    closers = [c for c in trailer if c.type in _CLOSERS or c.is_named]
    end = closers[0].start_byte if closers else node.end_byte
    return start, end


def build(
    node: Node,
    spec: Container,
    data: bytes,
    depth: int,
    profile: Profile,
    deadline: Deadline = NO_DEADLINE,
    keys: tuple[str, ...] = (),
    bindings: bool = True,
) -> Found:
    """Cut the container `node` of `data` into slots (`keys`: those of the enclosing entries;
    `bindings`: read the names imports bind, which only the union itself needs)."""
    comments = frozenset(profile.comments)
    children = list(node.children)
    item_idx = _item_indexes(node, children, spec, comments)
    start, end = _interior(node, spec, comments, children, item_idx)
    comment_starts = sorted(c.start_byte for c in children if c.type in comments or c.is_extra)
    names = _names_by_child(node, [children[i] for i in item_idx], spec, profile.grammar) if bindings else {}
    # Trivia before the first child belongs to it, so the interior starts after the header.
    items: list[Item] = []
    pos = start
    ender = spec.separator or spec.terminator
    alternatives = _alternatives(spec.signature)
    starts = [children[i].start_byte for i in item_idx]
    final = len(item_idx) - 1
    follow, identity, count = spec.follow, spec.identity, len(children)
    for n, i in enumerate(item_idx):
        if n & 255 == 255:
            deadline.check()
        child = children[i]
        child_start = starts[n]
        last = _extent(children, i, spec) if follow else i
        own = data[child_start : child.end_byte]
        # the body without trailing whitespace (list items in Markdown end with newlines)
        body = (own if last == i else data[child_start : children[last].end_byte]).rstrip(b" \t\n\r")
        body_end = child_start + len(body)
        sep = b""
        mid = b""
        after = body_end
        nxt = children[last + 1] if last + 1 < count else None
        if ender and nxt is not None and not nxt.is_named and nxt.type == ender:
            nxt_start, after = nxt.start_byte, nxt.end_byte
            mid = data[body_end:nxt_start]
            sep = data[nxt_start:after]
        next_item_start = starts[n + 1] if n < final else end
        # Only a newline before the next child matters: searching further would make a one-line
        # file of n children cost n².
        limit = max(after, min(end, next_item_start))
        newline = data.find(b"\n", after, limit)
        eol, line_ends = (newline, True) if newline >= 0 else (end, False)
        tail = b""
        if eol <= next_item_start:
            rest = data[after:eol]
            if line_ends and not rest.strip():
                tail = rest
            elif comment_starts:
                k = bisect.bisect_left(comment_starts, after)
                if k < len(comment_starts) and comment_starts[k] < eol:
                    tail = rest
        kind = child.type
        sig = _signature(child, kind, spec, alternatives)
        idents = identities(child, spec) if identity else ()
        if sig is None and idents:
            sig = idents[0]
        items.append(
            Item(
                kind,
                normalize(body),
                sig,
                _is_union(kind, spec, own),
                data[pos:child_start],
                body,
                mid,
                sep,
                tail,
                n == 0,
                child_start,
                names.get(child_start, ()),
                False,
                idents,
                child.has_error if last == i else any(c.has_error for c in children[i : last + 1]),
            )
        )
        pos = after + len(tail)
    return Found(
        spec=spec,
        node_type=node.type,
        head=node.type
        + "@"
        + normalize(_head_text(node, data).encode())
        + "@"
        + _key_path(list(keys))
        + _header_text(node, children, spec)
        + _scope_path(node, spec.scope, data),
        start=start,
        end=end,
        items=tuple(items),
        closing=data[pos:end],
        has_error=any(c.is_error or c.is_missing for c in children),
        depth=depth,
    )


def enclosing(
    root: Node,
    profile: Profile,
    data: bytes,
    lo: int,
    hi: int,
    cache: dict[tuple[int, int, str], Found] | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> list[Found]:
    """Union containers whose interior holds the byte range [lo, hi), innermost first.

    `cache` keeps containers already cut into slots (a file's top level is cut once).
    """
    comments = frozenset(profile.comments)
    # An insertion point on a boundary belongs to the node ending there as much as to the next
    # one (a statement list ends with its last newline): look up from both sides.
    spans = [(lo, max(lo, hi))] if lo < root.end_byte else [(root.end_byte, root.end_byte)]
    if lo == hi and lo > 0:
        spans.append((lo - 1, lo - 1))
    skip = len(data[lo : lo + 4096]) - len(data[lo : lo + 4096].lstrip(b" \t"))
    if skip and lo + skip < root.end_byte:
        spans.append((lo + skip, max(lo + skip, hi)))
    # A container without a closing delimiter ends with its last child, before the newline
    # (a Ruby `do ... end` body): look up from the last child before an insertion point, and
    # from the inserted text without its trailing newline.
    back = data[max(0, lo - 4096) : lo]
    before = lo - (len(back) - len(back.rstrip())) - 1
    if lo == hi and 0 <= before < lo - 1:
        spans.append((before, before))
    trimmed = lo + len(data[lo:hi].rstrip(b"\r\n"))
    if lo + skip < trimmed < hi:
        spans.append((lo + skip, trimmed))
    seen: dict[tuple[int, int, int], tuple[Node, int, tuple[str, ...]]] = {}
    for a, b in spans:
        chain = _chain(root, a, b)
        deadline.check()
        keys: tuple[str, ...] = ()
        for depth, node in enumerate(chain):
            seen.setdefault((node.start_byte, node.end_byte, node.kind_id), (node, depth, keys))
            if depth + 1 < len(chain):
                own = _own_key(node, chain[depth + 1])
                if own is not None:
                    keys = (*keys[-5:], own)
    ordered = sorted(seen.values(), key=lambda t: (t[0].end_byte - t[0].start_byte, -t[1]))
    found: list[Found] = []
    for n, (node, depth, keys) in enumerate(ordered):
        if n & 63 == 63:
            deadline.check()
        for spec in profile.containers:
            if _matches(node, spec, data):
                key = (node.start_byte, node.end_byte, spec.name)
                candidate = cache.get(key) if cache is not None else None
                if candidate is None:
                    start, end = _interior(node, spec, comments)
                    if not _inside_range(start, end, data, lo, hi):
                        break
                    candidate = build(node, spec, data, depth, profile, deadline, keys)
                    if cache is not None:
                        cache[key] = candidate
                if _inside(candidate, data, lo, hi):
                    found.append(candidate)
                break
    return found


def _inside(found: Found, data: bytes, lo: int, hi: int) -> bool:
    """True when [lo, hi) lies in the container's interior, give or take surrounding whitespace
    (a YAML sequence starts at its first `-`, after the indentation of the line)."""
    return _inside_range(found.start, found.end, data, lo, hi)


def _inside_range(start: int, end: int, data: bytes, lo: int, hi: int) -> bool:
    """True when [lo, hi) lies in [start, end), give or take whitespace at either edge.

    An insertion after a container's last entry, separated from it by a newline, is inside; so
    are lines inserted after the last child of a container without a closing delimiter (a Ruby
    `do ... end` body ends with its last child, before the newline).
    """
    start_ok = start <= lo or not data[lo:start].strip()
    end_ok = hi <= end or not data[end:hi].strip()
    return start_ok and end_ok and (lo <= end or not data[end:lo].strip())


WALK_BYTES = 64_000
"""Files up to this size are walked node by node to find containers: compiling a tree-sitter
query costs the merge driver more than the walk (about 10 ms against 2 ms for 300 lines)."""


def _nodes_of(root: Node, kinds: frozenset[str], grammar: str) -> list[Node]:
    """The nodes of these kinds under `root`, in document order."""
    if root.end_byte > WALK_BYTES:
        from mergekit.resolve.syntax import captures

        return captures(grammar, " ".join(f"({kind}) @c" for kind in sorted(kinds)), root, name="c")
    from mergekit.resolve.syntax import kind_ids

    ids = kind_ids(grammar, kinds)
    out = []
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.kind_id in ids:
            out.append(node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def all_containers(
    root: Node,
    profile: Profile,
    data: bytes,
    only: frozenset[str] | None = None,
    deadline: Deadline = NO_DEADLINE,
    cache: dict[tuple[int, int, str], Found] | None = None,
) -> list[Found]:
    """Every union container in the tree (for duplicate-key checks and collision rules).

    `only` limits the search to these container names. In large files the nodes are found with
    one tree-sitter query rather than by walking every node in Python. `cache` holds containers
    already cut (by `enclosing`) and receives the new ones. The children's import bindings
    (`Item.names`) are not read here.
    """

    specs = [spec for spec in profile.containers if only is None or spec.name in only]
    kinds = sorted({kind for spec in specs for kind in spec.node})
    if not kinds:
        return []
    nodes = _nodes_of(root, frozenset(kinds), profile.grammar)
    deadline.check()
    ancestry = _Ancestry()
    out: list[Found] = []
    for n, node in enumerate(nodes):
        if n & 63 == 63:
            deadline.check()
        for spec in specs:
            if _matches(node, spec, data):
                key = (node.start_byte, node.end_byte, spec.name)
                found = cache.get(key) if cache is not None else None
                if found is None:
                    # cut without import bindings (keys are what is checked here), kept apart
                    lean = (node.start_byte, node.end_byte, spec.name + "/keys")
                    found = cache.get(lean) if cache is not None else None
                if found is None:
                    depth, keys = ancestry.of(node)
                    found = build(node, spec, data, depth, profile, deadline, keys, bindings=False)
                    if cache is not None:
                        cache[lean] = found
                out.append(found)
                break
    return out


def lines_container(spec: Container, data: bytes) -> Found:
    """The whole file as one container whose children are its non-blank, non-comment lines.

    With `spec.continuation`, a line indented deeper than the entry line above it is part of that
    entry (`join`) or an entry of that entry's value, keyed within it (`entries`); lines indented
    under a line that is not an entry (a heading) are lines of their own.
    """
    items: list[Item] = []
    pos = 0
    offset = 0
    section = ""
    entry: tuple[int, str] | None = None
    """The indentation of the last entry line and the scope its continuation lines are keyed in."""
    for raw in data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"):
        line_start = offset
        offset += len(raw) + 1
        text = raw.rstrip(b"\r")
        stripped = text.strip()
        if not stripped or (spec.comment_prefix and stripped.startswith(spec.comment_prefix.encode())):
            continue
        line = stripped.decode("utf-8", "replace")
        indent = len(text) - len(text.lstrip())
        if spec.continuation and entry is not None and indent > entry[0] and items:
            if spec.continuation == "join":
                prev = items[-1]
                body = data[prev.at : line_start + len(text)]
                joined = normalize(body)
                items[-1] = prev.replace(
                    body=body,
                    key=(section + " " + joined) if section and not prev.opens else joined,
                    tail=raw[len(text) :],
                )
                pos = line_start + len(raw)
                continue
            found = pattern_key(spec.sig_pattern, line) if spec.sig_pattern else None
            items.append(
                Item(
                    kind="line",
                    key=entry[1] + " " + normalize(text),
                    sig="line:" + entry[1] + "/" + (found if found is not None else normalize(text)).lower(),
                    union=True,
                    lead=data[pos:line_start],
                    body=text,
                    tail=raw[len(text) :],
                    at=line_start,
                )
            )
            pos = line_start + len(raw)
            continue
        key = normalize(text)
        sig = None
        union = True
        opens = bool(spec.section_pattern) and _pattern(spec.section_pattern).match(line) is not None
        found = None
        if opens:
            section = key
            union = False
        else:
            if spec.sig_pattern:
                found = pattern_key(spec.sig_pattern, line)
                if found is not None:
                    sig = "line:" + (section + "/" if section else "") + found.lower()
            if spec.item_pattern:
                union = _pattern(spec.item_pattern).search(line) is not None
            if section:
                key = section + " " + key  # the same line in two sections is two entries
        scope = (section + "/" if section else "") + (found if found is not None else normalize(text)).lower()
        entry = (indent, scope) if union and not opens else None  # only an entry has continuation lines
        items.append(
            Item(
                kind="line",
                key=key,
                sig=sig,
                union=union,
                lead=data[pos:line_start],
                body=text,
                tail=raw[len(text) :],
                first=not items,
                at=line_start,
                opens=opens,
            )
        )
        pos = line_start + len(raw)
    return Found(
        spec=spec,
        node_type="lines",
        head="lines",
        start=0,
        end=len(data),
        items=tuple(items),
        closing=data[pos:],
        has_error=False,
        depth=0,
    )
