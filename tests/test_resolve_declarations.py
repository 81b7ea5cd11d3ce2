"""Properties of declaration containers (issue 17), over random sets of new declarations.

Both sides add functions, methods, tests or components at random places among the existing
ones; some names are added by both sides, with the same body or a different one. The result is
either clean — it parses, holds every declaration exactly once, each with a body one side wrote —
or a conflict on a shared name: some name was added by both sides (always when with different
bodies). New declarations with distinct names are always merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mergekit.resolve import resolve_file
from mergekit.resolve.linemerge import line_merge
from mergekit.resolve.profiles import profile_for
from mergekit.resolve.regions import Diffs, git_regions
from mergekit.resolve.syntax import error_count, parse

SOME = settings(max_examples=30, deadline=None)

Decl = tuple[str, int]
"""A declaration: its name and which of two bodies it has."""


@dataclass(frozen=True)
class Form:
    """How one language writes a list of declarations inside its container, and reads them back."""

    path: str
    render: Callable[[list[Decl]], str]
    pattern: str
    """A regular expression whose groups are (name, body number) for each declaration."""


def _python_module(decls: list[Decl]) -> str:
    return "import os\n" + "".join(f"\n\ndef {n}():\n    return os.sep * {b}\n" for n, b in decls)


def _python_class(decls: list[Decl]) -> str:
    methods = "".join(f"\n    def {n}(self):\n        return self.value * {b}\n" for n, b in decls)
    return f"class Service:\n    value = 1\n{methods}"


def _rust_tests(decls: list[Decl]) -> str:
    tests = "".join(
        f"\n    #[test]\n    fn {n}() {{\n        assert_eq!(add({b}, 0), {b});\n    }}\n" for n, b in decls
    )
    head = "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n"
    head += "#[cfg(test)]\nmod tests {\n    use super::*;\n"
    return f"{head}{tests}}}\n"


def _ts_class(decls: list[Decl]) -> str:
    methods = "".join(f"\n  {n}(): number {{\n    return this.value * {b};\n  }}\n" for n, b in decls)
    return f"export class Service {{\n  private value = 1;\n{methods}}}\n"


def _ts_describe(decls: list[Decl]) -> str:
    calls = "".join(f"\n  it('{n}', () => {{\n    expect(add({b}, 0)).toBe({b});\n  }});\n" for n, b in decls)
    return f"import {{ add }} from './add';\n\ndescribe('add', () => {{{calls}}});\n"


def _go_funcs(decls: list[Decl]) -> str:
    return "package store\n" + "".join(f"\nfunc {n}() int {{\n\treturn {b}\n}}\n" for n, b in decls)


def _each(head: str, entry: str, tail: str = "") -> Callable[[list[Decl]], str]:
    """A file written as `head`, one `entry` (with `{n}` and `{b}`) per declaration, then `tail`."""

    def render(decls: list[Decl]) -> str:
        return head + "".join(entry.replace("{n}", n).replace("{b}", str(b)) for n, b in decls) + tail

    return render


FORMS = {
    "python-module": Form("app/views.py", _python_module, r"def (\w+)\(\):\n    return os\.sep \* (\d)"),
    "python-class": Form("app/svc.py", _python_class, r"def (\w+)\(self\):\n +return self\.value \* (\d)"),
    "rust-mod-tests": Form("src/add.rs", _rust_tests, r"fn (\w+)\(\) \{\n        assert_eq!\(add\((\d), 0\)"),
    "ts-class": Form("src/service.ts", _ts_class, r"  (\w+)\(\): number \{\n    return this\.value \* (\d)"),
    "ts-describe": Form("src/add.test.ts", _ts_describe, r"it\('(\w+)', \(\) => \{\n    expect\(add\((\d)"),
    "go-funcs": Form("store/funcs.go", _go_funcs, r"func (\w+)\(\) int \{\n\treturn (\d)"),
    # the declaration containers of the other languages (issue 18)
    "java-class": Form(
        "src/main/java/app/Service.java",
        _each("package app;\n\npublic class Service {\n    private int value = 1;\n",
              "\n    @Test\n    public int {n}() {\n        return value * {b};\n    }\n", "}\n"),
        r"public int (\w+)\(\) \{\n        return value \* (\d)",
    ),
    "kotlin-class": Form(
        "src/main/kotlin/app/Service.kt",
        _each("package app\n\nclass Service {\n    val value = 1\n",
              "\n    fun {n}(): Int {\n        return value * {b}\n    }\n", "}\n"),
        r"fun (\w+)\(\): Int \{\n        return value \* (\d)",
    ),
    "kotlin-top-level": Form(
        "src/main/kotlin/app/Funcs.kt",
        _each("package app\n\nimport kotlin.math.max\n", "\nfun {n}() = max({b}, 0)\n"),
        r"fun (\w+)\(\) = max\((\d)",
    ),
    "csharp-class": Form(
        "src/App/Service.cs",
        _each("namespace App;\n\npublic class Service\n{\n    private int _value = 1;\n",
              "\n    [Fact]\n    public int {n}()\n    {\n        return _value * {b};\n    }\n", "}\n"),
        r"public int (\w+)\(\)\n    \{\n        return _value \* (\d)",
    ),
    "php-class": Form(
        "app/Service.php",
        _each("<?php\n\nclass Service\n{\n    private int $value = 1;\n",
              "\n    public function {n}(): int\n    {\n        return $this->value * {b};\n    }\n", "}\n"),
        r"function (\w+)\(\): int\n    \{\n        return \$this->value \* (\d)",
    ),
    "php-functions": Form(
        "app/helpers.php",
        _each("<?php\n", "\nfunction {n}(): int\n{\n    return {b};\n}\n"),
        r"function (\w+)\(\): int\n\{\n    return (\d)",
    ),
    "ruby-class": Form(
        "app/models/service.rb",
        _each("class Service\n  has_many :items\n", "\n  def {n}\n    items.size * {b}\n  end\n", "end\n"),
        r"def (\w+)\n    items\.size \* (\d)",
    ),
    "swift-struct": Form(
        "Sources/App/Service.swift",
        _each("struct Service {\n    let value = 1\n",
              "\n    @MainActor\n    func {n}() -> Int {\n        value * {b}\n    }\n", "}\n"),
        r"func (\w+)\(\) -> Int \{\n        value \* (\d)",
    ),
    "swift-top-level": Form(
        "Sources/App/Funcs.swift",
        _each("import Foundation\n", "\nfunc {n}() -> Int {\n    {b}\n}\n"),
        r"func (\w+)\(\) -> Int \{\n    (\d)",
    ),
    "elixir-module": Form(
        "lib/app/service.ex",
        _each("defmodule App.Service do\n  alias App.Repo\n",
              "\n  @doc false\n  def {n}, do: Repo.value() * {b}\n", "end\n"),
        r"def (\w+), do: Repo\.value\(\) \* (\d)",
    ),
    "scala-object": Form(
        "src/main/scala/app/Service.scala",
        _each("object Service {\n  val value = 1\n", "\n  def {n}: Int = value * {b}\n", "}\n"),
        r"def (\w+): Int = value \* (\d)",
    ),
    "dart-class": Form(
        "lib/service.dart",
        _each("class Service {\n  final value = 1;\n", "\n  @override\n  int {n}() => value * {b};\n", "}\n"),
        r"int (\w+)\(\) => value \* (\d)",
    ),
    "cpp-functions": Form(
        "src/service.cpp",
        _each('#include "service.hpp"\n', "\nint {n}() {\n    return {b};\n}\n"),
        r"int (\w+)\(\) \{\n    return (\d)",
    ),
    "c-functions": Form(
        "src/service.c",
        _each('#include "service.h"\n', "\nint {n}(void) {\n    return {b};\n}\n"),
        r"int (\w+)\(void\) \{\n    return (\d)",
    ),
    "lua-functions": Form(
        "lua/app/service.lua",
        _each("local M = {}\n", "\nfunction M.{n}()\n  return {b}\nend\n", "\nreturn M\n"),
        r"function M\.(\w+)\(\)\n  return (\d)",
    ),
    "bash-functions": Form(
        "scripts/service.sh",
        _each("#!/bin/sh\nset -e\n", "\n{n}() {\n  echo {b}\n}\n"),
        r"(\w+)\(\) \{\n  echo (\d)",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Additions:
    """A base list of declarations and the two sides' lists after their insertions."""

    base: list[Decl]
    ours: list[Decl]
    theirs: list[Decl]


