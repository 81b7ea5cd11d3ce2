"""The effective configuration: built-in defaults, then `.mergekit.toml`, then git config, then options.

`load_settings(cwd)` reads both files once; `Settings.pick(key, option)` gives the value a
command uses (the command-line option when given) and `Settings.effective()` lists every key
with the source that set it, for `mergekit config`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mergekit.config.gitconfig import GitValue, read_git_config
from mergekit.config.schema import BY_NAME, KEYS
from mergekit.config.tomlfile import FILE_NAME, ConfigFile, read_config
from mergekit.engine.gitcli import toplevel
from mergekit.errors import MergekitError

Value = str | bool | tuple[str, ...] | None


@dataclass(frozen=True)
class Setting:
    """One key's effective value and where it came from."""

    name: str
    """The key."""
    value: Value
    """The value (None: not set anywhere and no default)."""
    source: str
    """`default`, `.mergekit.toml:LINE`, `git config FILE` or `command line`."""


@dataclass(frozen=True)
class Settings:
    """The configuration of one repository (without command-line options)."""

    root: Path | None
    """The top of the work tree (None outside a work tree: only git config applies)."""
    file: ConfigFile | None = None
    """The checked `.mergekit.toml`, when there is one."""
    git: dict[str, GitValue] = field(default_factory=dict)
    """`mergekit.*` values from git config."""

    def setting(self, name: str) -> Setting:
        """The effective value of `name` without a command-line option."""
        key = BY_NAME[name]
        if name in self.git:
            origin = self.git[name].origin
            return Setting(name, self.git[name].value, f"git config {origin.removeprefix('file:')}")
        if self.file is not None and name in self.file.values:
            return Setting(name, self.file.values[name].value, f"{FILE_NAME}:{self.file.values[name].line}")
        return Setting(name, key.default, "default")

    def pick(self, name: str, option: Any = None) -> Any:
        """The value a command uses: the option when given (not None), else the effective setting."""
        return option if option is not None else self.setting(name).value

    def require(self, name: str, option: str | None, flag: str) -> str:
        """A string the command cannot do without (`into`): a clear error when nothing sets it."""
        value = self.pick(name, option)
        if not isinstance(value, str) or not value:
            raise MergekitError(
                f'no {flag} given — pass {flag} BRANCH, or set `{name} = "main"` in {FILE_NAME} '
                f"(or `git config mergekit.{name} main`)"
            )
        return value

    def effective(self) -> list[Setting]:
        """Every key, in schema order, with its effective value and source."""
        return [self.setting(k.name) for k in KEYS]

    def table(self, name: str) -> dict[str, Any]:
        """A table owned by another feature (`derived`), as parsed ({} when absent)."""
        return dict(self.file.foreign.get(name, {})) if self.file is not None else {}


def load_settings(cwd: Path) -> Settings:
    """Read `.mergekit.toml` (top of the work tree) and `git config mergekit.*` for `cwd`."""
    root = toplevel(cwd)
    file = read_config(root) if root is not None else None
    return Settings(root=root, file=file, git=read_git_config(cwd))
