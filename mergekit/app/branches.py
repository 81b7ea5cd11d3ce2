"""Which commits a command works on: BASE, and the branches named, globbed or left implicit.

`integrate` and `plan` take branch names and globs; `check` also takes any revision a CI
checkout has (`HEAD`, `refs/pull/1/head`, a commit id). Without branch arguments all three take
the branches checked out in the repository's linked worktrees (the agents' branches).
"""

from __future__ import annotations

from collections.abc import Sequence

from mergekit.engine.repo import Repo
from mergekit.errors import MergekitError
from mergekit.plan import is_glob, select_branches

Tips = list[tuple[str, str]]
"""(name, commit) pairs in the order the user gave them."""


def resolve_base(repo: Repo, into: str) -> str:
    """The commit BASE names; a user error that says how to get it when it names nothing."""
    base = repo.resolve_commit(into)
    if base is None:
        raise MergekitError(
            f"BASE {into!r} not found — pass an existing branch, tag or commit to --into "
            "(in CI, fetch it first: `git fetch origin <base>` and use `origin/<base>`)"
        )
    return base


def _implicit(repo: Repo, exclude: Sequence[str] = ()) -> list[str]:
    """The branches of the linked worktrees, less `exclude`; a user error when there are none."""
    names = [n for n in repo.linked_branches() if n not in exclude]
    if not names:
        raise MergekitError(
            "no branches given and no linked worktree has a branch checked out — name the branches"
        )
    return names


def branch_tips(repo: Repo, patterns: Sequence[str], exclude: Sequence[str] = ()) -> Tips:
    """(name, tip) of branch names and globs (default: the linked worktrees' branches), less `exclude`.

    Naming an excluded branch (the run's result branch) is a user error.
    """
    if patterns:
        local, remote = repo.branch_names()
        names = select_branches(patterns, local, remote)
    else:
        names = _implicit(repo, exclude)
    clash = [n for n in names if n in exclude]
    if clash:
        raise MergekitError(f"{clash[0]!r} is the result branch — it cannot also be integrated")
    tips = []
    for name in names:
        tip = repo.resolve_commit(name)
        if tip is None:
            raise MergekitError(f"branch {name!r} has no commits — check the name")
        tips.append((name, tip))
    return tips


def revision_tips(repo: Repo, patterns: Sequence[str]) -> Tips:
    """(name, commit) of branch names, globs and plain revisions (`HEAD`, `refs/pull/1/head`), once each."""
    local, remote = repo.branch_names()
    patterns = list(patterns) or _implicit(repo)
    known = set(local) | set(remote)
    result: Tips = []
    seen: set[str] = set()
    for pattern in patterns:
        names = (
            select_branches([pattern], local, remote) if is_glob(pattern) or pattern in known else [pattern]
        )
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
