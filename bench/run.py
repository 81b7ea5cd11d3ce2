"""Run mergekit's performance benchmarks against git, and write the results as Markdown.

One command measures everything in one run, on this machine, so the ratios compare like
with like:

- `mergekit integrate` of 5 and 20 branches (fast engine, and libgit2's full-index merge
  forced with MERGEKIT_FULL_MERGE=1) vs the floor — a chain of `git merge-tree --write-tree`
  + `git commit-tree` — and vs sequential `git merge` in a worktree (bench/peers.py), on
  repositories of 20k and 100k files made by bench/genrepo.py;
- `mergekit check` and `mergekit plan` with 20 branches (190 pairs);
- `mergekit merge-file` as a git driver process vs `git merge-file` on a 300-line barrel
  conflict and on a 10k-line file with 50 conflicting hunks, with `python -c pass` as the
  floor; the resolver in-process on the 10k-line file;
- peak RSS of every process (os.wait4), medians of several runs, and how the cost grows
  with the repository size and with the number of branches.

Every timed run starts from a fresh local bare clone of the generated repository (made
before the clock starts), so runs never see each other's objects or refs.

    python bench/run.py [--quick] [--repeat N] [--out docs/benchmarks-performance.md] [--work DIR]
    python bench/run.py --from-json bench/results/performance.json   # re-render the Markdown only
    python bench/breakdown.py REPO N                                  # where one integrate spends its time

`--quick` uses small repositories (2k and 10k files) and fewer runs: a smoke test of the
harness in about a minute. The full run takes 10-20 minutes (sequential `git merge` in a
100k-file worktree dominates).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:
    from bench.genrepo import generate, git_env
    from bench.peers import TIME, feature_branches, merge_tree_chain, peak_kb_from, sequential_merge
except ImportError:  # run as a script: bench/ itself is on sys.path
    from genrepo import generate, git_env  # type: ignore[no-redef, import-not-found]
    from peers import (  # type: ignore[no-redef, import-not-found]
        TIME,
        feature_branches,
        merge_tree_chain,
        peak_kb_from,
        sequential_merge,
    )

ROOT = Path(__file__).resolve().parent.parent
MERGEKIT = Path(sys.executable).parent / "mergekit"
"""The console script git would run as a merge driver."""


@dataclass
class Sample:
    """One measured thing: the median over runs, and every run."""

    name: str
    """What ran."""
    seconds: float
    """Median wall time."""
    peak_rss_mb: float
    """Largest peak RSS of any process over all runs (MiB)."""
    runs: list[float] = field(default_factory=list)
    """Every run's wall time."""
    note: str = ""
    """Exit status, outcome, or why it was skipped."""


@dataclass
class Process:
    """One finished child process."""

    seconds: float
    peak_kb: int
    code: int
    stdout: str
    stderr: str


