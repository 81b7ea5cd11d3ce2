"""Patches as input: parse a unified diff and apply it onto a tree in memory.

`parse_diff` reads `git diff` / `git format-patch` diff text (through libgit2's parser) into
`FilePatch` values. `apply_to_tree` applies them to a tree and writes the resulting tree, or
reports every hunk that does not apply: a patch is never half-applied. A hunk must match its
context exactly, at its recorded line or shifted by some lines (`git apply` without fuzz). With
`three_way`, a file whose hunks do not match falls back to a three-way merge of the blob the
patch names on its `index` line (the preimage), the tree's version and the patched preimage —
what `git apply --3way` does. `find_origin` looks for the commit a patch was made from.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pygit2

from mergekit.engine.fastmerge import Edit, apply_edits
from mergekit.engine.linemerge import merge_texts
from mergekit.engine.repo import Repo
from mergekit.engine.types import MODE_FILE
from mergekit.errors import MergekitError

_SECTION = re.compile(rb"^diff --git ", re.MULTILINE)
_INDEX = re.compile(rb"^index ([0-9a-f]+)\.\.([0-9a-f]+)", re.MULTILINE)
_EOFNL = ("<", ">", "=")
"""libgit2's origins for a `\\ No newline at end of file` line (it applies to the line before)."""
ORIGIN_SEARCH_LIMIT = 5000
"""How many commits `find_origin` looks at before giving up."""


@dataclass(frozen=True)
class PatchHunk:
    """One `@@` hunk: the lines it expects (preimage) and the lines it puts there (postimage)."""

    header: str
    """The hunk's `@@ -a,b +c,d @@` line, without the line ending."""
    old_start: int
    """First preimage line (1-based; for a pure insertion, the line it goes after)."""
    old_lines: int
    """Number of preimage lines."""
    new_start: int
    """First postimage line (1-based)."""
    new_lines: int
    """Number of postimage lines."""
    old: tuple[bytes, ...]
    """The preimage: context and removed lines, with their line endings."""
    new: tuple[bytes, ...]
    """The postimage: context and added lines, with their line endings."""


@dataclass(frozen=True)
class FilePatch:
    """The changes a patch makes to one file."""

    old_path: str | None
    """The path before (None for an added file)."""
    new_path: str | None
    """The path after (None for a deleted file)."""
    old_id: str | None
    """The preimage blob id from the `index` line (possibly abbreviated), None when unknown."""
    new_id: str | None
    """The postimage blob id from the `index` line (possibly abbreviated), None when unknown."""
    new_mode: int | None
    """The file mode after, None when the patch does not say (or the file is deleted)."""
    hunks: tuple[PatchHunk, ...]
    """The text hunks, in order."""
    binary: bool = False
    """True for a binary change (no text hunks)."""

    @property
    def path(self) -> str:
        """The path the change is reported under (the new path when there is one)."""
        found = self.new_path or self.old_path
        assert found is not None
        return found


@dataclass(frozen=True)
class FileFailure:
    """A file of a patch that does not apply, and why."""

    path: str
    """The file."""
    reason: str
    """What is wrong, in a few words."""
    hunks: tuple[PatchHunk, ...] = ()
    """The hunks whose context was not found (empty when the whole file is the problem)."""


@dataclass(frozen=True)
class TreeApply:
    """The outcome of applying a patch to a tree: the new tree, or every file that failed."""

    tree: str | None
    """The resulting tree (None when something did not apply)."""
    failures: tuple[FileFailure, ...] = ()
    """Every file that did not apply (empty on success)."""
    three_way: tuple[str, ...] = ()
    """Files that needed the three-way fallback."""


# -- parsing ----------------------------------------------------------------------------------


def parse_diff(text: bytes) -> list[FilePatch]:
    """The file changes of a unified diff (`git diff` or one `git format-patch` message's diff).

    Raises MergekitError when the text is not a diff libgit2 can read.
    """
    try:
        diff = pygit2.Diff.parse_diff(text)
    except (pygit2.GitError, ValueError) as exc:
        raise MergekitError(
            f"cannot read the diff ({exc}) — pass `git diff` or `git format-patch` output"
        ) from exc
    abbrevs = _index_ids(text)
    patches = list(diff)
    if len(abbrevs) != len(patches):
        abbrevs = [(None, None)] * len(patches)
    files: list[FilePatch] = []
    for patch, (old_abbrev, new_abbrev) in zip(patches, abbrevs, strict=True):
        if patch is None:
            continue
        delta = patch.delta
        status = delta.status_char()
        added, deleted = status == "A", status == "D"
        old_id = _abbrev(str(delta.old_file.id), old_abbrev)
        new_id = _abbrev(str(delta.new_file.id), new_abbrev)
        files.append(
            FilePatch(
                old_path=None if added else delta.old_file.path,
                new_path=None if deleted else delta.new_file.path,
                old_id=None if added else old_id,
                new_id=None if deleted else new_id,
                new_mode=None if deleted or not delta.new_file.mode else int(delta.new_file.mode),
                hunks=tuple(_hunk(h) for h in patch.hunks),
                binary=bool(delta.is_binary),
            )
        )
    return files


