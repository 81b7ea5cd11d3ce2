"""Which language profile applies to a path of a repository, and where each profile comes from.

On top of the shipped profiles (`grammars/*.toml`, inside the package) a repository may add its
own in `.mergekit/grammars/*.toml`, validated by the same loader as the shipped ones (known keys,
types, regular expressions, `extends` of a shipped profile), and limited to a grammar a shipped
profile uses or `lines` — a repository file can never make mergekit import a module of its
choosing. For each path, first match wins:

1. `[paths] never_resolve` in `.mergekit.toml` → no profile (git's plain line merge);
2. the gitattributes `mergekit=off` (or `-mergekit`) → no profile;
3. `mergekit-language=NAME`, then GitHub's `linguist-language=NAME` → that profile;
4. a repository profile whose globs match, then a shipped one.

`PathLanguages` answers these questions lazily (nothing is read until a path is asked about);
`mergekit.resolve.profiles.profile_lookup` makes it the answer of `profile_for` for a block
(`mergekit.app.languages` sets that up from the repository's configuration). Attributes come
from `mergekit.engine.gitcli` (one long-lived `git check-attr` per run, or one call per file
in the merge driver).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mergekit.errors import MergekitError
from mergekit.resolve.attributes import REPOSITORY_DIR
from mergekit.resolve.pathglobs import first_match
from mergekit.resolve.profiles import Profile, all_profiles, parse_profile, shipped_profile_for

SHIPPED = "shipped"
"""The origin of the profiles inside the package."""
_LINGUIST = {
    "go module": "gomod",
    "pip requirements": "requirements",
    "ignore list": "ignorefile",
    "codeowners": "codeowners",
    "javascript": "javascript",
}


@dataclass(frozen=True)
class SourcedProfile:
    """A profile and where it comes from."""

    profile: Profile
    """The profile."""
    origin: str
    """`shipped`, or the repository file (`.mergekit/grammars/routes.toml`)."""

    @property
    def replaces_shipped(self) -> bool:
        """True for a repository profile named like a shipped one (it takes its place here)."""
        return self.origin != SHIPPED and any(p.name == self.profile.name for p in all_profiles())


# -- checking a profile file --------------------------------------------------------------------


def node_kind_problems(profile: Profile) -> list[str]:
    """Node kinds and fields a tree-sitter profile names that its grammar does not have."""
    if profile.grammar == "lines":
        return []
    from mergekit.resolve import syntax

    kinds = syntax.grammar_node_kinds(profile.grammar)
    field_names = syntax.field_names(profile.grammar)
    problems = []
    for c in profile.containers:
        roles = (("node", c.node), ("children", c.children), ("parent", c.parent), ("follow", c.follow))
        for role, names in roles:
            problems += [
                f"{c.name}: {role} kind {n!r} is not in the grammar" for n in names if n not in kinds
            ]
        for alternative in c.signature:
            only, _, paths = alternative.rpartition(":")  # `kind:path` applies to that kind only
            if only and only not in kinds:
                problems.append(f"{c.name}: signature kind {only!r} is not in the grammar")
            for part in (p for path in paths.split("+") for p in path.split(".")):
                if part.startswith("(") and part.endswith(")"):  # `(kind)`: the first child of that kind
                    if part[1:-1] not in kinds:
                        problems.append(f"{c.name}: signature kind {part!r} is not in the grammar")
                elif not part.isdigit() and part != "*" and part not in field_names:
                    problems.append(f"{c.name}: signature field {part!r} is not in the grammar")
    return problems


def repository_profiles(root: Path | None) -> list[SourcedProfile]:
    """The checked profiles in `<root>/.mergekit/grammars/*.toml`, by file name."""
    if root is None:
        return []
    folder = root / REPOSITORY_DIR
    if not folder.is_dir():
        return []
    found: list[SourcedProfile] = []
    names: dict[str, str] = {}
    for file in sorted(folder.glob("*.toml")):
        shown = f"{REPOSITORY_DIR}/{file.name}"
        try:
            text = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MergekitError(f"cannot read {shown} ({exc}) — fix or remove it") from exc
        profile = parse_profile(text, shown)  # the one validator, as for shipped profiles
        if profile.name in names:
            raise MergekitError(f"{shown}: profile {profile.name!r} is also defined in {names[profile.name]}")
        names[profile.name] = shown
        found.append(SourcedProfile(profile, shown))
    return found


def every_profile(root: Path | None) -> list[SourcedProfile]:
    """Shipped and repository profiles by name; a repository profile takes a shipped one's place."""
    mine = repository_profiles(root)
    taken = {s.profile.name for s in mine}
    shipped = [SourcedProfile(p, SHIPPED) for p in all_profiles() if p.name not in taken]
    return sorted([*shipped, *mine], key=lambda s: s.profile.name)


