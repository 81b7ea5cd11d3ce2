"""The fast tree merge against libgit2's full-index merge on randomized histories.

Each case builds a random nested base tree and mutates it twice (ours, theirs): adds,
modifications that merge cleanly and that conflict, deletions, mode and type changes,
symlinks, submodules, identical changes on both sides, renames and directory/file swaps.
Both merges must give the same conflicts (paths, kinds, sides) and the same result trees —
clean, with every conflict left at ours, and with every conflict resolved. Cases the fast
merge declines (renames possible) are counted: most cases must take the fast path.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pygit2
import pytest

from mergekit.engine import Conflict, Repo, TreeMerge, merge_commits, merge_trees, open_repo
from mergekit.engine.fastmerge import changed_paths
from mergekit.engine.merge import FULL_MERGE_ENV
from tests.helpers.gitrepo import GitRepo

Files = dict[str, tuple[bytes, int]]
"""path → (content, mode); a gitlink's content is its commit id in hex."""

MODE_FILE, MODE_EXEC, MODE_LINK, MODE_GITLINK = 0o100644, 0o100755, 0o120000, 0o160000
NAMES = ("a", "b", "c", "d", "lib", "src", "x.ts", "y.py", "z.md", "zz")
LINES = [f"line {i}\n".encode() for i in range(12)]


def _tree(raw: pygit2.Repository, files: Files) -> str:
    """Write `files` as a tree (through an in-memory index, like git would)."""
    index = pygit2.Index()
    for path, (data, mode) in files.items():
        oid = pygit2.Oid(hex=data.decode()) if mode == MODE_GITLINK else raw.create_blob(data)
        index.add(pygit2.IndexEntry(path, oid, pygit2.enums.FileMode(mode)))
    return str(index.write_tree(raw))


def _random_path(rng: random.Random, depth: int | None = None) -> str:
    depth = depth if depth is not None else rng.choice((1, 2, 2, 3, 3, 4))
    return "/".join(rng.choice(NAMES) for _ in range(depth))


def _fits(files: Files, path: str) -> bool:
    """True when `path` can be added: not present, no file on its way, no directory at it."""
    if path in files:
        return False
    parts = path.split("/")
    if any("/".join(parts[:i]) in files for i in range(1, len(parts))):
        return False
    return not any(p.startswith(path + "/") for p in files)


def _content(rng: random.Random) -> bytes:
    return b"".join(rng.sample(LINES, rng.randint(3, 10)))


def _random_base(rng: random.Random) -> Files:
    files: Files = {}
    for _ in range(rng.randint(4, 30)):
        path = _random_path(rng)
        if not _fits(files, path):
            continue
        kind = rng.random()
        if kind < 0.05:
            files[path] = (b"../target", MODE_LINK)
        elif kind < 0.08:
            files[path] = (f"{rng.getrandbits(160):040x}".encode(), MODE_GITLINK)
        else:
            files[path] = (_content(rng), MODE_EXEC if kind < 0.15 else MODE_FILE)
    return files


