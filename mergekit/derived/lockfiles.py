"""The file names of the built-in lockfiles, for the merge driver's first question: is this one?

git starts the driver once per conflicted file, and almost none is a lockfile, so the answer must
not cost the recipes (`mergekit.derived.recipes`; `tests/test_derived_jobs.py` checks that both name
the same files). Nothing is imported here.
"""

from __future__ import annotations

LOCKFILE_NAMES = frozenset(
    {
        "package-lock.json",
        "pnpm-lock.yaml",
        "yarn.lock",
        "Cargo.lock",
        "uv.lock",
        "poetry.lock",
        "go.sum",
        "Gemfile.lock",
    }
)
"""The file names of every built-in lockfile (the outputs of the lockfile recipes)."""

UNIONED_AS_LINES = frozenset({"go.sum"})
"""Lockfiles that are a plain set of lines: the merge driver may still union them."""


def never_unioned(path: str) -> bool:
    """True when the driver must not union `path` (a repository path): a lockfile, by file name."""
    name = path.rsplit("/", 1)[-1]
    return name in LOCKFILE_NAMES and name not in UNIONED_AS_LINES
