"""Language profiles: data files `grammars/<language>.toml` that say which containers to union.

The files live in the top-level `grammars/` folder and ship inside the package as `mergekit.grammars`.
A profile names its tree-sitter grammar, the file globs it applies to, and its union containers
(which node kinds hold children that may be unioned, how children are keyed). Loading is cheap
and never imports a grammar; `mergekit.resolve.syntax` loads grammars on demand. Every file is
validated when it is loaded (`load_profile`, the one validator, for the shipped profiles and for a
repository's own, see `mergekit.resolve.repository`): an unknown key, a value of the wrong type, a
regular expression that does not compile or an `extends` that names no profile raises
`ProfileError`, whose message names the file, the line and the key.

Profile keys (top level):

- `name` (required): the profile's name; rules are reported as `<name>:<container>`.
- `description`: the language's human name (default: `name`).
- `globs` (required unless inherited): file-name globs, matched against the base name, or against
  the whole repository path when the glob holds a `/`.
- `grammar` (required unless inherited): `module:function` returning the tree-sitter language,
  or `lines` for line-per-entry files (no tree; the first container applies to the whole file).
- `extends`: the name of another profile whose keys and containers this one inherits. Keys given
  here win; a `[[container]]` with the name of an inherited one replaces it (in place), other
  containers are added after the inherited ones. TSX is `extends = "typescript"` plus JSX.
- `comments`: node kinds that are comments (default `["comment"]`): they are trivia, kept with the
  child that follows them.

Container keys (`[[container]]` tables; see `Container` for what each does):

- `name` (required), `description`, `node` (required for tree grammars), `children`, `signature`,
  `separator`, `terminator`, `order` (`append` | `sorted-if-sorted`), `parent`, `anchor`, `header`,
  `item_pattern`, `sig_pattern`, `section_pattern`, `comment_prefix`, `continuation`, `attach`,
  `follow`, `bindings`, `scope`,
- `binding_split`, `binding_take`, `binding_strip`, `binding_aliases`, `binding_ignore`: how a
  captured import text becomes the name code uses (Go: last path segment; Python: first dotted
  name),
- `reexport`: a regular expression for children that re-export (never "unused"),
- `identity`: key names that identify a child that is a mapping/object (`name`, `id`, `uses`),
- `declarations`, `blank_lines`: child kinds that are declarations (functions, classes, tests),
  and how many blank lines a formatter puts around them (Python top level: 2, methods: 1);
  declarations are never sorted, nor counted when deciding whether a container is kept sorted,
- `follow`: child kinds that belong to the child right before them (Dart's `function_body` after
  a `method_signature`: one entry),
- `ordered`: `true` when an entry depends on the ones before it (ignore patterns, CODEOWNERS).

How children are keyed and scoped:

- A child's key comes from `signature` (paths: each step a field name, a named-child index,
  `(kind)` — the first named child of that kind — or `*` — every named child, the rest of the path
  followed from each and the texts joined by `,`: `name+parameters.*.type` keys a method by name
  and parameter types) or from `sig_pattern`, a regular expression
  matched at the start of the child's text with whitespace collapsed: its groups, joined, are the
  key (`<groupId>(.*?)</groupId> <artifactId>(.*?)</artifactId>` keys a Maven dependency). When
  both are given the pattern is tried first. Line-per-entry profiles (`grammar = "lines"`) only
  have `sig_pattern`.
- In a line-per-entry profile, `item_pattern` says which lines are entries that may be unioned
  (the others, like a `}` or a header, stop a union at their place), and `section_pattern` says
  which lines open a section (`[section]` in INI files): keys and identities of the lines after it
  are scoped to that section, and a section line is unioned only with the whole section it opens
  (both sides adding sections of their own at one place). `continuation` says what lines indented
  deeper than the entry line above them are: part of that entry (`join`: a wrapped changelog
  bullet) or entries of its value (`entries`: the requirements under setup.cfg's
  `install_requires =`, keyed by `sig_pattern` within the section and the key, or by their text).
- `scope` names ancestor kinds whose first line belongs to a container's identity: the body of
  each Terraform block starts on a line of its own, so without it the `timeout` of two different
  resources would count as one key given two values.
"""

from __future__ import annotations

import contextlib
import fnmatch
import importlib.util
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from mergekit.errors import MergekitError
from mergekit.resolve.values import value

