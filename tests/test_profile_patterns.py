"""Profile keys given by patterns: `sig_pattern` on tree children, `item_pattern` and
`section_pattern` on line-per-entry files.

These let a profile key a child by text the grammar does not split into fields (a Maven
dependency's groupId and artifactId, a Gradle coordinate) and keep a line-per-entry file with
structure (INI sections, GraphQL types) from being unioned across its structure.
"""

from __future__ import annotations

from mergekit.resolve import resolve_file, syntax
from mergekit.resolve.items import build, lines_container, pattern_key, signature
from mergekit.resolve.profiles import Container, profile_for


def _lines(sig_pattern: str = "", item_pattern: str = "", section_pattern: str = "") -> Container:
    return Container(
        name="lines", description="lines", node=(), children=(), comment_prefix="#",
        sig_pattern=sig_pattern, item_pattern=item_pattern, section_pattern=section_pattern,
    )  # fmt: skip


def test_pattern_key_joins_the_groups_that_took_part() -> None:
    pattern = r"<groupId>\s*([^<]*?)\s*</groupId>.*?<artifactId>\s*([^<]*?)\s*</artifactId>|<module>(.*?)<"
    assert pattern_key(pattern, "<groupId>org.x</groupId> <artifactId>y</artifactId>") == "org.x|y"
    assert pattern_key(pattern, "<module>core</module>") == "core"
    assert pattern_key(pattern, "<parent/>") is None
    assert pattern_key(r"^\w+=", "KEY=1") == "KEY="


def test_sig_pattern_keys_tree_children_before_field_paths() -> None:
    """A Gradle-like coordinate is keyed by group and artifact, not by its version."""
    spec = Container(
        name="array", description="array", node=("array",), children=(), separator=",",
        signature=("0",), sig_pattern=r'"([^:"]+):([^:"]+):',
    )  # fmt: skip
    root = syntax.parse("tree_sitter_json:language", b'["org.x:y:1.0", "org.x:y:2.0", "plain"]')
    (array,) = root.named_children
    keys = [signature(child, spec) for child in array.named_children]
    assert keys == ["string:org.x|y", "string:org.x|y", "string:plain"]


def test_item_pattern_marks_other_lines_as_structure() -> None:
    data = b"type A {\n  id: ID!\n  name: String\n}\n"
    found = lines_container(_lines(item_pattern=r"^\w+\s*:"), data)
    assert [(i.key, i.union) for i in found.items] == [
        ("type A {", False),
        ("id: ID!", True),
        ("name: String", True),
        ("}", False),
    ]


def test_section_pattern_scopes_keys_and_identities() -> None:
    data = b"[a]\nx = 1\n\n[b]\nx = 1\ny = 2\n"
    spec = _lines(sig_pattern=r"^([\w.-]+)\s*=", section_pattern=r"^\[")
    found = lines_container(spec, data)
    assert [(i.key, i.sig, i.union) for i in found.items] == [
        ("[a]", None, False),
        ("[a] x = 1", "line:[a]/x", True),
        ("[b]", None, False),
        ("[b] x = 1", "line:[b]/x", True),
        ("[b] y = 2", "line:[b]/y", True),
    ]
    assert b"".join(i.render() for i in found.items) + found.closing == data


def test_the_same_line_added_to_two_sections_is_kept_in_both() -> None:
    """A clean merge that adds `x = 1` to two different sections keeps both (no dedupe across sections)."""
    base = b"[a]\nk = 0\n\n[b]\nk = 0\n"
    ours = b"[a]\nk = 0\nx = 1\n\n[b]\nk = 0\n"
    theirs = b"[a]\nk = 0\n\n[b]\nk = 0\nx = 1\n"
    result = resolve_file(base, ours, theirs, "settings.ini")
    assert result.clean and result.merged == b"[a]\nk = 0\nx = 1\n\n[b]\nk = 0\nx = 1\n"


def test_one_key_two_values_is_a_clash_only_within_one_section() -> None:
    """`x` given 1 in `[a]` and 2 in `[b]` merges; `x` given 1 and 2 in `[a]` is a conflict, though
    git's line merge is clean (the insertions sit on either side of `m = 0`)."""
    base = b"[a]\nk = 0\nm = 0\n\n[b]\nk = 0\n"
    ours = b"[a]\nk = 0\nx = 1\nm = 0\n\n[b]\nk = 0\n"
    two_sections = resolve_file(base, ours, b"[a]\nk = 0\nm = 0\n\n[b]\nk = 0\nx = 2\n", "settings.ini")
    assert two_sections.clean
    assert two_sections.merged == b"[a]\nk = 0\nx = 1\nm = 0\n\n[b]\nk = 0\nx = 2\n"
    one_section = resolve_file(base, ours, b"[a]\nk = 0\nm = 0\nx = 2\n\n[b]\nk = 0\n", "settings.ini")
    assert not one_section.clean
    assert b"x = 1\n=======\nx = 2\n" in one_section.merged


def test_scope_puts_the_enclosing_block_into_a_containers_identity() -> None:
    """Two Terraform blocks' bodies start on lines of their own: `scope` tells them apart."""
    data = b'resource "a" "x" {\n  timeout = 1\n}\n\nresource "a" "y" {\n  timeout = 2\n}\n'
    root = syntax.parse("tree_sitter_hcl:language", data)
    plain = Container(name="body", description="body", node=("body",), children=("attribute",))
    scoped = Container(
        name="body", description="body", node=("body",), children=("attribute",), scope=("block",)
    )
    blocks = [c for c in root.named_children[0].named_children if c.type == "block"]
    inner = [next(c for c in block.named_children if c.type == "body") for block in blocks]
    assert len(inner) == 2
    hcl = profile_for("main.tf")
    assert hcl is not None
    assert len({build(n, plain, data, 2, hcl).head for n in inner}) == 1
    heads = [build(n, scoped, data, 2, hcl).head for n in inner]
    assert heads[0] != heads[1] and heads[0].endswith('@resource "a" "x" {')