# -- the lookup ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """The profile for a path and why."""

    profile: Profile | None
    """The profile (None: git's plain line merge)."""
    reason: str
    """Which rule decided (`never_resolve in .mergekit.toml:3`, `mergekit-language=json`...)."""


Attributes = Callable[[str], dict[str, str]]
"""path → the gitattributes `ATTRIBUTES` specified on it (`mergekit.engine.gitcli`)."""


class PathLanguages:
    """path → profile for one repository (see the module docstring for the order of the rules)."""

    def __init__(
        self,
        root: Path | None,
        never_resolve: tuple[str, ...] = (),
        attributes: Attributes | None = None,
        policy_origin: str = ".mergekit.toml",
        profiles: list[SourcedProfile] | None = None,
    ) -> None:
        self.root = root
        """The top of the work tree (its `.mergekit/grammars/` is read when `profiles` is None)."""
        self.never_resolve = never_resolve
        """`[paths] never_resolve`: globs of paths that keep git's plain line merge."""
        self.policy_origin = policy_origin
        """Where `never_resolve` was set (`.mergekit.toml:3`), for the reasons."""
        self._mine = profiles if profiles is not None else repository_profiles(root)
        self._names: dict[str, Profile] | None = None
        self._attributes = attributes
        self._answers: dict[str, Answer] = {}

    def __call__(self, path: str) -> Profile | None:
        """The profile for `path` (None: plain line merge)."""
        return self.explain(path).profile

    def _named(self, name: str) -> Profile | None:
        if self._names is None:
            self._names = {p.name: p for p in all_profiles()}
            self._names.update({s.profile.name: s.profile for s in self._mine})
        return self._names.get(name)

    def explain(self, path: str) -> Answer:
        """The profile for `path` and the rule that chose it."""
        if path in self._answers:
            return self._answers[path]
        answer = self._decide(path)
        self._answers[path] = answer
        return answer

    def _decide(self, path: str) -> Answer:
        glob = first_match(self.never_resolve, path)
        if glob is not None:
            return Answer(None, f"never_resolve {glob!r} in {self.policy_origin}")
        attrs = self._attributes(path) if self._attributes is not None else {}
        switch = attrs.get("mergekit")
        if switch in ("unset", "off", "false", "no", "0"):
            return Answer(None, "gitattributes mergekit=off")
        for attr in ("mergekit-language", "linguist-language"):
            name = attrs.get(attr)
            if name is None or name in ("set", "unset"):
                continue
            key = name.strip().lower()
            profile = self._named(_LINGUIST.get(key.replace("-", " "), key))
            if profile is None:
                return Answer(None, f"gitattributes {attr}={name}: no such profile (`mergekit languages`)")
            return Answer(profile, f"gitattributes {attr}={name}")
        for sourced in self._mine:
            if sourced.profile.matches(path):
                return Answer(sourced.profile, f"globs of {sourced.origin}")
        profile = shipped_profile_for(path)
        if profile is None:
            return Answer(None, "no profile's globs match")
        return Answer(profile, "globs of the shipped profile")
