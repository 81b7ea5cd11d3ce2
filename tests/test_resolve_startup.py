"""What the merge driver does not pay for at start-up, and that skipping it changes no answer.

git runs the driver once per conflicted file, so each process loads one grammar and one profile:

- a grammar package's language function comes from its `_binding` extension alone (the package's
  `__init__` imports `importlib.resources` for queries mergekit never reads);
- a query is compiled only when the subtree holds a node one of its patterns could start at, and
  then answers exactly what the compiled query answers;
- the shipped profiles are read from a cache beside their bytecode, exactly what parsing them
  gives, and only while every profile file and the loader are those it was made from.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mergekit.resolve import items, markers, profiles, sanity, syntax
from mergekit.resolve.items import Found
from mergekit.resolve.markers import Block
from mergekit.resolve.profiles import Container, Profile, all_profiles, load_profile
from mergekit.resolve.types import FileResolution, HunkReport, Labels, LineMergeResult
from mergekit.resolve.values import value
from tests.test_fixtures import ROOT

TS = "tree_sitter_typescript:language_typescript"
WHITESPACE = [b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x85", b"\xa0", b"\xe2\x80\x83", b""]


def _bindings_of(path: str) -> str:
    profile = profiles.shipped_profile_for(path)
    assert profile is not None
    return next(c.bindings for c in profile.containers if c.bindings)


TS_BINDINGS = _bindings_of("a.ts")
WITH_BINDINGS = [p for p in all_profiles() if any(c.bindings for c in p.containers)]


def _subtrees(root: Any) -> list[Any]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def _spans(nodes: list[Any]) -> list[tuple[int, int, str]]:
    return [(n.start_byte, n.end_byte, n.type) for n in nodes]


@pytest.mark.parametrize("profile", WITH_BINDINGS, ids=[p.name for p in WITH_BINDINGS])
def test_a_query_not_compiled_yet_answers_what_the_compiled_query_answers(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On every subtree of every fixture file of the language: the same captures, whether the
    query was compiled before or the subtree was found to hold none of its starting kinds."""
    files = [f for case in sorted((ROOT / "fixtures" / profile.name).glob("*/")) for f in case.iterdir()]
    queries = [c.bindings for c in profile.containers if c.bindings]
    skipped = 0
    for file in files:
        for node in _subtrees(syntax.parse(profile.grammar, file.read_bytes())):
            for query in queries:
                monkeypatch.setattr(syntax, "_queries", {})
                fresh = syntax.captures(profile.grammar, query, node)
                skipped += (profile.grammar, query) not in syntax._queries
                assert _spans(fresh) == _spans(syntax.captures(profile.grammar, query, node)), (file, query)
    assert skipped > 0


def test_a_barrel_file_compiles_no_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """`export * from` lines bind no name: the bindings query of TypeScript is not compiled for
    them, and is for a file with an import."""
    monkeypatch.setattr(syntax, "_queries", {})
    barrel = b"".join(b"export * from './m%d';\n" % i for i in range(300))
    assert syntax.captures(TS, TS_BINDINGS, syntax.parse(TS, barrel)) == []
    assert syntax._queries == {}
    names = syntax.captures(TS, TS_BINDINGS, syntax.parse(TS, barrel + b"import { a as b } from './c';\n"))
    assert [n.text for n in names] == [b"b"]
    assert list(syntax._queries) == [(TS, TS_BINDINGS)]


@pytest.mark.parametrize(
    ("query", "roots"),
    [
        ("(import_clause (identifier) @b)", {"import_clause"}),
        ('(a (b) @x) ; a comment (c)\n(d name: (e) @y (#eq? @y "(z)"))', {"a", "d"}),
        ('((import (identifier) @b .) @i (#not-match? @i "\\\\*$"))', {"import"}),
        ("(a) @x @y (b)", {"a", "b"}),
        ("[(a) (b)] @x", None),
        ("(_ (a)) @x", None),
        ("(a)* @x", None),
        ('"import" @x', None),
        ("(MISSING identifier) @x", None),
        ("(expression/identifier) @x", None),
        ("name: (a) @x", None),
        ("((a) . (b))", None),
        ("(a (b)", None),
        ("(a))", None),
        ("(a] @x", None),
        ("()", None),
        ("", None),
    ],
)
def test_the_kinds_a_query_starts_at_are_read_from_its_text(query: str, roots: set[str] | None) -> None:
    """Plain patterns, captured or grouped with predicates, name their kinds; anything else
    (alternations, wildcards, quantifiers, anonymous nodes, unbalanced text) means: compile it."""
    found = syntax._pattern_roots(query)
    assert found == (frozenset(roots) if roots is not None else None)


