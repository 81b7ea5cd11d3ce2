"""Time what mergekit is measured against, on a generated repository (see bench/genrepo.py).

Two peers, each integrating the same branches into a new ref in the same order:

- the floor, `merge_tree_chain`: for each branch, `git merge-tree --write-tree` of the result so
  far and the branch, then `git commit-tree` with both parents. No resolution: conflicted trees are
  committed with their markers, so this is the cost of merging alone.
- what users do today, `sequential_merge`: a fresh linked worktree on a new branch at BASE, then
  `git merge --no-edit` of each branch. So that the run can go on, the shared files' conflicts are
  settled the cheapest way git offers: a `merge=union` attribute (through `core.attributesFile`,
  the repository is not changed) - a lower bound on what a person spends.

Each git process's own peak RSS is measured by GNU time (`/usr/bin/time -f %M`) where it is
installed, otherwise with `os.wait4` (which on Linux also counts the pages of the Python process
that spawned it, so it over-reports small processes); a peer's peak memory is the largest of its
processes'.

    python bench/peers.py REPO [--branches N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:
    from bench.genrepo import SHARED_FILES, git_env
except ImportError:  # run as a script: bench/ itself is on sys.path
    from genrepo import SHARED_FILES, git_env  # type: ignore[no-redef, import-not-found]


@dataclass
class Measurement:
    """Wall time and peak memory of one peer run."""

    peer: str
    """Which peer ran."""
    branches: int
    """How many branches it integrated."""
    seconds: float
    """Wall time of the whole run."""
    peak_rss_mb: float
    """Largest resident set size of any process it started, in MiB."""
    processes: int
    """Number of git processes it started."""
    conflicted_merges: int | None
    """Merges with content conflicts (committed with markers); None where the peer cannot tell."""
    phases: dict[str, float] = field(default_factory=dict)
    """Wall time of parts of the run (e.g. worktree set-up), included in `seconds`."""
    result: str = ""
    """The resulting commit id."""


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
"""GNU time, for each child's own peak RSS (os.wait4 also counts the Python parent's pages)."""


def peak_kb_from(path: str) -> int | None:
    """The `%M` figure GNU time wrote as the last line of `path` (None if unreadable)."""
    try:
        return int(Path(path).read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


class Runner:
    """Runs git processes in a repository, recording each one's peak RSS."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.env = git_env()
        self.peak_kb = 0
        self.processes = 0

    def run(self, *args: str, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> tuple[int, str]:
        """Run git; return (exit code, stdout). Exit codes outside `ok` raise."""
        with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as timed:
            argv = ["git", *args] if TIME is None else [TIME, "-f", "%M", "-o", timed.name, "git", *args]
            proc = subprocess.Popen(
                argv, cwd=cwd or self.repo, env=self.env, stdout=subprocess.PIPE, stderr=err
            )
            assert proc.stdout is not None
            out = proc.stdout.read()
            proc.stdout.close()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            self.processes += 1
            measured = peak_kb_from(timed.name) if TIME is not None else None
            self.peak_kb = max(self.peak_kb, measured if measured is not None else usage.ru_maxrss)
            if code not in ok:
                err.seek(0)
                message = err.read().decode(errors="replace").strip()
                raise RuntimeError(f"git {' '.join(args)} exited {code}: {message}")
        return code, out.decode()

    @property
    def peak_mb(self) -> float:
        """Peak RSS so far in MiB."""
        return round(self.peak_kb / 1024, 1)


def feature_branches(repo: Path) -> list[str]:
    """The repository's `feature/*` branches, sorted (genrepo's creation order)."""
    _, out = Runner(repo).run("for-each-ref", "--format=%(refname:short)", "refs/heads/feature/")
    return sorted(out.split())


def merge_tree_chain(
    repo: Path, base: str, branches: list[str], ref: str = "refs/bench/merge-tree"
) -> Measurement:
    """The floor: chain `git merge-tree --write-tree` + `git commit-tree` over `branches`."""
    git = Runner(repo)
    started = time.perf_counter()
    _, out = git.run("rev-parse", "--verify", f"{base}^{{commit}}")
    current = out.strip()
    conflicted = 0
    for branch in branches:
        code, out = git.run("merge-tree", "--write-tree", "--no-messages", current, branch, ok=(0, 1))
        conflicted += code
        tree = out.split("\n", 1)[0]
        _, out = git.run("commit-tree", tree, "-p", current, "-p", branch, "-m", f"Merge {branch}")
        current = out.strip()
    git.run("update-ref", ref, current)
    elapsed = time.perf_counter() - started
    return Measurement(
        "git merge-tree chain",
        len(branches),
        round(elapsed, 3),
        git.peak_mb,
        git.processes,
        conflicted,
        result=current,
    )


def sequential_merge(
    repo: Path, base: str, branches: list[str], result: str = "bench/sequential"
) -> Measurement:
    """What users do today: a fresh worktree at `base` on branch `result`, `git merge` each branch."""
    git = Runner(repo)
    scratch = Path(tempfile.mkdtemp(prefix="mergekit-bench-"))
    attributes = scratch / "attributes"
    attributes.write_text("".join(f"/{path} merge=union\n" for path in SHARED_FILES))
    worktree = scratch / "worktree"
    try:
        started = time.perf_counter()
        git.run("worktree", "add", "-q", "-B", result, str(worktree), base)
        ready = time.perf_counter()
        for branch in branches:
            code, _ = git.run(
                "-c",
                f"core.attributesFile={attributes}",
                "merge",
                "-q",
                "--no-edit",
                "--no-ff",
                branch,
                cwd=worktree,
                ok=(0, 1),
            )
            if code:
                raise RuntimeError(f"git merge {branch} stopped despite merge=union on the shared files")
        _, out = git.run("rev-parse", "HEAD", cwd=worktree)
        elapsed = time.perf_counter() - started
    finally:
        git.run("worktree", "remove", "--force", str(worktree), ok=(0, 128))
        shutil.rmtree(scratch, ignore_errors=True)
    return Measurement(
        "sequential git merge in a worktree",
        len(branches),
        round(elapsed, 3),
        git.peak_mb,
        git.processes,
        None,
        phases={"worktree add": round(ready - started, 3), "merges": round(elapsed - (ready - started), 3)},
        result=out.strip(),
    )


def median_of(runs: list[Measurement]) -> Measurement:
    """The run with the median wall time (peak RSS: the largest over all runs)."""
    ordered = sorted(runs, key=lambda m: m.seconds)
    chosen = ordered[len(ordered) // 2]
    chosen.peak_rss_mb = max(m.peak_rss_mb for m in runs)
    return chosen


def measure(repo: Path, base: str, counts: list[int], repeat: int) -> list[Measurement]:
    """Median of `repeat` runs of each peer for the first N feature branches, for each N in `counts`."""
    branches = feature_branches(repo)
    results = []
    for count in counts:
        chosen = branches[:count]
        results.append(median_of([merge_tree_chain(repo, base, chosen) for _ in range(repeat)]))
        results.append(median_of([sequential_merge(repo, base, chosen) for _ in range(repeat)]))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line: time both peers and print the measurements as JSON."""
    parser = argparse.ArgumentParser(description="Time git's own ways of integrating branches.")
    parser.add_argument("repo", type=Path, help="a repository made by bench/genrepo.py")
    parser.add_argument("--base", default="main")
    parser.add_argument("--branches", type=int, action="append", help="branch counts (default: 5 and 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is kept")
    args = parser.parse_args(argv)
    results = measure(args.repo, args.base, args.branches or [5, 20], args.repeat)
    json.dump([asdict(m) for m in results], sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
