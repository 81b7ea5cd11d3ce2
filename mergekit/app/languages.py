"""A repository's language setup, for every command: its own profiles, attribute overrides, policy.

`mergekit.resolve.repository.PathLanguages` decides which profile a path gets; this module builds
it from the repository a command runs in — `.mergekit/grammars/`, `[paths] never_resolve` from
the configuration (`mergekit.config`) and the gitattributes read through `mergekit.engine.gitcli`
— and makes it the answer of `mergekit.resolve.profiles.profile_for`:

- `active(cwd)`: for the block a command runs in (read on the first profile looked up, so a
  command that merges nothing pays nothing);
- (the merge driver, which merges one file, has its own: `mergekit.app.driver_languages`);
- `languages_report(cwd, paths)`: what `mergekit languages` shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mergekit.engine.gitcli import AttributeReader, toplevel
from mergekit.errors import MergekitError
from mergekit.resolve.attributes import ATTRIBUTES
from mergekit.resolve.profiles import Profile, profile_lookup, shipped_profile_for

if TYPE_CHECKING:
    from mergekit.resolve.repository import Answer, PathLanguages, SourcedProfile

# The configuration and the repository's own profiles are imported where they are read: the
# merge driver does without both (`mergekit.app.driver_languages`).


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
    from mergekit.resolve.repository import PathLanguages

    never = load_settings(cwd).setting("paths.never_resolve")
    reader = AttributeReader(root, ATTRIBUTES)
    readers.append(reader)
    value = never.value if isinstance(never.value, tuple) else ()
    return PathLanguages(root, value, attributes=reader.get, policy_origin=never.source)


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