def run_process(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Process:
    """Run `cmd`; wall time, the child's own peak RSS, exit code and output.

    The peak RSS comes from GNU time where installed: `os.wait4` alone would also count the
    pages of this (larger) Python process, which the child had before it exec'd.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile() as timed,
    ):
        argv = list(cmd) if TIME is None else [TIME, "-f", "%M", "-o", timed.name, *cmd]
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        measured = peak_kb_from(timed.name) if TIME is not None else None
        out.seek(0)
        err.seek(0)
        return Process(
            elapsed,
            measured if measured is not None else usage.ru_maxrss,
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def mergekit_env(**extra: str) -> dict[str, str]:
    """The hermetic git environment of the generated repositories, for mergekit processes too."""
    env = git_env()
    env.update(extra)
    return env


def median_sample(name: str, runs: list[tuple[float, float]], note: str = "") -> Sample:
    """A Sample from (seconds, peak MiB) runs."""
    times = [t for t, _ in runs]
    return Sample(name, round(statistics.median(times), 4), round(max(m for _, m in runs), 1), times, note)


class Bench:
    """A benchmark session: a work directory, the repetition count, and the collected results."""

    def __init__(self, work: Path, repeat: int) -> None:
        self.work = work
        self.repeat = repeat
        self.results: dict[str, dict[str, Sample]] = {}
        self._clones = 0

    def record(self, group: str, sample: Sample) -> Sample:
        """Keep `sample` under `group` and say so on stderr."""
        self.results.setdefault(group, {})[sample.name] = sample
        print(
            f"  {group:28s} {sample.name:44s} {sample.seconds:9.3f} s"
            f"  {sample.peak_rss_mb:7.1f} MiB {sample.note}",
            file=sys.stderr,
            flush=True,
        )
        return sample

    def clone(self, source: Path) -> Path:
        """A fresh local bare clone of `source` (hard links to its pack: cheap, not timed)."""
        self._clones += 1
        target = self.work / "clones" / f"c{self._clones}"
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        proc = run_process(
            ["git", "clone", "-q", "--bare", "--local", str(source), str(target)], self.work, git_env()
        )
        if proc.code:
            raise RuntimeError(f"git clone failed: {proc.stderr}")
        return target

    def repeat_fresh(
        self, source: Path, once: Callable[[Path], tuple[float, float, str]], times: int | None = None
    ) -> tuple[list[tuple[float, float]], str]:
        """Run `once` on fresh clones; (seconds, peak MiB) of each run and the last note."""
        runs: list[tuple[float, float]] = []
        note = ""
        for _ in range(times or self.repeat):
            clone = self.clone(source)
            try:
                seconds, peak, note = once(clone)
            finally:
                shutil.rmtree(clone, ignore_errors=True)
            runs.append((seconds, peak))
        return runs, note


# --- repositories ----------------------------------------------------------------------------


def repository(bench: Bench, files: int) -> tuple[Path, list[str]]:
    """Generate (or reuse) the 20-branch repository with `files` files."""
    path = bench.work / f"repo-{files}"
    if not (path / "HEAD").exists() and not (path / ".git").exists():
        if path.exists():
            shutil.rmtree(path)
        started = time.perf_counter()
        generate(path, files=files, branches=20, touch=50, checkout=False)
        print(f"generated {files} files in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path, feature_branches(path)


# --- integrate -------------------------------------------------------------------------------


def integrate_once(branches: list[str], full: bool) -> Callable[[Path], tuple[float, float, str]]:
    """One `mergekit integrate` run in a clone."""

    def once(clone: Path) -> tuple[float, float, str]:
        env = mergekit_env(MERGEKIT_FULL_MERGE="1" if full else "0")
        cmd = [str(MERGEKIT), "integrate", *branches, "--into", "main", "--branch", "bench/mergekit"]
        proc = run_process([*cmd, "--order", "given", "--json"], clone, env)
        status = "?"
        try:
            status = json.loads(proc.stdout)["status"]
        except (ValueError, KeyError):
            status = f"exit {proc.code}: {proc.stderr.strip()[-200:]}"
        return proc.seconds, proc.peak_kb / 1024, status

    return once


def peer_once(kind: str, branches: list[str]) -> Callable[[Path], tuple[float, float, str]]:
    """One run of a git peer (bench/peers.py) in a clone."""

    def once(clone: Path) -> tuple[float, float, str]:
        if kind == "chain":
            m = merge_tree_chain(clone, "main", branches)
            return m.seconds, m.peak_rss_mb, f"{m.conflicted_merges} merges with conflicts"
        m = sequential_merge(clone, "main", branches)
        return m.seconds, m.peak_rss_mb, f"worktree add {m.phases.get('worktree add', 0):.1f}s"

    return once


def bench_integrate(bench: Bench, files: int, counts: Sequence[int], peers: bool, full: bool) -> None:
    """mergekit integrate (fast, and full libgit2) vs the merge-tree chain and sequential git merge."""
    source, all_branches = repository(bench, files)
    for count in counts:
        group = f"integrate {count} @ {files // 1000}k"
        chosen = all_branches[:count]
        runs, note = bench.repeat_fresh(source, integrate_once(chosen, full=False))
        bench.record(group, median_sample("mergekit integrate", runs, note))
        if full:
            runs, note = bench.repeat_fresh(source, integrate_once(chosen, full=True))
            bench.record(group, median_sample("mergekit integrate (libgit2 full merge)", runs, note))
        runs, note = bench.repeat_fresh(source, peer_once("chain", chosen))
        bench.record(group, median_sample("git merge-tree chain (floor)", runs, note))
        if peers:
            runs, note = bench.repeat_fresh(source, peer_once("sequential", chosen))
            bench.record(group, median_sample("sequential git merge in a worktree", runs, note))


def bench_check_plan(bench: Bench, files: int, count: int) -> None:
    """`mergekit check` and `mergekit plan` of `count` branches (all pairs)."""
    source, all_branches = repository(bench, files)
    chosen = all_branches[:count]
    group = f"check/plan {count} @ {files // 1000}k"
    has_check = run_process([str(MERGEKIT), "check", "--help"], ROOT, mergekit_env()).code == 0
    commands: list[tuple[str, list[str]]] = [("mergekit plan", ["plan", *chosen, "--into", "main"])]
    if has_check:
        commands.insert(0, ("mergekit check", ["check", *chosen, "--into", "main", "--format", "json"]))
    for name, args in commands:
        for full in (False, True):
            label = name + (" (libgit2 full merge)" if full else "")

            def once(clone: Path, args: list[str] = args, full: bool = full) -> tuple[float, float, str]:
                env = mergekit_env(MERGEKIT_FULL_MERGE="1" if full else "0")
                proc = run_process([str(MERGEKIT), *args], clone, env)
                return proc.seconds, proc.peak_kb / 1024, f"exit {proc.code}"

            runs, note = bench.repeat_fresh(source, once)
            bench.record(group, median_sample(label, runs, note))


# --- the merge driver and the resolver -------------------------------------------------------


def barrel_case() -> tuple[bytes, bytes, bytes, str]:
    """A 300-line barrel; both sides append one export at the end (git conflicts)."""
    base = b"".join(f"export * from './modules/module-{i:03d}';\n".encode() for i in range(300))
    ours = base + b"export * from './features/billing';\n"
    theirs = base + b"export * from './features/audit-log';\n"
    return base, ours, theirs, "src/index.ts"


def big_case() -> tuple[bytes, bytes, bytes, str]:
    """A ~10k-line TypeScript file with 50 registries; each side appends to every one (50 hunks)."""
    base_parts, ours_parts, theirs_parts = [], [], []
    for k in range(50):
        head = f"// section {k}\nexport const registry{k} = [\n"
        entries = "".join(f"  'entry-{k}-{i}',\n" for i in range(60))
        tail = "];\n\n"
        body = "".join(
            f"export function helper{k}_{j}(x: number): number {{\n  return x * {j} + {k};\n}}\n\n"
            for j in range(35)
        )
        base_parts.append(head + entries + tail + body)
        ours_parts.append(head + entries + f"  'ours-{k}',\n" + tail + body)
        theirs_parts.append(head + entries + f"  'theirs-{k}',\n" + tail + body)
    return (
        "".join(base_parts).encode(),
        "".join(ours_parts).encode(),
        "".join(theirs_parts).encode(),
        "src/big.ts",
    )


def bench_driver(bench: Bench, runs: int) -> None:
    """The merge driver as git runs it, vs `git merge-file`, with the interpreter's start-up as floor."""
    group = "merge driver"
    floor = [run_process([sys.executable, "-c", "pass"], bench.work) for _ in range(runs)]
    bench.record(
        group, median_sample("python -c pass (floor)", [(p.seconds, p.peak_kb / 1024) for p in floor])
    )
    for label, case in (("300-line barrel", barrel_case()), ("10k lines, 50 hunks", big_case())):
        base, ours, theirs, path = case
        tmp = bench.work / "driver"
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / "base").write_bytes(base)
        (tmp / "theirs").write_bytes(theirs)
        for name, cmd, expect in (
            (
                f"mergekit merge-file, {label}",
                [str(MERGEKIT), "merge-file", "--path", path, "base", "ours", "theirs"],
                0,
            ),
            (f"git merge-file, {label}", ["git", "merge-file", "ours", "base", "theirs"], None),
        ):
            samples = []
            code = 0
            for _ in range(runs):
                (tmp / "ours").write_bytes(ours)
                proc = run_process(cmd, tmp, mergekit_env())
                code = proc.code
                samples.append((proc.seconds, proc.peak_kb / 1024))
            outcome = "clean" if code == 0 else f"{code} conflicts" if expect is None else f"exit {code}"
            bench.record(group, median_sample(name, samples, outcome))


