"""`mergekit undo PATH`: put back git's conflict for a file mergekit resolved, so a person decides.

Works wherever the merge's two sides are known: during a merge (`MERGE_HEAD`; a mergekit hand-off
worktree is one) ours is HEAD and theirs MERGE_HEAD; after a merge commit, its two parents. The
file gets git's plain line merge with conflict markers (the work tree's conflict style and marker
size) and the index gets stages 1/2/3, exactly as a plain `git merge` would have left it. In a
hand-off worktree the paused run learns about it too, so `mergekit continue` waits until the file
is resolved and `git add`ed. Only the git CLI is used (`mergekit.engine.gitcli`, no pygit2).

Refused, with nothing changed: a path that is already conflicted, that only one side changed (no
conflict to put back), whose line merge is clean, or whose file has changes not in the index
(unless `force`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mergekit.app.resolve_worktree import marker_sizes, read_blobs
from mergekit.engine.gitcli import conflict_style, run_git, toplevel
from mergekit.errors import MergekitError
from mergekit.model import ConflictKind, HumanConflict
from mergekit.resolve import Labels, line_merge
from mergekit.state import run as run_state
from mergekit.state.atomic import write_atomically


@dataclass(frozen=True)
class UndoReport:
    """What `undo` put back."""

    path: str
    """The file, relative to the top of the work tree."""
    root: Path
    """The top of the work tree."""
    ours: str
    """Ours' commit (HEAD, or the merge commit's first parent)."""
    theirs: str
    """Theirs' commit (MERGE_HEAD, or the second parent)."""
    base: str
    """Their merge base."""
    conflicts: int
    """Conflict hunks in the restored file."""
    after_commit: bool
    """True when the merge was already committed (resolve, `git add`, then `git commit --amend`)."""
    run_branch: str | None
    """The branch of the paused mergekit run that now waits for this file, if any."""


def _git(cwd: Path, *args: str, ok: tuple[int, ...] = (0,), stdin: bytes | None = None) -> str:
    """git's stdout ("" when it exits with one of the other `ok` statuses)."""
    result = run_git(args, cwd, stdin=stdin, check=False)
    if result.returncode not in ok:
        raise MergekitError(f"git {args[0]} failed in {cwd}: {result.error}")
    return result.stdout.decode("utf-8", "surrogateescape") if result.returncode == 0 else ""


def _commit(root: Path, rev: str) -> str | None:
    return _git(root, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}", ok=(0, 1)).strip() or None


def _entry(root: Path, commit: str, path: str) -> tuple[str, str] | None:
    """(mode, blob id) of `path` in `commit`, None when absent."""
    out = _git(root, "ls-tree", "-z", "--full-tree", commit, "--", path)
    for record in out.split("\0"):
        meta, _, name = record.partition("\t")
        if name == path:
            mode, kind, oid = meta.split()
            return (mode, oid) if kind == "blob" else None
    return None


def _repo_path(cwd: Path, root: Path, path: str) -> str:
    absolute = (cwd / path).resolve() if not Path(path).is_absolute() else Path(path).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise MergekitError(f"{path} is outside the work tree {root}") from exc