def test_a_query_naming_a_hidden_kind_or_no_kind_is_compiled() -> None:
    """A supertype (`expression`) has no nodes of its own kind; a kind the grammar lacks must fail
    to compile as before, not be skipped."""
    assert syntax._known_roots(TS, "(expression) @e") is None
    assert syntax._known_roots(TS, "(no_such_kind) @e") is None
    import_clause = syntax._parser(TS).language.id_for_node_kind("import_clause", True)
    assert syntax._known_roots(TS, "(import_clause) @e") == frozenset({import_clause})
    assert syntax.query_problem(TS, "(no_such_kind) @e") is not None
    empty = syntax.parse(TS, b"")
    with pytest.raises(Exception, match="no_such_kind"):
        syntax.captures(TS, "(no_such_kind) @e", empty)


def test_a_grammar_loads_without_its_package_init() -> None:
    """Only the `_binding` extensions of tree-sitter and of the grammar are imported (not their
    packages, nor `typing`), and they are the packages' own classes and language."""
    code = (
        "import sys; from mergekit.resolve import syntax; "
        f"p = syntax._parser({TS!r}); "
        "names = ('tree_sitter', 'importlib.resources', 'typing'); "
        "print(sorted(m for m in sys.modules if m.startswith(names))); "
        "import tree_sitter_typescript as t, tree_sitter as ts; "
        "print(p.language == ts.Language(t.language_typescript()), type(p) is ts.Parser)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = "['tree_sitter._binding', 'tree_sitter_typescript._binding']"
    assert proc.stdout.split("\n")[:2] == [loaded, "True True"]


def test_a_grammar_package_of_another_layout_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grammar module without a `_binding` extension is imported as a module."""
    (tmp_path / "my_grammar").mkdir()
    (tmp_path / "my_grammar" / "__init__.py").write_text(
        "from tree_sitter_json import language as json_language\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    function = syntax._language_function("my_grammar", "json_language")
    assert "my_grammar" in sys.modules
    import tree_sitter_json

    assert function is tree_sitter_json.language


# -- the profile cache -----------------------------------------------------------------------------


@pytest.fixture
def grammars(tmp_path: Path) -> Path:
    """A copy of the shipped profiles."""
    folder = tmp_path / "grammars"
    folder.mkdir()
    for file in (ROOT / "grammars").glob("*.toml"):
        shutil.copy(file, folder / file.name)
    return folder


def _parsed(folder: Path) -> dict[str, Profile]:
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.toml"))}
    done: dict[str, Profile] = {}
    return {file: profiles._parse(file, texts, done) for file in texts}


def test_the_cache_holds_what_parsing_gives(grammars: Path) -> None:
    """Every profile read back from the cache equals the parsed one (inherited containers too)."""
    written = profiles.write_cache(grammars)
    assert written is not None and profiles.cache_file(grammars).is_file()
    cached = profiles.read_cache(grammars)
    assert cached == written
    parsed = _parsed(grammars)
    assert {f: profiles._unpack(p) for f, p in cached.items()} == parsed
    assert sorted(parsed.values(), key=lambda p: p.name) == list(all_profiles())
    tsx = profiles._unpack(cached["tsx.toml"])
    assert tsx.extends == "typescript" and tsx.containers[0].bindings


@pytest.mark.parametrize(
    "change",
    ["edit", "touch", "add", "remove", "same size"],
)
def test_a_changed_profile_makes_the_cache_stale(grammars: Path, change: str) -> None:
    """Any change to the profile files (even one keeping the size) is seen; a stale cache is not read."""
    profiles.write_cache(grammars)
    file = grammars / "json.toml"
    text = file.read_text(encoding="utf-8")
    if change == "edit":
        file.write_text(text + "# more\n", encoding="utf-8")
    elif change == "touch":
        st = file.stat()
        os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    elif change == "add":
        (grammars / "more.toml").write_text(text.replace('name = "json"', 'name = "more"'), encoding="utf-8")
    elif change == "remove":
        file.unlink()
    else:
        file.write_text(text.replace('description = "JSON"', 'description = "JSOM"'), encoding="utf-8")
        assert file.stat().st_size == len(text.encode())
    assert profiles.read_cache(grammars) is None
    rewritten = profiles.write_cache(grammars)
    assert rewritten is not None and profiles.read_cache(grammars) == rewritten


def test_a_damaged_cache_is_not_read(grammars: Path) -> None:
    profiles.write_cache(grammars)
    target = profiles.cache_file(grammars)
    for damage in (b"", b"\x00garbage", target.read_bytes()[:100]):
        target.write_bytes(damage)
        assert profiles.read_cache(grammars) is None


def test_no_cache_is_written_while_a_profile_is_broken(grammars: Path) -> None:
    """A broken profile is reported by its own lookup; the others are parsed as they are needed."""
    (grammars / "json.toml").write_text('name = "json"\nglobs = ["*.json"]\n', encoding="utf-8")
    assert profiles.write_cache(grammars) is None
    assert not profiles.cache_file(grammars).exists()
    with pytest.raises(profiles.ProfileError, match=r"grammars/json\.toml"):
        load_profile((grammars / "json.toml").read_text(encoding="utf-8"), "grammars/json.toml")


def _fresh_profiles(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """The shipped-profile functions of this process pointed at `folder`, their memory cleared."""
    monkeypatch.setattr(profiles, "_folder", lambda: folder)
    monkeypatch.setattr(profiles, "_parsed", {})
    for function in (profiles._texts, profiles._index, profiles._load_named, profiles._cached):
        function.cache_clear()
    profiles.all_profiles.cache_clear()


@pytest.fixture
def restore_profiles() -> Any:
    yield
    for function in (
        profiles._texts,
        profiles._index,
        profiles._load_named,
        profiles._cached,
        profiles.all_profiles,
    ):
        function.cache_clear()


@pytest.mark.parametrize("dont_write", [False, True])
def test_the_cache_is_written_only_when_python_writes_bytecode(
    grammars: Path, monkeypatch: pytest.MonkeyPatch, restore_profiles: None, dont_write: bool
) -> None:
    """Like bytecode: PYTHONDONTWRITEBYTECODE leaves the folder as it is, and profiles are parsed."""
    _fresh_profiles(monkeypatch, grammars)
    monkeypatch.setattr(sys, "dont_write_bytecode", dont_write)
    profile = profiles.profile_for("src/index.tsx")
    assert profile is not None and profile.name == "tsx" and profile.extends == "typescript"
    assert profiles.cache_file(grammars).exists() is not dont_write
    assert (profiles._cached() is None) is dont_write
    assert profile == _parsed(grammars)["tsx.toml"]


def test_the_driver_reads_no_profile_text_once_the_cache_is_written(tmp_path: Path) -> None:
    """With the cache in place, picking the profile of a path imports no TOML parser."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = (
        "import sys; from mergekit.resolve.profiles import profile_for; "
        "p = profile_for('src/index.ts'); print(p.name, 'tomllib' in sys.modules)"
    )
    for _ in range(2):  # the first run may write the cache
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
        )
    assert proc.stdout.strip() == "typescript False"


