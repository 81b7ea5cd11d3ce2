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
from collections.abc import Iterable, Iterator

from mergekit.collisions.manifests import find_line, manifest_dependencies
from mergekit.collisions.rules import KeyedRule, Rules, load_rules
from mergekit.collisions.types import Collision, Found, Site
from mergekit.engine.repo import Repo
from mergekit.merging import ChangedPaths
from mergekit.resolve.items import Item, all_containers
from mergekit.resolve.profiles import Container, profile_for
from mergekit.resolve.syntax import parse


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
    """Finds collisions between pairs of commits of one repository, caching per blob."""

    def __init__(self, repo: Repo, rules: Rules | None = None, changed: ChangedPaths | None = None) -> None:
        self.repo = repo
        self.rules = rules if rules is not None else load_rules()
        self._changed_paths = changed
        self._by_rule = {r.name: r for r in self.rules.keyed}
        named = [
            *(r.containers for r in self.rules.containers),
            *(r.containers for r in self.rules.declarations),
        ]
        self._tree_profiles = {c.split(":", 1)[0] for containers in named for c in containers}
        """Profiles whose files are parsed for container keys or declaration names."""
        self._across_files = {r.name for r in self.rules.declarations}
        """Rules whose two sites must be in different files to collide."""
        self._cache: dict[tuple[str, str], Found] = {}
        self._changed: dict[tuple[str, str], frozenset[str]] = {}
        self._additions: dict[tuple[str, str], Found] = {}

    def _relevant(self, path: str) -> bool:
        rules = self.rules
        if any(_matches(r.globs, path) for r in rules.keyed) or any(
            _matches(r.globs, path) for r in rules.manifests
        ):
            return True
        if self._tree_profiles:
            profile = profile_for(path)
            if profile is not None:
                return profile.name in self._tree_profiles
        return False

    def changed(self, old: str, new: str) -> frozenset[str]:
        """Paths changed between two commits (cached)."""
        if self._changed_paths is not None:
            return self._changed_paths(old, new)
        key = (old, new)
        if key not in self._changed:
            self._changed[key] = self.repo.changed_paths(old, new)
        return self._changed[key]

    def additions(self, base: str, tip: str) -> Found:
        """What `tip` adds relative to commit `base`: (rule, scope, key) → sites in `tip` (cached)."""
        cached = self._additions.get((base, tip))
        if cached is None:
            cached = self._additions[(base, tip)] = self._compute_additions(base, tip)
        return cached

    def _compute_additions(self, base: str, tip: str) -> Found:
        paths = sorted(p for p in self.changed(base, tip) if self._relevant(p))
        if not paths:
            return {}
        base_ids = self.repo.path_ids(base, paths)
        tip_ids = self.repo.path_ids(tip, paths)
        added: Found = {}
        for path in paths:
            tip_id = tip_ids[path]
            if tip_id is None:
                continue
            base_id = base_ids[path]
            now = self._extract(path, tip_id, new_file=base_id is None)
            before = self._extract(path, base_id, new_file=False) if base_id is not None else {}
            for ident, sites in now.items():
                if ident in before:
                    continue  # the key was there already: changing it is a conflict for git and the resolver
                old_targets = {s.target for s in before.get(ident, [])}
                fresh = [s for s in sites if s.target not in old_targets]
                if fresh:  # a new key, or a key bound to something new (a changed version)
                    added.setdefault(ident, []).extend(fresh)
        return added

    def between(self, ours_name: str, ours: str, theirs_name: str, theirs: str, base: str) -> list[Collision]:
        """Collisions between commits `ours` and `theirs` whose merge base is `base`."""
        if base in (ours, theirs):
            return []
        mine, yours = self.additions(base, ours), self.additions(base, theirs)
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

    def _extract(self, path: str, oid: str, new_file: bool) -> Found:
        key = (path, oid + ("+new" if new_file else ""))
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
            self._keyed(path, text, new_file, found)
            self._containers(path, data, found)
            self._manifests(path, text, found)
        self._cache[key] = found
        return found

    def _keyed(self, path: str, text: str, new_file: bool, found: Found) -> None:
        per_rule: dict[str, dict[str, str | None]] = {}
        pending: list[tuple[KeyedRule, str, int, str | None]] = []
        for rule in self.rules.keyed:
            if not _matches(rule.globs, path):
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

    def _containers(self, path: str, data: bytes, found: Found) -> None:
        """Keys of union containers (`[[container_keys]]`) and names of declarations
        (`[[declarations]]`), from one parse of the file."""
        if not self._tree_profiles:
            return
        profile = profile_for(path)
        if profile is None or profile.grammar == "lines" or profile.name not in self._tree_profiles:
            return
        prefix = profile.name + ":"
        keyed = [r for r in self.rules.containers if any(c.startswith(prefix) for c in r.containers)]
        declared = [r for r in self.rules.declarations if any(c.startswith(prefix) for c in r.containers)]
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
