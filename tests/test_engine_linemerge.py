"""libgit2's in-process line merge gives exactly `git merge-file`'s output (merge style)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from mergekit.engine.linemerge import merge_texts
from mergekit.resolve import Labels, line_merge, resolve_file
from tests.helpers.gitmerge import git_merge_file


def _variants(seed: int) -> tuple[bytes, bytes, bytes]:
    rng = random.Random(seed)
    base = [f"line {i} {rng.choice(['a', 'b', 'c'])}\n" for i in range(rng.randint(0, 40))]
    sides = []
    for _ in range(2):
        side = list(base)
        for _ in range(rng.randint(0, 6)):
            op = rng.random()
            at = rng.randint(0, len(side))
            if op < 0.4:
                side.insert(at, f"new {rng.randint(0, 9)}\n")
            elif op < 0.7 and side:
                side[min(at, len(side) - 1)] = f"changed {rng.randint(0, 9)}\n"
            elif side:
                del side[min(at, len(side) - 1)]
        sides.append(side)
    return "".join(base).encode(), "".join(sides[0]).encode(), "".join(sides[1]).encode()


@pytest.mark.parametrize("seed", range(60))
def test_same_output_as_git_merge_file(seed: int, tmp_path: Path, git_env: dict[str, str]) -> None:
    base, ours, theirs = _variants(seed)
    marker = 7 + seed % 3
    opts = (f"--marker-size={marker}", "-L", "mine", "-L", "old", "-L", "yours")
    code, git = git_merge_file(tmp_path, git_env, base, ours, theirs, *opts)
    merged, clean = merge_texts(base, ours, theirs, "mine", "old", "yours", marker)
    assert merged == git
    assert clean == (code == 0)


def test_line_merge_uses_the_line_merger_with_the_same_result() -> None:
    base, ours, theirs = b"a\nb\nc\n", b"a\nx\nb\nc\n", b"a\ny\nb\nc\n"
    labels = Labels("ours", "base", "theirs")
    calls: list[bytes] = []

    def counting(*args: Any) -> tuple[bytes, bool]:
        calls.append(args[1])
        return merge_texts(*args)

    by_process = line_merge(base, ours, theirs, labels=labels)
    in_process = line_merge(base, ours, theirs, labels=labels, line_merger=counting)
    assert in_process == by_process
    assert in_process.conflicts == 1
    assert calls == [ours]  # the line merger ran, once; no other call used it
    assert line_merge(base, ours, theirs, labels=labels) == by_process and calls == [ours]


def test_resolve_file_passes_its_line_merger_down() -> None:
    """`resolve_file(line_merger=...)` merges with that line merger, and leaves no switch behind."""
    base = b"export * from './a';\n"
    ours, theirs = base + b"export * from './b';\n", base + b"export * from './c';\n"
    calls: list[bytes] = []

    def counting(*args: Any) -> tuple[bytes, bool]:
        calls.append(args[1])
        return merge_texts(*args)

    result = resolve_file(base, ours, theirs, "src/index.ts", line_merger=counting)
    assert result.clean and calls
    count = len(calls)
    assert resolve_file(base, ours, theirs, "src/index.ts") == result and len(calls) == count
