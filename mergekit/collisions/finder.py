"""Semantic collisions: what two branches each add that merges without a conflict but is wrong together.

The same route registered twice, one exported name bound to two things, two migrations with
the same number, one dependency pinned to two versions. Git calls these merges clean (and the
resolver unions them happily), so `check` and `plan` report them as warnings (`--strict`
makes them fail). The rules are data, `grammars/collisions/rules.toml`; this module only knows
the four rule shapes (keyed regular expressions, union-container keys, dependency manifests, and
the names of the resolver's declaration containers: one function, class or test name added by
two branches in different files of one package).

For a pair of commits (ours, theirs) and their merge base, each side's additions are the keys
its changed files hold that the base's versions of those files do not; two sides collide when
they add the same key in the same scope and bind it to different things. Extraction is cached
per blob, so checking many pairs reads each file version once.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator

from mergekit.collisions.manifests import find_line, manifest_dependencies
from mergekit.collisions.rules import KeyedRule, Rules, load_rules
from mergekit.collisions.types import Collision, Found, Site
from mergekit.engine.repo import Repo
from mergekit.merging import ChangedPaths
from mergekit.resolve.items import Item, all_containers
from mergekit.resolve.profiles import Container, profile_for
from mergekit.resolve.syntax import parse

_DIRECTORY, _REPO = "directory", "repo"
"""Where a key must be unique (a rule's `scope`; container and manifest keys are per file)."""


class _Side:
    """One side of pairs: the files it changed, their blob ids, those with keys wider than a file."""

    def __init__(
        self,
        paths: frozenset[str],
        base_ids: dict[str, str | None],
        tip_ids: dict[str, str | None],
        scopes: Callable[[str], frozenset[str]],
    ) -> None:
        self.paths = paths
        """Every file changed."""
        self.base_ids = base_ids
        """Path → blob id in the base (None: added)."""
        self.tip_ids = tip_ids
        """Path → blob id in the tip (None: deleted)."""
        self.by_directory: dict[str, list[str]] = {}
        """Directory → the files there with keys scoped to their directory."""
        self.repo_wide: list[str] = []
        """The files with keys scoped to the whole repository."""
        for path in paths:
            found = scopes(path)
            if _DIRECTORY in found:
                self.by_directory.setdefault(posixpath.dirname(path), []).append(path)
            if _REPO in found:
                self.repo_wide.append(path)


class _Globs:
    """Many globs matched at once: those without a `/` against the base name, the others against the path."""

    def __init__(self, globs: Iterable[str]) -> None:
        globs = set(globs)
        self._base = _either(g for g in globs if "/" not in g)
        self._path = _either(g for g in globs if "/" in g)

    def __call__(self, path: str) -> bool:
        """True when a glob matches `path` (like `fnmatchcase`)."""
        if self._base is not None and self._base.match(path.rsplit("/", 1)[-1]):
            return True
        return self._path is not None and self._path.match(path) is not None


def _either(globs: Iterable[str]) -> re.Pattern[str] | None:
    parts = [fnmatch.translate(g) for g in sorted(globs)]
    return re.compile("|".join(parts)) if parts else None


def _matches(globs: Iterable[str], path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path if "/" in g else base, g) for g in globs)


def _scope(rule_scope: str, path: str) -> str:
    if rule_scope == "file":
        return path
    if rule_scope == "directory":
        return posixpath.dirname(path)
    return ""


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _clean_key(part: str, alias: re.Pattern[str] | None) -> str:
    part = part.strip().strip("()").strip().strip("\\").strip()
    if alias is not None:
        part = alias.split(part)[-1].strip()
    return part.strip("'\"` ").strip()


def _declared_name(item: Item, spec: Container) -> str | None:
    """The name a declaration child binds (`def export_users` → `export_users`), or None for the
    container's other children (imports, assignments, registrations)."""
    if item.sig is None or item.broken:
        return None
    kind, _, name = item.sig.partition(":")
    if item.kind not in spec.declarations and kind not in spec.declarations:
        return None
    return name.strip("'\"`") or None


