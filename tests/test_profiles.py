"""Language profiles agree with their grammars: a typo in a data file must fail here, not silently.

Every node kind a profile names exists in its tree-sitter grammar, every field in a signature
path is a field of the grammar (or a child index), every bindings query compiles, and every
file glob routes a sample path to its own profile.
"""

from __future__ import annotations

import fnmatch
import re

import pytest

from mergekit.errors import MergekitError
from mergekit.resolve import syntax
from mergekit.resolve.profiles import (
    Container,
    Profile,
    ProfileError,
    _glob_matches,
    all_profiles,
    load_profile,
    profile_for,
)

PROFILES = all_profiles()
TREE_PROFILES = [p for p in PROFILES if p.grammar != "lines"]
ORDERS = {"append", "sorted-if-sorted"}


def _ids(profiles: list[Profile] | tuple[Profile, ...]) -> list[str]:
    return [p.name for p in profiles]


def _named_kinds(container: Container) -> dict[str, tuple[str, ...]]:
    return {
        "node": container.node,
        "children": container.children,
        "parent": container.parent,
        "header": container.header,
        "attach": container.attach,
        "follow": container.follow,
        "scope": container.scope,
    }


def test_the_fourteen_profiles_are_shipped() -> None:
    """The languages the resolver promises are all there, each with at least one container."""
    assert set(_ids(PROFILES)) >= {
        "typescript", "tsx", "javascript", "python", "go", "rust", "json", "yaml", "toml",
        "markdown", "requirements", "ignorefile", "codeowners", "gomod",
    }  # fmt: skip
    for profile in PROFILES:
        assert profile.containers, profile.name
        assert profile.globs, profile.name


def test_the_other_languages_agents_write_are_shipped() -> None:
    """JVM and .NET, scripting, systems, mobile, front-end, schema and infrastructure profiles."""
    assert set(_ids(PROFILES)) >= {
        "java", "kotlin", "gradle", "scala", "csharp", "msbuild", "maven", "php", "ruby", "elixir",
        "lua", "bash", "c", "cpp", "swift", "dart", "css", "scss", "less", "html", "graphql", "sql",
        "hcl", "dockerfile", "make", "ini", "properties", "dotenv", "android-resources",
        "changelog", "authors",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("app/build.gradle.kts", "kotlin"), ("app/build.gradle", "gradle"), ("pom.xml", "maven"),
        ("src/Api/Api.csproj", "msbuild"), ("Directory.Packages.props", "msbuild"), ("Gemfile", "ruby"),
        ("config/routes.rb", "ruby"), ("mix.exs", "elixir"), ("Package.swift", "swift"),
        ("include/app.h", "c"), ("include/app.hpp", "cpp"), ("infra/main.tf", "hcl"),
        ("Dockerfile", "dockerfile"), ("docker/api.Dockerfile", "dockerfile"), ("Makefile", "make"),
        (".env", "dotenv"), (".env.example", "dotenv"), ("setup.cfg", "ini"), (".editorconfig", "ini"),
        ("src/main/resources/application.properties", "properties"), ("schema.graphql", "graphql"),
        ("app/src/main/res/values/strings.xml", "android-resources"), ("db/schema.sql", "sql"),
        ("CHANGES.rst", "changelog"), ("HISTORY.rst", "changelog"), ("CHANGELOG.txt", "changelog"),
        ("docs/changelog.rst", "changelog"), ("NEWS", "changelog"), ("AUTHORS", "authors"),
        ("CONTRIBUTORS", "authors"), ("THANKS", "authors"), ("tox.ini", "ini"),
    ],
)  # fmt: skip
def test_well_known_file_names_pick_their_profile(path: str, name: str) -> None:
    """The files agents touch most in each ecosystem reach the right profile."""
    found = profile_for(path)
    assert found is not None and found.name == name, found


