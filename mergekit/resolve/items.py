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
from dataclasses import dataclass, replace
from functools import cache

from mergekit.resolve.profiles import Container, Profile
from mergekit.resolve.syntax import Node

_CLOSERS = frozenset({"]", "}", ")", ">", "end"})
COMMENT_KINDS = frozenset({"comment", "line_comment", "block_comment", "html_comment"})
_WS = re.compile(rb"\s+")


@dataclass(slots=True, eq=False)
class Item:
    # Not frozen: building tens of thousands of frozen instances is measurably slower; treat as immutable.
    """One child of a union container, with the text around it."""

    kind: str
    """The child's node kind (`line` for line-per-entry files)."""
    key: str
    """Normalized text (whitespace collapsed): two children are the same when their keys are."""
    sig: str | None
    """Signature (e.g. the import source, the dict key); None when the profile gives none."""
    union: bool
    """True when the child is of a kind the container may union."""
    lead: bytes
    """Whitespace and comments before the child."""
    body: bytes
    """The child's own text."""
    mid: bytes = b""
    """Text between the child and its separator."""
    sep: bytes = b""
    """The separator after the child (`,`), or empty."""
    tail: bytes = b""
    """Trailing spaces/comment on the child's last line."""
    first: bool = False
    """True for the first slot of its container (its lead follows the opening delimiter)."""
    at: int = 0
    """Byte offset of the body in the version it was read from."""
    names: tuple[str, ...] = ()
    """Names the child binds (an import's local names), from the container's `bindings` query."""
    raw: bool = False
    """True for several children merged line by line: rendered as is, separators included."""

    def render(self) -> bytes:
        """The slot's text."""
        return self.lead + self.body + self.mid + self.sep + self.tail

    def with_sep(self, sep: bytes) -> Item:
        """The same slot with its separator set to `sep`."""
        return replace(self, sep=sep)


@dataclass(frozen=True)
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
    """True when the container holds a syntax error (never merged then)."""
    depth: int
    """Nesting depth in the tree (deeper = more inner)."""


def normalize(text: bytes) -> str:
    """Collapse whitespace runs so that re-indented children still compare equal."""
    return _WS.sub(b" ", text.strip()).decode("utf-8", "replace")