_RESOLVER_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from bench.run import big_case
started = time.perf_counter()
from mergekit.resolve import resolve_file
imported = time.perf_counter() - started
base, ours, theirs, path = big_case()
times, clean = [], True
for _ in range(int(sys.argv[2]) + 1):
    started = time.perf_counter()
    answer = resolve_file(base, ours, theirs, path)
    times.append(time.perf_counter() - started)
    clean = clean and answer.clean
print(json.dumps({"import": imported, "times": times, "clean": clean}))
"""


def bench_resolver(bench: Bench, runs: int) -> None:
    """The resolver in one Python process on the 10k-line, 50-hunk file: first call, then warm."""
    group = "resolver in-process"
    proc = run_process([sys.executable, "-c", _RESOLVER_CHILD, str(ROOT), str(runs)], ROOT)
    if proc.code:
        bench.record(group, Sample("resolve_file, 10k lines, 50 hunks", 0.0, 0.0, [], proc.stderr[-200:]))
        return
    data = json.loads(proc.stdout)
    times, peak = data["times"], proc.peak_kb / 1024
    outcome = "clean" if data["clean"] else "conflicts left"
    first = f"{outcome}; importing the resolver took {_fmt(data['import'])}"
    bench.record(
        group,
        Sample(
            "resolve_file, 10k lines, 50 hunks (first call)",
            round(times[0], 4),
            round(peak, 1),
            times[:1],
            first,
        ),
    )
    bench.record(
        group,
        median_sample("resolve_file, 10k lines, 50 hunks (warm)", [(t, peak) for t in times[1:]], outcome),
    )


# --- machine and report ----------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS, Python, git, pygit2/libgit2 versions."""
    import pygit2

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    git = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "git": git.removeprefix("git version "),
        "pygit2 / libgit2": f"{getattr(pygit2, '__version__', '?')} / {pygit2.LIBGIT2_VERSION}",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "peak RSS measured by": "GNU time (%M)" if TIME else "os.wait4 (over-reports small processes)",
    }


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "—"


