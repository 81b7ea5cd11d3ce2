"""Explicit, bounded caches for the resolver: parse trees and containers per file version.

Integrating or checking many branches merges the same versions of a shared file over and over;
keeping their parse trees and the containers cut from them saves most of the resolver's time.
Nothing is cached behind the caller's back: a `ResolverCache` is created by whoever wants reuse
(one per process for `check`/`integrate`, none for the one-file merge driver) and passed to
`resolve_file`. Each part is a small LRU with a fixed number of entries.
"""

from __future__ import annotations

from collections import OrderedDict

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from typing import Any, Generic, TypeVar
else:

    class Generic:
        """`typing.Generic` at run time, for the class statement below: subscripted, it stands for
        itself (type parameters matter to the type checker only)."""

        def __class_getitem__(cls, _parameters: object) -> type:
            return cls

    TypeVar = str

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A dictionary that keeps at most `size` entries, dropping the least recently used."""

    def __init__(self, size: int) -> None:
        self.size = size
        """The most entries kept."""
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value for `key` (marking it recently used), or None."""
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        """Store `value` under `key` and return it."""
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)


class ResolverCache:
    """Parse trees and cut containers, keyed by (grammar or profile, exact bytes)."""

    def __init__(self, versions: int = 256) -> None:
        self.trees: Bounded[tuple[str, bytes], Any] = Bounded(versions)
        """(grammar, bytes) → tree-sitter tree (trees are immutable)."""
        self.containers: Bounded[tuple[str, bytes], dict[tuple[int, int, str], Any]] = Bounded(versions)
        """(profile, bytes) → containers already cut into slots, by (start, end, container name)."""

    def containers_of(self, profile: str, data: bytes) -> dict[tuple[int, int, str], Any]:
        """The (mutable) container table of one file version."""
        table = self.containers.get((profile, data))
        if table is None:
            table = self.containers.put((profile, data), {})
        return table