@st.composite
def additions(draw: st.DrawFn) -> Additions:
    """Each side inserts up to three declarations (from a small pool of names, one of two bodies)
    at random places between the base ones."""
    base = [(f"existing{i}", 1) for i in range(draw(st.integers(1, 3)))]
    sides = []
    for _ in range(2):
        names = draw(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), max_size=3, unique=True))
        side = list(base)
        for name in names:
            side.insert(draw(st.integers(0, len(side))), (name, draw(st.integers(1, 2))))
        sides.append(side)
    return Additions(base, sides[0], sides[1])


def _added(base: list[Decl], side: list[Decl]) -> dict[str, int]:
    return {n: b for n, b in side if (n, b) not in base}


@pytest.mark.parametrize("form_name", sorted(FORMS))
@SOME
@given(edit=additions())
def test_new_declarations_merge_once_each_or_conflict_on_a_shared_name(
    form_name: str, edit: Additions
) -> None:
    """Clean: parses, every declaration once with a body one side wrote. Conflict: only on a name
    both sides added, and always when they gave it two bodies."""
    form = FORMS[form_name]
    result = resolve_file(
        form.render(edit.base).encode(),
        form.render(edit.ours).encode(),
        form.render(edit.theirs).encode(),
        form.path,
    )
    ours, theirs = _added(edit.base, edit.ours), _added(edit.base, edit.theirs)
    clash = any(n in theirs and theirs[n] != b for n, b in ours.items())
    if not result.clean:
        assert set(ours) & set(theirs), [h.reason for h in result.hunks]
        return
    assert not clash, result.merged.decode()
    profile = profile_for(form.path)
    assert profile is not None
    assert error_count(parse(profile.grammar, result.merged)) == 0, result.merged.decode()
    found = re.findall(form.pattern, result.merged.decode())
    names = [n for n, _ in found]
    assert sorted(names) == sorted({n for n, _ in edit.base} | set(ours) | set(theirs)), (
        result.merged.decode()
    )
    written = {(n, str(b)) for n, b in [*edit.base, *ours.items(), *theirs.items()]}
    assert set(found) <= written


