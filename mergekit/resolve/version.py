"""One version (base, ours, theirs or a merge result) of a file: its bytes, tree and containers.

Parsing and cutting containers into slots are the resolver's expensive steps; a `Version` does
each at most once, and shares them through the job's `ResolverCache` with every other `Version`
of the same bytes (the same ours is looked at in every pass and by the final checks).
"""

from __future__ import annotations

from mergekit.resolve.cache import ResolverCache
from mergekit.resolve.items import Found, all_containers, enclosing, lines_container
from mergekit.resolve.limits import Deadline
from mergekit.resolve.profiles import Profile
from mergekit.resolve.syntax import Node


class Version:
    """One side's bytes and its lazily parsed tree."""

    def __init__(self, data: bytes, profile: Profile, cache: ResolverCache, deadline: Deadline) -> None:
        self.data = data
        """The bytes of this version."""
        self.profile = profile
        """The file's language profile."""
        self._cache = cache
        self._deadline = deadline
        self._root: Node | None = None
        self._all: list[Found] | None = None

    @property
    def lines_only(self) -> bool:
        """True for line-per-entry profiles (no tree)."""
        return self.profile.grammar == "lines"

    def root(self) -> Node:
        """The root node of the parse tree."""
        if self._root is None:
            from mergekit.resolve.syntax import parse

            self._root = parse(self.profile.grammar, self.data, self._cache)
            self._deadline.check()
        return self._root

    def containers_at(self, lo: int, hi: int) -> list[Found]:
        """Containers whose interior holds the byte range [lo, hi), innermost first."""
        if self.lines_only:
            return self.all()
        table = self._cache.containers_of(self.profile.name, self.data)
        return enclosing(self.root(), self.profile, self.data, lo, hi, table, self._deadline)

    def errors(self) -> int:
        """ERROR and MISSING nodes in the tree (0 for line-per-entry files)."""
        if self.lines_only:
            return 0
        from mergekit.resolve.syntax import error_count

        return error_count(self.root())

    def all(self) -> list[Found]:
        """Every container of the file."""
        if self._all is None:
            if self.lines_only:
                self._all = [lines_container(c, self.data) for c in self.profile.containers[:1]]
            else:
                table = self._cache.containers_of(self.profile.name, self.data)
                self._all = all_containers(self.root(), self.profile, self.data, None, self._deadline, table)
        return self._all