ORDERS = ("append", "sorted-if-sorted")
"""The orders a container may ask for."""
TAKES = ("", "first", "last")
"""Which part of a split import text is the bound name."""
CONTINUATIONS = ("", "join", "entries")
"""What a line-per-entry profile does with lines indented deeper than the entry above them."""


class ProfileError(MergekitError):
    """A language profile that cannot be used; the message names the file and the key."""


@value
class Container:
    """One kind of union container: a node whose children may be unioned."""

    name: str
    """Short rule name, e.g. `imports-exports`; the rule reported is `<profile>:<name>`."""
    description: str
    """What the container is, for `mergekit languages` and reports."""
    node: tuple[str, ...]
    """Node kinds that are this container."""
    children: tuple[str, ...]
    """Child node kinds that are union items (empty = every named child)."""
    signature: tuple[str, ...] = ()
    """Field paths that key a child (`key`, `source`, `arguments.0`), first that applies wins;
    `a+b` joins two paths, `kind:path` applies to children of that kind only; empty = its text."""
    separator: str = ""
    """The separator between children (`,` for lists); empty for statements and lines."""
    terminator: str = ""
    """A token that may end a child (`;` after a class field): kept with the child, never added."""
    order: str = "append"
    """`sorted-if-sorted` keeps a sorted base sorted; `append` puts ours' then theirs' additions."""
    parent: tuple[str, ...] = ()
    """If set, the container's parent node must be one of these kinds."""
    anchor: str = ""
    """If set, a regular expression the text before the container on its line must match."""
    header: tuple[str, ...] = ()
    """Named children that introduce the container rather than belong to it, by kind (a TOML
    table's key) or as `@field` (the child in that field: `@module_name` of a Python import)."""
    item_pattern: str = ""
    """If set, a child is a union item only when its text matches this regular expression."""
    sig_pattern: str = ""
    """A regular expression matched at the start of a child's text (whitespace collapsed) or of a
    line: its groups, joined by `|`, are the key."""
    section_pattern: str = ""
    """For line-per-entry files: lines matching this open a section that scopes the keys after it."""
    comment_prefix: str = ""
    """For line-per-entry files: lines starting with this are comments (kept with the next entry)."""
    continuation: str = ""
    """For line-per-entry files, lines indented deeper than the entry line above them: `join`
    makes them part of that entry (a changelog bullet wrapped onto two lines), `entries` makes
    each an entry of that entry's value, keyed within it (setup.cfg `install_requires =`)."""
    attach: tuple[str, ...] = ()
    """Child kinds that belong to the next child, like comments (Rust `#[attr]`)."""
    follow: tuple[str, ...] = ()
    """Child kinds that belong to the child right before them: a grammar that splits one entry into
    two siblings (Dart's `method_signature` then `function_body`) gives one entry."""
    bindings: str = ""
    """A tree-sitter query capturing the names a child binds (imports); see `items.bound_names_at`."""
    scope: tuple[str, ...] = ()
    """Ancestor kinds whose first line is part of the container's identity (an HCL `block`), for
    containers that start on a line of their own."""
    binding_split: str = ""
    """Split a captured import text on this (Go `/`, Python `.`); empty = the text is the name."""
    binding_take: str = ""
    """`first` or `last` part of the split text (Python `import a.b` binds `a`; Go `x/y` binds `y`)."""
    binding_strip: str = ""
    """A regular expression removed from the captured text first (Go's `/v2` version suffix)."""
    binding_aliases: tuple[str, ...] = ()
    """Regular expressions whose removal gives other spellings of a bound name (Go `go-yaml` → `yaml`)."""
    binding_ignore: tuple[str, ...] = ()
    """Bound names that bind nothing usable (Go's `_` and `.` imports)."""
    reexport: str = ""
    """A regular expression matching children that re-export (`export ...`, `pub use`): never unused."""
    identity: tuple[str, ...] = ()
    """Keys that identify a child that is a mapping (`name`, `id`, `uses`), first found wins."""
    declarations: tuple[str, ...] = ()
    """Child kinds that are declarations: an added one is laid out with `blank_lines` around it."""
    blank_lines: int = -1
    """Blank lines a formatter puts around a declaration (-1: keep what the sides wrote)."""
    ordered: bool = False
    """Entries depend on the ones before them (ignore patterns, CODEOWNERS: the last match wins):
    an entry one side rewrote is never combined with an insertion next to it."""