@given(st.binary(max_size=40) | st.lists(st.sampled_from(WHITESPACE), max_size=12).map(b"x".join))
def test_normalize_collapses_what_a_whitespace_regex_collapses(text: bytes) -> None:
    """`normalize` splits on ASCII whitespace: exactly a strip and `\\s+` → one space."""
    assert items.normalize(text) == re.sub(rb"\s+", b" ", text.strip()).decode("utf-8", "replace")


# -- value classes -------------------------------------------------------------------------------

VALUES = [Labels, LineMergeResult, HunkReport, FileResolution, Found, Container, Profile, Block]


def _twin(cls: type) -> Any:
    """The same fields as a `@dataclass(frozen=True)`, for comparison."""
    spec: list[tuple[str, Any, Any]] = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            spec.append((f.name, f.type, dataclasses.field(default=f.default)))
        elif f.default_factory is not dataclasses.MISSING:
            spec.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        else:
            spec.append((f.name, f.type, dataclasses.field()))
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=True)


def _behaviour(cls: Any) -> list[object]:
    """What a class does with two equal instances, a third one, defaults, replace, asdict and writes."""
    names = [f.name for f in dataclasses.fields(cls)]
    required = [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    a, b = cls(*[f"{n}-1" for n in names]), cls(**{n: f"{n}-1" for n in names})
    c = cls(*[f"{n}-{1 + (i == len(names) - 1)}" for i, n in enumerate(names)])
    out: list[object] = [repr(a), hash(a), a == b, a != b, a == c, hash(a) == hash(b), a.__eq__(object())]
    out += [repr(cls(*[f"{n}-1" for n in required])), repr(dataclasses.replace(a, **{names[0]: "new"}))]
    out += [dataclasses.asdict(a), a.__match_args__]
    with pytest.raises(dataclasses.FrozenInstanceError) as assigned:
        setattr(a, names[0], 1)
    with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
        delattr(a, names[-1])
    out += [str(assigned.value), str(deleted.value)]
    with pytest.raises(TypeError):
        cls(*names, "extra")
    with pytest.raises(TypeError):
        cls(**{n: 1 for n in names}, extra=1)
    if required:
        with pytest.raises(TypeError):
            cls(*required[:-1])
        with pytest.raises(TypeError):
            cls(required[0], **{required[0]: 1}, **{n: 1 for n in required[1:]})
    return out


@pytest.mark.parametrize("cls", VALUES, ids=[c.__name__ for c in VALUES])
def test_a_value_class_behaves_as_a_frozen_dataclass(cls: type) -> None:
    """Construction, equality, hash, repr, replace, asdict and frozen fields as the generated ones."""
    assert dataclasses.is_dataclass(cls)
    assert _behaviour(cls) == _behaviour(_twin(cls))


def test_a_value_class_takes_no_field_options_and_writes_no_generated_method() -> None:
    with pytest.raises(TypeError, match="only a default"):

        @value
        class Hidden:
            secret: str = dataclasses.field(default="", repr=False)

    with pytest.raises(TypeError, match="only a default"):

        @value
        class Made:
            names: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    with pytest.raises(TypeError, match="only a default"):

        @value
        class Mutable:
            names: list[str] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="after one with a default"):

        @value
        class Order:
            first: str = ""
            second: str  # type: ignore[misc]

    with pytest.raises(TypeError, match="inherits"):

        @value
        class Child(Exception):
            name: str

    with pytest.raises(TypeError, match="__eq__"):

        @value
        class Own:
            name: str

            def __eq__(self, other: object) -> bool:
                return True

            __hash__ = None  # type: ignore[assignment]


