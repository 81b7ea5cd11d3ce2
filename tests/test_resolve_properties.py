"""Properties of the resolver over random edits (hypothesis).

(a) Append-only edits of a list container always union: clean, every element exactly once,
    base order kept, and the result re-parses.
(b) Overlapping edits (both sides change, delete or add the same key) are never clean unless
    both sides made the same change; a clean result holds git's per-key answer.
(c) Safety nets: binary, non-UTF-8, a BOM, inputs with conflict markers and `MERGEKIT=0` give
    exactly `git merge-file`'s output, even where the resolver would otherwise union.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mergekit.resolve import resolve_file
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
    reparses,
)


def git_merge_file(base: bytes, ours: bytes, theirs: bytes, env: dict[str, str]) -> tuple[bytes, int]:
    """`git merge-file -p` with the resolver's default labels: output and exit status."""
    with tempfile.TemporaryDirectory(prefix="mergekit-prop-") as tmp:
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            Path(tmp, name).write_bytes(data)
        proc = subprocess.run(
            ["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", "ours", "base", "theirs"],
            cwd=tmp,
            env=env,
            capture_output=True,
            check=False,
        )
    assert 0 <= proc.returncode < 128, proc.stderr
    return proc.stdout, proc.returncode


# ---------------------------------------------------------------- (a) append-only lists


def _json_read(data: bytes) -> list[str]:
    value = json.loads(data)
    assert isinstance(value, list)
    return [str(v) for v in value]


def _python_read(data: bytes) -> list[str]:
    module = ast.parse(data)
    (stmt,) = module.body
    assert isinstance(stmt, ast.Assign)
    return [str(v) for v in ast.literal_eval(stmt.value)]


def _barrel_read(data: bytes) -> list[str]:
    text = data.decode()
    names = re.findall(r"^export \* from '\./(\w+)';$", text, re.M)
    assert len(names) == len(text.splitlines())
    return names


def _lines_read(data: bytes) -> list[str]:
    return [line.split("==")[0] for line in data.decode().splitlines()]


def _yaml_read(data: bytes) -> list[str]:
    lines = data.decode().splitlines()
    assert lines[0] == "resources:"
    assert all(re.fullmatch(r"  - \w+\.yaml", line) for line in lines[1:]), lines
    return [line[4:].removesuffix(".yaml") for line in lines[1:]]


LIST_FORMATS = {
    "json-array": ListFormat(
        "config/list.json",
        lambda ns: ("[\n" + ",\n".join(f'  "{n}"' for n in ns) + "\n]\n").encode(),
        _json_read,
    ),
    "python-list": ListFormat(
        "app/settings.py",
        lambda ns: ("INSTALLED_APPS = [\n" + "".join(f'    "{n}",\n' for n in ns) + "]\n").encode(),
        _python_read,
    ),
    "ts-barrel": ListFormat(
        "src/index.ts",
        lambda ns: "".join(f"export * from './{n}';\n" for n in ns).encode(),
        _barrel_read,
    ),
    "requirements": ListFormat(
        "requirements.txt",
        lambda ns: "".join(f"{n}==1.0\n" for n in ns).encode(),
        _lines_read,
    ),
    "yaml-sequence": ListFormat(
        "k8s/kustomization.yaml",
        lambda ns: ("resources:\n" + "".join(f"  - {n}.yaml\n" for n in ns)).encode(),
        _yaml_read,
    ),
}


@pytest.mark.parametrize("fmt", sorted(LIST_FORMATS))
@FEW
@given(edit=append_only())
def test_append_only_edits_union_every_element_once(fmt: str, edit: AppendOnly) -> None:
    """Both sides only added: clean, each element once, base order kept, and the result parses."""
    form = LIST_FORMATS[fmt]
    check_append_only(form, edit, reparse=profile_for(form.path) is not None and fmt != "requirements")


# ---------------------------------------------------------------- (b) overlapping edits


def _python_dict_read(data: bytes) -> dict[str, int]:
    (stmt,) = ast.parse(data).body
    assert isinstance(stmt, ast.Assign)
    value = ast.literal_eval(stmt.value)
    assert isinstance(value, dict)
    return {str(k): int(v) for k, v in value.items()}


def _ts_object_read(data: bytes) -> dict[str, int]:
    assert reparses("src/config.ts", data)
    lines = data.decode().splitlines()[1:-1]
    pairs = [re.fullmatch(r"  (\w+): (\d+),", line) for line in lines]
    assert all(pairs), lines
    return {m.group(1): int(m.group(2)) for m in pairs if m}


def _json_object_read(data: bytes) -> dict[str, int]:
    value = json.loads(data)
    assert isinstance(value, dict)
    return {str(k): int(v) for k, v in value.items()}


MAP_FORMATS = {
    "json-object": MapFormat(
        "config/settings.json",
        lambda kv: ("{\n" + ",\n".join(f'  "{k}": {v}' for k, v in kv) + "\n}\n").encode(),
        _json_object_read,
    ),
    "python-dict": MapFormat(
        "app/settings.py",
        lambda kv: ("LIMITS = {\n" + "".join(f'    "{k}": {v},\n' for k, v in kv) + "}\n").encode(),
        _python_dict_read,
    ),
    "ts-object": MapFormat(
        "src/config.ts",
        lambda kv: ("export const limits = {\n" + "".join(f"  {k}: {v},\n" for k, v in kv) + "};\n").encode(),
        _ts_object_read,
    ),
}


