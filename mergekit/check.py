"""The pre-merge check: every branch against BASE and against every other branch, in memory.

`check_branches` merges each pair in a scratch view of the repository (nothing is written:
no object, no ref), settles the conflicts with the resolver, and classifies each pair as
merging cleanly, with auto-resolutions only, or needing a human (which files, which hunks,
with line numbers on both sides). It also looks for semantic collisions (`mergekit.collisions`).
It returns a `CheckReport`; `mergekit.report` formats it (text, JSON, GitHub, JUnit).

Branches may be local branches, remote-tracking branches (`origin/feature/x`), globs, or any
revision a CI checkout has (`HEAD`, `refs/pull/1/head`, a commit id). A pair whose merge base
is missing in a shallow clone is an error that says how to fetch more history.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Literal

from mergekit.collisions import Collision, Finder
from mergekit.engine import (
    Conflict,
    ConflictKind,
    InvalidEntry,
    Repo,
    ShallowHistory,
    first_invalid_path,
    merge_commits,
    open_repo,
)
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK, MergekitError
from mergekit.plan import is_glob, select_branches
from mergekit.resolve import Labels
from mergekit.settle import clash_candidates, clashes, settle

PairStatus = Literal["clean", "auto_resolved", "needs_human"]
_STATUSES: tuple[PairStatus, ...] = ("clean", "auto_resolved", "needs_human")
_RANK: dict[str, int] = {s: i for i, s in enumerate(_STATUSES)}
_HEADS = "refs/heads/"


@dataclass(frozen=True)
class Hunk:
    """One conflict region left for a human, located in both sides' versions of the file."""

    ours_line: int
    """First line of the region in ours (1-based)."""
    ours_lines: int
    """How many lines ours has in the region."""
    theirs_line: int
    """First line of the region in theirs (1-based)."""
    theirs_lines: int
    """How many lines theirs has in the region."""


@dataclass(frozen=True)
class FileCheck:
    """What merging one file of a pair needs."""

    path: str
    """The file."""
    status: Literal["auto_resolved", "needs_human"]
    """Settled by the resolver, or left for a human."""
    kind: str
    """The conflict kind (`content`, `add/add`, `modify/delete`...; `duplicate-key` for a clean
    merge that gives one key two values)."""
    rule: str | None = None
    """For auto-resolved files: the resolver's rule."""
    hunks: tuple[Hunk, ...] = ()
    """For human files: the conflict regions (empty when the file has no text conflict)."""


@dataclass(frozen=True)
class PairCheck:
    """The predicted merge of `theirs` into `ours` (ours is BASE or the earlier listed branch)."""

    ours: str
    """BASE or a branch."""
    theirs: str
    """A branch."""
    ours_commit: str
    """Ours' commit."""
    theirs_commit: str
    """Theirs' commit."""
    merge_base: str | None
    """Their merge base."""
    status: PairStatus
    """`clean`, `auto_resolved` or `needs_human`."""
    files: tuple[FileCheck, ...] = ()
    """The files that conflicted at the line level (or clashed), in path order."""
    collisions: tuple[Collision, ...] = ()
    """Semantic collisions between the two."""
    note: str = ""
    """Why the pair is trivially clean (built on one another, same commit), if it is."""
    with_base: bool = False
    """True when ours is BASE."""
    seconds: float = 0.0
    """Time spent on the pair."""

    @property
    def auto_resolved(self) -> list[FileCheck]:
        """Files the resolver settles."""
        return [f for f in self.files if f.status == "auto_resolved"]

    @property
    def human(self) -> list[FileCheck]:
        """Files a human must settle."""
        return [f for f in self.files if f.status == "needs_human"]

    @property
    def annotated_side(self) -> Literal["ours", "theirs"]:
        """Whose lines annotations point at: the branch (theirs) against BASE, else the first listed."""
        return "theirs" if self.with_base else "ours"


@dataclass
class CheckReport:
    """The answer of `mergekit check`."""

    base: str
    """BASE as the user named it."""
    base_commit: str
    """The BASE commit."""
    branches: list[tuple[str, str]]
    """(name, commit) of each checked branch, in argument order."""
    pairs: list[PairCheck] = field(default_factory=list)
    """BASE pairs first (in branch order), then branch pairs (earlier listed branch as ours)."""
    strict: bool = False
    """Collisions fail the check."""
    seconds: float = 0.0
    """Wall time of the whole check."""

    @property
    def collisions(self) -> list[Collision]:
        """Every collision, pair by pair."""
        return [c for p in self.pairs for c in p.collisions]

    @property
    def status(self) -> PairStatus:
        """The worst pair status."""
        worst = max((_RANK[p.status] for p in self.pairs), default=0)
        return _STATUSES[worst]

    @property
    def passed(self) -> bool:
        """True when no human is needed (and, with `strict`, nothing collides)."""
        return self.status != "needs_human" and not (self.strict and self.collisions)

    @property
    def exit_code(self) -> int:
        """0 when the check passed, 1 otherwise."""
        return EXIT_OK if self.passed else EXIT_NEEDS_HUMAN


