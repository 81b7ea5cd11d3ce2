"""The resolver's explicit state: its bounded caches, and the per-file time limit in every phase.

No timing is asserted: the limit is set to zero seconds (every deadline check fails at once) and
the huge inputs are checked for their outcome, not their duration.
"""

from __future__ import annotations

from typing import Any

import pytest

from mergekit.resolve import ResolverCache, resolve_file, syntax
from mergekit.resolve import resolver as resolver_module
from mergekit.resolve.cache import Bounded

BARREL = "".join(f"export * from './m{i}';\n" for i in range(40))


def _sides() -> tuple[bytes, bytes, bytes]:
    return (
        BARREL.encode(),
        (BARREL + "export * from './a';\n").encode(),
        (BARREL + "export * from './b';\n").encode(),
    )


def test_bounded_keeps_the_most_recently_used_entries() -> None:
    table: Bounded[str, int] = Bounded(2)
    table.put("a", 1)
    table.put("b", 2)
    assert table.get("a") == 1  # a is now the most recent
    table.put("c", 3)
    assert table.get("b") is None and table.get("a") == 1 and table.get("c") == 3
    assert len(table) == 2


def test_a_shared_cache_gives_the_same_answer_and_stays_bounded() -> None:
    cache = ResolverCache(versions=3)
    base, ours, theirs = _sides()
    alone = resolve_file(base, ours, theirs, "src/index.ts")
    for n in range(4):
        shared = resolve_file(base, ours + f"// {n}\n".encode(), theirs, "src/index.ts", cache=cache)
        assert shared.clean
    again = resolve_file(base, ours, theirs, "src/index.ts", cache=cache)
    assert again == alone and alone.clean
    assert len(cache.trees) <= 3 and len(cache.containers) <= 3


def test_only_a_cache_the_caller_passes_is_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a cache argument every call parses its versions afresh (no hidden module state);
    with one, a second call on the same versions parses none of them again (only the texts the call
    makes, such as the merged result, which are kept apart so as not to push the versions out)."""
    parses: list[bytes] = []
    real = syntax._parser

    class Counting:
        def __init__(self, parser: Any) -> None:
            self.parser = parser

        def parse(self, data: bytes) -> Any:
            parses.append(data)
            return self.parser.parse(data)

    monkeypatch.setattr(syntax, "_parser", lambda grammar: Counting(real(grammar)))
    base, ours, theirs = _sides()
    resolve_file(base, ours, theirs, "src/index.ts")
    first = len(parses)
    resolve_file(base, ours, theirs, "src/index.ts")
    assert first > 0 and len(parses) == 2 * first
    cache = ResolverCache()
    resolve_file(base, ours, theirs, "src/index.ts", cache=cache)
    before = len(parses)
    resolve_file(base, ours, theirs, "src/index.ts", cache=cache)
    again = parses[before:]
    assert not {base, ours, theirs} & set(again) and len(again) < before - first * 2, again


DEEP = (
    "[" * 2000 + "1" + "]" * 2000 + "\n",
    "[" * 2000 + "1, 2" + "]" * 2000 + "\n",
    "[" * 2000 + "0, 1" + "]" * 2000 + "\n",
)
NUMBERS = ", ".join(map(str, range(5000)))
ONE_LINE = (f"[{NUMBERS}]\n", f"[{NUMBERS}, 9001]\n", f"[{NUMBERS}, 9002]\n")


@pytest.mark.parametrize(
    ("path", "sides"),
    [("d.json", DEEP), ("a.json", ONE_LINE), ("src/index.ts", tuple(s.decode() for s in _sides()))],
    ids=["2000-deep-json", "one-line-array", "barrel"],
)
def test_past_the_time_limit_git_line_merge_is_returned(
    path: str, sides: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no time left, every input falls back to git's own line merge, with the reason."""
    base, ours, theirs = (s.encode() for s in sides)
    unlimited = resolve_file(base, ours, theirs, path)
    assert unlimited.clean and unlimited.rule is not None
    monkeypatch.setattr(resolver_module, "TIME_LIMIT", 0.0)
    limited = resolve_file(base, ours, theirs, path)
    assert not limited.clean and limited.rule is None
    assert limited.fallback is not None and "longer than" in limited.fallback
    assert b"<<<<<<<" in limited.merged