@pytest.mark.parametrize("fmt", sorted(MAP_FORMATS))
@SOME
@given(edit=overlapping())
def test_overlapping_edits_are_clean_only_when_the_sides_agree(fmt: str, edit: Overlap) -> None:
    """A key both sides changed (or deleted vs changed, or added) differently is never clean."""
    check_overlap(MAP_FORMATS[fmt], edit)


@st.composite
def same_element_edits(draw: st.DrawFn) -> tuple[list[str], list[str], list[str]]:
    """A list where both sides replace the same element (maybe with the same new text)."""
    k = draw(st.integers(1, 6))
    base = [f"e{i}" for i in range(k)]
    i = draw(st.integers(0, k - 1))
    new = st.sampled_from(["p", "q"])
    ours, theirs = list(base), list(base)
    ours[i], theirs[i] = f"{base[i]}{draw(new)}", f"{base[i]}{draw(new)}"
    return base, ours, theirs


@pytest.mark.parametrize("fmt", ["json-array", "python-list", "yaml-sequence"])
@FEW
@given(edit=same_element_edits())
def test_same_element_replaced_is_clean_only_when_identical(
    fmt: str, edit: tuple[list[str], list[str], list[str]]
) -> None:
    """Both sides rewrote one list entry: clean (and right) only if they wrote the same thing."""
    form = LIST_FORMATS[fmt]
    base, ours, theirs = edit
    result = resolve_file(form.render(base), form.render(ours), form.render(theirs), form.path)
    if ours == theirs:
        assert result.clean
        assert form.read(result.merged) == ours
    else:
        assert not result.clean


# ---------------------------------------------------------------- (c) safety nets


@st.composite
def barrel_both_append(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    """A TS barrel to which both sides append different exports (the resolver unions this)."""
    names = draw(st.lists(st.sampled_from([f"m{i}" for i in range(12)]), min_size=3, max_size=6, unique=True))
    n = draw(st.integers(1, len(names) - 2))
    render = LIST_FORMATS["ts-barrel"].render
    base = names[:n]
    return render(base), render([*base, names[n]]), render([*base, *names[n + 1 :]])


PATH = "src/index.ts"


@contextmanager
def _env(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _assert_plain_git(base: bytes, ours: bytes, theirs: bytes, env: dict[str, str]) -> None:
    result = resolve_file(base, ours, theirs, PATH)
    expected, status = git_merge_file(base, ours, theirs, env)
    assert result.merged == expected
    assert result.clean == (status == 0)
    assert result.rule is None
    assert result.fallback


SAFETY_TWISTS: dict[str, Callable[[bytes], bytes]] = {
    "non-utf8": lambda data: b"// caf\xe9 cr\xe8me\n" + data,
    "bom": lambda data: b"\xef\xbb\xbf" + data,
    "markers": lambda data: b"/*\n=======\n*/\n" + data,
}


@pytest.mark.parametrize("twist", sorted(SAFETY_TWISTS))
@FEW
@given(sides=barrel_both_append())
def test_safety_nets_give_git_merge_file_output(
    twist: str, sides: tuple[bytes, bytes, bytes], git_env: dict[str, str]
) -> None:
    """A case the resolver unions is left exactly as git leaves it once the inputs are suspicious."""
    base, ours, theirs = sides
    assert resolve_file(base, ours, theirs, PATH).auto_resolved
    change = SAFETY_TWISTS[twist]
    _assert_plain_git(change(base), change(ours), change(theirs), git_env)
    # Suspicious bytes in one side only are enough.
    _assert_plain_git(base, change(ours), theirs, git_env)


@FEW
@given(sides=barrel_both_append())
def test_mergekit_0_gives_git_merge_file_output(
    sides: tuple[bytes, bytes, bytes], git_env: dict[str, str]
) -> None:
    """`MERGEKIT=0` switches the resolver off: git's own merge, markers and all."""
    base, ours, theirs = sides
    with _env("MERGEKIT", "0"):
        _assert_plain_git(base, ours, theirs, git_env)
    with _env("MERGEKIT", None):
        assert resolve_file(base, ours, theirs, PATH).auto_resolved


@FEW
@given(sides=barrel_both_append(), at=st.integers(0, 40))
def test_binary_content_is_never_merged(sides: tuple[bytes, bytes, bytes], at: int) -> None:
    """With a NUL byte the file is binary: git keeps ours and reports a conflict (no text merge)."""
    base, ours, theirs = sides

    def nul(data: bytes) -> bytes:
        cut = min(at, len(data))
        return data[:cut] + b"\0" + data[cut:]

    result = resolve_file(nul(base), nul(ours), nul(theirs), PATH)
    assert not result.clean
    assert result.merged == nul(ours)
    assert result.rule is None
    # One side unchanged: the other side's version, as git takes it.
    taken = resolve_file(nul(base), nul(base), nul(theirs), PATH)
    assert taken.clean and taken.merged == nul(theirs)