@dataclass(frozen=True)
class CheckOptions:
    """What the user asked `mergekit check` for."""

    cwd: Path
    """Any directory inside the repository."""
    into: str
    """BASE."""
    branches: tuple[str, ...] = ()
    """Names, globs and revisions; empty = the branches of the linked worktrees."""
    strict: bool = False
    """Fail on semantic collisions too."""
    collisions: bool = True
    """Look for semantic collisions at all."""


def check_branches(opts: CheckOptions) -> CheckReport:
    """Check every branch against BASE and every other branch; write nothing."""
    started = time.perf_counter()
    repo = open_repo(opts.cwd)
    base_commit = repo.resolve_commit(opts.into)
    if base_commit is None:
        raise MergekitError(
            f"BASE {opts.into!r} not found — pass an existing branch, tag or commit to --into "
            "(in CI, fetch it first: `git fetch origin <base>` and use `origin/<base>`)"
        )
    tips = select_revisions(repo, opts.branches)
    report = CheckReport(base=opts.into, base_commit=base_commit, branches=tips, strict=opts.strict)
    for name, tip in tips:
        try:
            bad = first_invalid_path(repo.footprint(base_commit, tip))
        except ShallowHistory:
            raise ShallowHistory(opts.into, name) from None
        if bad is not None:
            raise InvalidEntry(name, bad)
    with repo.scratch() as scratch:
        finder = Finder(scratch) if opts.collisions else None
        checker = _PairChecker(scratch, finder)
        for name, tip in tips:
            report.pairs.append(checker.check(opts.into, base_commit, name, tip, with_base=True))
        for (a, a_tip), (b, b_tip) in combinations(tips, 2):
            report.pairs.append(checker.check(a, a_tip, b, b_tip))
    report.seconds = time.perf_counter() - started
    return report


def select_revisions(repo: Repo, patterns: Sequence[str]) -> list[tuple[str, str]]:
    """(name, commit) for branch names, globs and plain revisions (`HEAD`, `refs/pull/1/head`)."""
    local, remote = repo.branch_names()
    if not patterns:
        names = [
            wt.branch[len(_HEADS) :]
            for wt in repo.worktrees()
            if not wt.is_main and wt.branch and wt.branch.startswith(_HEADS)
        ]
        if not names:
            raise MergekitError(
                "no branches given and no linked worktree has a branch checked out — name the branches"
            )
        patterns = names
    known = set(local) | set(remote)
    result: list[tuple[str, str]] = []
    seen: set[str] = set()
    for pattern in patterns:
        if is_glob(pattern) or pattern in known:
            names = select_branches([pattern], local, remote)
        else:
            names = [pattern]
        for name in names:
            if name in seen:
                continue
            tip = repo.resolve_commit(name)
            if tip is None:
                raise MergekitError(
                    f"branch or revision {name!r} not found — run `git fetch` (in CI: "
                    "`git fetch origin '+refs/heads/*:refs/remotes/origin/*'`) or check the name"
                )
            seen.add(name)
            result.append((name, tip))
    if not result:
        raise MergekitError("no branches to check — name at least one branch")
    return result


