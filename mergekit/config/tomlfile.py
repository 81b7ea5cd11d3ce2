"""Read the committed `.mergekit.toml` at the top of the work tree and check every key in it.

The values come from `tomllib`; the line of each key comes from a light scan of the text (TOML
keys are `name =` at the start of a line, tables are `[name]` lines), so an error can say
`.mergekit.toml:4: unknown key 'stict'`. Unknown keys and tables and values of the wrong type
are errors (exit 2); the `[derived]` table is kept as it is for the feature that owns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mergekit.config.schema import BY_NAME, FOREIGN_TABLES, TABLES, Key
from mergekit.errors import MergekitError
from mergekit.resolve.attributes import CONFIG_FILE

FILE_NAME = CONFIG_FILE
"""The configuration file's name, at the top of the work tree."""

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+?)\s*=")


@dataclass(frozen=True)
class FileValue:
    """One key's value as the file gives it, and where."""

    value: str | bool | tuple[str, ...]
    """The checked value."""
    line: int
    """The line of the key (1-based)."""


@dataclass(frozen=True)
class ConfigFile:
    """A checked `.mergekit.toml`."""

    path: Path
    """The file."""
    values: dict[str, FileValue] = field(default_factory=dict)
    """Key name (`into`, `paths.never_resolve`) → value and line."""
    foreign: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Tables owned by other features (`derived`), exactly as parsed."""
    foreign_lines: dict[str, int] = field(default_factory=dict)
    """The line of each foreign table's header."""


def _lines(text: str) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """(table, key) → line and table → header line, from a scan of the text."""
    keys: dict[tuple[str, str], int] = {}
    tables: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE.match(line)
        if header and not line.lstrip().startswith("[["):
            table = header.group(1).replace('"', "").replace("'", "").strip()
            tables.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            name = key.group(1).replace('"', "").replace("'", "")
            full = f"{table}.{name}" if table else name
            first, _, rest = full.partition(".")
            keys.setdefault((first if rest else "", rest or first), number)
    return keys, tables


def _check(key: Key, value: Any, where: str) -> str | bool | tuple[str, ...]:
    if key.kind == "bool":
        if not isinstance(value, bool):
            raise MergekitError(f"{where}: {key.name} must be true or false, not {value!r}")
        return value
    if key.kind == "globs":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise MergekitError(f'{where}: {key.name} must be a list of path globs, like ["migrations/**"]')
        return tuple(value)
    if not isinstance(value, str) or not value.strip():
        raise MergekitError(f"{where}: {key.name} must be a non-empty string, not {value!r}")
    if key.kind == "choice" and value not in key.choices:
        raise MergekitError(f"{where}: {key.name} must be one of {', '.join(key.choices)}, not {value!r}")
    return value


def parse_config(path: Path, text: str, shown: str = FILE_NAME) -> ConfigFile:
    """Check the text of a configuration file; `shown` names it in error messages."""
    import tomllib  # here, not at the top: the merge driver reads no configuration file in most repositories

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MergekitError(f"{shown}: not valid TOML ({exc}) — fix the file") from exc
    key_lines, table_lines = _lines(text)
    result = ConfigFile(path=path)

    def line_of(table: str, name: str) -> int:
        return key_lines.get((table, name), table_lines.get(table, 1))

    for name, value in raw.items():
        if isinstance(value, dict):
            if name in FOREIGN_TABLES:
                result.foreign[name] = value
                result.foreign_lines[name] = table_lines.get(name, line_of("", name))
                continue
            if name not in TABLES:
                known = ", ".join(f"[{t}]" for t in (*TABLES, *FOREIGN_TABLES))
                raise MergekitError(
                    f"{shown}:{table_lines.get(name, line_of('', name))}: unknown table [{name}] "
                    f"— mergekit knows {known}; see `mergekit config --help`"
                )
            for sub, sub_value in value.items():
                full = f"{name}.{sub}"
                where = f"{shown}:{line_of(name, sub)}"
                key = BY_NAME.get(full)
                if key is None:
                    raise MergekitError(f"{where}: unknown key {sub!r} in [{name}] — {_known(name)}")
                result.values[full] = FileValue(_check(key, sub_value, where), line_of(name, sub))
            continue
        where = f"{shown}:{line_of('', name)}"
        key = BY_NAME.get(name)
        if key is None or "." in key.name or not key.file:
            raise MergekitError(f"{where}: unknown key {name!r} — {_known('')}")
        result.values[name] = FileValue(_check(key, value, where), line_of("", name))
    return result


def _known(table: str) -> str:
    prefix = f"{table}." if table else ""
    names = [k.name[len(prefix) :] for k in BY_NAME.values() if k.name.startswith(prefix) and k.file]
    names = [n for n in names if "." not in n]
    return f"known keys: {', '.join(names)}"


def read_config(root: Path) -> ConfigFile | None:
    """The checked `.mergekit.toml` at `root`, None when there is none."""
    path = root / FILE_NAME
    try:
        text = path.read_bytes().decode("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except UnicodeDecodeError as exc:
        raise MergekitError(f"{path} is not UTF-8 — fix its encoding") from exc
    except OSError as exc:
        raise MergekitError(f"cannot read {path}: {exc.strerror}") from exc
    return parse_config(path, text)
