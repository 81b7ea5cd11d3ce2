"""The merge seam's fast path gives the full merge's predictions, pair by pair, on random histories.

`Merger` answers many pairs cheaply: the engine merges only what both sides changed (footprints
kept per tree pair), the resolver's answers are kept by blob ids and reused by later pairs (with
other labels), merge bases are kept, and derived-file recipes only look at paths that can make
a lockfile stale. `Merger(full=True)` does without all of it (libgit2's full-index merge, no
shortcut, every file resolved afresh). Each case is a random history — several branches from
BASE, one built on another, one from a later BASE, and merge commits as an integration run makes
them — and every ordered pair of its commits must get the same prediction both ways: the same
files with the same outcome, conflict kind, sides, content, rule and hunk reports (auto
resolutions, duplicate keys, memory recalls), and the same derived-file jobs.
"""

from __future__ import annotations

import json
import random
from itertools import permutations

import pygit2
import pytest

from mergekit.engine import Repo
from mergekit.merging import Merger, Prediction
from mergekit.model import ConflictKind, Outcome
from mergekit.resolve import Labels
from mergekit.workflow.recall import Recalled

Files = dict[str, bytes]

KEYS = ["alpha", "beta", "gamma", "delta", "epsilon"]
NEW = ["late", "extra", "more"]


def _barrel(names: list[str]) -> bytes:
    return "".join(f"export * from './{n}';\n" for n in names).encode()


def _yaml(entries: list[tuple[str, int]]) -> bytes:
    return "".join(f"{k}: {v}\n" for k, v in entries).encode()


def _json(entries: list[tuple[str, int]]) -> bytes:
    return (json.dumps(dict(entries), indent=2) + "\n").encode()


def _text(rng: random.Random) -> bytes:
    return b"".join(f"line {rng.randint(0, 4)}\n".encode() for _ in range(rng.randint(3, 8)))


def _base(rng: random.Random) -> Files:
    files: Files = {
        "src/index.ts": _barrel(rng.sample(KEYS, 3)),
        "app/config.yml": _yaml([(k, 0) for k in rng.sample(KEYS, 5)]),
        "app/settings.json": _json([(k, 0) for k in rng.sample(KEYS, 5)]),
        "notes.txt": _text(rng),
        "package.json": _json([("name", 1), ("a", 1)]),
        "package-lock.json": _json([("lockfileVersion", 3)]),
    }
    for n in range(rng.randint(2, 6)):
        files[f"pkg{n % 3}/mod{n}.py"] = f"def f{n}():\n    return {n}\n".encode()
    return files


def _entries(data: bytes) -> list[tuple[str, int]]:
    text = data.decode()
    if text.lstrip().startswith("{"):
        return list(json.loads(text).items())
    return [(k, int(v)) for k, v in (line.split(": ") for line in text.splitlines())]


def _change(rng: random.Random, files: Files) -> None:
    """One random change of the kind branches make (appends, edits, keys, deletions, renames)."""
    op = rng.random()
    if op < 0.25:
        names = [line.split("'")[1][2:] for line in files.get("src/index.ts", b"").decode().splitlines()]
        fresh = [n for n in NEW + KEYS if n not in names]
        if fresh:
            names.insert(rng.randint(0, len(names)), rng.choice(fresh))
            files["src/index.ts"] = _barrel(names)
    elif op < 0.45:
        path = rng.choice(["app/config.yml", "app/settings.json"])
        if path in files:
            entries = _entries(files[path])
            if rng.random() < 0.6:
                entries.insert(rng.randint(0, len(entries)), (rng.choice(NEW), rng.randint(1, 2)))
            elif entries:
                i = rng.randrange(len(entries))
                entries[i] = (entries[i][0], entries[i][1] + rng.randint(1, 2))
            files[path] = _yaml(entries) if path.endswith(".yml") else _json(entries)
    elif op < 0.6:
        if "notes.txt" in files:
            lines = files["notes.txt"].splitlines(keepends=True)
            where = rng.randrange(len(lines) + 1)
            lines.insert(where, f"note {rng.randint(0, 3)}\n".encode())
            files["notes.txt"] = b"".join(lines)
    elif op < 0.7:
        if "package.json" in files:
            entries = [*_entries(files["package.json"]), (rng.choice(NEW), rng.randint(1, 3))]
            files["package.json"] = _json(entries)
            if rng.random() < 0.5 and "package-lock.json" in files:
                files["package-lock.json"] = _json(_entries(files["package-lock.json"]) + entries[-1:])
    elif op < 0.8:
        path = f"pkg{rng.randint(0, 3)}/new{rng.randint(0, 4)}.py"
        files.setdefault(path, f"x = {rng.randint(0, 2)}\n".encode())
    elif op < 0.87:
        victims = sorted(p for p in files if p.startswith("pkg") or p == "notes.txt")
        if victims:
            del files[rng.choice(victims)]
    elif op < 0.93:
        movable = sorted(p for p in files if p.startswith("pkg"))
        if movable:
            old = rng.choice(movable)
            files[f"moved/{old.replace('/', '_')}"] = files.pop(old)
    else:
        python = sorted(p for p in files if p.endswith(".py"))
        if python:
            path = rng.choice(python)
            files[path] = files[path] + f"# edited {rng.randint(0, 2)}\n".encode()


