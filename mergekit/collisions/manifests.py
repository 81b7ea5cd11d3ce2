"""Dependency manifests: dependency name → version, for package.json, Cargo.toml, pyproject.toml,
requirements files and go.mod (what the `[[manifest]]` collision rules read)."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from mergekit.collisions.rules import ManifestRule


def find_line(text: str, name: str) -> int:
    """The first line that mentions dependency `name` (1 when none does)."""
    for number, line in enumerate(text.splitlines(), 1):
        if name in line.lower().replace("_", "-"):
            return number
    return 1


_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*(?:#.*)?$")
_GOREQ = re.compile(r"^\s*(?:require\s+)?([^\s()]+)\s+(v[^\s]+)")


def _norm_pkg(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def manifest_dependencies(rule: ManifestRule, text: str) -> dict[str, str]:
    """Dependency name → version (or spec) in one manifest; empty when it does not parse."""
    if rule.format == "requirements":
        return _requirements(text)
    if rule.format == "gomod":
        return _gomod(text)
    try:
        data: Any = json.loads(text) if rule.format == "json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError):
        return {}
    deps: dict[str, str] = {}
    for section in rule.sections:
        for value in _walk(data, section.split(".")):
            if isinstance(value, dict):
                for name, spec in value.items():
                    deps.setdefault(_norm_pkg(str(name)) if rule.format == "toml" else str(name), _spec(spec))
            elif isinstance(value, list):
                for entry in value:
                    if isinstance(entry, str):
                        m = _REQ.match(entry.split(";", 1)[0])
                        if m:
                            deps.setdefault(_norm_pkg(m.group(1)), m.group(3).strip())
    return deps


def _walk(data: Any, parts: list[str]) -> Iterator[Any]:
    if not parts:
        yield data
        return
    if not isinstance(data, dict):
        return
    head, rest = parts[0], parts[1:]
    keys = list(data) if head == "*" else [head]
    for key in keys:
        if key in data:
            yield from _walk(data[key], rest)


def _spec(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for field in ("version", "git", "path", "workspace"):
            if field in value:
                return f"{field}={value[field]}" if field != "version" else str(value[field])
    return json.dumps(value, sort_keys=True)


def _requirements(text: str) -> dict[str, str]:
    deps: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "-")):
            continue
        m = _REQ.match(stripped.split(";", 1)[0])
        if m:
            deps.setdefault(_norm_pkg(m.group(1)), m.group(3).strip())
    return deps


def _gomod(text: str) -> dict[str, str]:
    deps: dict[str, str] = {}
    in_block = False
    for line in text.splitlines():
        stripped = line.split("//", 1)[0].strip()
        if stripped.startswith("require ("):
            in_block = True
            continue
        if in_block and stripped == ")":
            in_block = False
            continue
        if in_block or stripped.startswith("require "):
            m = _GOREQ.match(stripped)
            if m:
                deps.setdefault(m.group(1), m.group(2))
    return deps
