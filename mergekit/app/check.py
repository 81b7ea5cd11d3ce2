"""The pre-merge check: every branch against BASE and against every other branch, in memory.

`check_branches` asks `mergekit.merging.Merger` about each pair in a scratch view of the
repository (nothing is written: no object, no ref) and classifies each pair as merging cleanly,
with auto-resolutions only, or needing a human (which files, which hunks, with line numbers on
both sides). It also looks for semantic collisions (`mergekit.collisions`). It returns a
`CheckReport`; `mergekit.output.check` shows it (text, JSON, GitHub, JUnit).

Branches may be local branches, remote-tracking branches (`origin/feature/x`), globs, or any
revision a CI checkout has (`HEAD`, `refs/pull/1/head`, a commit id), and patch files
(`mergekit.app.inputs`: a patch that does not apply is a pair with BASE that needs a human).
Branches built on the wrong base are reported (they fail the check with `strict`). The merger
settles from the resolution memory what a run would. A pair whose merge base is missing in a
shallow clone is an error that says how to fetch more history.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Literal

from mergekit.app.branches import resolve_base, revision_tips
from mergekit.app.inputs import Prepared, prepare_inputs
from mergekit.app.memory import merger_with_memory
from mergekit.app.patches import UnappliedPatch
from mergekit.app.progress import Progress, tick
from mergekit.collisions.finder import Finder
from mergekit.collisions.types import Collision
from mergekit.engine.repo import ShallowHistory, open_repo
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK, MergekitError
from mergekit.merging import FileVerdict, Merger, derived_config
from mergekit.model import ConflictKind, Outcome, Shortcut
from mergekit.resolve import Labels
from mergekit.resolve.markers import Block, parse, split_lines
from mergekit.workflow.wrongbase import DEFAULT_STALE_AFTER


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
    status: Outcome
    """`auto_resolved` (settled by the resolver) or `needs_human`."""
    kind: ConflictKind
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
    status: Outcome
    """`clean`, `auto_resolved` or `needs_human`."""
    files: tuple[FileCheck, ...] = ()
    """The files that conflicted at the line level (or clashed), in path order."""
    collisions: tuple[Collision, ...] = ()
    """Semantic collisions between the two."""
    shortcut: Shortcut | None = None
    """Why the pair was known clean without merging (same commit, built on one another...), if it was."""
    with_base: bool = False
    """True when ours is BASE."""
    seconds: float = 0.0
    """Time spent on the pair."""
    note: str = ""
    """Why the pair could not be merged at all, when it could not (a patch that does not apply)."""

    @property
    def auto_resolved(self) -> list[FileCheck]:
        """Files the resolver settles."""
        return [f for f in self.files if f.status is Outcome.AUTO_RESOLVED]

    @property
    def human(self) -> list[FileCheck]:
        """Files a human must settle."""
        return [f for f in self.files if f.status is Outcome.NEEDS_HUMAN]

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
    """Collisions and branches built on the wrong base fail the check."""
    seconds: float = 0.0
    """Wall time of the whole check."""
    inputs: Prepared = field(default_factory=Prepared)
    """Patch inputs and branches built on the wrong base."""

    @property
    def collisions(self) -> list[Collision]:
        """Every collision, pair by pair."""
        return [c for p in self.pairs for c in p.collisions]

    @property
    def status(self) -> Outcome:
        """The worst pair status."""
        return Outcome.worst([p.status for p in self.pairs])

    @property
    def passed(self) -> bool:
        """True when no human is needed (and, with `strict`, nothing collides and no base is wrong)."""
        wrong_base = bool(self.inputs.findings)
        return self.status is not Outcome.NEEDS_HUMAN and not (
            self.strict and (self.collisions or wrong_base)
        )

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
    stale_after: int = DEFAULT_STALE_AFTER
    """A branch this many commits behind BASE (touching what changed since) is stale."""
    progress: Progress | None = None
    """Told before each pair: (pairs done, pairs in all, `ours + theirs`)."""


def check_branches(opts: CheckOptions) -> CheckReport:
    """Check every branch against BASE and every other branch; write nothing."""
    started = time.perf_counter()
    repo = open_repo(opts.cwd)
    base_commit = resolve_base(repo, opts.into)
    with repo.scratch() as scratch:  # patch inputs become commits here only
        merger = merger_with_memory(scratch, derived_config(scratch, base_commit))
        expand = partial(revision_tips, scratch)
        inputs = prepare_inputs(
            merger, opts.into, base_commit, opts.branches, opts.cwd, expand, opts.stale_after
        )
        tips = inputs.tips
        report = CheckReport(
            base=opts.into, base_commit=base_commit, branches=tips, strict=opts.strict, inputs=inputs
        )
        report.pairs += [_unapplied_pair(opts.into, base_commit, u) for u in inputs.unapplied]
        finder = Finder(scratch, changed=merger.changed) if opts.collisions else None
        for name, tip in tips:
            merger.footprint(opts.into, base_commit, name, tip)  # refuses a cut history, an invalid path
        checker = _PairChecker(merger, finder)
        total = len(tips) + len(tips) * (len(tips) - 1) // 2
        for name, tip in tips:
            tick(opts.progress, len(report.pairs), total, f"{name} into {opts.into}")
            report.pairs.append(checker.check(opts.into, base_commit, name, tip, with_base=True))
        for (a, a_tip), (b, b_tip) in combinations(tips, 2):
            tick(opts.progress, len(report.pairs), total, f"{a} + {b}")
            report.pairs.append(checker.check(a, a_tip, b, b_tip))
        tick(opts.progress, total, total)
    report.seconds = time.perf_counter() - started
    return report


class _PairChecker:
    """Checks pairs through one merger; collisions through a shared, caching finder."""

    def __init__(self, merger: Merger, finder: Finder | None) -> None:
        self.merger = merger
        self.finder = finder

    def check(
        self, ours: str, ours_tip: str, theirs: str, theirs_tip: str, with_base: bool = False
    ) -> PairCheck:
        """Predict merging `theirs` into `ours`."""
        started = time.perf_counter()
        try:
            base = self.merger.repo.merge_base(ours_tip, theirs_tip)
        except ShallowHistory:
            raise ShallowHistory(ours, theirs) from None
        if base is None:
            raise MergekitError(
                f"{ours} and {theirs} share no history — they cannot be merged; check the names"
            )
        prediction = self.merger.predict(
            ours_tip, theirs_tip, Labels(ours=ours, base="base", theirs=theirs), base
        )
        found: tuple[Collision, ...] = ()
        trivial = prediction.shortcut not in (None, Shortcut.DISJOINT)
        if self.finder is not None and not trivial:
            found = tuple(self.finder.between(ours, ours_tip, theirs, theirs_tip, base))
        files = tuple(
            FileCheck(path=f.path, status=f.outcome, kind=f.kind, rule=f.rule, hunks=_hunks(f))
            for f in prediction.files
        )
        return PairCheck(
            ours=ours,
            theirs=theirs,
            ours_commit=ours_tip,
            theirs_commit=theirs_tip,
            merge_base=base,
            status=prediction.outcome,
            files=files,
            collisions=found,
            shortcut=prediction.shortcut,
            with_base=with_base,
            seconds=time.perf_counter() - started,
        )


def _unapplied_pair(base: str, base_commit: str, patch: UnappliedPatch) -> PairCheck:
    """A patch input that does not apply, as a pair with BASE that needs a human."""
    files = tuple(
        FileCheck(
            path=f.path,
            status=Outcome.NEEDS_HUMAN,
            kind=ConflictKind.PATCH,
            hunks=tuple(Hunk(h.old_start, h.old_lines, h.new_start, h.new_lines) for h in f.hunks),
        )
        for f in patch.files
    )
    return PairCheck(
        ours=base,
        theirs=patch.name,
        ours_commit=base_commit,
        theirs_commit="",
        merge_base=None,
        status=Outcome.NEEDS_HUMAN,
        files=files,
        with_base=True,
        note=f"commit {patch.commit} of the patch does not apply",
    )


# -- locating conflict hunks ------------------------------------------------------------------


def _hunks(verdict: FileVerdict) -> tuple[Hunk, ...]:
    """Locate each conflict block of what a human is shown in ours' and theirs' versions of the file."""
    conflict, merged = verdict.conflict, verdict.content
    if verdict.outcome is not Outcome.NEEDS_HUMAN or merged is None:
        return ()
    if conflict.ours is None or conflict.theirs is None:
        return ()
    take_ours: list[bytes] = []
    take_theirs: list[bytes] = []
    blocks: list[tuple[int, int, int, int]] = []  # start index and length in take_ours / take_theirs
    for part in parse(merged):
        if isinstance(part, Block):
            blocks.append((len(take_ours), len(part.ours), len(take_theirs), len(part.theirs)))
            take_ours += part.ours
            take_theirs += part.theirs
        else:
            take_ours.append(part)
            take_theirs.append(part)
    if not blocks:
        return ()
    ours_map = _line_map(take_ours, conflict.ours.data)
    theirs_map = _line_map(take_theirs, conflict.theirs.data)
    return tuple(Hunk(ours_map(o) + 1, on, theirs_map(t) + 1, tn) for o, on, t, tn in blocks)


def _bare(lines: list[bytes]) -> list[bytes]:
    return [line.rstrip(b"\r\n") for line in lines]


def _line_map(merged: list[bytes], side: bytes) -> _IndexMap:
    """A function from a line index of `merged` to the matching line index in `side`."""
    lines = _bare(split_lines(side))
    ops = difflib.SequenceMatcher(None, _bare(merged), lines, autojunk=False).get_opcodes()
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