TREE = [p for p in all_profiles() if p.grammar != "lines"]


@pytest.mark.parametrize("profile", TREE, ids=[p.name for p in TREE])
def test_containers_are_found_by_kind_id_as_by_kind_name(profile: Profile) -> None:
    """Walking by kind ids finds exactly the nodes whose kind name is a container's."""
    kinds = frozenset(kind for container in profile.containers for kind in container.node)
    for case in sorted((ROOT / "fixtures" / profile.name).glob("*/")):
        for file in case.iterdir():
            root = syntax.parse(profile.grammar, file.read_bytes())
            by_name = [n for n in _subtrees(root) if n.type in kinds]
            found = items._nodes_of(root, kinds, profile.grammar)
            assert sorted(_spans(found)) == sorted(_spans(by_name)), file


@given(st.lists(st.sampled_from([b"a", b" x;", b"}", b"", b" ,", b"\t\xc3\xa9", b"b,", b"a;"]), max_size=30))
def test_line_counts_keeps_the_lines_with_a_word_in_order(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    keys = (line.strip().rstrip(b",;").strip() for line in data.splitlines())
    expected = Counter(key for key in keys if re.search(rb"[A-Za-z0-9\x80-\xff]", key))
    found = sanity.line_counts(data)
    assert found == expected and list(found) == list(expected)


@given(st.text("a.b*?[]!/-", max_size=8), st.text("a.b*?[]!/-", max_size=8))
def test_a_glob_is_matched_as_fnmatch_matches_it(glob: str, name: str) -> None:
    """The shortcuts before `fnmatch` (one `*`, the literal end of the glob) answer as it does."""
    assert profiles._glob_matches(name, glob) == fnmatch.fnmatchcase(name, glob)


_MARKER_BITS = [b"<<<<<<<", b"=======", b">>>>>>>", b"|||||||", b"<<<", b" x", b"\n", b"\r\n", b"a", b"<"]


@given(st.lists(st.sampled_from(_MARKER_BITS), max_size=12).map(b"".join), st.sampled_from([3, 7]))
def test_marker_checks_skip_the_pattern_only_when_it_cannot_match(text: bytes, size: int) -> None:
    """Without a run of a marker character, no marker pattern is compiled: the answers are the
    patterns' own."""
    found = {c: markers._pattern(c, size).search(text) is not None for c in (b"<", b">", b"<=>")}
    assert markers.contains_markers(text, size) == found[b"<=>"]
    assert markers.has_conflict(text, size) == (found[b"<"] and found[b">"])
    assert markers.count_conflicts(text, size) == len(markers._pattern(b"<", size).findall(text))
