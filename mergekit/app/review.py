"""`mergekit review [RUN|COMMIT]`: every auto-resolution, as a diff against git's plain line merge.

A run (the paused or last integration run, or a result branch by name) is reviewed step by
step: each merge commit mergekit made on the result branch, and the paused step's files in the
hand-off worktree. A merge commit made with the merge driver (or by `sync`) is reviewed alone.
For each file both sides changed, git's line merge is recomputed; where it conflicted but the
committed file is clean, the resolver is run again to name the rule and the entries it added,
and the diff goes from git's conflicted text to what was committed. A file a person resolved
(the resolver would have left the conflict) is not an auto-resolution and is not listed.
Nothing is written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mergekit.engine.linemerge import merge_texts
from mergekit.engine.repo import Repo, open_repo
from mergekit.errors import MergekitError
from mergekit.model import RunStatus
from mergekit.output.commit import AUTO_RESOLVED_HEADER
from mergekit.resolve import Labels, line_merge, resolve_file
from mergekit.state import run as run_state

_RUN_SUBJECT = re.compile(r"^(?:Merge|Squash) branch '(?P<branch>.+)' into (?P<result>\S+)$")
_LISTED = re.compile(r"^  (?P<path>\S.*) \((?P<rule>[^()]+)\)$")


@dataclass(frozen=True)
class Resolution:
    """One auto-resolved file of one merge."""

    commit: str | None
    """The merge commit (None for the paused step, still in the hand-off worktree)."""
    branch: str
    """The branch merged in (theirs)."""
    path: str
    """The file."""
    rule: str
    """The rule that resolved it (`typescript:imports-exports`, `line-merge`, `memory`...)."""
    added: tuple[str, ...]
    """The entries the union added to base's (from both sides)."""
    diff: str
    """Unified diff from git's line merge (with markers) to the resolved file."""


@dataclass
class ReviewReport:
    """The answer of `mergekit review`."""

    kind: Literal["run", "commit"]
    """A run (result branch) or one merge commit."""
    target: str
    """The result branch, or the commit as named."""
    commits: list[str] = field(default_factory=list)
    """The merge commits looked at, oldest first."""
    resolutions: list[Resolution] = field(default_factory=list)
    """Every auto-resolution, in merge order."""


def review(cwd: Path, target: str | None = None) -> ReviewReport:
    """Review the run or merge commit `target` (default: the paused or last run)."""
    repo = open_repo(cwd)
    st = run_state.load(repo.common_dir)
    known = run_state.known_results(repo.common_dir)
    if target is None:
        if st is not None:
            target = st.result_branch
        elif known:
            target = _latest(repo, known)
        else:
            raise MergekitError(
                "no integration run to review — run `mergekit integrate`, or name a merge commit: "
                "`mergekit review COMMIT`"
            )
    if st is not None and target == st.result_branch:
        report = ReviewReport("run", target)
        _walk(repo, report, st.result_commit, stop=st.base_commit)
        if st.paused is not None and st.status is RunStatus.CONFLICT and st.worktree:
            _paused(repo, report, st)
        return report
    if target in known and repo.ref_target("refs/heads/" + target) is not None:
        report = ReviewReport("run", target)
        tip = repo.ref_target("refs/heads/" + target)
        assert tip is not None
        _walk(repo, report, tip, stop=None)
        return report
    commit = repo.resolve_commit(target)
    if commit is None:
        raise MergekitError(
            f"{target!r} is neither an integration run's branch nor a commit — check the name"
        )
    parents = repo.commit_parents(commit)
    if len(parents) != 2:
        raise MergekitError(
            f"{target} is not a merge commit (it has {len(parents)} parents) — name a merge commit"
        )
    report = ReviewReport("commit", target, commits=[commit])
    report.resolutions = _merge(repo, commit, parents[0], parents[1], _theirs_name(repo, commit, target))
    return report


def _latest(repo: Repo, known: dict[str, str]) -> str:
    """The result branch of the most recent finished run that still points where mergekit left it."""
    alive = [b for b, c in known.items() if repo.ref_target("refs/heads/" + b) == c]
    if not alive:
        raise MergekitError("the last runs' result branches have moved on — name a merge commit to review")
    return "integration" if "integration" in alive else sorted(alive)[0]


