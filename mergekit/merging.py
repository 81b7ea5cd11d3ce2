"""Settle the conflicts of one in-memory merge with the resolver: what is proven, what needs a human.

The single seam between the engine's conflicts and `mergekit.resolve.resolve_file`: content
conflicts go to the resolver; a clean answer becomes a resolution (reported with its rule),
anything else stays for a human together with the file content to show them (markers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mergekit.engine import Conflict, ConflictKind, Repo, Side
from mergekit.engine.linemerge import merge_texts
from mergekit.engine.types import MODE_FILE
from mergekit.resolve import FileResolution, Labels, resolve_file
from mergekit.resolve.linemerge import use_in_process
from mergekit.resolve.profiles import profile_for

# Everything that settles conflicts has pygit2 loaded already: run git's line merge in process
# (libgit2's xdiff, byte-identical to `git merge-file` in the merge style) instead of forking git.
use_in_process(merge_texts)

LINE_MERGE_RULE = "line-merge"
"""The rule reported when git's line merge alone settled a file libgit2 left conflicted."""


@dataclass
class Settlement:
    """The outcome of settling one merge's conflicts."""

    resolutions: dict[str, bytes] = field(default_factory=dict)
    """Path → merged bytes for every conflict the resolver proved."""
    auto_resolved: list[tuple[str, str]] = field(default_factory=list)
    """(path, rule) for every resolved conflict, in path order."""
    human: list[Conflict] = field(default_factory=list)
    """Conflicts left for a human."""
    contents: dict[str, bytes] = field(default_factory=dict)
    """Path → what to put in the work tree for a human (markers, or the surviving side)."""
    details: dict[str, str] = field(default_factory=dict)
    """Path → what the resolver did, hunk by hunk (entries added by each side), for the audit trail."""


def settle(conflicts: Sequence[Conflict], labels: Labels) -> Settlement:
    """Run the resolver on each content conflict; keep everything it cannot prove for a human."""
    result = Settlement()
    for conflict in conflicts:
        if conflict.is_content and conflict.ours is not None and conflict.theirs is not None:
            base = conflict.base.data if conflict.base is not None else None
            answer = resolve_file(
                base, conflict.ours.data, conflict.theirs.data, conflict.path, labels=labels
            )
            if answer.clean:
                result.resolutions[conflict.path] = answer.merged
                result.auto_resolved.append((conflict.path, answer.rule or LINE_MERGE_RULE))
                result.details[conflict.path] = describe(answer)
                continue
            result.contents[conflict.path] = answer.merged
        else:
            survivor = conflict.ours or conflict.theirs
            if survivor is not None and survivor.path == conflict.path:
                result.contents[conflict.path] = survivor.data
        result.human.append(conflict)
    return result


def clash_candidates(repo: Repo, base: str, ours: str, theirs: str, paths: frozenset[str]) -> list[Conflict]:
    """Of `paths` (changed on both sides, merged cleanly by git), those with a language profile
    that both sides changed differently, as base/ours/theirs values for `clashes`."""
    paths = frozenset(p for p in paths if profile_for(p) is not None)
    if not paths:
        return []
    ids = [repo.path_ids(commit, paths) for commit in (base, ours, theirs)]
    found = []
    for path in sorted(paths):
        oids = [side.get(path) for side in ids]
        if any(oid is None for oid in oids) or oids[1] == oids[2]:
            continue
        b, o, t = (Side(path, oid, MODE_FILE, repo.read_blob(oid)) for oid in oids if oid is not None)
        found.append(Conflict(path=path, kind=ConflictKind.CONTENT, base=b, ours=o, theirs=t))
    return found


def clashes(candidates: Sequence[Conflict], labels: Labels) -> Settlement:
    """Files git merged cleanly although both sides changed them: a key given two values is a conflict.

    `candidates` carry base/ours/theirs of such files; those the resolver's duplicate-key check
    rejects come back in `human` with the content (markers) to show.
    """
    result = Settlement()
    for candidate in candidates:
        if candidate.ours is None or candidate.theirs is None:
            continue
        base = candidate.base.data if candidate.base is not None else None
        answer = resolve_file(base, candidate.ours.data, candidate.theirs.data, candidate.path, labels=labels)
        if not answer.clean:
            result.human.append(candidate)
            result.contents[candidate.path] = answer.merged
    return result


def describe(answer: FileResolution) -> str:
    """One line per unioned region: the container and the entries that were added to it."""
    parts = []
    for hunk in answer.hunks:
        if not hunk.resolved:
            continue
        before = set(hunk.base_items)
        added = [item for item in hunk.merged_items if item not in before]
        shown = ", ".join(a if len(a) <= 60 else a[:57] + "..." for a in added[:8])
        more = f" and {len(added) - 8} more" if len(added) > 8 else ""
        parts.append(f"{hunk.rule}: {hunk.reason}; added {shown or 'nothing'}{more}")
    return " | ".join(parts)