def _edit(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    where = rng.randrange(len(lines) + 1)
    action = rng.random()
    if action < 0.4 or not lines:
        lines.insert(where, f"added {rng.randint(0, 3)}\n".encode())
    elif action < 0.7:
        lines[min(where, len(lines) - 1)] = f"changed {rng.randint(0, 3)}\n".encode()
    else:
        del lines[min(where, len(lines) - 1)]
    return b"".join(lines)


Mutation = Callable[[random.Random, Files], None]


def _modify(rng: random.Random, files: Files) -> None:
    regular = [p for p, (_, m) in files.items() if m in (MODE_FILE, MODE_EXEC)]
    if regular:
        path = rng.choice(regular)
        data, mode = files[path]
        files[path] = (_edit(rng, data), mode)


def _add(rng: random.Random, files: Files) -> None:
    path = _random_path(rng)
    if _fits(files, path):
        files[path] = (_content(rng) if rng.random() < 0.7 else b"line 0\nline 1\n", MODE_FILE)


def _delete(rng: random.Random, files: Files) -> None:
    if files:
        del files[rng.choice(sorted(files))]


def _delete_directory(rng: random.Random, files: Files) -> None:
    dirs = sorted({p.rsplit("/", 1)[0] for p in files if "/" in p})
    if dirs:
        gone = rng.choice(dirs)
        for path in [p for p in files if p.startswith(gone + "/")]:
            del files[path]


def _mode(rng: random.Random, files: Files) -> None:
    regular = [p for p, (_, m) in files.items() if m in (MODE_FILE, MODE_EXEC)]
    if regular:
        path = rng.choice(regular)
        data, mode = files[path]
        files[path] = (data, rng.choice([m for m in (MODE_FILE, MODE_EXEC, MODE_LINK) if m != mode]))


def _rename(rng: random.Random, files: Files) -> None:
    if not files:
        return
    old = rng.choice(sorted(files))
    new = _random_path(rng)
    data, mode = files.pop(old)
    if _fits(files, new):
        edited = mode in (MODE_FILE, MODE_EXEC) and rng.random() < 0.5
        files[new] = (_edit(rng, data) if edited else data, mode)
    else:
        files[old] = (data, mode)


def _file_to_directory(rng: random.Random, files: Files) -> None:
    if files:
        path = rng.choice(sorted(files))
        data, mode = files.pop(path)
        files[path + "/" + rng.choice(NAMES)] = (data, mode)


MUTATIONS: list[tuple[float, Mutation]] = [
    (0.40, _modify),
    (0.22, _add),
    (0.10, _delete),
    (0.03, _delete_directory),
    (0.08, _mode),
    (0.05, _rename),
    (0.03, _file_to_directory),
]


def _mutate(rng: random.Random, files: Files, renames: bool) -> Files:
    result = dict(files)
    for _ in range(rng.randint(0, 6)):
        weights = [w if (renames or m is not _rename) else 0 for w, m in MUTATIONS]
        mutation = rng.choices([m for _, m in MUTATIONS], weights=weights)[0]
        mutation(rng, result)
    return result


def _case(rng: random.Random) -> tuple[Files, Files, Files]:
    base = _random_base(rng)
    # Most cases add or delete on one side only (the integration shape), so the fast path runs.
    ours = _mutate(rng, base, renames=rng.random() < 0.2)
    theirs = _mutate(rng, base, renames=rng.random() < 0.2)
    regular = [p for p, (_, m) in base.items() if m in (MODE_FILE, MODE_EXEC)]
    if regular and rng.random() < 0.5:  # both sides edit one file: clean or conflicting line merges
        path = rng.choice(regular)
        for side in (ours, theirs):
            if side.get(path, (b"", 0))[1] in (MODE_FILE, MODE_EXEC):
                data, mode = side[path]
                side[path] = (_edit(rng, data), mode if rng.random() < 0.9 else MODE_EXEC)
    if rng.random() < 0.15:  # some identical changes on both sides
        for path in rng.sample(sorted(ours), min(2, len(ours))):
            if _fits({p: v for p, v in theirs.items() if p != path}, path):
                theirs[path] = ours[path]
    if rng.random() < 0.1:  # the same file added on both sides
        path = _random_path(rng, 2)
        if _fits(ours, path) and _fits(theirs, path):
            ours[path] = (b"shared\nours\n", MODE_FILE)
            theirs[path] = (b"shared\ntheirs\n" if rng.random() < 0.7 else b"shared\nours\n", MODE_FILE)
    return base, ours, theirs


def _describe(conflicts: list[Conflict]) -> list[tuple[object, ...]]:
    def side(s: object) -> object:
        return None if s is None else (s.path, s.oid, s.mode, s.data)  # type: ignore[attr-defined]

    return [(c.path, c.kind, side(c.base), side(c.ours), side(c.theirs)) for c in conflicts]


def _resolutions(merge: TreeMerge) -> dict[str, bytes]:
    return {c.path: b"resolved " + c.path.encode() + b"\n" for c in merge.conflicts}


def _compare(repo: Repo, base: str | None, ours: str, theirs: str) -> str:
    """Assert fast == full on one case; return the engine the fast attempt used."""
    fast = merge_trees(repo, base, ours, theirs, full=False)
    full = merge_trees(repo, base, ours, theirs, full=True)
    assert _describe(fast.conflicts) == _describe(full.conflicts)
    assert _describe(fast.changed_on_both_sides()) == _describe(full.changed_on_both_sides())
    if fast.conflicts:
        assert fast.write_tree({}, leftover="ours") == full.write_tree({}, leftover="ours")
        fast = merge_trees(repo, base, ours, theirs, full=False)
        full = merge_trees(repo, base, ours, theirs, full=True)
        assert fast.write_tree(_resolutions(fast)) == full.write_tree(_resolutions(full))
    else:
        assert fast.write_tree({}) == full.write_tree({})
    return fast.engine


@pytest.mark.parametrize("seed", range(4))
def test_fast_merge_matches_libgit2_on_random_histories(bare: Repo, seed: int) -> None:
    rng = random.Random(seed)
    engines: dict[str, int] = {"fast": 0, "libgit2": 0}
    for number in range(200):
        base, ours, theirs = _case(rng)
        trees = [_tree(bare.raw, files) for files in (base, ours, theirs)]
        base_tree = trees[0] if number % 17 else None  # sometimes no common ancestor at all
        try:
            engines[_compare(bare, base_tree, trees[1], trees[2])] += 1
        except AssertionError as error:
            raise AssertionError(f"seed {seed} case {number}: {base} / {ours} / {theirs}") from error
    assert engines["fast"] > engines["libgit2"], engines


def test_one_sided_subtrees_are_taken_whole(bare: Repo) -> None:
    """A directory only theirs changed becomes one edit; ours' changes need none."""
    rng = random.Random(7)
    paths = [f"pkg{i}/mod{j}/f{k}.ts" for i in range(5) for j in range(5) for k in range(4)]
    base: Files = {path: (_content(rng), MODE_FILE) for path in paths}
    ours = dict(base) | {"pkg0/mod0/f0.ts": (b"ours\n", MODE_FILE), "shared.ts": (b"a\nours\n", MODE_FILE)}
    theirs = dict(base) | {"pkg1/new.ts": (b"theirs\n", MODE_FILE), "shared.ts": (b"a\ntheirs\n", MODE_FILE)}
    base["shared.ts"] = (b"a\n", MODE_FILE)
    trees = [_tree(bare.raw, f) for f in (base, ours, theirs)]
    merge = merge_trees(bare, *trees)
    assert merge.engine == "fast"
    assert [(c.path, c.kind) for c in merge.conflicts] == [("shared.ts", "content")]
    assert merge._fast is not None and set(merge._fast[1].edits) == {"pkg1"}
    assert _compare(bare, *trees) == "fast"


def test_renames_fall_back_to_libgit2(bare: Repo) -> None:
    body = b"".join(LINES)
    base: Files = {"old/name.ts": (body, MODE_FILE), "keep.ts": (b"k\n", MODE_FILE)}
    ours: Files = {"new/name.ts": (body, MODE_FILE), "keep.ts": (b"k\n", MODE_FILE)}
    theirs: Files = {"old/name.ts": (body + b"more\n", MODE_FILE), "keep.ts": (b"k\n", MODE_FILE)}
    trees = [_tree(bare.raw, f) for f in (base, ours, theirs)]
    merge = merge_trees(bare, *trees)
    assert merge.engine == "libgit2" and merge.declined and "renames" in merge.declined
    assert merge.clean  # libgit2 carried theirs' edit to the renamed file
    assert _compare(bare, *trees) == "libgit2"


def test_full_merge_can_be_forced(bare: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    trees = [_tree(bare.raw, {"a": (data, MODE_FILE)}) for data in (b"1\n", b"2\n", b"1\n")]
    assert merge_trees(bare, *trees).engine == "fast"
    monkeypatch.setenv(FULL_MERGE_ENV, "1")
    assert merge_trees(bare, *trees).engine == "libgit2"
    assert merge_trees(bare, *trees, full=False).engine == "fast"


def test_merge_attributes_and_binary_files_follow_libgit2(repo: GitRepo) -> None:
    """The contested paths go through libgit2, so `merge=union` and binary files behave as in git."""
    repo.commit("base", {"list.txt": "a\n", "data.bin": "\0a\n", ".gitattributes": "list.txt merge=union\n"})
    repo.checkout("feature", create=True)
    theirs = repo.commit("theirs", {"list.txt": "a\ntheirs\n", "data.bin": "\0theirs\n"})
    repo.checkout("main")
    ours = repo.commit("ours", {"list.txt": "a\nours\n", "data.bin": "\0ours\n"})
    r = open_repo(repo.path)
    fast, full = merge_commits(r, ours, theirs, full=False), merge_commits(r, ours, theirs, full=True)
    assert fast.engine == "fast"
    assert _describe(fast.conflicts) == _describe(full.conflicts)
    assert [c.path for c in fast.conflicts] == ["data.bin"]
    assert fast.write_tree({}, leftover="ours") == full.write_tree({}, leftover="ours")


def test_criss_cross_history_uses_the_recursive_merge(repo: GitRepo) -> None:
    repo.commit("base", {"f.txt": "1\n2\n3\n4\n5\n"})
    repo.checkout("feature", create=True)
    repo.commit("t1", {"f.txt": "1\nT\n3\n4\n5\n"})
    repo.checkout("main")
    repo.commit("o1", {"f.txt": "1\n2\n3\n4\nO\n"})
    repo.git("merge", "-q", "--no-edit", "feature")
    repo.checkout("feature")
    repo.git("merge", "-q", "--no-edit", "main~1")
    theirs = repo.commit("t2", {"g.txt": "g\n"})
    repo.checkout("main")
    ours = repo.commit("o2", {"h.txt": "h\n"})
    r = open_repo(repo.path)
    merge = merge_commits(r, ours, theirs)
    assert merge.engine == "libgit2" and merge.declined == "several merge bases"
    assert merge.write_tree({}) == merge_commits(r, ours, theirs, full=True).write_tree({})


def test_commits_merge_like_libgit2_including_unrelated_histories(repo: GitRepo) -> None:
    repo.commit("base", {"f.txt": "1\n2\n3\n", "dir/a.txt": "a\n"})
    repo.checkout("feature", create=True)
    theirs = repo.commit("theirs", {"f.txt": "1\n2\nT\n", "dir/b.txt": "b\n"})
    repo.checkout("main")
    ours = repo.commit("ours", {"f.txt": "O\n2\n3\n", "dir/c.txt": "c\n"})
    r = open_repo(repo.path)
    fast = merge_commits(r, ours, theirs)
    assert fast.engine == "fast" and fast.clean
    assert fast.write_tree({}) == merge_commits(r, ours, theirs, full=True).write_tree({})
    repo.git("checkout", "-q", "--orphan", "other")
    repo.git("rm", "-rq", "--cached", ".")
    other = repo.commit("unrelated", {"f.txt": "x\n", "o.txt": "o\n"})
    fast, full = merge_commits(r, ours, other), merge_commits(r, ours, other, full=True)
    assert fast.engine == "fast"
    assert _describe(fast.conflicts) == _describe(full.conflicts)
    assert fast.write_tree({}, leftover="ours") == full.write_tree({}, leftover="ours")


def test_changed_paths_match_libgit2_diff(bare: Repo) -> None:
    rng = random.Random(11)
    for _ in range(150):
        base, ours, _theirs = _case(rng)
        old, new = (bare.raw[_tree(bare.raw, files)] for files in (base, ours))
        assert isinstance(old, pygit2.Tree) and isinstance(new, pygit2.Tree)
        expected = {p for d in old.diff_to_tree(new).deltas for p in (d.old_file.path, d.new_file.path)}
        assert changed_paths(bare.raw, old.id, new.id) == expected
        assert changed_paths(bare.raw, None, new.id) == set(ours)


def test_changed_paths_of_a_chain_of_commits_are_kept_step_by_step(bare: Repo) -> None:
    """An integration asks BASE → each step's result in turn: the answer built from the first
    parent's (only the step's own changes looked at again) equals libgit2's diff of the trees."""
    rng = random.Random(5)
    who = pygit2.Signature("T", "t@example.com", 1_700_000_000, 0)
    for _ in range(12):
        files = _random_base(rng)
        base_tree = bare.raw[_tree(bare.raw, files)]
        base = str(bare.raw.create_commit(None, who, who, "base", base_tree.id, []))
        current, parents = files, [base]
        for step in range(8):
            current = _mutate(rng, current, renames=True)
            tree = bare.raw[_tree(bare.raw, current)]
            commit = str(
                bare.raw.create_commit(None, who, who, f"step {step}", tree.id, [pygit2.Oid(hex=parents[-1])])
            )
            parents.append(commit)
            assert isinstance(base_tree, pygit2.Tree) and isinstance(tree, pygit2.Tree)
            deltas = base_tree.diff_to_tree(tree).deltas
            expected = {p for d in deltas for p in (d.old_file.path, d.new_file.path)}
            assert bare.changed_paths(base, commit) == expected  # kept from the previous step
            assert open_repo(bare.raw.path).changed_paths(base, commit) == expected  # from scratch


def test_names_that_are_not_utf8_fall_back(repo: GitRepo) -> None:
    odd = "caf\udce9.txt"  # the byte 0xE9 alone: not UTF-8
    repo.commit("base", {odd: "1\n", "a.txt": "a\n"})
    repo.checkout("feature", create=True)
    theirs = repo.commit("theirs", {odd: "2\n"})
    repo.checkout("main")
    ours = repo.commit("ours", {"a.txt": "b\n"})
    r = open_repo(repo.path)
    merge = merge_commits(r, ours, theirs)
    assert merge.engine == "libgit2" and merge.declined and "UTF-8" in merge.declined
    assert merge.write_tree({}) == merge_commits(r, ours, theirs, full=True).write_tree({})