def undo_resolution(cwd: Path, path: str, *, force: bool = False) -> UndoReport:
    """Put git's conflict for `path` back into the work tree and the index (see the module doc)."""
    root = toplevel(cwd)
    if root is None:
        raise MergekitError(f"{cwd} is not inside a git work tree: run `mergekit undo` in one (or use -C)")
    rel = _repo_path(cwd, root, path)
    merge_head = _commit(root, "MERGE_HEAD")
    head = _commit(root, "HEAD")
    if head is None:
        raise MergekitError("HEAD has no commit here — there is no merge to undo")
    if merge_head is not None:
        ours, theirs, after_commit = head, merge_head, False
    else:
        second = _commit(root, "HEAD^2")
        if second is None:
            raise MergekitError(
                "no merge in progress here and HEAD is not a merge commit — run undo in the hand-off "
                "worktree, during a merge, or right after a merge commit"
            )
        first = _commit(root, "HEAD^1")
        assert first is not None
        ours, theirs, after_commit = first, second, True
    if _git(root, "ls-files", "-u", "--", rel).strip():
        raise MergekitError(f"{rel} is already conflicted — resolve it and `git add` it")
    base = _git(root, "merge-base", ours, theirs, ok=(0, 1)).strip()
    if not base:
        raise MergekitError(
            f"{ours[:12]} and {theirs[:12]} share no history — there is no base to merge from"
        )
    sides = [_entry(root, commit, rel) for commit in (base, ours, theirs)]
    b, o, t = sides
    if o is None or t is None:
        raise MergekitError(f"{rel} is missing on one side of the merge — mergekit did not resolve it")
    if o[1] == t[1] or (b is not None and (b[1] == o[1] or b[1] == t[1])):
        raise MergekitError(
            f"only one side changed {rel}: git merges it without a conflict — nothing to undo"
        )
    if not force:
        _refuse_local_changes(root, rel, after_commit)
    blobs = read_blobs(root, [s[1] for s in sides if s is not None])
    labels = _labels(root, theirs)
    merged = line_merge(
        blobs[b[1]] if b is not None else b"",
        blobs[o[1]],
        blobs[t[1]],
        labels=labels,
        marker_size=marker_sizes(root, [rel])[rel],
        style=conflict_style(root),
    )
    if merged.conflicts == 0:
        raise MergekitError(f"git's line merge of {rel} is clean — there is no conflict to put back")
    write_atomically(root / rel, merged.merged)
    lines = [f"0 {'0' * len(o[1])}\t{rel}"]
    lines += [
        f"{side[0]} {side[1]} {stage}\t{rel}" for stage, side in ((1, b), (2, o), (3, t)) if side is not None
    ]
    _git(
        root,
        "update-index",
        "--index-info",
        stdin=("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"),
    )
    run_branch = _tell_the_run(root, rel)
    return UndoReport(rel, root, ours, theirs, base, merged.conflicts, after_commit, run_branch)


def _refuse_local_changes(root: Path, rel: str, after_commit: bool) -> None:
    if _git(root, "diff", "--name-only", "--", rel).strip():
        raise MergekitError(
            f"{rel} has changes that are not in the index — `git add` or discard them, or pass --force"
        )
    if after_commit and _git(root, "diff", "--cached", "--name-only", "HEAD", "--", rel).strip():
        raise MergekitError(f"{rel} has staged changes — commit or discard them, or pass --force")


def _labels(root: Path, theirs: str) -> Labels:
    """Marker labels like git's own: HEAD, and theirs' branch name when the run or MERGE_MSG says it."""
    st = run_state.load(_common_dir(root))
    if st is not None and st.paused is not None and st.paused.theirs == theirs:
        return Labels(ours=st.result_branch, base="base", theirs=st.paused.branch)
    return Labels(ours="HEAD", base="base", theirs=theirs[:12])


def _common_dir(root: Path) -> Path:
    common = Path(_git(root, "rev-parse", "--git-common-dir").strip())
    return (common if common.is_absolute() else root / common).resolve()


def _tell_the_run(root: Path, rel: str) -> str | None:
    """In the paused run's hand-off worktree: list the file as a conflict of the paused step."""
    common = _common_dir(root)
    st = run_state.load(common)
    if st is None or st.paused is None or st.worktree is None:
        return None
    worktree = Path(st.worktree)
    if not worktree.exists() or not os.path.samefile(worktree, root):
        return None
    branch = st.paused.branch
    if rel not in st.paused.conflicts:
        st.paused.conflicts.append(rel)
    st.auto_resolved = [a for a in st.auto_resolved if not (a.branch == branch and a.path == rel)]
    if not any(c.branch == branch and c.path == rel for c in st.conflicts):
        st.conflicts.append(HumanConflict(branch, rel, ConflictKind.UNDONE))
    run_state.save(common, st)
    return branch