def _commit(raw: pygit2.Repository, files: Files, parents: list[str], message: str) -> str:
    index = pygit2.Index()
    for path, data in files.items():
        index.add(pygit2.IndexEntry(path, raw.create_blob(data), pygit2.enums.FileMode.BLOB))
    tree = index.write_tree(raw)
    who = pygit2.Signature("Test", "test@example.com", 1_700_000_000, 0)
    return str(raw.create_commit(None, who, who, message, tree, [pygit2.Oid(hex=p) for p in parents]))


def _branch(rng: random.Random, files: Files, changes: int) -> Files:
    out = dict(files)
    for _ in range(changes):
        _change(rng, out)
    return out


def _history(repo: Repo, seed: int) -> dict[str, str]:
    """Name → commit: BASE, a later BASE, branches, a branch built on another, and merge commits."""
    rng = random.Random(seed)
    raw = repo.raw
    base_files = _base(rng)
    base = _commit(raw, base_files, [], "base")
    commits = {"base": base}
    tips: dict[str, Files] = {}
    for n in range(4):
        tips[f"b{n}"] = _branch(rng, base_files, rng.randint(2, 6))
        commits[f"b{n}"] = _commit(raw, tips[f"b{n}"], [base], f"b{n}")
    stacked = _branch(rng, tips["b0"], rng.randint(1, 2))
    commits["on-b0"] = _commit(raw, stacked, [commits["b0"]], "on b0")
    later_files = _branch(rng, base_files, 2)
    commits["later"] = _commit(raw, later_files, [base], "later base")
    commits["from-later"] = _commit(raw, _branch(rng, later_files, 2), [commits["later"]], "from later")
    # an integration run's first steps: merge commits whose trees take each branch in turn
    merged = dict(base_files)
    result = base
    for name in ("b1", "b2"):
        for path in set(tips[name]) | set(merged):
            if tips[name].get(path) != base_files.get(path):
                if path in tips[name]:
                    merged[path] = tips[name][path]
                else:
                    merged.pop(path, None)
        result = _commit(raw, merged, [result, commits[name]], f"merge {name}")
        commits[f"after-{name}"] = result
    return commits


class _Memory:
    """A resolution memory that settles every conflict in notes.txt (ours, then theirs' new lines)."""

    def recall(self, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> Recalled | None:
        if path != "notes.txt":
            return None
        extra = [
            line for line in theirs.splitlines(keepends=True) if line not in ours.splitlines(keepends=True)
        ]
        return Recalled(merged=ours + b"".join(extra), keys=("notes",), detail="notes.txt from memory")


def _same(fast: Prediction, full: Prediction) -> None:
    assert fast.outcome is full.outcome
    assert fast.files == full.files
    assert fast.regeneration == full.regeneration
    if fast.shortcut is not None:  # a shortcut is taken only where the full merge finds nothing
        assert not full.files


SEEDS = range(8)


@pytest.mark.parametrize("seed", SEEDS)
def test_fast_predictions_equal_the_full_merge_on_random_histories(bare: Repo, seed: int) -> None:
    commits = _history(bare, seed)
    fast = Merger(bare, memory=_Memory())
    for ours, theirs in permutations(commits, 2):
        labels = Labels(ours=ours, theirs=theirs)
        full = Merger(bare, memory=_Memory(), full=True)
        _same(
            fast.predict(commits[ours], commits[theirs], labels),
            full.predict(commits[ours], commits[theirs], labels),
        )
        # what an integration step asks: settle (always merged), on warm caches
        settled = fast.settle(commits[ours], commits[theirs], labels).prediction
        _same(settled, full.settle(commits[ours], commits[theirs], labels).prediction)


def test_the_random_histories_hold_every_kind_of_answer(bare: Repo) -> None:
    """Clean pairs, auto-resolutions, content conflicts, duplicate keys, memory recalls,
    modify/delete, derived-file jobs and shortcuts all occur, so the test above compares them."""
    seen: set[object] = set()
    for seed in SEEDS:
        commits = _history(bare, seed)
        fast = Merger(bare, memory=_Memory())
        for ours, theirs in permutations(commits, 2):
            prediction = fast.predict(commits[ours], commits[theirs], Labels(ours=ours, theirs=theirs))
            seen.add(prediction.outcome)
            seen.add(prediction.shortcut)
            seen |= {(f.outcome, f.kind) for f in prediction.files}
            seen |= {f.rule for f in prediction.files if f.rule}
            if prediction.regeneration.jobs or prediction.regeneration.missing:
                seen.add("derived")
    assert {Outcome.CLEAN, Outcome.AUTO_RESOLVED, Outcome.NEEDS_HUMAN} <= seen
    assert (Outcome.NEEDS_HUMAN, ConflictKind.CONTENT) in seen
    assert (Outcome.NEEDS_HUMAN, ConflictKind.DUPLICATE_KEY) in seen
    assert "memory" in seen and "derived" in seen
    assert any(isinstance(s, str) and s.startswith("typescript:") for s in seen)
    assert seen & {
        (Outcome.NEEDS_HUMAN, ConflictKind.MODIFY_DELETE),
        (Outcome.NEEDS_HUMAN, ConflictKind.DELETE_MODIFY),
    }