@value
class Profile:
    """A language profile loaded from `grammars/<name>.toml`."""

    name: str
    """Profile name, e.g. `typescript`."""
    description: str
    """Human name of the language."""
    globs: tuple[str, ...]
    """File-name globs (matched against the base name, or the whole path when they hold a `/`)."""
    grammar: str
    """`module:function` giving the tree-sitter language, or `lines` for line-per-entry files."""
    containers: tuple[Container, ...]
    """The union containers, innermost-first priority is decided by the tree, not this order."""
    comments: tuple[str, ...] = ("comment",)
    """Node kinds that are comments (trivia kept with the next child)."""
    extends: str = ""
    """The profile this one was built on, if any."""

    def matches(self, path: str) -> bool:
        """True when `path` (a repository path) belongs to this profile."""
        return globs_match(self.globs, path)


def globs_match(globs: Iterable[str], path: str) -> bool:
    """True when `path` matches one of `globs` (base name, or whole path for globs with a `/`)."""
    base = path.rsplit("/", 1)[-1]
    return any(_glob_matches(path if "/" in g else base, g) for g in globs)


_MAGIC = frozenset("*?[")


def _glob_matches(name: str, glob: str) -> bool:
    """`fnmatch.fnmatchcase(name, glob)`, without compiling a regular expression for the common
    globs (`Gemfile`, `*.ts`, `requirements*.txt`: one `*`, which matches any text, `/` too): the
    driver matches one path against every profile's globs."""
    if _MAGIC.isdisjoint(glob):
        return name == glob
    head, _, tail = glob.partition("*")
    if _MAGIC.isdisjoint(head) and _MAGIC.isdisjoint(tail):
        return len(name) >= len(head) + len(tail) and name.startswith(head) and name.endswith(tail)
    # the text after the glob's last `*`, `?` or `]` is matched literally at the end of the name
    # (a `[` with no `]` after it is literal too): a name without it needs no compiled pattern
    last = max(glob.rfind("*"), glob.rfind("?"), glob.rfind("]"))
    if not name.endswith(glob[last + 1 :]):
        return False
    return fnmatch.fnmatchcase(name, glob)


# -- validation ------------------------------------------------------------------------------

_STR, _STRS, _INT, _BOOL = "string", "list of strings", "integer", "boolean"
_REGEX, _REGEXES = "regex", "regexes"

_PROFILE_KEYS: dict[str, str] = {
    "name": _STR,
    "description": _STR,
    "globs": _STRS,
    "grammar": _STR,
    "extends": _STR,
    "comments": _STRS,
    "container": "containers",
}
_CONTAINER_KEYS: dict[str, str] = {
    "name": _STR,
    "description": _STR,
    "node": _STRS,
    "children": _STRS,
    "signature": _STRS,
    "separator": _STR,
    "terminator": _STR,
    "order": _STR,
    "parent": _STRS,
    "anchor": _REGEX,
    "header": _STRS,
    "item_pattern": _REGEX,
    "sig_pattern": _REGEX,
    "section_pattern": _REGEX,
    "comment_prefix": _STR,
    "continuation": _STR,
    "attach": _STRS,
    "follow": _STRS,
    "bindings": _STR,
    "scope": _STRS,
    "binding_split": _STR,
    "binding_take": _STR,
    "binding_strip": _REGEX,
    "binding_aliases": _REGEXES,
    "binding_ignore": _STRS,
    "reexport": _REGEX,
    "identity": _STRS,
    "declarations": _STRS,
    "blank_lines": _INT,
    "ordered": _BOOL,
}
assert set(_CONTAINER_KEYS) == set(Container.__match_args__)


_TABLE = r"^[ \t]*\[\[?[ \t]*[A-Za-z0-9_.-]+[ \t]*\]\]?[ \t]*(?:#.*)?$"
_NAME_FORM = r"^[a-z0-9][a-z0-9_.-]*$"


