"""The names of what in a repository can change a path's language profile: importable at no cost.

`mergekit.resolve.repository` applies them (in the order its docstring gives); the merge driver,
which merges one file per process, only asks whether any of them is there before it loads that
machinery (`mergekit.app.driver_languages`).
"""

from __future__ import annotations

ATTRIBUTES = ("mergekit", "mergekit-language", "linguist-language")
"""The gitattributes mergekit reads per path."""
REPOSITORY_DIR = ".mergekit/grammars"
"""Where a repository keeps its own profiles, relative to the top of the work tree."""
CONFIG_FILE = ".mergekit.toml"
"""The repository's configuration file (its `[paths] never_resolve` can turn a path off)."""