def _keyed_entries(rule: KeyedRule, path: str, text: str) -> Iterator[tuple[str, int, str | None]]:
    """(key, line, target or None) for each definition `rule` finds."""
    subject = path if rule.source == "path" else text
    for m in rule.pattern.finditer(subject):
        raw_key = m.group("key") or ""
        prefix = m.groupdict().get("prefix") or ""
        target = m.groupdict().get("target")
        line = 1 if rule.source == "path" else _line(text, m.start())
        parts = raw_key.split(rule.split) if rule.split else [raw_key]
        for part in parts:
            key = _clean_key(part, rule.alias) if (rule.split or rule.alias) else part.strip().strip("'\"")
            if not key or key.startswith("*"):
                continue
            yield (
                (f"{prefix.upper()} {key}" if prefix else key),
                line,
                (target.strip() if target is not None else None),
            )


class Finder:
    """Finds collisions between pairs of commits of one repository, caching per blob.

    A pair looks only at the files whose keys can meet: a key scoped to a file (and every
    container or manifest key) only in files both sides changed, a key scoped to a directory
    (a declared name, too) only where both sides changed that directory, a repository-wide key
    everywhere. So a pair costs what the two branches share, and each file version is read once
    for all pairs.
    """

    def __init__(self, repo: Repo, rules: Rules | None = None, changed: ChangedPaths | None = None) -> None:
        self.repo = repo
        self.rules = rules if rules is not None else load_rules()
        self._changed_paths = changed
        self._by_rule = {r.name: r for r in self.rules.keyed}
        self._container_profiles = {c.split(":", 1)[0] for r in self.rules.containers for c in r.containers}
        """Profiles whose files are parsed for container keys."""
        self._declaration_scopes: dict[str, set[str]] = {}
        """Profile → the scopes of the declaration rules that read its files."""
        for declaration in self.rules.declarations:
            for container in declaration.containers:
                self._declaration_scopes.setdefault(container.split(":", 1)[0], set()).add(declaration.scope)
        self._across_files = {r.name for r in self.rules.declarations}
        """Rules whose two sites must be in different files to collide."""
        self._cache: dict[tuple[str, str, bool], Found] = {}
        self._changed: dict[tuple[str, str], frozenset[str]] = {}
        self._sides: dict[tuple[str, str], _Side] = {}
        self._added: dict[tuple[str, str | None, str, bool], Found] = {}
        self._scopes: dict[str, frozenset[str]] = {}
        self._relevant: dict[str, bool] = {}
        keyed = self.rules.keyed
        self._scope_globs = {
            scope: _Globs(g for r in keyed if r.scope == scope for g in r.globs)
            for scope in {r.scope for r in keyed}
        }
        self._manifest_globs = _Globs(g for r in self.rules.manifests for g in r.globs)
        self._rule_globs = {r.name: _Globs(r.globs) for r in keyed}
        wide = [r for r in keyed if r.scope != "file"]
        sources = {r.target_from for r in wide if r.target_from}
        self._wide = tuple(r for r in keyed if r.scope != "file" or r.name in sources)
        """The keyed rules a file changed on one side only needs (wider scopes, and their sources)."""

    def _keyed_scopes(self, path: str) -> frozenset[str]:
        """The scopes of the keyed and declaration rules that read `path` (`file`, `directory`, `repo`)."""
        found = self._scopes.get(path)
        if found is None:
            scopes = {scope for scope, globs in self._scope_globs.items() if globs(path)}
            if self._declaration_scopes:
                profile = profile_for(path)
                if profile is not None:
                    scopes |= self._declaration_scopes.get(profile.name, set())
            found = self._scopes[path] = frozenset(scopes)
        return found

    def _holds_keys(self, path: str) -> bool:
        """True when some rule reads `path` (keyed, manifest, or a union container with keys)."""
        found = self._relevant.get(path)
        if found is None:
            found = (
                bool(self._keyed_scopes(path)) or self._manifest_globs(path) or self._has_container_keys(path)
            )
            self._relevant[path] = found
        return found

    def _has_container_keys(self, path: str) -> bool:
        if not self._container_profiles:
            return False
        profile = profile_for(path)
        return profile is not None and profile.name in self._container_profiles

    def changed(self, old: str, new: str) -> frozenset[str]:
        """Paths changed between two commits (cached)."""
        if self._changed_paths is not None:
            return self._changed_paths(old, new)
        key = (old, new)
        if key not in self._changed:
            self._changed[key] = self.repo.changed_paths(old, new)
        return self._changed[key]

    def _side(self, base: str, tip: str) -> _Side:
        """The files `tip` changed since `base`, with both blob ids (cached)."""
        found = self._sides.get((base, tip))
        if found is None:
            paths = self.changed(base, tip)
            base_ids, tip_ids = self.repo.path_ids(base, paths), self.repo.path_ids(tip, paths)
            found = self._sides[(base, tip)] = _Side(paths, base_ids, tip_ids, self._keyed_scopes)
        return found

    def additions(self, base: str, tip: str, facing: _Side | None = None) -> Found:
        """What `tip` adds relative to commit `base`: (rule, scope, key) → sites in `tip`.

        With `facing` (the other side of a pair), only the files whose keys could meet that side's:
        every key in a file both changed, keys scoped to a directory where both have such files,
        repository-wide keys when both have such files.
        """
        side = self._side(base, tip)
        if facing is None:
            deep = frozenset(p for p in side.paths if self._holds_keys(p))
            chosen = set(deep)
        else:
            deep = frozenset(p for p in side.paths & facing.paths if self._holds_keys(p))
            chosen = set(deep)
            for directory in side.by_directory.keys() & facing.by_directory.keys():
                chosen.update(side.by_directory[directory])
            if facing.repo_wide:
                chosen.update(side.repo_wide)
        added: Found = {}
        for path in sorted(chosen):
            tip_id = side.tip_ids[path]
            if tip_id is None:
                continue
            found = self._path_additions(path, side.base_ids[path], tip_id, path in deep)
            for ident, sites in found.items():
                added.setdefault(ident, []).extend(sites)
        return added

    def _path_additions(self, path: str, base_id: str | None, tip_id: str, deep: bool) -> Found:
        """The keys one file version adds to its base version (`deep`: container and manifest keys too)."""
        key = (path, base_id, tip_id, deep)
        cached = self._added.get(key)
        if cached is not None:
            return cached
        now = self._extract(path, tip_id, new_file=base_id is None, deep=deep)
        before = self._extract(path, base_id, new_file=False, deep=deep) if base_id is not None else {}
        added: Found = {}
        for ident, sites in now.items():
            if ident in before:
                continue  # the key was there already: changing it is a conflict for git and the resolver
            old_targets = {s.target for s in before.get(ident, [])}
            fresh = [s for s in sites if s.target not in old_targets]
            if fresh:  # a new key, or a key bound to something new (a changed version)
                added[ident] = fresh
        self._added[key] = added
        return added

    def between(self, ours_name: str, ours: str, theirs_name: str, theirs: str, base: str) -> list[Collision]:
        """Collisions between commits `ours` and `theirs` whose merge base is `base`."""
        if base in (ours, theirs):
            return []
        ours_side, theirs_side = self._side(base, ours), self._side(base, theirs)
        mine = self.additions(base, ours, facing=theirs_side)
        yours = self.additions(base, theirs, facing=ours_side)
        found = []
        for ident in sorted(mine.keys() & yours.keys()):
            rule_name, _, key = ident
            o_sites, t_sites = mine[ident], yours[ident]
            o, t = o_sites[0], t_sites[0]
            if rule_name in self._across_files:
                # one name in one file is the resolver's to settle (kept once, or a conflict)
                apart = [(a, b) for a in o_sites for b in t_sites if a.path != b.path]
                if not apart:
                    continue
                o, t = apart[0]
            elif {(s.path, s.target) for s in o_sites} == {(s.path, s.target) for s in t_sites}:
                continue  # both added the very same thing
            kind, description = self._describe(rule_name)
            found.append(
                Collision(
                    rule=rule_name,
                    kind=kind,
                    key=key,
                    ours=ours_name,
                    theirs=theirs_name,
                    ours_site=o,
                    theirs_site=t,
                    description=description,
                )
            )
        return found

    def _describe(self, rule_name: str) -> tuple[str, str]:
        described = [(r.name, r.kind, r.description) for r in self.rules.keyed]
        described += [(r.name, r.kind, r.description) for r in self.rules.containers]
        described += [(r.name, r.kind, r.description) for r in self.rules.manifests]
        described += [(r.name, r.kind, r.description) for r in self.rules.declarations]
        for name, kind, description in described:
            if name == rule_name:
                return kind, description
        return "collision", rule_name

    # -- extraction --------------------------------------------------------------------------

    def _extract(self, path: str, oid: str, new_file: bool, deep: bool = True) -> Found:
        """The keys in one file version; without `deep` only those scoped wider than the file (keyed
        rules and declared names: a file only one side of a pair changed can hold no other key the
        pair shares)."""
        key = (path, oid + ("+new" if new_file else ""), deep)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        data = self.repo.read_blob(oid)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        found: Found = {}
        if text and b"\0" not in data:
            self._keyed(path, text, new_file, found, self.rules.keyed if deep else self._wide)
            self._containers(path, data, found, deep)
            if deep:
                self._manifests(path, text, found)
        self._cache[key] = found
        return found

    def _keyed(self, path: str, text: str, new_file: bool, found: Found, rules: Iterable[KeyedRule]) -> None:
        per_rule: dict[str, dict[str, str | None]] = {}
        pending: list[tuple[KeyedRule, str, int, str | None]] = []
        for rule in rules:
            if not self._rule_globs[rule.name](path):
                continue
            targets = per_rule.setdefault(rule.name, {})
            for key, line, target in _keyed_entries(rule, path, text):
                targets.setdefault(key, target)
                pending.append((rule, key, line, target))
        for rule, key, line, target in pending:
            if rule.new_files_only and not new_file:
                continue
            if rule.target_from:
                source_rule = self._by_rule.get(rule.target_from)
                if source_rule is not None and source_rule.name not in per_rule:
                    per_rule[source_rule.name] = {k: t for k, _, t in _keyed_entries(source_rule, path, text)}
                target = per_rule.get(rule.target_from, {}).get(key) or ""
            ident = (rule.name, _scope(rule.scope, path), key)
            found.setdefault(ident, []).append(Site(path, line, target if target is not None else path))

    def _containers(self, path: str, data: bytes, found: Found, deep: bool) -> None:
        """Keys of union containers (`[[container_keys]]`, with `deep`) and names of declarations
        (`[[declarations]]`), from one parse of the file."""
        profile = profile_for(path)
        if profile is None or profile.grammar == "lines":
            return
        prefix = profile.name + ":"
        rules = self.rules.containers if deep else ()
        keyed = [r for r in rules if any(c.startswith(prefix) for c in r.containers)]
        declared = [r for r in self.rules.declarations if any(c.startswith(prefix) for c in r.containers)]
        if not keyed and not declared:
            return
        try:
            root = parse(profile.grammar, data)
        except Exception:  # a grammar that cannot load must not break the check
            return
        named = [*(r.containers for r in keyed), *(r.containers for r in declared)]
        names = frozenset(
            c.split(":", 1)[1] for containers in named for c in containers if c.startswith(prefix)
        )
        for container in all_containers(root, profile, data, names):
            if container.has_error:
                continue
            qualified = f"{profile.name}:{container.spec.name}"
            for rule in keyed:
                if qualified not in rule.containers:
                    continue
                for item in container.items:
                    if item.sig is None or not item.union:
                        continue
                    sig = item.sig.split(":", 1)[-1].strip("'\"")
                    ident = (rule.name, f"{path}#{container.head}", sig)
                    line = data.count(b"\n", 0, item.at) + 1
                    found.setdefault(ident, []).append(Site(path, line, item.key))
            for declaration in declared:
                if qualified not in declaration.containers:
                    continue
                for item in container.items:
                    name = _declared_name(item, container.spec)
                    if name is None or (declaration.names and not declaration.names.search(name)):
                        continue
                    if declaration.match and not declaration.match.match(item.key):
                        continue
                    ident = (declaration.name, _scope(declaration.scope, path), name)
                    line = data.count(b"\n", 0, item.at) + 1
                    found.setdefault(ident, []).append(Site(path, line, item.key))

    def _manifests(self, path: str, text: str, found: Found) -> None:
        for rule in self.rules.manifests:
            if not _matches(rule.globs, path):
                continue
            for name, version in manifest_dependencies(rule, text).items():
                ident = (rule.name, path, name)
                found.setdefault(ident, []).append(Site(path, find_line(text, name), version))
