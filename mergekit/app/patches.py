"""Patch files as inputs of integrate, plan and check, made commits next to the branches and globs.

`gather_inputs` keeps the arguments' order. Branch names and globs are expanded by the calling
use case (its own rules: linked worktrees when nothing is named, remote-tracking names,
revisions); each patch file (`-` or an existing `*.patch`/`*.diff`) becomes a chain of commits,
one per commit of the file, with the author and message of the patch where it has them:

1. where it was made — the newest commit reachable from BASE (or from the other inputs) whose
   tree holds every file as the patch's `index` lines name them — applied exactly there;
2. otherwise onto BASE, with a three-way fallback per file (`git apply --3way`).

A patch that does not apply comes back as `UnappliedPatch` (which files, which hunks, why),
and nothing of it is used. The commits are written into `repo`: pass a scratch view to write
nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mergekit.engine.patch import FileFailure, FilePatch, apply_to_tree, find_origin, parse_diff
from mergekit.engine.repo import Repo
from mergekit.engine.types import Identity
from mergekit.errors import MergekitError
from mergekit.workflow.patchfile import (
    STDIN,
    PatchCommit,
    PatchSource,
    is_patch_argument,
    read_sources,
    split_commits,
)

Expand = Callable[[tuple[str, ...]], list[tuple[str, str]]]
"""The use case's own expansion of branch names and globs into (name, tip) pairs."""


@dataclass(frozen=True)
class HunkFailure:
    """A hunk of a patch whose context was not found."""

    header: str
    """Its `@@ -a,b +c,d @@` line."""
    old_start: int
    """Where the patch expected it (line in the file it was applied to)."""
    old_lines: int
    """How many lines it expected there."""
    new_start: int
    """Where it puts its lines in the patched file."""
    new_lines: int
    """How many lines it puts there."""


@dataclass(frozen=True)
class PatchFileFailure:
    """A file of a patch that does not apply."""

    path: str
    """The file."""
    reason: str
    """Why, in a few words."""
    hunks: tuple[HunkFailure, ...] = ()
    """The hunks that do not apply."""


@dataclass(frozen=True)
class UnappliedPatch:
    """A patch input that does not apply: reported like a conflicting branch, never half-applied."""

    name: str
    """The input's name (`task-c.patch`)."""
    commit: int
    """Which commit of the file failed (1-based)."""
    subject: str
    """That commit's subject (empty for a bare diff)."""
    files: tuple[PatchFileFailure, ...]
    """Every file that does not apply."""

    @property
    def paths(self) -> list[str]:
        """The files that do not apply."""
        return [f.path for f in self.files]


@dataclass(frozen=True)
class PatchInput:
    """A patch input made into commits."""

    name: str
    """The input's name (`task-c.patch`)."""
    tip: str
    """The last commit made from it (it takes part in the run like a branch tip)."""
    onto: str
    """The commit the first patch was applied onto."""
    made_on: Literal["origin", "base"]
    """`origin`: where the patch was made (its `index` lines match); `base`: onto BASE."""
    commits: int
    """Commits made (empty patches make none)."""
    three_way: tuple[str, ...] = ()
    """Files that needed the three-way fallback."""


@dataclass
class Inputs:
    """Every input, in argument order."""

    tips: list[tuple[str, str]] = field(default_factory=list)
    """(name, tip) of every branch and every applied patch."""
    patches: list[PatchInput] = field(default_factory=list)
    """The patch inputs that applied."""
    unapplied: list[UnappliedPatch] = field(default_factory=list)
    """The patch inputs that do not apply."""


def has_patches(args: Sequence[str], cwd: Path) -> bool:
    """True when any argument is a patch input."""
    return any(is_patch_argument(a, cwd) for a in args)