def _theirs_name(repo: Repo, commit: str, fallback: str) -> str:
    subject = repo.commit_message(commit).split("\n", 1)[0]
    found = re.match(r"^Merge (?:remote-tracking )?branch '(.+?)'", subject)
    return found.group(1) if found else fallback


def _walk(repo: Repo, report: ReviewReport, tip: str, stop: str | None) -> None:
    """The run's steps: first parents from `tip`, while they are mergekit's merges into the branch."""
    steps: list[tuple[str, list[str], str]] = []
    commit = tip
    while commit != stop:
        message = repo.commit_message(commit)
        found = _RUN_SUBJECT.match(message.split("\n", 1)[0])
        parents = repo.commit_parents(commit)
        if found is None or found.group("result") != report.target or not parents:
            break
        steps.append((commit, parents, found.group("branch")))
        commit = parents[0]
    for commit, parents, branch in reversed(steps):
        report.commits.append(commit)
        if len(parents) == 2:
            report.resolutions += _merge(repo, commit, parents[0], parents[1], branch)
        else:
            tip_now = repo.resolve_commit(branch)
            if tip_now is not None:  # a squash: theirs is the branch (as long as it has not moved)
                report.resolutions += _merge(repo, commit, parents[0], tip_now, branch)


def _listed(message: str) -> dict[str, str]:
    """path → rule from the `mergekit auto-resolved:` block of a commit message."""
    lines = message.splitlines()
    if AUTO_RESOLVED_HEADER not in lines:
        return {}
    found = {}
    for line in lines[lines.index(AUTO_RESOLVED_HEADER) + 1 :]:
        m = _LISTED.match(line)
        if m:
            found[m.group("path")] = m.group("rule")
    return found


def _merge(repo: Repo, commit: str, ours: str, theirs: str, branch: str) -> list[Resolution]:
    base = repo.merge_base(ours, theirs)
    if base is None:
        return []
    listed = _listed(repo.commit_message(commit))
    paths = sorted(set(listed) | (repo.changed_paths(base, ours) & repo.changed_paths(base, theirs)))
    found = []
    for path in paths:
        result = repo.read_path(commit, path)
        item = _resolution(repo, base, ours, theirs, path, result, branch, listed.get(path))
        if item is not None:
            found.append(Resolution(commit, *item))
    return found


def _resolution(
    repo: Repo,
    base: str,
    ours: str,
    theirs: str,
    path: str,
    result: bytes | None,
    branch: str,
    listed_rule: str | None,
) -> tuple[str, str, str, tuple[str, ...], str] | None:
    """(branch, path, rule, added, diff) when `result` is an auto-resolution of the three sides."""
    o, t = repo.read_path(ours, path), repo.read_path(theirs, path)
    if o is None or t is None or result is None:
        return None
    b = repo.read_path(base, path) or b""
    labels = Labels(ours="ours", base="base", theirs=branch)
    plain = line_merge(b, o, t, labels=labels, line_merger=merge_texts)
    if plain.merged == result:
        return None
    answer = resolve_file(b, o, t, path, labels=labels, line_merger=merge_texts)
    if answer.clean and answer.merged == result:
        rule = answer.rule or "line-merge"
        added: list[str] = []
        for hunk in answer.hunks:
            if hunk.resolved:
                before = set(hunk.base_items)
                added += [i for i in hunk.merged_items if i not in before and i not in added]
    elif listed_rule is not None:
        rule, added = listed_rule, []
    else:
        return None  # a person's resolution, not mergekit's
    return branch, path, rule, tuple(added), _diff(path, plain.merged, result)


def _paused(repo: Repo, report: ReviewReport, st: run_state.RunState) -> None:
    """The paused step's auto-resolved files, as they are in the hand-off worktree now."""
    paused = st.paused
    assert paused is not None and st.worktree is not None
    base = repo.merge_base(paused.ours, paused.theirs)
    if base is None:
        return
    for entry in st.auto_resolved:
        if entry.branch != paused.branch:
            continue
        try:
            result = (Path(st.worktree) / entry.path).read_bytes()
        except OSError:
            continue
        item = _resolution(
            repo, base, paused.ours, paused.theirs, entry.path, result, paused.branch, entry.rule
        )
        if item is not None:
            report.resolutions.append(Resolution(None, *item))


def _diff(path: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"git merge: {path}", f"mergekit: {path}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
