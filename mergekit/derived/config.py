"""The `[derived]` table of a committed `.mergekit.toml`: which recipes run, with which command.

    [derived]
    npm = false                              # turn a built-in recipe off
    django = true                            # turn the Django recipe on (off by default)
    cargo = "cargo update --workspace"       # a string replaces the recipe's command

    [derived.uv]                             # or a table: enabled, command (a string or a list,
    command = ["uv lock --offline", "uv lock"]   #  tried in order until one succeeds)

    [derived.files]                          # other derived files: paths (globs) → command
    "src/api/client.ts" = "npm run generate:client"

    [derived.files."docs/schema.graphql"]    # or with the inputs whose changes make it stale
    command = "python manage.py graphql_schema --out docs/schema.graphql"
    inputs = ["*/schema.py"]

Only `[derived]` is read here (the rest of the file belongs to other settings); an unknown key or
a value of the wrong type is a `MergekitError` naming the file and the line. Standard library only.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass, replace
from typing import Any

from mergekit.derived.recipes import BUILTIN, KIND_FILES, Recipe
from mergekit.errors import MergekitError

CONFIG_FILE = ".mergekit.toml"
"""The committed configuration file, at the top of the repository."""

_RECIPE_KEYS = ("enabled", "command")
_FILE_KEYS = ("command", "inputs")


@dataclass(frozen=True)
class DerivedConfig:
    """The recipes in force: built-ins as configured, then the user's derived-file rules."""

    recipes: tuple[Recipe, ...]
    """Every recipe that is turned on, in the built-in order, then the files rules in file order."""

    def recipe(self, name: str) -> Recipe | None:
        """The recipe called `name` when it is turned on."""
        return next((r for r in self.recipes if r.name == name), None)


def default_config() -> DerivedConfig:
    """The built-in recipes that are on by default (no `.mergekit.toml`)."""
    return DerivedConfig(recipes=tuple(r for r in BUILTIN.values() if r.enabled))


def parse_config(text: str | bytes | None, source: str = CONFIG_FILE) -> DerivedConfig:
    """Read the `[derived]` table of `text` (None: no file); raise `MergekitError` with file:line."""
    if text is None:
        return default_config()
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MergekitError(f"{source} is not UTF-8 text — save it as UTF-8") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MergekitError(f"{source}: {exc} — fix the TOML syntax") from exc
    table = data.get("derived")
    if table is None:
        return default_config()
    where = _Locator(text, source)
    if not isinstance(table, dict):
        raise MergekitError(f"{where.at('derived')}: `derived` must be a table ([derived])")
    recipes = {name: r for name, r in BUILTIN.items()}
    files: list[Recipe] = []
    for key, value in table.items():
        if key == "files":
            files = _files(value, where)
        elif key in BUILTIN:
            recipes[key] = _recipe(BUILTIN[key], value, where)
        else:
            known = ", ".join([*BUILTIN, "files"])
            raise MergekitError(f"{where.at(key)}: unknown key {key!r} in [derived] — use one of: {known}")
    chosen = [r for r in recipes.values() if r.enabled]
    return DerivedConfig(recipes=(*chosen, *files))


def _recipe(recipe: Recipe, value: Any, where: _Locator) -> Recipe:
    name = recipe.name
    if isinstance(value, bool):
        return replace(recipe, enabled=value)
    if isinstance(value, str):
        return replace(recipe, enabled=True, commands=_commands(value, where, name))
    if not isinstance(value, dict):
        raise MergekitError(
            f"{where.at(name)}: [derived] {name} must be true, false, a command or a table (enabled, command)"
        )
    for key in value:
        if key not in _RECIPE_KEYS:
            raise MergekitError(
                f"{where.at(key, after=name)}: unknown key {key!r} in [derived.{name}] — use "
                f"{' or '.join(_RECIPE_KEYS)}"
            )
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise MergekitError(
            f"{where.at('enabled', after=name)}: [derived.{name}] enabled must be true or false"
        )
    commands = recipe.commands
    if "command" in value:
        commands = _commands(value["command"], where, "command", after=name)
    return replace(recipe, enabled=enabled, commands=commands)


def _files(value: Any, where: _Locator) -> list[Recipe]:
    if not isinstance(value, dict):
        raise MergekitError(f"{where.at('files')}: [derived.files] must be a table of path = command")
    rules = []
    for path, spec in value.items():
        inputs: tuple[str, ...] = ()
        if isinstance(spec, dict):
            for key in spec:
                if key not in _FILE_KEYS:
                    raise MergekitError(
                        f"{where.at(key, after=path)}: unknown key {key!r} for derived file {path!r} — "
                        f"use {' or '.join(_FILE_KEYS)}"
                    )
            if "command" not in spec:
                raise MergekitError(f"{where.at(path)}: derived file {path!r} needs a command")
            commands = _commands(spec["command"], where, "command", after=path)
            raw_inputs = spec.get("inputs", [])
            if not isinstance(raw_inputs, list) or not all(isinstance(i, str) and i for i in raw_inputs):
                raise MergekitError(
                    f"{where.at('inputs', after=path)}: inputs of {path!r} must be a list of path globs"
                )
            inputs = tuple(raw_inputs)
        else:
            commands = _commands(spec, where, path)
        if not path or path.startswith("/") or ".." in path.split("/"):
            raise MergekitError(
                f"{where.at(path)}: derived file {path!r} must be a path inside the repository"
            )
        rules.append(
            Recipe(
                name=f"files:{path}",
                title=path,
                kind=KIND_FILES,
                outputs=(path,),
                inputs=inputs,
                commands=commands,
            )
        )
    return rules


def _commands(value: Any, where: _Locator, key: str, after: str | None = None) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise MergekitError(
        f"{where.at(key, after=after)}: {key} must be a command (a non-empty string or a list of strings)"
    )


def command_tool(command: str) -> str:
    """The executable a shell command starts (its first word after `VAR=value` assignments)."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    for word in words:
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word):
            return word
    return words[0] if words else ""


class _Locator:
    """Finds the line of a key in `[derived]` (tomllib reports no positions)."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.start = next(
            (i for i, line in enumerate(self.lines) if re.match(r"^\s*\[\s*derived\s*[\].]", line)), 0
        )

    def at(self, key: str, after: str | None = None) -> str:
        """`file:line` of `key` (the first one after the line naming `after`, when given)."""
        begin = self.start
        if after is not None:
            begin = self._find(after, begin) or begin
        line = self._find(key, begin)
        return f"{self.source}:{(line if line is not None else begin) + 1}"

    def _find(self, key: str, begin: int) -> int | None:
        quoted = "|".join(re.escape(k) for k in (key, f'"{key}"', f"'{key}'"))
        as_key = re.compile(rf"^\s*(?:{quoted})\s*=")
        as_table = re.compile(rf"^\s*\[\s*derived(?:\.[^\]]*)?\.\s*(?:{quoted})\s*\]")
        for i in range(begin, len(self.lines)):
            if as_key.match(self.lines[i]) or as_table.match(self.lines[i]):
                return i
        return None
