"""The resolver's properties (tests/helpers/properties.py) over the other languages' profiles.

(a) Both sides only inserted entries into a list-like container: clean, every entry exactly once,
    base order kept, the file laid out as the language writes it, and it re-parses.
(b) Both sides changed, deleted or added keys of a keyed container, touching at least one key
    both: never clean unless the sides agree, and a clean result holds git's per-key answer.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given

from mergekit.resolve.profiles import profile_for
from tests.helpers.properties import (
    FEW,
    SOME,
    AppendOnly,
    ListFormat,
    MapFormat,
    Overlap,
    append_only,
    check_append_only,
    check_overlap,
    overlapping,
)


def _list(path: str, head: str, entry: str, tail: str, sep: str = "", last: str | None = None) -> ListFormat:
    """A list written as `head`, one `entry` (with `{n}`) per item joined by `sep`, then `tail`.

    `last` is the last entry's form when it differs (no trailing separator). Reading checks that
    the text is exactly what rendering the names read back gives.
    """

    def render(names: list[str]) -> bytes:
        lines = [entry.replace("{n}", n) for n in names]
        if last is not None and lines:
            lines[-1] = last.replace("{n}", names[-1])
        return (head + sep.join(lines) + tail).encode()

    pattern = re.compile("^" + re.escape(entry.split("{n}")[0]) + r"(m\d+)", re.M)

    def read(data: bytes) -> list[str]:
        names = pattern.findall(data.decode())
        assert render(names) == data, data.decode()
        return names

    return ListFormat(path, render, read)


LISTS: dict[str, ListFormat] = {
    "java-enum": _list("src/E.java", "enum E {\n", "    {n},\n", "}\n"),
    "kotlin-gradle": _list(
        "build.gradle.kts", "dependencies {\n", '    implementation("org.acme:{n}:1.0")\n', "}\n"
    ),
    "gradle-groovy": _list(
        "build.gradle", "dependencies {\n", "    implementation 'org.acme:{n}:1.0'\n", "}\n"
    ),
    "scala-sbt": _list(
        "build.sbt", "libraryDependencies ++= Seq(\n", '  "org.acme" %% "{n}" % "1.0"', "\n)\n", ",\n"
    ),
    "csharp-enum": _list("src/E.cs", "enum E\n{\n", "    {n},\n", "}\n"),
    "msbuild": _list(
        "src/App.csproj", "<Project>\n  <ItemGroup>\n", '    <PackageReference Include="{n}" />\n',
        "  </ItemGroup>\n</Project>\n",
    ),
    "maven-modules": _list(
        "pom.xml", "<project>\n  <modules>\n", "    <module>{n}</module>\n", "  </modules>\n</project>\n"
    ),
    "php-array": _list("config/app.php", "<?php\n\nreturn [\n", "    '{n}',\n", "];\n"),
    "gemfile": _list("Gemfile", 'source "https://rubygems.org"\n', 'gem "{n}"\n', ""),
    "mix-deps": _list(
        "mix.exs", "defmodule M do\n  defp deps do\n    [\n", '      {:{n}, "~> 1.0"}',
        "\n    ]\n  end\nend\n", ",\n",
    ),
    "lua-table": _list("lua/list.lua", "return {\n", '  "{n}",\n', "}\n"),
    "bash-array": _list("scripts/x.sh", "X=(\n", "  {n}\n", ")\n"),
    "c-enum": _list("src/e.h", "enum e {\n", "    {n},\n", "};\n"),
    "cpp-includes": _list("src/a.cpp", "", '#include "{n}.h"\n', ""),
    "swift-array": _list("Sources/A/x.swift", "let xs = [\n", '    "{n}",\n', "]\n"),
    "dart-list": _list("lib/x.dart", "const xs = [\n", "  '{n}',\n", "];\n"),
    "css-properties": _list("src/a.css", ":root {\n", "  --{n}: 1px;\n", "}\n"),
    "scss-uses": _list("src/a.scss", "", '@use "{n}";\n', ""),
    "less-imports": _list("src/a.less", "", '@import "{n}.less";\n', ""),
    "html-ids": _list("index.html", '<ul id="menu">\n', '  <li id="{n}">x</li>\n', "</ul>\n"),
    "sql-columns": _list("db/schema.sql", "CREATE TABLE t (\n", "    {n} TEXT", "\n);\n", ",\n"),
    "hcl-tuple": _list("main.tf", "locals {\n  xs = [\n", '    "{n}",\n', "  ]\n}\n"),
    "dockerfile-env": _list("Dockerfile", "FROM scratch\n", "ENV {n}=1\n", ""),
    # distinct recipe lines: with identical ones git aligns the inserted rules differently
    "make-rules": _list("Makefile", "", "{n}:\n\techo {n}\n", ""),
    "dotenv": _list(".env", "", "{n}=1\n", ""),
    "properties": _list("app.properties", "", "{n}=1\n", ""),
    "ini-section": _list("setup.cfg", "[s]\n", "{n} = 1\n", ""),
    "ini-multiline-value": _list("setup.cfg", "[options]\ninstall_requires =\n", "    {n}>=1\n", "x = 1\n"),
    "graphql-fields": _list("schema.graphql", "type T {\n", "  {n}: Int\n", "}\n"),
    "changelog-bullets": _list("CHANGES.rst", "Unreleased\n----------\n\n", "- {n} was added.\n", ""),
    "authors-names": _list("AUTHORS", "", "{n} <{n}@example.org>\n", ""),
    "android-strings": _list(
        "res/values/strings.xml", "<resources>\n", '    <string name="{n}">x</string>\n', "</resources>\n"
    ),
}  # fmt: skip


@pytest.mark.parametrize("fmt", sorted(LISTS))
@FEW
@given(edit=append_only())
def test_append_only_edits_union_every_element_once(fmt: str, edit: AppendOnly) -> None:
    """Both sides only added: clean, each element once, base order kept, and the result parses."""
    form = LISTS[fmt]
    profile = profile_for(form.path)
    assert profile is not None
    check_append_only(form, edit, reparse=profile.grammar != "lines")


def _map(path: str, head: str, entry: str, tail: str) -> MapFormat:
    """A key → int mapping written as `head`, one `entry` (with `{k}` and `{v}`) per key, `tail`."""

    def render(pairs: list[tuple[str, int]]) -> bytes:
        body = "".join(entry.replace("{k}", k).replace("{v}", str(v)) for k, v in pairs)
        return (head + body + tail).encode()

    regex = re.escape(entry).replace(re.escape("{k}"), r"(?P<k>\w+)", 1).replace(re.escape("{k}"), "(?P=k)")
    pattern = re.compile(regex.replace(re.escape("{v}"), r"(?P<v>\d+)"))

    def read(data: bytes) -> dict[str, int]:
        text = data.decode()
        assert text.startswith(head) and text.endswith(tail), text
        pairs = [(m["k"], int(m["v"])) for m in pattern.finditer(text)]
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), text
        assert render(pairs) == data, text
        return dict(pairs)

    return MapFormat(path, render, read)


MAPS: dict[str, MapFormat] = {
    "dotenv": _map(".env", "", "{k}={v}\n", ""),
    "properties": _map("app.properties", "", "{k}={v}\n", ""),
    "ini-section": _map("setup.cfg", "[s]\n", "{k} = {v}\n", ""),
    "ini-requirements": _map("setup.cfg", "[options]\ninstall_requires =\n", "    {k}=={v}\n", ""),
    "hcl-attributes": _map("main.tf", 'resource "a" "b" {\n', "  {k} = {v}\n", "}\n"),
    "hcl-object": _map("main.tf", "locals {\n  tags = {\n", "    {k} = {v}\n", "  }\n}\n"),
    "css-block": _map("a.css", ".a {\n", "  --{k}: {v}px;\n", "}\n"),
    "lua-table": _map("config.lua", "return {\n", "  {k} = {v},\n", "}\n"),
    "php-array": _map("config/app.php", "<?php\n\nreturn [\n", "    '{k}' => {v},\n", "];\n"),
    "dart-map": _map("lib/m.dart", "const m = {\n", "  '{k}': {v},\n", "};\n"),
    "ruby-hash": _map("lib/m.rb", "M = {\n", "  {k}: {v},\n", "}\n"),
    "make-variables": _map("Makefile", "", "{k} := {v}\n", ""),
    "maven-properties": _map(
        "pom.xml", "<project>\n  <properties>\n", "    <{k}>{v}</{k}>\n", "  </properties>\n</project>\n"
    ),
    "android-integers": _map(
        "res/values/ints.xml", "<resources>\n", '    <integer name="{k}">{v}</integer>\n', "</resources>\n"
    ),
    "graphql-fields": _map("schema.graphql", "type T {\n", "  {k}: Int{v}\n", "}\n"),
    # members of the declaration containers keyed by name, their value the value (written without
    # blank lines: between blank-line separated entries git's own line merge may align a deleted
    # entry with a changed one and call the merge clean)
    "java-fields": _map("src/A.java", "class A {\n", "    int {k} = {v};\n", "}\n"),
    "kotlin-properties": _map("src/a.kt", "package a\n", "val {k} = {v}\n", ""),
    "csharp-properties": _map("src/A.cs", "class A\n{\n", "    public int {k} => {v};\n", "}\n"),
    "php-properties": _map("src/A.php", "<?php\nclass A\n{\n", "    public int ${k} = {v};\n", "}\n"),
    "ruby-macros": _map("lib/a.rb", "class A\n", "  scope :{k}, -> { limit({v}) }\n", "end\n"),
    "swift-properties": _map("Sources/a.swift", "struct A {\n", "    var {k} = {v}\n", "}\n"),
    "elixir-defs": _map("lib/a.ex", "defmodule A do\n", "  def {k}, do: {v}\n", "end\n"),
    "scala-vals": _map("src/a.scala", "object A {\n", "  val {k}: Int = {v}\n", "}\n"),
    "dart-fields": _map("lib/a.dart", "class A {\n", "  final {k} = {v};\n", "}\n"),
    "c-functions": _map("src/a.c", "", "int {k}(void) { return {v}; }\n", ""),
    "cpp-members": _map("src/a.hpp", "struct A {\n", "    int {k}() const { return {v}; }\n", "};\n"),
    "lua-functions": _map("lua/a.lua", "local M = {}\n", "function M.{k}() return {v} end\n", ""),
    "bash-functions": _map("bin/a.sh", "set -e\n", "{k}() { echo {v}; }\n", ""),
}  # fmt: skip


@pytest.mark.parametrize("fmt", sorted(MAPS))
@SOME
@given(edit=overlapping())
def test_overlapping_edits_are_clean_only_when_the_sides_agree(fmt: str, edit: Overlap) -> None:
    """A key both sides changed (or deleted vs changed, or added) differently is never clean."""
    check_overlap(MAPS[fmt], edit)


def test_the_formats_cover_the_new_profiles() -> None:
    """Every format routes to the profile it is meant for (a typo in a path would test nothing)."""
    covered = set()
    paths = [(name, form.path) for name, form in LISTS.items()] + [(n, f.path) for n, f in MAPS.items()]
    for name, path in paths:
        profile = profile_for(path)
        assert profile is not None, name
        covered.add(profile.name)
    assert covered >= {
        "java", "kotlin", "gradle", "scala", "csharp", "msbuild", "maven", "php", "ruby", "elixir", "lua",
        "bash", "c", "cpp", "swift", "dart", "css", "scss", "less", "html", "sql", "hcl", "dockerfile",
        "make", "dotenv", "properties", "ini", "graphql", "android-resources", "changelog", "authors",
    }  # fmt: skip