def test_a_hunk_inside_what_both_sides_inserted_is_placed_where_they_inserted_it() -> None:
    """git's hunk can begin and end inside the lines each side added (here: inside two methods
    added before the same one, after an annotation line they share). Its place in base is next to
    where the sides inserted them, not the end of the file, so the union sees the right children."""
    form = FORMS["java-class"]
    base = [("existing0", 1), ("existing1", 1), ("existing2", 1)]
    ours = [("beta", 1), ("existing0", 1), ("existing1", 1), ("delta", 1), ("existing2", 1)]
    theirs = [("existing0", 1), ("gamma", 1), ("existing1", 1), ("alpha", 2), ("existing2", 1)]
    texts = [form.render(side).encode() for side in (base, ours, theirs)]
    diffs = Diffs.of(texts[0], texts[1], texts[2])
    regions = git_regions(line_merge(texts[0], texts[1], texts[2]).merged, 7, diffs)
    assert regions is not None and len(regions) == 1
    (region,) = regions
    last = texts[0].index(b"\n    @Test\n    public int existing2")
    assert region.base[0] <= last and region.base[1] < len(texts[0]), region  # not the file's end
    result = resolve_file(texts[0], texts[1], texts[2], form.path)
    assert result.clean, [h.reason for h in result.hunks]
    names = [n for n, _ in re.findall(form.pattern, result.merged.decode())]
    assert names == ["beta", "existing0", "gamma", "existing1", "delta", "alpha", "existing2"]