class _PairChecker:
    """Checks pairs in a scratch repository; collisions through a shared, caching finder."""

    def __init__(self, repo: Repo, finder: Finder | None) -> None:
        self.repo = repo
        self.finder = finder

    def check(
        self, ours: str, ours_tip: str, theirs: str, theirs_tip: str, with_base: bool = False
    ) -> PairCheck:
        """Predict merging `theirs` into `ours`."""
        started = time.perf_counter()
        repo = self.repo
        try:
            base = repo.merge_base(ours_tip, theirs_tip)
        except ShallowHistory:
            raise ShallowHistory(ours, theirs) from None
        if base is None:
            raise MergekitError(
                f"{ours} and {theirs} share no history — they cannot be merged; check the names"
            )

        def done(status: PairStatus, files: tuple[FileCheck, ...] = (), note: str = "") -> PairCheck:
            found: tuple[Collision, ...] = ()
            if self.finder is not None and not note:
                found = tuple(self.finder.between(ours, ours_tip, theirs, theirs_tip, base))
            return PairCheck(
                ours=ours,
                theirs=theirs,
                ours_commit=ours_tip,
                theirs_commit=theirs_tip,
                merge_base=base,
                status=status,
                files=files,
                collisions=found,
                note=note,
                with_base=with_base,
                seconds=time.perf_counter() - started,
            )

        if ours_tip == theirs_tip:
            return done("clean", note="same commit")
        if base == theirs_tip:
            return done("clean", note=f"{theirs} is already in {ours}")
        if base == ours_tip:
            return done("clean", note=f"{theirs} is built on {ours} (fast-forward)")
        finder = self.finder or Finder(repo)
        ours_changed = finder.changed(base, ours_tip)
        theirs_changed = finder.changed(base, theirs_tip)
        both = ours_changed & theirs_changed
        if not both and not _dir_file_clash(ours_changed, theirs_changed):
            return done("clean")  # disjoint changes: git's merge is the union of both sides
        merge = merge_commits(repo, ours_tip, theirs_tip)
        labels = Labels(ours=ours, base="base", theirs=theirs)
        settled = settle(merge.conflicts, labels)
        conflicted = {c.path for c in merge.conflicts}
        clash = clashes(clash_candidates(repo, base, ours_tip, theirs_tip, both - conflicted), labels)
        files: list[FileCheck] = [
            FileCheck(path=p, status="auto_resolved", kind=ConflictKind.CONTENT, rule=r)
            for p, r in settled.auto_resolved
        ]
        for conflict in settled.human:
            files.append(
                FileCheck(
                    path=conflict.path,
                    status="needs_human",
                    kind=conflict.kind,
                    hunks=_hunks(conflict, settled.contents.get(conflict.path)),
                )
            )
        for conflict in clash.human:
            files.append(
                FileCheck(
                    path=conflict.path,
                    status="needs_human",
                    kind="duplicate-key",
                    hunks=_hunks(conflict, clash.contents.get(conflict.path)),
                )
            )
        files.sort(key=lambda f: f.path)
        if any(f.status == "needs_human" for f in files):
            status: PairStatus = "needs_human"
        elif files:
            status = "auto_resolved"
        else:
            status = "clean"
        return done(status, tuple(files))


def _dir_file_clash(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when one side's path is a directory prefix of the other's (a file/directory conflict)."""
    dirs_a = {p.rsplit("/", i)[0] for p in a for i in range(1, p.count("/") + 1)}
    dirs_b = {p.rsplit("/", i)[0] for p in b for i in range(1, p.count("/") + 1)}
    return bool(dirs_a & b) or bool(dirs_b & a)


# -- locating conflict hunks ------------------------------------------------------------------

_OPEN = re.compile(r"^<{7}(?: |$)")
_BASE = re.compile(r"^\|{7}(?: |$)")
_MID = re.compile(r"^={7}$")
_CLOSE = re.compile(r"^>{7}(?: |$)")


def _hunks(conflict: Conflict, merged: bytes | None) -> tuple[Hunk, ...]:
    """Locate each marker block of `merged` in ours' and theirs' versions of the file."""
    if merged is None or conflict.ours is None or conflict.theirs is None:
        return ()
    text = merged.decode("utf-8", "replace").splitlines()
    take_ours: list[str] = []
    take_theirs: list[str] = []
    blocks: list[tuple[int, int, int, int]] = []  # start index and length in take_ours / take_theirs
    state = "out"
    o_start = t_start = 0
    for line in text:
        if state == "out" and _OPEN.match(line):
            state, o_start, t_start = "ours", len(take_ours), len(take_theirs)
        elif state == "ours" and _BASE.match(line):
            state = "base"
        elif state in ("ours", "base") and _MID.match(line):
            state = "theirs"
        elif state == "theirs" and _CLOSE.match(line):
            state = "out"
            blocks.append((o_start, len(take_ours) - o_start, t_start, len(take_theirs) - t_start))
        elif state == "out":
            take_ours.append(line)
            take_theirs.append(line)
        elif state == "ours":
            take_ours.append(line)
        elif state == "theirs":
            take_theirs.append(line)
    if not blocks:
        return ()
    ours_map = _line_map(take_ours, conflict.ours.data)
    theirs_map = _line_map(take_theirs, conflict.theirs.data)
    return tuple(Hunk(ours_map(o) + 1, on, theirs_map(t) + 1, tn) for o, on, t, tn in blocks)


def _line_map(merged: list[str], side: bytes) -> _IndexMap:
    """A function from a line index of `merged` to the matching line index in `side`."""
    lines = side.decode("utf-8", "replace").splitlines()
    ops = difflib.SequenceMatcher(None, merged, lines, autojunk=False).get_opcodes()
    return _IndexMap(ops, len(lines))


class _IndexMap:
    """Maps indexes through difflib opcodes (inside a change: the change's start)."""

    def __init__(self, ops: Sequence[tuple[str, int, int, int, int]], size: int) -> None:
        self.ops = ops
        self.size = size

    def __call__(self, index: int) -> int:
        for tag, i1, i2, j1, _j2 in self.ops:
            if i1 <= index < i2 or (i1 == i2 == index):
                return j1 + (index - i1) if tag == "equal" else j1
        return max(self.size - 1, 0) if self.size else 0