class _Text:
    """A profile file's text and the name it is shown by, for messages that point at a line."""

    __slots__ = ("shown", "text")

    def __init__(self, shown: str, text: str) -> None:
        self.shown = shown
        self.text = text

    def table(self, n: int) -> tuple[int, int]:
        """Offsets of the top level (n = 0) or of the n-th `[[container]]` table of the file."""
        starts = [0, *(m.start() for m in re.finditer(_TABLE, self.text, re.M))]
        if n >= len(starts):
            return len(self.text), len(self.text)
        return starts[n], starts[n + 1] if n + 1 < len(starts) else len(self.text)

    def line(self, key: str, n: int) -> int:
        """The line of `key = ...` in table `n`, else of the table's header (1 for the top level)."""
        lo, hi = self.table(n)
        found = re.compile(rf'^[ \t]*"?{re.escape(key)}"?[ \t]*=', re.M).search(self.text, lo, hi)
        at = found.start() if found else lo
        return self.text.count("\n", 0, at) + 1


class _Checker:
    """Reads typed values from one TOML table, raising `ProfileError` that names file, line and key."""

    def __init__(
        self, source: _Text, where: str, raw: Mapping[str, object], schema: Mapping[str, str], table: int = 0
    ) -> None:
        self.source, self.where, self.raw, self.table = source, where, raw, table
        for key in raw:
            if key not in schema:
                known = ", ".join(sorted(schema))
                self.fail(key, f"unknown key (known keys: {known})")
        self.schema = schema

    def fail(self, key: str, problem: str) -> None:
        line = self.source.line(key, self.table)
        shown = f"{self.source.shown}:{line}"
        raise ProfileError(f"language profile {shown}: {self.where}key {key!r}: {problem} — fix the profile")

    def text(self, key: str, default: str = "") -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str):
            self.fail(key, f"must be a string, not {type(value).__name__}")
        assert isinstance(value, str)
        if self.schema.get(key) == _REGEX and value:
            self._compile(key, value)
        return value

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw.get(key, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, "must be a string or a list of strings")
        assert isinstance(value, list)
        if self.schema.get(key) == _REGEXES:
            for v in value:
                self._compile(key, v)
        return tuple(str(v) for v in value)

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return bool(value)

    def number(self, key: str, default: int) -> int:
        value = self.raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, "must be an integer")
        assert isinstance(value, int)
        return value

    def _compile(self, key: str, pattern: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            self.fail(key, f"not a valid regular expression ({exc})")


def _container(source: _Text, raw: object, n: int, grammar: str) -> Container:
    if not isinstance(raw, dict):
        raise ProfileError(f"language profile {source.shown}: [[container]] number {n} must be a table")
    label = raw.get("name", f"number {n}")
    check = _Checker(source, f"[[container]] {label!r}: ", raw, _CONTAINER_KEYS, n)
    if "name" not in raw:
        check.fail("name", "missing (every container needs a name)")
    order = check.text("order", "append")
    if order not in ORDERS:
        check.fail("order", f"must be one of {', '.join(ORDERS)}, not {order!r}")
    take = check.text("binding_take")
    if take not in TAKES:
        check.fail("binding_take", f"must be 'first' or 'last', not {take!r}")
    continuation = check.text("continuation")
    if continuation not in CONTINUATIONS:
        check.fail("continuation", f"must be 'join' or 'entries', not {continuation!r}")
    if continuation and grammar != "lines":
        check.fail("continuation", "only a line-per-entry profile (grammar = 'lines') has continuation lines")
    node = check.strings("node")
    if grammar == "lines" and node:
        check.fail("node", "a line-per-entry profile (grammar = 'lines') has no tree to query")
    if grammar != "lines" and not node:
        check.fail("node", "missing (which node kinds are this container?)")
    name = check.text("name")
    return Container(
        name=name,
        description=check.text("description", name),
        node=node,
        children=check.strings("children"),
        signature=check.strings("signature"),
        separator=check.text("separator"),
        terminator=check.text("terminator"),
        order=order,
        parent=check.strings("parent"),
        anchor=check.text("anchor"),
        header=check.strings("header"),
        item_pattern=check.text("item_pattern"),
        sig_pattern=check.text("sig_pattern"),
        section_pattern=check.text("section_pattern"),
        comment_prefix=check.text("comment_prefix"),
        continuation=continuation,
        attach=check.strings("attach"),
        follow=check.strings("follow"),
        bindings=check.text("bindings"),
        scope=check.strings("scope"),
        binding_split=check.text("binding_split"),
        binding_take=take,
        binding_strip=check.text("binding_strip"),
        binding_aliases=check.strings("binding_aliases"),
        binding_ignore=check.strings("binding_ignore"),
        reexport=check.text("reexport"),
        identity=check.strings("identity"),
        declarations=check.strings("declarations"),
        blank_lines=check.number("blank_lines", -1),
        ordered=check.flag("ordered"),
    )


def load_profile(
    text: str,
    source: str,
    parents: Mapping[str, Profile] | None = None,
    grammars: Iterable[str] | None = None,
) -> Profile:
    """Parse and validate one profile's TOML text; `source` names it in error messages.

    `parents` are the profiles an `extends` may name. `grammars`, when given, are the only
    grammars the profile may name besides `lines` (a repository's own profile may not make
    mergekit import a module of its choosing).
    """
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"language profile {source}: not valid TOML ({exc}) — fix the profile") from exc
    where = _Text(source, text)
    check = _Checker(where, "", raw, _PROFILE_KEYS)
    base: Profile | None = None
    extends = check.text("extends")
    if extends:
        base = (parents or {}).get(extends)
        if base is None:
            check.fail("extends", f"no profile named {extends!r}")
    for key in ("name",) + (("globs", "grammar") if base is None else ()):
        if key not in raw:
            check.fail(key, "missing")
    name = check.text("name")
    if not re.match(_NAME_FORM, name):
        check.fail("name", "must be lower-case letters, digits, '-', '_' or '.'")
    grammar = check.text("grammar", base.grammar if base else "")
    if grammars is not None and grammar != "lines" and grammar not in set(grammars):
        allowed = ", ".join(sorted({*grammars, "lines"}))
        check.fail("grammar", f"must be one the shipped profiles use: {allowed}")
    globs = check.strings("globs", base.globs if base else ())
    if not globs or not all(g.strip() for g in globs):
        check.fail("globs", 'must name at least one glob, like ["*.routes"]')
    raw_containers = raw.get("container", [])
    if not isinstance(raw_containers, list):
        check.fail("container", "must be an array of tables ([[container]])")
    own = [_container(where, c, n, grammar) for n, c in enumerate(raw_containers, 1)]
    names = [c.name for c in own]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        check.fail("container", f"two containers named {duplicates[0]!r}")
    containers = list(base.containers) if base else []
    for container in own:
        at = next((i for i, c in enumerate(containers) if c.name == container.name), None)
        if at is None:
            containers.append(container)
        else:
            containers[at] = container
    if not containers:
        check.fail("container", "a profile needs at least one [[container]]")
    return Profile(
        name=name,
        description=check.text("description", base.description if base else name),
        globs=globs,
        grammar=grammar,
        containers=tuple(containers),
        comments=check.strings("comments", base.comments if base else ("comment",)),
        extends=extends,
    )


