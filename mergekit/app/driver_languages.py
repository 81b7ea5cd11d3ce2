"""The merge driver's profile choice for its one file: the repository's setup, at the least cost.

git runs the driver once per conflicted file, at the top of the work tree. Most repositories have
no language setup of their own — no `.mergekit.toml`, no `.mergekit/grammars/`, none of the
gitattributes `mergekit.resolve.attributes` names on the path — and then the shipped profiles
decide: one `git check-attr` for the path says so, and nothing else is imported. Otherwise the
rules every command follows decide (`mergekit.resolve.repository.PathLanguages`, built from the
configuration's `[paths] never_resolve`, the repository's profiles and the path's attributes).
Outside a work tree (a hand-run `mergekit merge-file`) the shipped profiles decide.
"""

from __future__ import annotations

import os

from mergekit.engine.gitcli import path_attributes
from mergekit.errors import MergekitError
from mergekit.resolve.attributes import ATTRIBUTES, CONFIG_FILE, REPOSITORY_DIR

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from mergekit.resolve.profiles import Lookup


class DriverLookup:
    """The merge driver's profile choice for its one file."""

    __slots__ = ("lookup", "warning")

    def __init__(self, lookup: Lookup | None, warning: str | None = None) -> None:
        self.lookup = lookup
        """The repository's choice (None: the shipped profiles decide)."""
        self.warning = warning
        """Why the repository's setup was not used (a broken configuration: plain line merge)."""


def driver_lookup(path: str, cwd: str | None = None) -> DriverLookup:
    """The lookup for the merge driver's file `path` (a repository path), in the work tree at or
    above `cwd` (default: the current directory). A configuration or attribute that cannot be read
    means git's plain line merge for this file, with a warning."""
    root = top_of_work_tree(cwd if cwd is not None else os.getcwd())
    if root is None:
        return DriverLookup(None)
    try:
        attrs = path_attributes(root, path, *ATTRIBUTES)
        setup = os.path.exists(os.path.join(root, CONFIG_FILE))
        setup = setup or os.path.isdir(os.path.join(root, REPOSITORY_DIR))
        if not attrs and not setup:
            return DriverLookup(None)
        from pathlib import Path

        from mergekit.config.tomlfile import read_config
        from mergekit.resolve.repository import PathLanguages

        file = read_config(Path(root))
        never = file.values.get("paths.never_resolve") if file is not None else None
        value = never.value if never is not None and isinstance(never.value, tuple) else ()
        origin = f"{CONFIG_FILE}:{never.line}" if never is not None else CONFIG_FILE
        languages = PathLanguages(
            Path(root), value, attributes=lambda p: attrs if p == path else {}, policy_origin=origin
        )
    except MergekitError as exc:
        return DriverLookup(lambda _path: None, f"{exc}; plain line merge for {path}")
    return DriverLookup(languages)


def top_of_work_tree(start: str) -> str | None:
    """The nearest folder at or above `start` holding `.git` (a directory, or a worktree's file)."""
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
