"""Read the personal overrides: `git config mergekit.<key>` from every scope git reads.

One `git config --show-origin --get-regexp` call (`mergekit.engine.gitcli`: no pygit2) gives each value
with the file it came from; the last one wins, as git's own `--get` does. Unknown
`mergekit.*` keys are errors that name the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mergekit.config.schema import BY_NAME, Key
from mergekit.engine.gitcli import run_git
from mergekit.errors import MergekitError

_TRUE = ("true", "yes", "on", "1", "")
_FALSE = ("false", "no", "off", "0")


@dataclass(frozen=True)
class GitValue:
    """One `mergekit.*` value from git config, and the file that set it."""

    value: str | bool
    """The checked value."""
    origin: str
    """Where git read it (`file:/home/me/.gitconfig`, `command line:`)."""


def _key(name: str) -> Key | None:
    """The schema key for a git config variable name (git lower-cases them)."""
    for key in BY_NAME.values():
        if key.git and key.name.lower() == name:
            return key
    return None


def parse_bool(text: str) -> bool | None:
    """git's boolean spellings; None when `text` is not one."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def read_git_config(cwd: Path) -> dict[str, GitValue]:
    """Key name → the effective `mergekit.<key>` value git has for `cwd` (all scopes)."""
    result = run_git(["config", "--show-origin", "-z", "--get-regexp", r"^mergekit\."], cwd, check=False)
    if result.returncode not in (0, 1):  # 1: no such key
        raise MergekitError(f"git config failed: {result.error} — fix the git config file it names")
    found: dict[str, GitValue] = {}
    fields = result.text.split("\0")
    # -z with --show-origin: origin NUL name NEWLINE value NUL (the value part absent for `[x] k`)
    for origin, entry in zip(fields[0::2], fields[1::2], strict=False):
        if not entry:
            continue
        name, _, value = entry.partition("\n")
        short = name.removeprefix("mergekit.")
        key = _key(short)
        where = origin.removeprefix("file:") or origin
        if key is None:
            raise MergekitError(
                f"git config {where}: unknown key {name!r} — mergekit knows "
                + ", ".join(f"mergekit.{k.name}" for k in BY_NAME.values() if k.git)
                + f" (remove it with `git config --unset {name}`)"
            )
        checked: str | bool
        if key.kind == "bool":
            parsed = parse_bool(value)
            if parsed is None:
                raise MergekitError(f"git config {where}: {name} must be true or false, not {value!r}")
            checked = parsed
        else:
            if not value.strip():
                raise MergekitError(f"git config {where}: {name} is empty — set a value or unset it")
            if key.kind == "choice" and value not in key.choices:
                raise MergekitError(
                    f"git config {where}: {name} must be one of {', '.join(key.choices)}, not {value!r}"
                )
            checked = value
        found[key.name] = GitValue(checked, origin)
    return found
