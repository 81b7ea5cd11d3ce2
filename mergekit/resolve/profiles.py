"""Language profiles: data files `grammars/<language>.toml` that say which containers to union.

The files live in the top-level `grammars/` folder and ship inside the package as `mergekit.grammars`.
A profile names its tree-sitter grammar, the file globs it applies to, and its union containers
(which node kinds hold children that may be unioned, how children are keyed). Loading is cheap
and never imports a grammar; `mergekit.resolve.syntax` loads grammars on demand.

Keys of a `[[container]]` (see `Container` for each): `name`, `description`, `node`, `children`,
`signature`, `separator`, `order`, `parent`, `anchor`, `header`, `item_pattern`, `sig_pattern`,
`section_pattern`, `comment_prefix`, `attach`, `bindings`, `scope`.

- A child's key comes from `signature` (field paths) or from `sig_pattern`, a regular expression
  matched at the start of the child's text with whitespace collapsed: its groups, joined, are the
  key (`<groupId>(.*?)</groupId> <artifactId>(.*?)</artifactId>` keys a Maven dependency). When
  both are given the pattern is tried first. Line-per-entry profiles (`grammar = "lines"`) only
  have `sig_pattern`.
- In a line-per-entry profile, `item_pattern` says which lines are entries that may be unioned
  (the others, like a `}` or a header, stop a union at their place), and `section_pattern` says
  which lines open a section (`[section]` in INI files): keys and identities of the lines after it
  are scoped to that section, and the section line itself is never unioned.
- `scope` names ancestor kinds whose first line belongs to a container's identity: the body of
  each Terraform block starts on a line of its own, so without it the `timeout` of two different
  resources would count as one key given two values.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
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
    """Field paths that key a child (`key`, `source`, `arguments.0`); empty = its text."""
    separator: str = ""
    """The separator between children (`,` for lists); empty for statements and lines."""
    order: str = "append"
    """`sorted-if-sorted` keeps a sorted base sorted; `append` puts ours' then theirs' additions."""
    parent: tuple[str, ...] = ()
    """If set, the container's parent node must be one of these kinds."""
    anchor: str = ""
    """If set, a regular expression the text before the container on its line must match."""
    header: tuple[str, ...] = ()
    """Named child kinds that introduce the container rather than belong to it (a TOML table's key)."""
    item_pattern: str = ""
    """If set, a child is a union item only when its text matches this regular expression."""
    sig_pattern: str = ""
    """A regular expression matched at the start of a child's text (whitespace collapsed) or of a
    line: its groups, joined by `|`, are the key."""
    section_pattern: str = ""
    """For line-per-entry files: lines matching this open a section that scopes the keys after it."""
    comment_prefix: str = ""
    """For line-per-entry files: lines starting with this are comments (kept with the next entry)."""
    attach: tuple[str, ...] = ()
    """Child kinds that belong to the next child, like comments (Rust `#[attr]`)."""
    bindings: str = ""
    """A tree-sitter query capturing the names a child binds (imports); see `items.bound_names_at`."""
    scope: tuple[str, ...] = ()
    """Ancestor kinds whose first line is part of the container's identity (an HCL `block`), for
    containers that start on a line of their own."""


@dataclass(frozen=True)
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

    def matches(self, path: str) -> bool:
        """True when `path` (a repository path) belongs to this profile."""
        base = path.rsplit("/", 1)[-1]
        return any(_glob_matches(path if "/" in g else base, g) for g in self.globs)


_MAGIC = frozenset("*?[")


def _glob_matches(name: str, glob: str) -> bool:
    """`fnmatch.fnmatchcase(name, glob)`, without compiling a regular expression for the common
    globs (`Gemfile`, `*.ts`): the driver matches one path against every profile's globs."""
    if _MAGIC.isdisjoint(glob):
        return name == glob
    if glob[0] == "*" and _MAGIC.isdisjoint(glob[1:]):
        return name.endswith(glob[1:])
    return fnmatch.fnmatchcase(name, glob)


def _container(raw: dict[str, object]) -> Container:
    def strings(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if isinstance(value, str):
            return (value,)
        assert isinstance(value, list), f"{key} must be a string or a list"
        return tuple(str(v) for v in value)

    return Container(
        name=str(raw["name"]),
        description=str(raw.get("description", raw["name"])),
        node=strings("node"),
        children=strings("children"),
        signature=strings("signature"),
        separator=str(raw.get("separator", "")),
        order=str(raw.get("order", "append")),
        parent=strings("parent"),
        anchor=str(raw.get("anchor", "")),
        header=strings("header"),
        item_pattern=str(raw.get("item_pattern", "")),
        sig_pattern=str(raw.get("sig_pattern", "")),
        section_pattern=str(raw.get("section_pattern", "")),
        comment_prefix=str(raw.get("comment_prefix", "")),
        bindings=str(raw.get("bindings", "")),
        attach=strings("attach"),
        scope=strings("scope"),
    )


def _load(text: str) -> Profile:
    raw = tomllib.loads(text)
    return Profile(
        name=raw["name"],
        description=raw.get("description", raw["name"]),
        globs=tuple(raw["globs"]),
        grammar=raw["grammar"],
        containers=tuple(_container(c) for c in raw.get("container", [])),
    )


def _texts() -> list[str]:
    folder = resources.files("mergekit.grammars")
    if isinstance(folder, Path):  # an installed folder: plain reads (the driver reads every profile)
        names = sorted(name for name in os.listdir(folder) if name.endswith(".toml"))
        texts = []
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                texts.append(handle.read())
        return texts
    return [
        f.read_text(encoding="utf-8")
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".toml")
    ]


@cache
def all_profiles() -> tuple[Profile, ...]:
    """Every shipped profile, sorted by name."""
    return tuple(sorted((_load(text) for text in _texts()), key=lambda p: p.name))


_NAME = re.compile(r'^name\s*=\s*"([^"]+)"', re.M)
_GLOBS = re.compile(r"^globs\s*=\s*\[([^\]]*)\]", re.M)
_STRING = re.compile(r'"([^"]*)"')


@cache
def _glob_index() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """(name, globs, text) per profile, read without parsing the TOML (the merge driver needs
    one profile per run; parsing all of them is most of its start-up)."""
    index = []
    for text in _texts():
        name, globs = _NAME.search(text), _GLOBS.search(text)
        if name is None or globs is None:
            profile = _load(text)
            index.append((profile.name, profile.globs, text))
        else:
            index.append((name.group(1), tuple(_STRING.findall(globs.group(1))), text))
    return tuple(sorted(index))


@cache
def _profile_named(text: str) -> Profile:
    return _load(text)


def profile_for(path: str) -> Profile | None:
    """The profile for a repository path, or None when no profile applies (inside
    `profile_lookup(lookup)`: the lookup's answer — a repository's own choice)."""
    lookup = _LOOKUP.get()
    if lookup is not None:
        return lookup(path)
    for _, globs, text in _glob_index():
        probe = Profile(name="", description="", globs=globs, grammar="", containers=())
        if probe.matches(path):
            return _profile_named(text)
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


def parse_profile(text: str) -> Profile:
    """A profile from the text of a profile file (a repository's; checked by its caller)."""
    return _load(text)