def report(bench: Bench, info: dict[str, str], args: argparse.Namespace, elapsed: float) -> str:
    """The results as Markdown."""
    res = bench.results
    lines = [
        "# Performance benchmarks",
        "",
        f"Generated by `python bench/run.py{' --quick' if args.quick else ''} --repeat {args.repeat}` "
        f"in {elapsed / 60:.1f} min. Medians of {args.repeat} runs (driver: {args.driver_runs} runs); "
        "peak RSS is the largest over the runs (for the git peers: the largest git process). "
        "Each run starts from a fresh local bare clone.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
    ]
    for group, samples in res.items():
        lines += [f"## {group}", "", "| what | median | peak RSS | runs | note |", "|---|---:|---:|---|---|"]
        for s in samples.values():
            runs = ", ".join(_fmt(t) for t in s.runs)
            lines.append(f"| {s.name} | {_fmt(s.seconds)} | {s.peak_rss_mb:.0f} MiB | {runs} | {s.note} |")
        lines.append("")
    lines += targets(res, args)
    lines += ratios(res)
    lines += growth(res, args)
    return "\n".join(lines) + "\n"


def targets(res: dict[str, dict[str, Sample]], args: argparse.Namespace) -> list[str]:
    """The issue's targets, each with the measured figure and met/missed."""
    large = f"{args.sizes[1] // 1000}k"
    small = f"{args.sizes[0] // 1000}k"
    rows: list[tuple[str, str, bool | None]] = []

    def get(group: str, name: str) -> Sample | None:
        return res.get(group, {}).get(name)

    mk = get(f"integrate 5 @ {large}", "mergekit integrate")
    chain = get(f"integrate 5 @ {large}", "git merge-tree chain (floor)")
    seq = get(f"integrate 5 @ {large}", "sequential git merge in a worktree")
    if mk and chain:
        ratio = mk.seconds / chain.seconds
        rows.append((f"integrate 5 @ {large} within 2x of the merge-tree chain", f"{ratio:.1f}x", ratio <= 2))
    if mk and seq:
        ratio = seq.seconds / mk.seconds
        rows.append(
            (
                f"integrate 5 @ {large} at least 5x faster than sequential git merge",
                f"{ratio:.1f}x",
                ratio >= 5,
            )
        )
    check = get(f"check/plan 20 @ {small}", "mergekit check")
    if check:
        rows.append((f"check 20 branches @ {small} <= 3 s", _fmt(check.seconds), check.seconds <= 3))
    driver = get("merge driver", "mergekit merge-file, 300-line barrel")
    if driver:
        rows.append(
            ("merge-file driver, 300-line barrel <= 120 ms", _fmt(driver.seconds), driver.seconds <= 0.12)
        )
    for name in (
        "resolve_file, 10k lines, 50 hunks (first call)",
        "resolve_file, 10k lines, 50 hunks (warm)",
    ):
        found = get("resolver in-process", name)
        if found:
            rows.append(
                (
                    f"resolver, 10k lines / 50 hunks <= 0.5 s ({name.split('(')[1][:-1]})",
                    _fmt(found.seconds),
                    found.seconds <= 0.5,
                )
            )
    peaks = [
        s.peak_rss_mb
        for g, ss in res.items()
        if g.startswith("integrate") and g.endswith(large)
        for n, s in ss.items()
        if n == "mergekit integrate"
    ]
    if peaks:
        rows.append(
            (f"integrate peak RSS @ {large} <= 300 MB", f"{max(peaks):.0f} MiB", max(peaks) <= 300 / 1.048576)
        )
    lines = ["## Targets (issue 5)", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {what} | {value} | {'met' if ok else 'missed'} |" for what, value, ok in rows]
    return [*lines, ""]


def ratios(res: dict[str, dict[str, Sample]]) -> list[str]:
    """Ratios vs the peers, in the same run."""
    lines = ["## Ratios (same run)", "", "| comparison | ratio |", "|---|---:|"]
    for group, samples in res.items():
        if not group.startswith("integrate"):
            continue
        mk = samples.get("mergekit integrate")
        chain = samples.get("git merge-tree chain (floor)")
        seq = samples.get("sequential git merge in a worktree")
        full = samples.get("mergekit integrate (libgit2 full merge)")
        if mk and chain:
            lines.append(f"| {group}: mergekit ÷ merge-tree chain | {_ratio(mk.seconds, chain.seconds)} |")
        if mk and seq:
            lines.append(f"| {group}: sequential git merge ÷ mergekit | {_ratio(seq.seconds, mk.seconds)} |")
        if mk and full:
            lines.append(
                f"| {group}: libgit2 full merge ÷ fast engine | {_ratio(full.seconds, mk.seconds)} |"
            )
    driver = res.get("merge driver", {})
    floor = driver.get("python -c pass (floor)")
    for label in ("300-line barrel", "10k lines, 50 hunks"):
        mk, git = driver.get(f"mergekit merge-file, {label}"), driver.get(f"git merge-file, {label}")
        if mk and git:
            lines.append(
                f"| driver, {label}: mergekit ÷ git merge-file | {_ratio(mk.seconds, git.seconds)} |"
            )
        if mk and floor:
            lines.append(
                f"| driver, {label}: mergekit minus python start-up | {_fmt(mk.seconds - floor.seconds)} |"
            )
    return [*lines, ""]


def growth(res: dict[str, dict[str, Sample]], args: argparse.Namespace) -> list[str]:
    """Time vs repository size and vs number of branches."""
    lines = ["## How cost grows", "", "Time vs repository size (integrate of 5 branches):", ""]
    lines += ["| files | mergekit integrate | libgit2 full merge | merge-tree chain | peak RSS (mergekit) |"]
    lines += ["|---:|---:|---:|---:|---:|"]
    for files in args.sizes:
        s = res.get(f"integrate 5 @ {files // 1000}k", {})
        mk, full, chain = (
            s.get(n)
            for n in (
                "mergekit integrate",
                "mergekit integrate (libgit2 full merge)",
                "git merge-tree chain (floor)",
            )
        )
        if mk:
            lines.append(
                f"| {files} | {_fmt(mk.seconds)} | {_fmt(full.seconds) if full else '—'} | "
                f"{_fmt(chain.seconds) if chain else '—'} | {mk.peak_rss_mb:.0f} MiB |"
            )
    lines += ["", f"Time vs number of branches ({args.sizes[0]} files):", ""]
    lines += [
        "| branches | mergekit integrate | merge-tree chain | per branch (mergekit) |",
        "|---:|---:|---:|---:|",
    ]
    for count in args.counts:
        s = res.get(f"integrate {count} @ {args.sizes[0] // 1000}k", {})
        mk, chain = s.get("mergekit integrate"), s.get("git merge-tree chain (floor)")
        if mk:
            lines.append(
                f"| {count} | {_fmt(mk.seconds)} | {_fmt(chain.seconds) if chain else '—'} "
                f"| {_fmt(mk.seconds / count)} |"
            )
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    """Command line: run the benchmarks, print progress on stderr, write the Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small repositories, fewer runs (a smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 3, quick 1)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-performance.md")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "bench" / "results" / "performance.json", help="raw results"
    )
    parser.add_argument("--work", type=Path, default=None, help="where repositories go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--no-sequential", action="store_true", help="skip sequential git merge (slow)")
    parser.add_argument("--from-json", type=Path, help="only re-render the report from a saved JSON file")
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.driver_runs = 5 if args.quick else 15
    args.sizes = [2_000, 10_000] if args.quick else [20_000, 100_000]
    args.counts = [2, 5, 10, 20]
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        bench = Bench(Path("."), args.repeat)
        bench.results = {g: {n: Sample(**v) for n, v in ss.items()} for g, ss in saved["results"].items()}
        args.out.write_text(
            report(bench, saved["machine"], args, saved.get("seconds", 0.0)), encoding="utf-8"
        )
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="mergekit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    started = time.perf_counter()
    bench = Bench(work, args.repeat)
    try:
        bench_driver(bench, args.driver_runs)
        bench_resolver(bench, max(3, args.repeat))
        small, large = args.sizes
        bench_integrate(bench, small, args.counts, peers=not args.no_sequential, full=True)
        bench_integrate(bench, large, [5, 20], peers=not args.no_sequential, full=True)
        bench_check_plan(bench, small, 20)
        bench_check_plan(bench, large, 20)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    text = report(bench, info, args, elapsed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    raw = {g: {n: asdict(s) for n, s in samples.items()} for g, samples in bench.results.items()}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": info, "seconds": elapsed, "results": raw}, indent=2) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