# -- the shipped profiles ----------------------------------------------------------------------
#
# The merge driver runs once per conflicted file and needs one profile (and the one it extends).
# Every shipped profile, parsed and validated, is kept in one file beside the profiles, written
# like Python's own bytecode (`__pycache__`, only when Python writes bytecode, so it is exactly as
# trusted as the code next to it) and used only while every profile file and this module are
# the ones it was made from. Without it (a read-only install, PYTHONDONTWRITEBYTECODE) the
# driver reads the one profile it needs with tomllib, as it always did.

CACHE_FORMAT = 1
"""Changes whenever what the profile cache holds changes shape."""


@cache
def _folder() -> Path | None:
    """The folder of the shipped profiles, None when the package is not a plain folder (zipped)."""
    spec = importlib.util.find_spec("mergekit.grammars")
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    return folder if folder is not None and folder.is_dir() else None


@cache
def _texts() -> dict[str, str]:
    """File name → text of every shipped profile.

    Read from the package folder directly: `importlib.resources` imports zipfile and more, which
    costs the merge driver about 25 ms per file; it is only the fallback for zipped installs.
    """
    folder = _folder()
    if folder is not None:
        return {f.name: f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.toml"))}
    from importlib import resources

    packaged = resources.files("mergekit.grammars")
    return {
        f.name: f.read_text(encoding="utf-8")
        for f in sorted(packaged.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".toml")
    }


_NAME = r'^name\s*=\s*"([^"]+)"'
_EXTENDS = r'^extends\s*=\s*"([^"]+)"'
_GLOBS = r"^globs\s*=\s*\[([^\]]*)\]"
_STRING = r'"([^"]*)"'


class _Entry:
    """What the merge driver needs to pick a profile without parsing every file (a plain class:
    the driver imports this module once per file, and a dataclass costs it more than it reads)."""

    __slots__ = ("extends", "file", "globs", "name")

    def __init__(self, file: str, name: str, globs: tuple[str, ...], extends: str) -> None:
        self.file = file
        self.name = name
        self.globs = globs
        self.extends = extends


@cache
def _index() -> tuple[_Entry, ...]:
    """One entry per shipped profile: from the profile cache, else read with three regular
    expressions (the merge driver needs one profile per run; parsing all of them with tomllib
    is most of its start-up)."""
    cached = _cached()
    if cached is not None:
        entries = (_Entry(file, packed[0], packed[2], packed[6]) for file, packed in cached.items())
        return tuple(sorted(entries, key=lambda e: e.name))
    out = []
    for file, text in _texts().items():
        name, globs = re.search(_NAME, text, re.M), re.search(_GLOBS, text, re.M)
        extends = re.search(_EXTENDS, text, re.M)
        if name is None or globs is None:
            profile = _load_named(file)
            out.append(_Entry(file, profile.name, profile.globs, profile.extends))
            continue
        out.append(
            _Entry(
                file,
                name.group(1),
                tuple(re.findall(_STRING, globs.group(1))),
                extends.group(1) if extends else "",
            )
        )
    return tuple(sorted(out, key=lambda e: e.name))


@cache
def _load_named(file: str) -> Profile:
    """The shipped profile in `file` (from the profile cache, else parsed with its parent)."""
    cached = _cached()
    if cached is not None and file in cached:
        return _unpack(cached[file])
    return _parse(file, _texts(), _parsed)


_parsed: dict[str, Profile] = {}
"""Shipped profiles parsed in this process, by file name."""


def _parse(
    file: str, texts: Mapping[str, str], done: dict[str, Profile], chain: tuple[str, ...] = ()
) -> Profile:
    """The profile in `texts[file]`, with the profile it extends parsed first (`done` keeps both)."""
    if file in done:
        return done[file]
    text = texts[file]
    source = f"grammars/{file}"
    match = re.search(_EXTENDS, text, re.M)
    parents: dict[str, Profile] = {}
    if match:
        parent = match.group(1)
        named = next((f for f, t in texts.items() if _name_in(f, t) == parent), None)
        if named is not None:
            if named in chain or named == file:
                raise ProfileError(f"language profile {source}: key 'extends': {parent!r} extends itself")
            parents[parent] = _parse(named, texts, done, (*chain, file))
    profile = done[file] = load_profile(text, source, parents)
    return profile


def _name_in(file: str, text: str) -> str:
    """The name a profile file gives itself, read without parsing (its file name when none)."""
    name = re.search(_NAME, text, re.M)
    return name.group(1) if name else file.removesuffix(".toml")


@cache
def all_profiles() -> tuple[Profile, ...]:
    """Every shipped profile, sorted by name (all of them validated)."""
    cached = _cached()
    profiles = [_load_named(file) for file in (cached if cached is not None else _texts())]
    names = [p.name for p in profiles]
    for name in names:
        if names.count(name) > 1:
            raise ProfileError(f"two language profiles are named {name!r}")
    return tuple(sorted(profiles, key=lambda p: p.name))


# -- the profile cache ---------------------------------------------------------------------------

Packed = tuple[str, str, tuple[str, ...], str, tuple[tuple[object, ...], ...], tuple[str, ...], str]
"""A profile as plain values (`marshal` writes and reads them): its fields in order, with each
container as the tuple of its fields."""


def _pack(profile: Profile) -> Packed:
    containers = tuple(
        tuple(getattr(c, name) for name in Container.__match_args__) for c in profile.containers
    )
    return (
        profile.name,
        profile.description,
        profile.globs,
        profile.grammar,
        containers,
        profile.comments,
        profile.extends,
    )


def _unpack(packed: Packed) -> Profile:
    name, description, globs, grammar, containers, comments, extends = packed
    return Profile(
        name=name,
        description=description,
        globs=globs,
        grammar=grammar,
        containers=tuple(Container(*c) for c in containers),  # type: ignore[arg-type]
        comments=comments,
        extends=extends,
    )


def cache_file(folder: Path) -> Path:
    """Where the profile cache of the profiles in `folder` lives (beside their bytecode)."""
    return folder / "__pycache__" / f"profiles.{sys.implementation.cache_tag}.marshal"


Fingerprint = tuple[int, str, tuple[int, int], tuple[tuple[str, int, int, int, int], ...]]
"""The cache's format, mergekit's version, this module's size and modification time, and each
profile file's name, size, modification and change times and inode."""


def fingerprint(folder: Path) -> Fingerprint:
    """What the cache of `folder`'s profiles is made from (see `Fingerprint`)."""
    from mergekit import __version__

    files = []
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.endswith(".toml") and entry.is_file():
                st = entry.stat()
                files.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    st = os.stat(__file__)
    own = (st.st_size, st.st_mtime_ns)
    return (CACHE_FORMAT, __version__, own, tuple(sorted(files)))


def read_cache(folder: Path) -> dict[str, Packed] | None:
    """The cached profiles of `folder` by file name, None when there is no cache or it is stale."""
    try:
        stored = marshal.loads(cache_file(folder).read_bytes())
        key = fingerprint(folder)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != key:
        return None
    profiles = stored[1]
    return profiles if isinstance(profiles, dict) else None


def write_cache(folder: Path) -> dict[str, Packed] | None:
    """Parse every profile in `folder` and write them to its cache; return them by file name.

    None when the cache cannot be written, a profile does not load (its own lookup then says
    why) or two share a name. The
    files are looked at before they are read, so a profile changed meanwhile makes the cache
    stale rather than wrong; the cache is written whole under a temporary name and renamed into
    place, so a reader sees the old cache, the new one or none.
    """
    target = cache_file(folder)
    try:
        target.parent.mkdir(exist_ok=True)
    except OSError:
        return None
    if not os.access(target.parent, os.W_OK):
        return None  # a read-only install: parse the one profile needed, every time
    key = fingerprint(folder)
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.toml"))}
    done: dict[str, Profile] = {}
    try:
        packed = {file: _pack(_parse(file, texts, done)) for file in texts}
    except ProfileError:
        return None
    if len({p[0] for p in packed.values()}) != len(packed):
        return None
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as out:
            out.write(marshal.dumps((key, packed)))
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return packed


@cache
def _cached() -> dict[str, Packed] | None:
    """The shipped profiles from the cache, written first when it is missing or stale (only when
    Python writes bytecode). None: each profile is parsed when it is needed."""
    folder = _folder()
    if folder is None:
        return None
    found = read_cache(folder)
    if found is None and not sys.dont_write_bytecode:
        try:
            found = write_cache(folder)
        except (OSError, UnicodeDecodeError):
            return None
    return found


def profile_for(path: str) -> Profile | None:
    """The profile for a repository path, or None when no profile applies (inside
    `profile_lookup(lookup)`: the lookup's answer — a repository's own choice)."""
    lookup = _LOOKUP.get()
    if lookup is not None:
        return lookup(path)
    for entry in _index():
        if globs_match(entry.globs, path):
            return _load_named(entry.file)
    return None


# -- a repository's own choice (`mergekit.resolve.repository`) ---------------------------------

Lookup = Callable[[str], "Profile | None"]
"""A path → profile function that answers instead of the shipped globs (see `profile_lookup`)."""
_LOOKUP: ContextVar[Lookup | None] = ContextVar("mergekit_profile_lookup", default=None)


@contextmanager
def profile_lookup(lookup: Lookup | None) -> Iterator[None]:
    """Within this block `profile_for` answers with `lookup` (None: the shipped profiles)."""
    token = _LOOKUP.set(lookup)
    try:
        yield
    finally:
        _LOOKUP.reset(token)


def shipped_profile_for(path: str) -> Profile | None:
    """The shipped profile for `path`, whatever lookup is active (a lookup falls back on it)."""
    with profile_lookup(None):
        return profile_for(path)


def parse_profile(text: str, source: str) -> Profile:
    """A repository's own profile from its file's text, through the same validation as the shipped
    ones (`load_profile`): it may extend a shipped profile, and name only a grammar a shipped
    profile uses, or `lines`. `source` names the file in error messages."""
    shipped = all_profiles()
    return load_profile(text, source, {p.name: p for p in shipped}, grammars={p.grammar for p in shipped})