def gather_inputs(
    repo: Repo,
    base_commit: str,
    args: Sequence[str],
    cwd: Path,
    expand: Expand,
    stdin: bytes | None = None,
) -> Inputs:
    """Branch tips and patch commits for `args`, in argument order (see the module docstring).

    `stdin` is read from the process's standard input when `-` is an argument and it is None.
    """
    if not has_patches(args, cwd):
        return Inputs(tips=expand(tuple(args)))
    if STDIN in args and stdin is None:
        stdin = _read_stdin()
    patch_args = [a for a in args if is_patch_argument(a, cwd)]
    sources = iter(read_sources(patch_args, cwd, stdin))
    result = Inputs()
    seen: set[str] = set()
    group: list[str] = []
    pending: list[PatchSource] = []
    order: list[str | PatchSource] = []
    for arg in [*args, None]:
        if arg is not None and not is_patch_argument(arg, cwd):
            group.append(arg)
            continue
        if group:
            for name, tip in expand(tuple(group)):
                if name not in seen:
                    seen.add(name)
                    result.tips.append((name, tip))
                    order.append(name)
            group = []
        if arg is not None:
            source = next(sources)
            pending.append(source)
            order.append(source)
    branch_tips = [tip for _, tip in result.tips]
    made: dict[str, tuple[str, str]] = {}
    for source in pending:
        outcome = make_patch_commits(repo, base_commit, source, [base_commit, *branch_tips])
        if isinstance(outcome, UnappliedPatch):
            result.unapplied.append(outcome)
        else:
            result.patches.append(outcome)
            made[source.name] = (source.name, outcome.tip)
    by_name = dict(result.tips)
    result.tips = []
    for item in order:
        if isinstance(item, PatchSource):
            if item.name in made:
                result.tips.append(made[item.name])
        else:
            result.tips.append((item, by_name[item]))
    return result


def _read_stdin() -> bytes:
    if sys.stdin is None or sys.stdin.isatty():
        raise MergekitError("`-` reads a patch from standard input — pipe one in (`git diff | mergekit ...`)")
    return sys.stdin.buffer.read()


def make_patch_commits(
    repo: Repo, base_commit: str, source: PatchSource, starts: Sequence[str]
) -> PatchInput | UnappliedPatch:
    """Make the commits of one patch file: where it was made when found, else onto BASE (three-way)."""
    commits = split_commits(source)
    parsed: list[list[FilePatch]] = []
    for commit in commits:
        try:
            parsed.append(parse_diff(commit.diff))
        except MergekitError as exc:
            raise MergekitError(f"{source.name}: {exc.message}") from exc
    origin = find_origin(repo, starts, _first_touches(parsed))
    if origin is not None:
        made = _apply_series(repo, source.name, origin, commits, parsed, three_way=False)
        if isinstance(made, PatchInput):
            return made
    return _apply_series(repo, source.name, base_commit, commits, parsed, three_way=True)


def _first_touches(parsed: Sequence[Sequence[FilePatch]]) -> list[FilePatch]:
    """Each path's first change in a series: what the commit the series was made from must hold."""
    seen: set[str] = set()
    first: list[FilePatch] = []
    for files in parsed:
        for fp in files:
            path = fp.old_path if fp.old_path is not None else fp.path
            if path not in seen:
                first.append(fp)
            seen.update(p for p in (fp.old_path, fp.new_path) if p is not None)
    return first


def _apply_series(
    repo: Repo,
    name: str,
    start: str,
    commits: Sequence[PatchCommit],
    parsed: Sequence[Sequence[FilePatch]],
    three_way: bool,
) -> PatchInput | UnappliedPatch:
    current = start
    made = 0
    merged_3way: list[str] = []
    for number, (commit, files) in enumerate(zip(commits, parsed, strict=True), 1):
        tree = repo.commit_tree(current)
        applied = apply_to_tree(repo, tree, files, three_way=three_way)
        if applied.tree is None:
            subject = commit.message.split("\n", 1)[0]
            return UnappliedPatch(name, number, subject, tuple(_failure(f) for f in applied.failures))
        merged_3way.extend(applied.three_way)
        if applied.tree == tree:
            continue
        message = commit.message or f"Apply {name}\n"
        author = None
        if commit.author_name and commit.author_email and commit.author_time is not None:
            when = (commit.author_time, commit.author_offset)
            author = Identity(commit.author_name, commit.author_email, *when)
        current = repo.create_commit(applied.tree, [current], message, author=author)
        made += 1
    return PatchInput(
        name=name,
        tip=current,
        onto=start,
        made_on="base" if three_way else "origin",
        commits=made,
        three_way=tuple(dict.fromkeys(merged_3way)),
    )


def _failure(failure: FileFailure) -> PatchFileFailure:
    hunks = tuple(
        HunkFailure(h.header, h.old_start, h.old_lines, h.new_start, h.new_lines) for h in failure.hunks
    )
    return PatchFileFailure(path=failure.path, reason=failure.reason, hunks=hunks)


def describe_unapplied(patch: UnappliedPatch) -> str:
    """One line for people: which commit, which files, which hunks."""
    which = f" (commit {patch.commit}: {patch.subject})" if patch.subject else ""
    parts = []
    for f in patch.files:
        hunks = ", ".join(h.header for h in f.hunks)
        parts.append(f"{f.path}: {f.reason}" + (f" [{hunks}]" if hunks else ""))
    return f"{patch.name} does not apply{which}: " + "; ".join(parts)
