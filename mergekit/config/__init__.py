"""Configuration: the committed `.mergekit.toml`, personal `git config mergekit.*`, options win.

`load_settings(cwd)` reads both (every key checked; unknown keys are errors naming the file and
line); `Settings.pick(name, option)` is what a command uses. `schema.KEYS` lists every key.
A lower layer, like `mergekit.state`: it reads files and git config (through
`mergekit.engine.gitcli`) and imports nothing above it.
"""

from __future__ import annotations

from mergekit.config.schema import BY_NAME, KEYS, Key
from mergekit.config.settings import Setting, Settings, load_settings
from mergekit.config.tomlfile import FILE_NAME

__all__ = ["BY_NAME", "FILE_NAME", "KEYS", "Key", "Setting", "Settings", "load_settings"]