def _index_ids(text: bytes) -> list[tuple[str | None, str | None]]:
    """The abbreviated (old, new) ids of each `diff --git` section's `index` line, in order."""
    starts = [m.start() for m in _SECTION.finditer(text)] + [len(text)]
    found: list[tuple[str | None, str | None]] = []
    for begin, end in itertools.pairwise(starts):
        head = text[begin:end].split(b"\n@@", 1)[0]
        match = _INDEX.search(head)
        found.append((match.group(1).decode(), match.group(2).decode()) if match else (None, None))
    return found


def _abbrev(padded: str, abbrev: str | None) -> str | None:
    """The id as the patch wrote it; libgit2 pads abbreviated ids with zeros."""
    if abbrev is not None and padded.startswith(abbrev):
        padded = abbrev
    stripped = padded.rstrip("0") if abbrev is None else padded
    return stripped if stripped and set(stripped) != {"0"} else None


def _hunk(hunk: pygit2.DiffHunk) -> PatchHunk:
    old: list[bytes] = []
    new: list[bytes] = []
    previous = ""
    for line in hunk.lines:
        origin, content = line.origin, bytes(line.raw_content)
        if origin in _EOFNL:
            # "\ No newline at end of file" ends the line before it without a newline
            for side, takes in ((old, " -"), (new, " +")):
                if previous and previous in takes and side and side[-1].endswith(b"\n"):
                    side[-1] = side[-1][:-2] if side[-1].endswith(b"\r\n") else side[-1][:-1]
            continue
        if origin in (" ", "-"):
            old.append(content)
        if origin in (" ", "+"):
            new.append(content)
        previous = origin
    return PatchHunk(
        header=hunk.header.rstrip("\r\n"),
        old_start=hunk.old_start,
        old_lines=hunk.old_lines,
        new_start=hunk.new_start,
        new_lines=hunk.new_lines,
        old=tuple(old),
        new=tuple(new),
    )


# -- applying ---------------------------------------------------------------------------------


def apply_hunks(data: bytes, hunks: Sequence[PatchHunk]) -> tuple[bytes | None, tuple[PatchHunk, ...]]:
    """Apply `hunks` to `data`: (result, ()) when all apply, (None, the failing hunks) otherwise.

    Each hunk's preimage must appear exactly, at its line or shifted (the nearest match wins,
    after the previous hunk), like `git apply` without fuzz.
    """
    lines = _lines(data)
    out: list[bytes] = []
    pos = 0
    drift = 0
    failed: list[PatchHunk] = []
    for hunk in hunks:
        expected = (hunk.old_start - 1 if hunk.old_lines else hunk.old_start) + drift
        at = _find(lines, hunk.old, expected, pos)
        if at is None:
            failed.append(hunk)
            continue
        drift = at - (hunk.old_start - 1 if hunk.old_lines else hunk.old_start)
        out.extend(lines[pos:at])
        out.extend(hunk.new)
        pos = at + len(hunk.old)
    if failed:
        return None, tuple(failed)
    out.extend(lines[pos:])
    return b"".join(out), ()


def _lines(data: bytes) -> list[bytes]:
    """git's lines of `data` (split on `\\n` only, as diffs count them), each with its line end."""
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _find(lines: list[bytes], want: tuple[bytes, ...], expected: int, lowest: int) -> int | None:
    """The index nearest to `expected` (not below `lowest`) where `want` appears in `lines`."""
    size = len(want)
    highest = len(lines) - size
    if highest < lowest:
        return None
    expected = min(max(expected, lowest), highest)
    if not size:
        return expected
    for distance in range(max(expected - lowest, highest - expected) + 1):
        for at in (expected - distance, expected + distance) if distance else (expected,):
            if lowest <= at <= highest and tuple(lines[at : at + size]) == want:
                return at
    return None


