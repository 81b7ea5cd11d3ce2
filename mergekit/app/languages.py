"""A repository's language setup, for every command: its own profiles, attribute overrides, policy.

`mergekit.resolve.repository.PathLanguages` decides which profile a path gets; this module builds
it from the repository a command runs in — `.mergekit/grammars/`, `[paths] never_resolve` from
the configuration (`mergekit.config`) and the gitattributes read through `mergekit.engine.gitcli`
— and makes it the answer of `mergekit.resolve.profiles.profile_for`:

- `active(cwd)`: for the block a command runs in (read on the first profile looked up, so a
  command that merges nothing pays nothing);
- `driver_lookup(path)`: for the merge driver, which merges one file: no pygit2, no git config
  read, one `git check-attr`;
- `languages_report(cwd, paths)`: what `mergekit languages` shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mergekit.engine.gitcli import AttributeReader, check_attr, toplevel
from mergekit.errors import MergekitError
from mergekit.resolve.profiles import Lookup, Profile, profile_lookup, shipped_profile_for

if TYPE_CHECKING:
    from mergekit.resolve.repository import Answer, PathLanguages, SourcedProfile

# The configuration and the repository's own profiles are imported where they are read: the
# merge driver outside a work tree needs neither (`driver_lookup`).


@contextmanager
def active(cwd: Path) -> Iterator[None]:
    """Within this block, `profile_for` answers for the repository at `cwd` (read on first use).

    Outside a work tree the shipped profiles answer as before.
    """
    languages: list[PathLanguages | None] = []
    readers: list[AttributeReader] = []

    def lookup(path: str) -> Profile | None:
        if not languages:
            languages.append(_for_cwd(cwd, readers))
        found = languages[0]
        return found(path) if found is not None else shipped_profile_for(path)

    try:
        with profile_lookup(lookup):
            yield
    finally:
        for reader in readers:
            reader.close()


def _for_cwd(cwd: Path, readers: list[AttributeReader]) -> PathLanguages | None:
    try:
        root = toplevel(cwd)
    except MergekitError:
        return None
    if root is None:
        return None
    from mergekit.config import load_settings
    from mergekit.resolve.repository import ATTRIBUTES, PathLanguages

    never = load_settings(cwd).setting("paths.never_resolve")
    reader = AttributeReader(root, ATTRIBUTES)
    readers.append(reader)
    value = never.value if isinstance(never.value, tuple) else ()
    return PathLanguages(root, value, attributes=reader.get, policy_origin=never.source)


@dataclass(frozen=True)
class DriverLookup:
    """The merge driver's profile choice for its one file."""

    lookup: Lookup | None
    """The repository's choice (None outside a work tree: the shipped profiles)."""
    warning: str | None = None
    """Why the repository's setup was not used (a broken configuration: plain line merge)."""


def driver_lookup(path: str) -> DriverLookup:
    """The lookup for the merge driver: the repository at the current directory (git runs drivers at
    the top of the work tree), one `git check-attr` for the one path. A configuration that cannot
    be read means git's plain line merge for this file, with a warning."""
    root = _top_of_work_tree(Path.cwd())
    if root is None:
        return DriverLookup(None)
    from mergekit.config.tomlfile import FILE_NAME, read_config
    from mergekit.resolve.repository import ATTRIBUTES, PathLanguages

    try:
        file = read_config(root)
        never = file.values.get("paths.never_resolve") if file is not None else None
        value = never.value if never is not None and isinstance(never.value, tuple) else ()
        origin = f"{FILE_NAME}:{never.line}" if never is not None else FILE_NAME
        attrs = {k: v for k, v in check_attr(root, [path], *ATTRIBUTES)[path].items() if v != "unspecified"}
        languages = PathLanguages(
            root, value, attributes=lambda p: attrs if p == path else {}, policy_origin=origin
        )
    except MergekitError as exc:
        return DriverLookup(lambda _path: None, f"{exc}; plain line merge for {path}")
    return DriverLookup(languages)


def _top_of_work_tree(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a directory or a worktree's file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


@dataclass
class LanguagesReport:
    """What `mergekit languages` shows."""

    profiles: list[SourcedProfile]
    """Shipped and repository profiles, by name."""
    problems: dict[str, list[str]] = field(default_factory=dict)
    """Profile name → node kinds or fields a repository profile names that its grammar lacks."""
    answers: list[tuple[str, Answer]] = field(default_factory=list)
    """For each path asked about: its profile and why."""

    @property
    def has_problems(self) -> bool:
        """True when a repository profile does not fit its grammar."""
        return any(self.problems.values())


def languages_report(cwd: Path, paths: tuple[str, ...] = ()) -> LanguagesReport:
    """The profiles the repository at `cwd` sees (outside one: the shipped ones), and the answer
    for each of `paths`."""
    from mergekit.config import load_settings
    from mergekit.resolve.repository import (
        ATTRIBUTES,
        SHIPPED,
        PathLanguages,
        every_profile,
        node_kind_problems,
    )

    root = toplevel(cwd) if cwd.is_dir() else None
    profiles = every_profile(root)
    report = LanguagesReport(
        profiles,
        {s.profile.name: node_kind_problems(s.profile) for s in profiles if s.origin != SHIPPED},
    )
    if paths:
        if root is None:
            raise MergekitError("PATH arguments need a work tree — run inside a repository (or use -C)")
        never = load_settings(cwd).setting("paths.never_resolve")
        reader = AttributeReader(root, ATTRIBUTES)
        try:
            value = never.value if isinstance(never.value, tuple) else ()
            languages = PathLanguages(root, value, attributes=reader.get, policy_origin=never.source)
            report.answers = [(p, languages.explain(p)) for p in paths]
        finally:
            reader.close()
    return report