@pytest.mark.parametrize("profile", TREE_PROFILES, ids=_ids(TREE_PROFILES))
def test_node_kinds_exist_in_grammar(profile: Profile) -> None:
    """Every node, child, parent, header and attach kind is a named kind of the grammar."""
    kinds = syntax.grammar_node_kinds(profile.grammar)
    assert kinds, profile.grammar
    for container in profile.containers:
        assert container.node, f"{profile.name}:{container.name} names no node kind"
        for role, names in _named_kinds(container).items():
            fields = {n[1:] for n in names if role == "header" and n.startswith("@")}
            assert fields <= syntax.field_names(profile.grammar), f"{profile.name}:{container.name} {role}"
            unknown = sorted(set(names) - kinds - {f"@{f}" for f in fields})
            assert not unknown, f"{profile.name}:{container.name} {role} kinds not in grammar: {unknown}"


@pytest.mark.parametrize("profile", TREE_PROFILES, ids=_ids(TREE_PROFILES))
def test_signature_fields_exist_in_grammar(profile: Profile) -> None:
    """Every step of a signature path is a grammar field, a named-child index, `*` or a `(kind)`
    of the grammar."""
    fields = syntax.field_names(profile.grammar)
    for container in profile.containers:
        for alternative in container.signature:
            kind, _, paths = alternative.rpartition(":")
            if kind:
                assert kind in syntax.grammar_node_kinds(profile.grammar), (
                    f"{profile.name}:{container.name} signature {alternative!r}: no node kind {kind!r}"
                )
            for path in paths.split("+"):
                for part in path.split("."):
                    if part.startswith("(") and part.endswith(")"):
                        where = f"{profile.name}:{container.name} signature {alternative!r}"
                        assert part[1:-1] in syntax.grammar_node_kinds(profile.grammar), (
                            f"{where}: no node kind {part!r}"
                        )
                        continue
                    assert part.isdigit() or part == "*" or part in fields, (
                        f"{profile.name}:{container.name} signature {alternative!r}: no field {part!r}"
                    )


@pytest.mark.parametrize("profile", TREE_PROFILES, ids=_ids(TREE_PROFILES))
def test_bindings_queries_compile(profile: Profile) -> None:
    """A bindings query that does not compile would raise on the first conflict it meets (in a file
    that holds a node the query could start at: `syntax.captures` compiles no query before)."""
    for container in profile.containers:
        if container.bindings:
            assert syntax.query_problem(profile.grammar, container.bindings) is None


@pytest.mark.parametrize("profile", PROFILES, ids=_ids(PROFILES))
def test_patterns_compile_and_orders_are_known(profile: Profile) -> None:
    """Regular expressions in a profile compile; `order` is one the resolver knows."""
    for container in profile.containers:
        for pattern in (container.item_pattern, container.sig_pattern, container.anchor):
            if pattern:
                re.compile(pattern)
        assert container.order in ORDERS, f"{profile.name}:{container.name} order {container.order!r}"
        if profile.grammar == "lines":
            assert not container.node, "a line-per-entry profile has no tree to query"


def _sample(glob: str) -> str:
    """A repository path the glob matches (`*.ts` → `src/sample.ts`)."""
    name = glob.replace("*", "sample").replace("?", "x")
    return name if "/" in glob else f"src/{name}"


@pytest.mark.parametrize("profile", PROFILES, ids=_ids(PROFILES))
def test_every_glob_routes_to_its_profile(profile: Profile) -> None:
    """A sample path for each glob (in a subfolder too, unless the glob names a folder) picks this profile."""
    for glob in profile.globs:
        for path in {_sample(glob), _sample(glob).removeprefix("src/")}:
            found = profile_for(path)
            assert found is not None and found.name == profile.name, f"{glob!r}: {path} → {found}"


