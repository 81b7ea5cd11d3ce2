"""Time `mergekit check` on a generated repository (see bench/genrepo.py) with 5, 10 and 20 branches.

Generates (or reuses) a repository with `genrepo.generate`, then runs `check_branches` in process
on the first N feature branches for each N, `--repeat` times, and prints one JSON object: for each
N the pairs checked (N against BASE + N*(N-1)/2 between branches), the best and median wall time,
and the time per pair, so the growth with the number of branches shows. With `--profile` it also
prints where the time goes for the largest N (cProfile, top functions by cumulative time).

    python bench/bench_check.py [--repo DIR] [--files 20000] [--branches 5,10,20] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genrepo import generate

from mergekit.app.check import CheckOptions, check_branches


def _time_check(repo: Path, branches: list[str], repeat: int) -> dict[str, object]:
    times: list[float] = []
    summary: dict[str, int] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        report = check_branches(CheckOptions(cwd=repo, into="main", branches=tuple(branches)))
        times.append(time.perf_counter() - started)
        summary = {
            "clean": sum(p.status == "clean" for p in report.pairs),
            "auto_resolved": sum(p.status == "auto_resolved" for p in report.pairs),
            "needs_human": sum(p.status == "needs_human" for p in report.pairs),
            "collisions": len(report.collisions),
        }
    pairs = len(branches) + len(branches) * (len(branches) - 1) // 2
    return {
        "branches": len(branches),
        "pairs": pairs,
        "best_s": round(min(times), 3),
        "median_s": round(statistics.median(times), 3),
        "per_pair_ms": round(1000 * min(times) / pairs, 1),
        "outcome": summary,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: generate or reuse a repository, time the check, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--repo", type=Path, help="an existing genrepo repository (default: generate one)")
    parser.add_argument("--files", type=int, default=20_000, help="files on main when generating")
    parser.add_argument("--branches", default="5,10,20", help="branch counts to time (comma-separated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per branch count (best and median)")
    parser.add_argument("--profile", action="store_true", help="profile the largest branch count")
    args = parser.parse_args(argv)
    counts = sorted(int(n) for n in args.branches.split(","))
    with tempfile.TemporaryDirectory(prefix="mergekit-bench-") as tmp:
        repo = args.repo
        generated: dict[str, object] = {}
        if repo is None:
            made = generate(
                Path(tmp) / "repo", files=args.files, branches=max(counts), touch=50, seed=0, checkout=False
            )
            repo, names = made.path, made.branches
            generated = {"files": made.files, "generate_s": made.seconds}
        else:
            listing = subprocess.run(
                ["git", "for-each-ref", "--format=%(refname:short)", "refs/heads/feature/"],
                cwd=repo,
                capture_output=True,
                text=True,
                check=True,
            )
            names = sorted(listing.stdout.split())
        if len(names) < max(counts):
            print(f"bench_check: the repository has {len(names)} feature branches", file=sys.stderr)
            return 2
        results = [_time_check(repo, names[:n], args.repeat) for n in counts]
        out: dict[str, object] = {"repo": str(repo), **generated, "results": results}
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            check_branches(CheckOptions(cwd=repo, into="main", branches=tuple(names[: max(counts)])))
            profiler.disable()
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(25)
            out["profile"] = buffer.getvalue().splitlines()
        json.dump(out, sys.stdout, indent=2)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
