"""A small key → bytes store kept in the repository under a ref (e.g. `refs/mergekit/memory`).

Each version of the store is a commit whose tree holds one blob per key, so the store travels
with `git push`/`git fetch` like any ref, and its history shows what was added or removed and
when. Writes are compare-and-swap on the ref: when someone else wrote in between, `write_store`
raises `RefMoved` and the caller reads again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pygit2

from mergekit.engine.repo import Repo
from mergekit.errors import MergekitError

_KEY = re.compile(r"^[A-Za-z0-9._-]+$")


@dataclass(frozen=True)
class StoreSnapshot:
    """The store as one commit of its ref holds it."""

    commit: str | None
    """The commit the ref points at (None: the store does not exist yet)."""
    items: dict[str, bytes] = field(default_factory=dict)
    """Key → value."""


def read_store(repo: Repo, ref: str) -> StoreSnapshot:
    """Every key and value of the store at `ref` (empty when the ref does not exist)."""
    commit = repo.ref_target(ref)
    if commit is None:
        return StoreSnapshot(commit=None)
    obj = repo.raw.get(commit)
    if not isinstance(obj, pygit2.Commit):
        raise MergekitError(f"{ref} does not point at a commit — delete it with `git update-ref -d {ref}`")
    items: dict[str, bytes] = {}
    for entry in obj.tree:
        blob = repo.raw.get(entry.id)
        if isinstance(blob, pygit2.Blob) and entry.name is not None:
            items[entry.name] = bytes(blob.data)
    return StoreSnapshot(commit=commit, items=items)


Announce = Callable[[str | None, str], None]
"""Told (old commit, new commit) after the store's new commit is written, before its ref moves."""


def write_store(
    repo: Repo,
    ref: str,
    expected: StoreSnapshot,
    items: Mapping[str, bytes],
    message: str,
    announce: Announce | None = None,
) -> str:
    """Make `items` the store's content: a new commit on top of `expected`, then move `ref` to it
    if it still points where `expected` was read (compare-and-swap). Returns the new commit.

    `announce` lets a caller record the move before it is made (a run's state, so a process
    killed while the ref is written leaves enough to recognise its lock)."""
    builder = repo.raw.TreeBuilder()
    for key, value in sorted(items.items()):
        if not _KEY.match(key):
            raise ValueError(f"invalid store key {key!r}")
        builder.insert(key, repo.raw.create_blob(value), pygit2.enums.FileMode.BLOB)
    tree = str(builder.write())
    parents = [expected.commit] if expected.commit is not None else []
    commit = repo.create_commit(tree, parents, message)
    if announce is not None:
        announce(expected.commit, commit)
    repo.update_ref(ref, commit, expected.commit, message.splitlines()[0] if message else "mergekit")
    return commit
