"""Collision rules: data (`grammars/collisions/rules.toml`) in four shapes, loaded and checked.

A rule names the files it reads by language profile (`profiles = ["typescript", "tsx"]`: the
profiles' own globs, so rules and the resolver always agree on which files are TypeScript) and,
for files no profile covers, by glob.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mergekit.resolve.profiles import all_profiles


@dataclass(frozen=True)
class KeyedRule:
    """A regular expression that finds keyed definitions in a file's content or its path."""

    name: str
    """The rule's name (`express-route`)."""
    kind: str
    """`route`, `export`, `migration`... (what the report groups by)."""
    description: str
    """What a collision under this rule means."""
    globs: tuple[str, ...]
    """Files the rule reads (base name, or whole path when a glob holds a `/`): the globs of the
    profiles the rule names, then its own."""
    pattern: re.Pattern[str]
    """Named groups `key` (required), `prefix` and `target` (optional)."""
    source: str = "content"
    """`content` or `path`."""
    split: str = ""
    """Split the key group on this separator into several keys."""
    alias: re.Pattern[str] | None = None
    """Splits `a as b`; the last part is the name."""
    scope: str = "file"
    """`file`, `directory` or `repo`: where a key must be unique."""
    new_files_only: bool = False
    """Only files the branch added count."""
    target_from: str = ""
    """Another keyed rule whose target each key takes (on the same file version)."""


@dataclass(frozen=True)
class ContainerRule:
    """Keys of the resolver's union containers (dict, object and mapping keys)."""

    name: str
    """The rule's name."""
    kind: str
    """What the report groups by (`key`)."""
    description: str
    """What a collision under this rule means."""
    containers: frozenset[str]
    """`<profile>:<container>` names whose children's signatures are keys."""


@dataclass(frozen=True)
class DeclarationRule:
    """Names of the resolver's declaration containers (functions, classes, tests) added in two files."""

    name: str
    """The rule's name."""
    kind: str
    """What the report groups by (`declaration`)."""
    description: str
    """What a collision under this rule means."""
    containers: frozenset[str]
    """`<profile>:<container>` names whose declarations (children of the container's
    `declarations` kinds, keyed by name) count."""
    scope: str = "directory"
    """`directory` (a package: Go, Kotlin, a Python package) or `repo`: where a name must be unique;
    two branches adding one name collide only when they add it in different files (in one file
    the resolver settles it: one copy, or a conflict)."""
    match: re.Pattern[str] | None = None
    """If set, only declarations whose text (whitespace collapsed) this matches at its start count
    (`^export\\s` for TypeScript: names other files can see)."""
    names: re.Pattern[str] | None = None
    """If set, only declared names this matches count (`^[^_]`: public Python names)."""


@dataclass(frozen=True)
class ManifestRule:
    """A dependency manifest: dependency name → version, per format."""

    name: str
    """The rule's name."""
    kind: str
    """What the report groups by (`dependency`)."""
    description: str
    """What a collision under this rule means."""
    globs: tuple[str, ...]
    """Manifest file names (the globs of the profiles the rule names, then its own)."""
    format: str
    """`json`, `toml`, `requirements` or `gomod`."""
    sections: tuple[str, ...] = ()
    """Dotted paths (with `*`) to tables or lists of dependencies (json/toml)."""


@dataclass(frozen=True)
class Rules:
    """Every collision rule, as loaded from the data file."""

    keyed: tuple[KeyedRule, ...]
    """Regular-expression rules."""
    containers: tuple[ContainerRule, ...]
    """Union-container key rules."""
    manifests: tuple[ManifestRule, ...]
    """Dependency manifest rules."""
    declarations: tuple[DeclarationRule, ...] = ()
    """Declaration-name rules."""

    @property
    def names(self) -> list[str]:
        """Every rule name."""
        return (
            [r.name for r in self.keyed]
            + [r.name for r in self.containers]
            + [r.name for r in self.manifests]
            + [r.name for r in self.declarations]
        )


def _strings(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


@cache
def load_rules() -> Rules:
    """The shipped rules (`grammars/collisions/rules.toml`), with the shipped profiles' globs."""
    text = (resources.files("mergekit.grammars") / "collisions" / "rules.toml").read_text(encoding="utf-8")
    return parse_rules(text, {p.name: p.globs for p in all_profiles()})


def _globs(raw: dict[str, Any], profiles: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A rule's globs: those of the profiles it names (`profiles = ["typescript"]`), then its own."""
    found: dict[str, None] = {}
    for name in _strings(raw, "profiles"):
        if name not in profiles:
            known = ", ".join(sorted(profiles))
            raise ValueError(f"collision rule {raw.get('name')}: unknown profile {name!r} (known: {known})")
        found.update(dict.fromkeys(profiles[name]))
    found.update(dict.fromkeys(_strings(raw, "globs")))
    return tuple(found)


def parse_rules(text: str, profiles: Mapping[str, tuple[str, ...]] | None = None) -> Rules:
    """Rules from the TOML text of a rules file; `profiles` maps profile names to their globs."""
    raw = tomllib.loads(text)
    profiles = profiles or {}
    keyed = tuple(
        KeyedRule(
            name=str(r["name"]),
            kind=str(r["kind"]),
            description=str(r.get("description", r["name"])),
            globs=_globs(r, profiles),
            pattern=re.compile(str(r["pattern"]), re.MULTILINE),
            source=str(r.get("source", "content")),
            split=str(r.get("split", "")),
            alias=re.compile(str(r["alias"])) if r.get("alias") else None,
            scope=str(r.get("scope", "file")),
            new_files_only=bool(r.get("new_files_only", False)),
            target_from=str(r.get("target_from", "")),
        )
        for r in raw.get("keyed", [])
    )
    containers = tuple(
        ContainerRule(
            name=str(r["name"]),
            kind=str(r["kind"]),
            description=str(r.get("description", r["name"])),
            containers=frozenset(_strings(r, "containers")),
        )
        for r in raw.get("container_keys", [])
    )
    manifests = tuple(
        ManifestRule(
            name=str(r["name"]),
            kind=str(r["kind"]),
            description=str(r.get("description", r["name"])),
            globs=_globs(r, profiles),
            format=str(r["format"]),
            sections=_strings(r, "sections"),
        )
        for r in raw.get("manifest", [])
    )
    declarations = tuple(
        DeclarationRule(
            name=str(r["name"]),
            kind=str(r["kind"]),
            description=str(r.get("description", r["name"])),
            containers=frozenset(_strings(r, "containers")),
            scope=str(r.get("scope", "directory")),
            match=re.compile(str(r["match"])) if r.get("match") else None,
            names=re.compile(str(r["names"])) if r.get("names") else None,
        )
        for r in raw.get("declarations", [])
    )
    for declared in declarations:
        if declared.scope not in ("directory", "repo"):
            raise ValueError(f"collision rule {declared.name}: unknown scope {declared.scope!r}")
    for rule in keyed:
        if "key" not in rule.pattern.groupindex:
            raise ValueError(f"collision rule {rule.name}: the pattern needs a (?P<key>...) group")
        if rule.scope not in ("file", "directory", "repo"):
            raise ValueError(f"collision rule {rule.name}: unknown scope {rule.scope!r}")
    return Rules(keyed=keyed, containers=containers, manifests=manifests, declarations=declarations)