def apply_to_tree(repo: Repo, tree: str, files: Sequence[FilePatch], three_way: bool = False) -> TreeApply:
    """Apply a patch's `files` to `tree` and write the result; report every file that fails.

    With `three_way`, a file whose hunks do not match the tree falls back to a three-way merge
    of its preimage blob (when this repository has it), the tree's version and the patched
    preimage. Nothing is written when any file fails.
    """
    raw = repo.raw
    root = raw[tree]
    assert isinstance(root, pygit2.Tree)
    edits: dict[str, Edit] = {}
    failures: list[FileFailure] = []
    merged_3way: list[str] = []
    for fp in files:
        current = _entry(root, fp.old_path) if fp.old_path is not None else None
        if fp.old_path is None and fp.new_path is not None and _entry(root, fp.new_path) is not None:
            failures.append(FileFailure(fp.path, "already exists"))
            continue
        if fp.old_path is not None and current is None:
            failures.append(FileFailure(fp.path, "does not exist", fp.hunks))
            continue
        data = repo.read_blob(str(current[0])) if current is not None else b""
        if fp.binary:
            result: bytes | FileFailure = _binary(repo, fp, current)
        else:
            result, used_3way = _apply_file(repo, fp, data, three_way)
            if used_3way:
                merged_3way.append(fp.path)
        if isinstance(result, FileFailure):
            failures.append(result)
            continue
        if fp.old_path is not None and fp.old_path != fp.new_path:
            edits[fp.old_path] = None
        if fp.new_path is None:
            if result:
                failures.append(FileFailure(fp.path, "the file has lines the patch does not delete"))
            continue
        mode = fp.new_mode or (current[1] if current is not None else MODE_FILE)
        edits[fp.new_path] = (raw.create_blob(result), mode)
    if failures:
        return TreeApply(tree=None, failures=tuple(failures))
    written = apply_edits(raw, root.id, edits)
    return TreeApply(tree=str(written), three_way=tuple(merged_3way))


def _apply_file(repo: Repo, fp: FilePatch, data: bytes, three_way: bool) -> tuple[bytes | FileFailure, bool]:
    """(the patched content or the failure, whether the three-way fallback made it)."""
    result, failed = apply_hunks(data, fp.hunks)
    if result is not None:
        return result, False
    if three_way and fp.old_id is not None:
        preimage = _blob(repo, fp.old_id)
        if preimage is not None:
            patched, _ = apply_hunks(preimage, fp.hunks)
            if patched is not None:
                # only a clean merge is used, so no marker is ever written: any marker size does
                merged, clean = merge_texts(preimage, data, patched, "tree", "preimage", "patch", 7)
                if clean:
                    return merged, True
                why = "the three-way merge with the patch's preimage conflicts"
                return FileFailure(fp.path, why, failed), False
    return FileFailure(fp.path, f"{len(failed)} of {len(fp.hunks)} hunks do not apply", failed), False


def _binary(repo: Repo, fp: FilePatch, current: tuple[pygit2.Oid, int] | None) -> bytes | FileFailure:
    if fp.new_path is None:
        if fp.old_id is not None and current is not None and str(current[0]).startswith(fp.old_id):
            return b""
        return FileFailure(fp.path, "binary file changed since the patch was made")
    found = _blob(repo, fp.new_id) if fp.new_id is not None else None
    if found is None:
        return FileFailure(fp.path, "binary change whose new content is not in this repository")
    return found


def _entry(tree: pygit2.Tree, path: str) -> tuple[pygit2.Oid, int] | None:
    try:
        obj = tree[path]
    except KeyError:
        return None
    if obj.type != pygit2.enums.ObjectType.BLOB:
        return None
    return obj.id, int(obj.filemode)


def _blob(repo: Repo, prefix: str) -> bytes | None:
    """The blob an (abbreviated) id names, None when absent or ambiguous."""
    try:
        obj = repo.raw.get(prefix)
    except (ValueError, KeyError, pygit2.GitError):
        return None
    return bytes(obj.data) if isinstance(obj, pygit2.Blob) else None


# -- where a patch was made -------------------------------------------------------------------


def find_origin(
    repo: Repo, starts: Sequence[str], files: Sequence[FilePatch], limit: int = ORIGIN_SEARCH_LIMIT
) -> str | None:
    """The newest commit reachable from `starts` whose tree holds each file exactly as the patch
    expects it (the `index` line's preimage blob; added files absent), None when none is found.

    Only patches that name a preimage blob for at least one file can be placed this way (a pure
    rename names none: its old path must only exist).
    """
    if not starts or not any(fp.old_id for fp in files if fp.old_path is not None):
        return None
    walker = repo.raw.walk(starts[0], pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.TIME)
    for start in starts[1:]:
        walker.push(start)
    for seen, commit in enumerate(walker):
        if seen >= limit:
            break
        if _matches(commit.tree, files):
            return str(commit.id)
    return None


def _matches(tree: pygit2.Tree, files: Sequence[FilePatch]) -> bool:
    for fp in files:
        if fp.old_path is None:
            if fp.new_path is not None and _entry(tree, fp.new_path) is not None:
                return False
            continue
        entry = _entry(tree, fp.old_path)
        if entry is None or (fp.old_id is not None and not str(entry[0]).startswith(fp.old_id)):
            return False
    return True
