"""Properties for the damage classes the resolver must never produce (issue 11), over random edits.

1. List entries without identity: a step both sides add with one name (or one `uses`/`run`) but
   different bodies is a conflict, never two steps; one added identically is kept once.
2. The same change on both sides keeps a comment that only one side wrote; two different
   comments are a conflict.
3. Nothing rendered is glued: every line of a clean result is a line of base, ours or theirs.
4. A registration container acts only on registrations: a statement that is not one, changed
   by both sides, is never merged by the container.
5. One object added by both sides at different places of a JSON array appears once.
6. Entries inserted at the start of an import group by both sides do not split the group.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from mergekit.resolve import resolve_file
from mergekit.resolve.profiles import profile_for
from mergekit.resolve.syntax import error_count, parse

SOME = settings(max_examples=40, deadline=None)


def _lines(data: bytes) -> set[str]:
    return set(data.decode().splitlines())


def _parses(path: str, data: bytes) -> bool:
    profile = profile_for(path)
    assert profile is not None
    return error_count(parse(profile.grammar, data)) == 0


# ---------------------------------------------------------------- 1. identity of list entries

WORKFLOW = ".github/workflows/ci.yml"
STEP_HEAD = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"


@dataclass(frozen=True)
class Step:
    """One CI step: its name and its command."""

    name: str
    run: str

    def render(self) -> str:
        return f"      - name: {self.name}\n        run: {self.run}\n"


def _workflow(steps: list[Step]) -> bytes:
    return (STEP_HEAD + "".join(s.render() for s in steps)).encode()


def _steps_of(data: bytes) -> list[tuple[str, str]]:
    return re.findall(r"- name: (\S+)\n +run: (.+)", data.decode())


@st.composite
def step_additions(draw: st.DrawFn) -> tuple[list[Step], list[Step], list[Step]]:
    """A base list of steps; each side appends steps whose names may collide with the other's."""
    base = [Step(f"base{i}", f"make base{i}") for i in range(draw(st.integers(0, 3)))]
    names = ["build", "lint", "test", "vet"]
    commands = ["make it", "make it FAST=1"]
    sides = []
    for _ in range(2):
        chosen = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
        sides.append([Step(n, draw(st.sampled_from(commands))) for n in chosen])
    return base, base + sides[0], base + sides[1]


@SOME
@given(edit=step_additions())
def test_a_step_name_is_never_held_by_two_steps(edit: tuple[list[Step], list[Step], list[Step]]) -> None:
    """Clean: each step name once, with a body one side wrote; one name, two bodies: a conflict."""
    base, ours, theirs = edit
    result = resolve_file(_workflow(base), _workflow(ours), _workflow(theirs), WORKFLOW)
    both = {s.name: s for s in ours[len(base) :]}
    clash = any(s.name in both and both[s.name] != s for s in theirs[len(base) :])
    if clash:
        assert not result.clean, result.merged.decode()
    if result.clean:
        steps = _steps_of(result.merged)
        names = [n for n, _ in steps]
        assert len(names) == len(set(names)), result.merged.decode()
        written = {(s.name, s.run) for s in ours + theirs}
        assert set(steps) <= written
        assert {s.name for s in ours + theirs} == set(names)


# ---------------------------------------------------------------- 2. comments on the same change

SETTINGS = "app/limits.py"


@st.composite
def same_change_with_comments(draw: st.DrawFn) -> tuple[bytes, bytes, bytes, str | None, str | None]:
    """Both sides set one key to the same new value; each may add a trailing comment."""
    keys = [f"k{i}" for i in range(draw(st.integers(1, 5)))]
    at = draw(st.integers(0, len(keys) - 1))
    comments = st.one_of(st.none(), st.sampled_from(["# raised", "# for imports"]))
    mine, yours = draw(comments), draw(comments)

    def render(value: int, comment: str | None) -> bytes:
        lines = []
        for n, key in enumerate(keys):
            if n == at:
                lines.append(f'    "{key}": {value},' + (f"  {comment}" if comment else ""))
            else:
                lines.append(f'    "{key}": {n},')
        return ("LIMITS = {\n" + "\n".join(lines) + "\n}\n").encode()

    return render(1, None), render(99, mine), render(99, yours), mine, yours


@SOME
@given(edit=same_change_with_comments())
def test_a_comment_one_side_wrote_is_kept(edit: tuple[bytes, bytes, bytes, str | None, str | None]) -> None:
    """Same change, comment on one side only: kept. Two different comments: a conflict."""
    base, ours, theirs, mine, yours = edit
    result = resolve_file(base, ours, theirs, SETTINGS)
    if mine and yours and mine != yours:
        assert not result.clean
    elif result.clean:
        for comment in (mine, yours):
            if comment:
                assert comment in result.merged.decode()


# ---------------------------------------------------------------- 3. nothing glued

COMPOSE = "docker-compose.yml"