def test_glob_matching_is_fnmatchs() -> None:
    """The driver's quick glob match answers as `fnmatch.fnmatchcase` for every shipped glob."""
    globs = {g for p in PROFILES for g in p.globs}
    globs |= {"[Mm]akefile", "*.d.ts", "a?c", "*", "", "ab*ba", "a*/*"}
    names = {
        "", "x", ".env", "a.ts", "a.d.ts", "a.ts.bak", "Gemfile", "Gemfile.lock", "Makefile", "abc",
        "requirements-dev.txt", "res/values/strings.xml", "src/a.py", "Dockerfile.dev", "aba", "abba",
        "ab/ba", "requirements/a/b.txt", "requirements.txt",
    }  # fmt: skip
    names |= {g.replace("*", "x") for g in globs} | {g.replace("*", "") for g in globs}
    for glob in globs:
        for name in names:
            assert _glob_matches(name, glob) == fnmatch.fnmatchcase(name, glob), (name, glob)


def test_unrelated_paths_have_no_profile() -> None:
    """Files no profile covers get git's plain merge."""
    for path in ("README", "docs/logo.png", "src/data.xml", "config/nginx.conf", "LICENSE"):
        assert profile_for(path) is None, path


# ---------------------------------------------------------------- loading: extends and validation

GOOD = """
name = "demo"
globs = ["*.demo"]
grammar = "tree_sitter_json:language"

[[container]]
name = "array"
node = ["array"]
separator = ","
"""


def test_tsx_is_typescript_plus_its_own_grammar() -> None:
    """`extends`: TSX has every TypeScript container, with the TSX grammar and its own globs."""
    by_name = {p.name: p for p in PROFILES}
    tsx, ts = by_name["tsx"], by_name["typescript"]
    assert tsx.extends == "typescript"
    assert tsx.containers == ts.containers
    assert tsx.grammar.endswith("language_tsx") and tsx.globs == ("*.tsx",)


def test_extends_replaces_a_container_by_name_and_adds_new_ones() -> None:
    base = load_profile(GOOD, "grammars/demo.toml")
    child = load_profile(
        'name = "child"\nextends = "demo"\nglobs = ["*.child"]\n\n'
        '[[container]]\nname = "array"\nnode = ["array"]\nseparator = ","\norder = "sorted-if-sorted"\n\n'
        '[[container]]\nname = "object"\nnode = ["object"]\nseparator = ","\n',
        "grammars/child.toml",
        {"demo": base},
    )
    assert [c.name for c in child.containers] == ["array", "object"]
    assert child.containers[0].order == "sorted-if-sorted"
    assert child.grammar == base.grammar


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            GOOD.replace('separator = ","', 'separater = ","'),
            ["grammars/bad.toml:9:", "'separater'", "unknown key"],
        ),
        (GOOD.replace('separator = ","', 'order = "random"'), ["grammars/bad.toml:9:", "'order'", "append"]),
        (
            GOOD.replace('separator = ","', "item_pattern = '(['"),
            ["grammars/bad.toml:9:", "'item_pattern'", "regular"],
        ),
        (GOOD.replace('node = ["array"]', "node = 3"), ["grammars/bad.toml:8:", "'node'", "list of strings"]),
        (GOOD.replace('globs = ["*.demo"]\n', ""), ["grammars/bad.toml", "'globs'", "missing"]),
        (
            GOOD.replace('name = "demo"', 'name = "demo"\nextends = "nothing"'),
            ["bad.toml:3:", "'extends'", "'nothing'"],
        ),
        (GOOD + '[[container]]\nname = "array"\nnode = ["array"]\n', ["'container'", "two containers"]),
        (GOOD.replace("[[container]]", "[container"), ["grammars/bad.toml", "not valid TOML"]),
    ],
)
def test_a_bad_profile_is_refused_with_the_file_and_the_key(text: str, words: list[str]) -> None:
    """Every mistake names the file, the line and the key, and is a user error (exit 2), not a crash."""
    with pytest.raises(ProfileError) as raised:
        load_profile(text, "grammars/bad.toml")
    message = str(raised.value)
    for word in words:
        assert word in message, message
    assert isinstance(raised.value, MergekitError)
