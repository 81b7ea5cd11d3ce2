"""Where one `mergekit integrate` run spends its time: wall-clock timers, no profiler overhead.

Runs `integrate` in this process on a copy of REPO (a local bare clone, removed afterwards)
with the first N feature branches, wrapping the functions that matter (plan predictions,
engine merges, resolver, changed-path walks, commits, state saves) with timers.

    python bench/breakdown.py REPO N [--full]
"""

from __future__ import annotations

import argparse
import collections
import functools
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    """Command line: print the breakdown, slowest part first."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("repo", type=Path)
    parser.add_argument("branches", type=int)
    parser.add_argument("--full", action="store_true", help="force libgit2's full-index merge")
    args = parser.parse_args(argv)
    if args.full:
        import os

        os.environ["MERGEKIT_FULL_MERGE"] = "1"
    work = Path(tempfile.mkdtemp(prefix="mergekit-breakdown-"))
    try:
        clone = work / "repo"
        subprocess.run(["git", "clone", "-q", "--bare", "--local", str(args.repo), str(clone)], check=True)
        refs = subprocess.run(
            ["git", "-C", str(clone), "for-each-ref", "--format=%(refname:short)", "refs/heads/feature/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[: args.branches]
        return _run(clone, refs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(clone: Path, branches: list[str]) -> int:
    started = time.perf_counter()
    import mergekit.app.integrate.run as run_mod
    import mergekit.app.integrate.runner as runner_mod
    import mergekit.app.integrate.types as types_mod
    import mergekit.engine.repo as repo_mod
    import mergekit.merging as merging_mod

    imported = time.perf_counter() - started
    spent: dict[str, float] = collections.defaultdict(float)
    calls: collections.Counter[str] = collections.Counter()

    def wrap(owner: Any, name: str, label: str) -> None:
        inner: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(inner)
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - began
                calls[label] += 1

        setattr(owner, name, timed)

    wrap(run_mod, "survey", "plan predictions (survey), in all")
    wrap(merging_mod.Merger, "settle", "merges judged (survey and steps), in all")
    wrap(merging_mod, "merge_commits", "  engine merges")
    wrap(merging_mod, "resolve_file", "  resolver (conflicts and duplicate-key checks)")
    wrap(repo_mod.Repo, "changed_paths", "changed-path walks (footprints, clash candidates)")
    wrap(repo_mod.Repo, "create_commit", "commit writes")
    wrap(runner_mod.Runner, "_save", "state saves")
    options = types_mod.IntegrateOptions(
        cwd=clone, into="main", branches=tuple(branches), result_branch="bench/breakdown", order="given"
    )
    began = time.perf_counter()
    report = run_mod.integrate(options)
    total = time.perf_counter() - began
    print(f"{len(branches)} branches: status {report.status}; imports {imported * 1000:.0f} ms; ", end="")
    print(f"integrate() {total * 1000:.0f} ms")
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {seconds * 1000:8.1f} ms  {calls[label]:4d} calls  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