@cache
def _steps(path: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


@cache
def _alternatives(signature: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(alternative.split("+")) for alternative in signature)


def _field_path(node: Node, path: str) -> Node | None:
    """Follow a dotted path of field names and named-child indexes (`0.arguments.0`)."""
    current = node
    for part in _steps(path):
        if current is None:
            return None
        if isinstance(part, int):
            current = current.named_child(part) if part < current.named_child_count else None
        else:
            current = current.child_by_field_name(part)
    return current


def pattern_key(pattern: str, text: str) -> str | None:
    """The groups of `pattern` matched at the start of `text`, joined by `|`, or None."""
    m = _pattern(pattern).match(text)
    if m is None:
        return None
    groups = [g for g in m.groups() if g is not None]
    return "|".join(groups) if groups else m.group(0)


def signature(node: Node, spec: Container) -> str | None:
    """The child's key under the container's signature rules, or None."""
    if spec.sig_pattern:
        key = pattern_key(spec.sig_pattern, normalize(node.text))
        if key is not None:
            return str(node.type) + ":" + key
    for alternative in _alternatives(spec.signature):
        parts = []
        for path in alternative:
            target = _field_path(node, path)
            if target is None:
                break
            parts.append(normalize(target.text))
        else:
            return str(node.type) + ":" + "|".join(parts)
    return None


def _is_trivia(node: Node, spec: Container) -> bool:
    """Comments and the kinds the profile attaches to the next child (Rust attributes)."""
    return node.type in COMMENT_KINDS or node.is_extra or node.type in spec.attach


def _is_item_kind(node: Node, spec: Container) -> bool:
    if _is_trivia(node, spec):
        return False
    return node.is_named and node.type not in spec.header


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _is_union(node: Node, spec: Container, data: bytes) -> bool:
    if spec.children and node.type not in spec.children:
        return False
    if spec.item_pattern:
        text = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        return _pattern(spec.item_pattern).search(text) is not None
    return True


def _matches(node: Node, spec: Container, data: bytes) -> bool:
    if node.type not in spec.node:
        return False
    if spec.parent and (node.parent is None or node.parent.type not in spec.parent):
        return False
    if spec.anchor:
        return re.search(spec.anchor, _head_text(node, data)) is not None
    return True


def _head_text(node: Node, data: bytes) -> str:
    """Text from the start of the container's line (or statement) up to the container."""
    line_start = data.rfind(b"\n", 0, node.start_byte) + 1
    return data[line_start : node.start_byte].decode("utf-8", "replace").strip()


def _key_path(node: Node) -> str:
    """The keys/names of the enclosing entries (`services/db` for a nested YAML mapping)."""
    keys: list[str] = []
    current = node.parent
    while current is not None and len(keys) < 6:
        for field in ("key", "name"):
            target = current.child_by_field_name(field)
            if target is not None and target.end_byte <= node.start_byte:
                keys.append(normalize(target.text))
                break
        current = current.parent
    return "/".join(reversed(keys))


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


_VERSION_SUFFIX = re.compile(r"(/v\d+|\.v\d+)$")


def bound_names_at(node: Node, spec: Container, grammar: str) -> list[tuple[str, int]]:
    """The local names import-like children under `node` bind, with their byte offsets.

    A Go import path binds its last segment (without a `/vN` suffix); a dotted Python module
    binds its first name.
    """
    if not spec.bindings:
        return []
    from mergekit.resolve.syntax import captures

    names = []
    for target in captures(grammar, spec.bindings, node):
        text = target.text.decode("utf-8", "replace").strip("\"'`")
        if "/" in text or target.type.endswith("string_literal"):
            text = _VERSION_SUFFIX.sub("", text).rsplit("/", 1)[-1]
        else:
            text = text.split(".")[0]
        if text and text not in ("_", "."):
            names.append((text, int(target.start_byte)))
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


def _interior(
    node: Node, spec: Container, children: list[Node] | None = None, item_idx: list[int] | None = None
) -> tuple[int, int]:
    """Byte range between the container's opening and closing delimiters (or its whole span)."""
    if children is None:
        children = list(node.children)
    if item_idx is None:
        item_idx = [i for i, c in enumerate(children) if _is_item_kind(c, spec)]
    if item_idx:
        first, last = item_idx[0], item_idx[-1]
        header = [c for c in children[:first] if not _is_trivia(c, spec)]
        trailer = [c for c in children[last + 1 :] if not _is_trivia(c, spec)]
        trailer = [c for c in trailer if c.type != spec.separator]
    else:
        header = [c for c in children if not c.is_named and c.type in ("[", "{", "(")]
        trailer = [c for c in children if not c.is_named and c.type in ("]", "}", ")")]
    start = header[-1].end_byte if header else node.start_byte
    closers = [c for c in trailer if c.type in _CLOSERS or c.is_named]
    end = closers[0].start_byte if closers else node.end_byte
    return start, end


def build(node: Node, spec: Container, data: bytes, depth: int, grammar: str = "") -> Found:
    """Cut the container `node` of `data` into slots."""
    children = list(node.children)
    item_idx = [i for i, c in enumerate(children) if _is_item_kind(c, spec)]
    start, end = _interior(node, spec, children, item_idx)
    comment_starts = sorted(c.start_byte for c in children if c.type in COMMENT_KINDS or c.is_extra)
    names = _names_by_child(node, [children[i] for i in item_idx], spec, grammar)
    # Trivia before the first child belongs to it, so the interior starts after the header.
    items: list[Item] = []
    pos = start
    for n, i in enumerate(item_idx):
        child = children[i]
        body_end = _rstrip_end(data, child.start_byte, child.end_byte)
        sep = b""
        mid = b""
        after = body_end
        nxt = children[i + 1] if i + 1 < len(children) else None
        if spec.separator and nxt is not None and not nxt.is_named and nxt.type == spec.separator:
            mid = data[body_end : nxt.start_byte]
            sep = data[nxt.start_byte : nxt.end_byte]
            after = nxt.end_byte
        eol = data.find(b"\n", after)
        eol = len(data) if eol < 0 else eol
        line_ends = eol < end
        eol = min(eol, end)
        rest = data[after:eol]
        tail = b""
        next_item_start = children[item_idx[n + 1]].start_byte if n + 1 < len(item_idx) else end
        k = bisect.bisect_left(comment_starts, after)
        has_comment = k < len(comment_starts) and comment_starts[k] < eol
        if eol <= next_item_start and ((line_ends and not rest.strip()) or has_comment):
            tail = rest
        items.append(
            Item(
                kind=child.type,
                key=normalize(data[child.start_byte : body_end]),
                sig=signature(child, spec),
                union=_is_union(child, spec, data),
                lead=data[pos : child.start_byte],
                body=data[child.start_byte : body_end],
                mid=mid,
                sep=sep,
                tail=tail,
                first=n == 0,
                at=child.start_byte,
                names=names.get(child.start_byte, ()),
            )
        )
        pos = after + len(tail)
    has_error = bool(node.has_error)
    head = node.type + "@" + normalize(_head_text(node, data).encode()) + "@" + _key_path(node)
    return Found(
        spec=spec,
        node_type=node.type,
        head=head + _scope_path(node, spec.scope, data),
        start=start,
        end=end,
        items=tuple(items),
        closing=data[pos:end],
        has_error=has_error,
        depth=depth,
    )


def enclosing(
    root: Node,
    profile: Profile,
    data: bytes,
    lo: int,
    hi: int,
    cache: dict[tuple[int, int, str], Found] | None = None,
) -> list[Found]:
    """Union containers whose interior holds the byte range [lo, hi), innermost first.

    `cache` keeps containers already cut into slots (a file's top level is cut once).
    """
    # An insertion point on a boundary belongs to the node ending there as much as to the next
    # one (a statement list ends with its last newline): look up from both sides.
    starts = [root.descendant_for_byte_range(lo, max(lo, hi)) if lo < root.end_byte else root]
    if lo == hi and lo > 0:
        starts.append(root.descendant_for_byte_range(lo - 1, lo - 1))
    skip = len(data[lo:]) - len(data[lo:].lstrip(b" \t"))
    if skip and lo + skip < root.end_byte:
        starts.append(root.descendant_for_byte_range(lo + skip, max(lo + skip, hi)))
    # A container without a closing delimiter ends with its last child, before the newline
    # (a Ruby `do ... end` body): look up from the last child before an insertion point, and
    # from the inserted text without its trailing newline.
    before = len(data[:lo].rstrip()) - 1
    if lo == hi and 0 <= before < lo - 1:
        starts.append(root.descendant_for_byte_range(before, before))
    trimmed = len(data[:hi].rstrip())
    if lo + skip < trimmed < hi:
        starts.append(root.descendant_for_byte_range(lo + skip, trimmed))
    seen: dict[tuple[int, int, int], tuple[Node, int]] = {}
    for start in starts:
        chain = []
        node = start
        while node is not None:
            chain.append(node)
            node = node.parent
        for depth, node in enumerate(reversed(chain)):
            seen.setdefault((node.start_byte, node.end_byte, node.kind_id), (node, depth))
    ordered = sorted(seen.values(), key=lambda pair: (pair[0].end_byte - pair[0].start_byte, -pair[1]))
    found: list[Found] = []
    for node, depth in ordered:
        for spec in profile.containers:
            if _matches(node, spec, data):
                key = (node.start_byte, node.end_byte, spec.name)
                candidate = cache.get(key) if cache is not None else None
                if candidate is None:
                    start, end = _interior(node, spec)
                    if not _inside_range(start, end, data, lo, hi):
                        break
                    candidate = build(node, spec, data, depth, profile.grammar)
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
    """True when [lo, hi) lies in [start, end), give or take whitespace at either end.

    A container without a closing delimiter (a Ruby `do ... end` body) ends with its last child,
    before the newline: lines inserted after that child still belong to it.
    """
    start_ok = start <= lo or not data[lo:start].strip()
    end_ok = hi <= end or not data[end:hi].strip()
    return start_ok and end_ok and (lo <= end or not data[end:lo].strip())


def all_containers(
    root: Node, profile: Profile, data: bytes, only: frozenset[str] | None = None
) -> list[Found]:
    """Every union container in the tree (for duplicate-key checks and collision rules).

    `only` limits the search to these container names. The nodes are found with one
    tree-sitter query rather than by walking every node in Python.
    """
    from mergekit.resolve.syntax import captures

    specs = [spec for spec in profile.containers if only is None or spec.name in only]
    kinds = sorted({kind for spec in specs for kind in spec.node})
    if not kinds:
        return []
    query = " ".join(f"({kind}) @c" for kind in kinds)
    out: list[Found] = []
    for node in captures(profile.grammar, query, root, name="c"):
        for spec in specs:
            if _matches(node, spec, data):
                depth = 0
                parent = node.parent
                while parent is not None:
                    depth += 1
                    parent = parent.parent
                out.append(build(node, spec, data, depth, profile.grammar))
                break
    return out


def lines_container(spec: Container, data: bytes) -> Found:
    """The whole file as one container whose children are its non-blank, non-comment lines."""
    items: list[Item] = []
    pos = 0
    offset = 0
    section = ""
    for raw in data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"):
        line_start = offset
        offset += len(raw) + 1
        text = raw.rstrip(b"\r")
        stripped = text.strip()
        if not stripped or (spec.comment_prefix and stripped.startswith(spec.comment_prefix.encode())):
            continue
        line = stripped.decode("utf-8", "replace")
        key = normalize(text)
        sig = None
        union = True
        if spec.section_pattern and _pattern(spec.section_pattern).match(line):
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
