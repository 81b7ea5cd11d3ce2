"""The pure halves of the workflow features: patch files, wrong-base findings, culprit search and
conflict regions (no git)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mergekit.errors import MergekitError
from mergekit.workflow.culprit_search import find_culprits
from mergekit.workflow.patchfile import PatchSource, is_patch_argument, read_sources, split_commits
from mergekit.workflow.regions import extract_resolutions, parse_conflicted, region_key
from mergekit.workflow.wrongbase import BranchBase, Foundation, find_base_findings

SERIES = b"""From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: =?UTF-8?q?Ren=C3=A9e=20Agent?= <renee@example.com>
Date: Tue, 3 Feb 2026 10:00:00 +0100
Subject: [PATCH 1/2] Add the
 export

Body line.
---
 a | 1 +
 1 file changed

diff --git a/a b/a
index 1111111..2222222 100644
--- a/a
+++ b/a
@@ -1 +1,2 @@
 a
+b
--
2.39.5

From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
From: Bot <bot@example.com>
Date: Tue, 3 Feb 2026 11:00:00 +0000
Subject: [PATCH 2/2] Second

---
diff --git a/a b/a
index 2222222..3333333 100644
--- a/a
+++ b/a
@@ -1,2 +1,3 @@
 a
 b
+c
"""


def test_format_patch_series_splits_into_commits_with_authors() -> None:
    first, second = split_commits(PatchSource("s.patch", SERIES))
    assert first.message == "Add the export\n\nBody line.\n"
    assert (first.author_name, first.author_email) == ("Renée Agent", "renee@example.com")
    assert first.author_time == 1770109200 and first.author_offset == 60
    assert first.diff.startswith(b"diff --git a/a b/a") and b"+b" in first.diff
    assert second.message == "Second\n" and second.author_name == "Bot"


def test_bare_diff_is_one_commit_and_non_patches_are_refused() -> None:
    (only,) = split_commits(PatchSource("x.diff", b"diff --git a/a b/a\n--- a/a\n+++ b/a\n"))
    assert only.message == "" and only.author_name is None
    with pytest.raises(MergekitError, match="holds no diff"):
        split_commits(PatchSource("x.patch", b"hello\n"))


def test_patch_arguments(tmp_path: Path) -> None:
    (tmp_path / "a.patch").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.patch").write_bytes(b"y")
    assert is_patch_argument("-", tmp_path) and is_patch_argument("a.patch", tmp_path)
    assert not is_patch_argument("missing.patch", tmp_path) and not is_patch_argument("feature/x", tmp_path)
    names = [s.name for s in read_sources(["a.patch", "sub/a.patch", "-"], tmp_path, b"z")]
    assert names == ["a.patch", "a.patch#2", "(stdin)"]
    with pytest.raises(MergekitError, match="standard input"):
        read_sources(["-"], tmp_path, None)


def _branch(name: str, footprint: set[str], behind: int = 0, changed: set[str] | None = None) -> BranchBase:
    return BranchBase(
        name=name,
        tip=name + "-tip",
        merge_base="b" * 40 if behind else "base",
        behind=behind,
        footprint=frozenset(footprint),
        changed_on_base=frozenset(changed or ()),
    )


def test_missing_foundation_needs_an_overlap_with_what_the_foundation_changed() -> None:
    foundation = Foundation(
        name="foundation",
        commit="f" * 40,
        footprint=frozenset({"schema.ts"}),
        commits=2,
        built_on_by=("feat/ok",),
        missing_from=("feat/lost", "feat/elsewhere"),
    )
    branches = [
        _branch("foundation", {"schema.ts"}),
        _branch("feat/ok", {"schema.ts", "index.ts"}),
        _branch("feat/lost", {"schema.ts", "index.ts"}),
        _branch("feat/elsewhere", {"docs.md"}),
    ]
    (finding,) = find_base_findings("main", "base", branches, [foundation])
    assert finding.branch == "feat/lost" and finding.kind == "missing-foundation"
    assert finding.files == ("schema.ts",) and finding.onto == "f" * 40
    assert finding.fix == "git rebase --onto foundation base feat/lost"
    assert "feat/ok builds on" in finding.detail and finding.fix in finding.detail


def test_stale_needs_age_and_an_overlap_with_what_base_changed_since() -> None:
    branches = [
        _branch("old-touching", {"a.ts"}, behind=80, changed={"a.ts", "b.ts"}),
        _branch("old-elsewhere", {"c.ts"}, behind=80, changed={"a.ts"}),
        _branch("recent", {"a.ts"}, behind=10, changed={"a.ts"}),
    ]
    (finding,) = find_base_findings("main", "base", branches, [], stale_after=50)
    assert finding.branch == "old-touching" and finding.kind == "stale" and finding.files == ("a.ts",)
    assert finding.fix == f"git rebase --onto main {'b' * 12} old-touching"
    assert "80 commits behind" in finding.detail
    assert [f.branch for f in find_base_findings("main", "base", branches, [], stale_after=5)] == [
        "old-touching",
        "recent",
    ]


def _probe(failing: set[frozenset[str]]) -> tuple[list[tuple[str, ...]], object]:
    calls: list[tuple[str, ...]] = []

    def fails(subset: tuple[str, ...]) -> bool | None:
        calls.append(subset)
        return any(f <= set(subset) for f in failing)

    return calls, fails


def test_culprit_search_finds_a_single_culprit_in_log_runs() -> None:
    order = [f"b{i}" for i in range(16)]
    calls, fails = _probe({frozenset({"b9"})})
    search = find_culprits(order, fails)  # type: ignore[arg-type]
    assert search.culprits == ("b9",) and search.conclusive
    assert len(calls) <= 5  # 4 bisection steps + the culprit alone


def test_culprit_search_finds_the_pair_that_fails_only_together() -> None:
    order = ["a", "c", "b", "d"]
    calls, fails = _probe({frozenset({"a", "b"})})
    search = find_culprits(order, fails, passing_prefix=2)  # type: ignore[arg-type]
    assert search.culprits == ("a", "b") and search.conclusive
    assert ("b",) in calls and ("a", "b") in calls and () not in calls and tuple(order) not in calls


def test_culprit_search_stops_when_a_subset_cannot_be_tested() -> None:
    def unknown(subset: tuple[str, ...]) -> bool | None:
        return None

    search = find_culprits(["a", "b", "c"], unknown)
    assert not search.conclusive and "could not be tested" in search.note


ZDIFF3 = (
    b"import a\n"
    b"<<<<<<< ours\nN = 2\n||||||| base\nN = 1\n=======\nN = 3\n>>>>>>> theirs\n"
    b"middle\n"
    b"<<<<<<< ours\nX = 'o'\n||||||| base\n=======\nX = 't'\n>>>>>>> theirs\n"
    b"end\n"
)


def test_regions_parse_key_and_extract() -> None:
    doc = parse_conflicted(ZDIFF3)
    assert doc is not None and len(doc.regions) == 2
    first = doc.regions[0]
    assert (first.ours, first.base, first.theirs) == (b"N = 2\n", b"N = 1\n", b"N = 3\n")
    # the same disagreement seen from the other side, or with other line endings, has the same key
    assert first.key == region_key(b"N = 1\r\n", b"N = 3  \n", b"N = 2\n")
    assert first.key != region_key(b"N = 0\n", b"N = 2\n", b"N = 3\n")
    resolved = b"import a\nN = 5\nmiddle\nX = 'o'\nX = 't'\nend\n"
    assert extract_resolutions(doc, resolved) == [b"N = 5\n", b"X = 'o'\nX = 't'\n"]
    assert doc.fill([b"N = 5\n", b"X = 1\n"]) == b"import a\nN = 5\nmiddle\nX = 1\nend\n"
    # a person who also rewrote the line between the regions: neither region can be delimited
    assert extract_resolutions(doc, b"import a\nN = 5\nMIDDLE\nX = 1\nend\n") == [None, None]
    assert parse_conflicted(b"<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n") is None  # no base section