@st.composite
def compose_edits(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    """A services mapping; each side changes images, adds services, or repeats a key line (often
    one side repeats the key line of a service whose image the other side changes)."""
    services = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    glue = draw(st.sampled_from([None, "ours", "theirs"]))

    def side(name: str) -> bytes:
        out = ["services:"]
        for n, service in enumerate(services):
            action = draw(st.sampled_from(["keep", "keep", "image", "repeat"]))
            if n == 0 and glue is not None:
                action = "repeat" if glue == name else "image"
            out.append(f"  {service}:")
            if action == "repeat":
                out.append(f"  {service}:")
            tag = "16" if action == "image" else "14"
            out.append(f"    image: postgres:{tag}")
        for extra in draw(st.lists(st.sampled_from(["cache", "queue"]), max_size=2, unique=True)):
            out += [f"  {extra}:", f"    image: {extra}:1"]
        return ("\n".join(out) + "\n").encode()

    base = ("services:\n" + "".join(f"  {n}:\n    image: postgres:14\n" for n in services)).encode()
    return base, side("ours"), side("theirs")


@SOME
@given(edit=compose_edits())
def test_every_line_of_a_clean_result_is_an_input_line(edit: tuple[bytes, bytes, bytes]) -> None:
    """No line of a clean result is new: nothing glued (`db:db:`), nothing garbled."""
    base, ours, theirs = edit
    result = resolve_file(base, ours, theirs, COMPOSE)
    if result.clean:
        assert _lines(result.merged) <= _lines(base) | _lines(ours) | _lines(theirs), result.merged.decode()


# ---------------------------------------------------------------- 4. registrations only

ROUTES = "api/routes.go"
CALL = re.compile(r"\tlog\.Printf\(\n(?:\t\t.*\n)*\t\)\n")


def _routes(first: str, last: str, extra: list[str]) -> bytes:
    routes = "".join(f'\tmux.HandleFunc("/{r}", {r})\n' for r in ["a", *extra])
    return (
        "package api\n\nfunc routes(mux *http.ServeMux) {\n"
        f'\tlog.Printf(\n\t\t"routes: %s %s %s",\n\t\t{first},\n\t\tmiddle,\n\t\t{last},\n\t)\n'
        + routes
        + "}\n"
    ).encode()


@st.composite
def route_edits(draw: st.DrawFn) -> tuple[tuple[str, str, list[str]], tuple[str, str, list[str]]]:
    """A function body: a multi-line log call, then registrations. Each side may change the
    call's first or last argument line, and adds routes."""
    sides = []
    for _ in range(2):
        first = draw(st.sampled_from(["name", "name", "server.Name", "cfg.Name"]))
        last = draw(st.sampled_from(["port", "port", "server.Port", "cfg.Port"]))
        extra = draw(st.lists(st.sampled_from(["b", "c", "d"]), max_size=2, unique=True))
        sides.append((first, last, extra))
    return sides[0], sides[1]


@SOME
@given(edit=route_edits())
def test_statements_that_are_not_registrations_are_merged_as_git_merges_them(
    edit: tuple[tuple[str, str, list[str]], tuple[str, str, list[str]]],
) -> None:
    """The log call in a clean result is exactly what git's line merge makes of the call alone
    (the sides without their new routes); where git conflicts on the call, no clean result."""
    (f1, l1, e1), (f2, l2, e2) = edit
    base = _routes("name", "port", [])
    result = resolve_file(base, _routes(f1, l1, e1), _routes(f2, l2, e2), ROUTES)
    alone = resolve_file(base, _routes(f1, l1, []), _routes(f2, l2, []), ROUTES)
    if not alone.clean:
        assert not result.clean, result.merged.decode()
    elif result.clean:
        assert CALL.findall(result.merged.decode()) == CALL.findall(alone.merged.decode())


# ---------------------------------------------------------------- 5. one object, two places

REDIRECTS = "vercel.json"


@st.composite
def shared_object(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    """An array of redirect objects; both sides add the same object, each at its own position,
    plus maybe an object of their own."""
    base = [{"source": f"/{i}", "destination": f"/d{i}"} for i in range(draw(st.integers(1, 5)))]
    shared = {"source": "/x", "destination": "/ex"}

    def side(own: str) -> list[dict[str, str]]:
        out = list(base)
        out.insert(draw(st.integers(0, len(out))), shared)
        if draw(st.booleans()):
            out.insert(draw(st.integers(0, len(out))), {"source": own, "destination": own + "/d"})
        return out

    def render(items: list[dict[str, str]]) -> bytes:
        body = ",\n".join("    " + json.dumps(i) for i in items)
        return ('{\n  "redirects": [\n' + body + "\n  ]\n}\n").encode()

    return render(base), render(side("/o")), render(side("/t"))


@SOME
@given(edit=shared_object())
def test_an_object_both_sides_added_appears_once(edit: tuple[bytes, bytes, bytes]) -> None:
    """Clean: the shared object once, valid JSON; or a conflict."""
    base, ours, theirs = edit
    result = resolve_file(base, ours, theirs, REDIRECTS)
    if result.clean:
        redirects = json.loads(result.merged)["redirects"]
        assert [r["source"] for r in redirects].count("/x") == 1, result.merged.decode()


# ---------------------------------------------------------------- 6. import groups stay whole

MAIN = "cmd/main.go"


@st.composite
def group_insertions(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    """A Go import block of two groups; each side adds imports anywhere in the second group, and
    uses them."""
    lib = ["log", "web"]
    pool = ["auth", "cache", "db", "mail"]

    def render(names: list[str]) -> bytes:
        imports = "".join(f'\t"github.com/acme/lib/{n}"\n' for n in sorted(names))
        uses = "".join(f"\t{n}.Use()\n" for n in sorted(names))
        return ('package main\n\nimport (\n\t"fmt"\n\t"os"\n\n' + imports + ")\n\nfunc main() {\n"
                + "\tfmt.Println(os.Args)\n" + uses + "}\n").encode()  # fmt: skip

    ours = lib + draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
    theirs = lib + draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
    return render(lib), render(ours), render(theirs)


@SOME
@given(edit=group_insertions())
def test_insertions_do_not_split_an_import_group(edit: tuple[bytes, bytes, bytes]) -> None:
    """Clean: still exactly two groups in the import block, and the file parses."""
    base, ours, theirs = edit
    result = resolve_file(base, ours, theirs, MAIN)
    if result.clean:
        block = result.merged.decode().split("import (\n", 1)[1].split(")", 1)[0]
        assert block.count("\n\n") == 1, result.merged.decode()
        assert _parses(MAIN, result.merged)
