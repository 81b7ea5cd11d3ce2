"""Run mergekit's performance benchmarks against git, in one run, and write the report and its plot.

One command measures everything on this machine, so every ratio compares like with like:

- on a repository of FILES files (default 100k) made by bench/genrepo.py, for 5, 20, 50 and 100
  feature branches (every branch appends to four shared files, so every pair of branches
  conflicts in plain git and needs the resolver):
  - `mergekit check` and `mergekit plan` against their floor, `git merge-tree --write-tree` on
    every pair and on every branch with BASE (the pairs `check` predicts; timed on a sample of
    pairs and scaled to all of them, like ../shared/acceptance/perf.py);
  - `mergekit integrate --order auto` (and `--order given`) against its floor, the chain of
    `git merge-tree --write-tree` + `git commit-tree` over the same branches (bench/peers.py);
  - peak RSS of every mergekit process, and whether plan, check and integrate agree (plan's
    predicted auto-resolutions are integrate's, check needs no human where integrate needs none);
- the merge driver as git runs it (`mergekit merge-file` on a 300-line barrel and on a 10k-line
  file with 50 hunks) against `python -c pass` of the same interpreter and `git merge-file`, the
  runs interleaved; the resolver in one process (first call and warm).

Every mergekit run is a separate process with Python's bytecode already written (as after an
install), medians of `--repeat` runs; `integrate` runs start from a fresh local bare clone. The
load average is recorded around every measurement: the machine may be shared.

    python bench/run.py [--repeat 3] [--files 100000] [--counts 5,20,50,100] [--work DIR] [--keep]
    python bench/run.py --quick                      # 10k files, 2/5/10 branches: a smoke test
    python bench/run.py --from-json bench/results/performance.json   # re-render report and plot
    python bench/breakdown.py REPO N                 # where one integrate spends its time

Writes docs/benchmarks-performance.md, docs/benchmarks-performance.png (matplotlib: the `bench`
extra) and bench/results/performance.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

try:
    from bench.genrepo import generate, git_env
    from bench.peers import TIME, feature_branches, merge_tree_chain, peak_kb_from
except ImportError:  # run as a script: bench/ itself is on sys.path
    from genrepo import generate, git_env  # type: ignore[no-redef, import-not-found]
    from peers import (  # type: ignore[no-redef, import-not-found]
        TIME,
        feature_branches,
        merge_tree_chain,
        peak_kb_from,
    )

ROOT = Path(__file__).resolve().parent.parent
MERGEKIT = Path(sys.executable).parent / "mergekit"
"""The console script git would run as a merge driver (next to this interpreter)."""
PAIR_SAMPLE = 60
"""Pairs timed with `git merge-tree` per branch count; the floor is scaled to every pair."""


@dataclass
class Sample:
    """One measured thing: the median over runs, and every run."""

    name: str
    """What ran."""
    seconds: float
    """Median wall time."""
    peak_rss_mb: float
    """Largest peak RSS of any run (MiB)."""
    runs: list[float] = field(default_factory=list)
    """Every run's wall time."""
    note: str = ""
    """Exit status, outcome, or how the figure was made."""
    load: list[float] = field(default_factory=list)
    """The 1-minute load average before each run."""


@dataclass
class Process:
    """One finished child process."""

    seconds: float
    peak_kb: int
    code: int
    stdout: str
    stderr: str


def run_process(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Process:
    """Run `cmd`; wall time, the child's own peak RSS (GNU time where installed), exit code, output."""
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
    """The generated repositories' hermetic git environment, with Python allowed to use its bytecode."""
    env = git_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def load() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 2)


def median_sample(name: str, runs: list[tuple[float, float, float]], note: str = "") -> Sample:
    """A Sample from (seconds, peak MiB, load) runs."""
    times = [round(t, 4) for t, _, _ in runs]
    return Sample(
        name,
        round(statistics.median(times), 4),
        round(max(m for _, m, _ in runs), 1),
        times,
        note,
        [lo for _, _, lo in runs],
    )


class Bench:
    """A benchmark session: the work directory, the repetition count, and the collected results."""

    def __init__(self, work: Path, repeat: int) -> None:
        self.work = work
        self.repeat = repeat
        self.results: dict[str, dict[str, Sample]] = {}
        self.agreement: dict[str, str] = {}
        self._clones = 0

    def record(self, group: str, sample: Sample) -> Sample:
        """Keep `sample` under `group` and say so on stderr."""
        self.results.setdefault(group, {})[sample.name] = sample
        print(
            f"  {group:22s} {sample.name:44s} {sample.seconds:9.3f} s  {sample.peak_rss_mb:7.1f} MiB"
            f"  load {sample.load[0] if sample.load else 0:.1f}  {sample.note}",
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

    def repeat_runs(
        self, source: Path, once: Callable[[Path], tuple[float, float, str]], fresh: bool
    ) -> tuple[list[tuple[float, float, float]], str]:
        """Run `once` `repeat` times (fresh clones when `fresh`); (seconds, MiB, load) and the last note."""
        runs: list[tuple[float, float, float]] = []
        note = ""
        for _ in range(self.repeat):
            where = self.clone(source) if fresh else source
            before = load()
            try:
                seconds, peak, note = once(where)
            finally:
                if fresh:
                    shutil.rmtree(where, ignore_errors=True)
            runs.append((seconds, peak, before))
        return runs, note


# --- the repository ---------------------------------------------------------------------------


def repository(bench: Bench, files: int, branches: int) -> tuple[Path, list[str]]:
    """Generate (or reuse) the repository with `files` files and `branches` feature branches."""
    path = bench.work / f"repo-{files}-b{branches}"
    if not (path / "HEAD").exists() and not (path / ".git").exists():
        if path.exists():
            shutil.rmtree(path)
        started = time.perf_counter()
        generate(path, files=files, branches=branches, touch=50, checkout=False)
        print(f"generated {files} files, {branches} branches in {time.perf_counter() - started:.1f}s",
              file=sys.stderr)  # fmt: skip
    return path, feature_branches(path)


# --- plan, check, integrate ---------------------------------------------------------------------


def _mergekit(
    args: list[str], outputs: dict[str, Any] | None = None
) -> Callable[[Path], tuple[float, float, str]]:
    """One mergekit process in a repository: (seconds, peak MiB, its status or exit code); its JSON
    answer is kept in `outputs` under the command's name (the last run's)."""

    def once(repo: Path) -> tuple[float, float, str]:
        proc = run_process([str(MERGEKIT), *args], repo, mergekit_env())
        try:
            answer = json.loads(proc.stdout)
            status = str(answer.get("status", "planned"))
            if outputs is not None:
                outputs[args[0]] = answer
        except (ValueError, AttributeError):
            status = proc.stderr.strip()[-200:]
        return proc.seconds, proc.peak_kb / 1024, f"{status} (exit {proc.code})"

    return once


def pairs_floor(repo: Path, branches: list[str], seed: int = 1) -> tuple[float, int, int]:
    """`git merge-tree --write-tree` on every pair and every branch with main (what `check` predicts):
    (seconds scaled to all pairs, pairs, pairs timed)."""
    pairs = [("main", b) for b in branches] + list(combinations(branches, 2))
    chosen = random.Random(seed).sample(pairs, min(PAIR_SAMPLE, len(pairs)))
    env = git_env()
    started = time.perf_counter()
    for ours, theirs in chosen:
        subprocess.run(
            ["git", "merge-tree", "--write-tree", "--no-messages", ours, theirs],
            cwd=repo,
            env=env,
            capture_output=True,
            check=False,
        )
    elapsed = time.perf_counter() - started
    return elapsed * len(pairs) / len(chosen), len(pairs), len(chosen)


def bench_scale(bench: Bench, source: Path, branches: list[str]) -> None:
    """plan, check and integrate of `branches` against their floors, and whether they agree."""
    count = len(branches)
    group = f"{count} branches"
    runs = []
    for _ in range(bench.repeat):
        before = load()
        seconds, pairs, timed = pairs_floor(source, branches)
        runs.append((seconds, 0.0, before))
    bench.record(
        group,
        median_sample("git merge-tree, every pair (floor)", runs, f"{pairs} pairs, {timed} timed and scaled"),
    )
    chain_runs, note = bench.repeat_runs(source, _chain(branches), fresh=True)
    bench.record(group, median_sample("git merge-tree chain (floor)", chain_runs, note))
    answers: dict[str, Any] = {}
    check = ["check", *branches, "--into", "main", "--format", "json"]
    runs, note = bench.repeat_runs(source, _mergekit(check, answers), fresh=False)
    bench.record(group, median_sample("mergekit check", runs, note))
    plan = ["plan", *branches, "--into", "main", "--json"]
    runs, note = bench.repeat_runs(source, _mergekit(plan, answers), fresh=False)
    bench.record(group, median_sample("mergekit plan", runs, note))
    for order in ("auto", "given"):
        args = ["integrate", *branches, "--into", "main", "--branch", "bench/mergekit", "--order", order]
        runs, note = bench.repeat_runs(
            source, _mergekit([*args, "--json"], answers if order == "auto" else None), fresh=True
        )
        bench.record(group, median_sample(f"mergekit integrate --order {order}", runs, note))
    bench.agreement[group] = agreement(answers["check"], answers["plan"], answers["integrate"])


def _chain(branches: list[str]) -> Callable[[Path], tuple[float, float, str]]:
    def once(clone: Path) -> tuple[float, float, str]:
        m = merge_tree_chain(clone, "main", branches)
        return m.seconds, m.peak_rss_mb, f"{m.conflicted_merges} merges with conflicts"

    return once


def agreement(check: dict[str, Any], plan: dict[str, Any], run: dict[str, Any]) -> str:
    """Do the timed runs of plan, check and integrate (auto order) say the same?"""
    planned = sorted(
        (s["branch"], a["path"], a["rule"]) for s in plan["predicted"] for a in s["auto_resolved"]
    )
    done = sorted((a["branch"], a["path"], a["rule"]) for a in run["auto_resolved"])
    human_pairs = [p for p in check["pairs"] if p["status"] == "needs_human"]
    same = planned == done and plan["order"] == run["order"]
    same = same and (not human_pairs) == (run["status"] == "done") and not run["conflicts"]
    return (
        f"{'agree' if same else 'DISAGREE'}: integrate {run['status']}, {len(done)} auto-resolutions "
        f"(plan predicted {len(planned)}, same order {plan['order'] == run['order']}); check: "
        f"{len(check['pairs'])} pairs, {len(human_pairs)} need a human"
    )


# --- the merge driver and the resolver -------------------------------------------------------


def barrel_case() -> tuple[bytes, bytes, bytes, str]:
    """A 300-line barrel; both sides append one export at the end (git conflicts)."""
    base = b"".join(f"export * from './m{i}';\n".encode() for i in range(300))
    ours = base + b"export * from './a';\n"
    theirs = base + b"export * from './b';\n"
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
    """The merge driver as git runs it, `git merge-file`, and `python -c pass` (the floor), interleaved."""
    group = "merge driver"
    env = mergekit_env()
    tmp = bench.work / "driver"
    tmp.mkdir(parents=True, exist_ok=True)
    commands: dict[str, tuple[list[str], bytes | None]] = {
        "python -c pass (floor)": ([sys.executable, "-c", "pass"], None)
    }
    for label, (base, ours, theirs, path) in (
        ("300-line barrel", barrel_case()),
        ("10k lines, 50 hunks", big_case()),
    ):
        folder = tmp / label.split()[0]
        folder.mkdir(exist_ok=True)
        (folder / "base").write_bytes(base)
        (folder / "theirs").write_bytes(theirs)
        driver = [
            str(MERGEKIT),
            "merge-file",
            "--path",
            path,
            str(folder / "base"),
            str(folder / "ours"),
            str(folder / "theirs"),
        ]
        git = ["git", "merge-file", str(folder / "ours"), str(folder / "base"), str(folder / "theirs")]
        commands[f"mergekit merge-file, {label}"] = (driver, ours)
        commands[f"git merge-file, {label}"] = (git, ours)

    def once(name: str) -> Process:
        cmd, ours = commands[name]
        if ours is not None:
            Path(cmd[-2] if cmd[0] != "git" else cmd[2]).write_bytes(ours)
        return run_process(cmd, tmp, env)

    for _ in range(2):  # bytecode written, files in the page cache
        for name in commands:
            once(name)
    measured: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    codes: dict[str, int] = {}
    for _ in range(runs):
        for name in commands:
            before = load()
            proc = once(name)
            codes[name] = proc.code
            measured[name].append((proc.seconds, proc.peak_kb / 1024, before))
    for name, samples in measured.items():
        code = codes[name]
        note = "" if name.startswith("python") else ("clean" if code == 0 else f"exit {code}")
        if name.startswith("git merge-file") and code > 0:
            note = f"{code} conflicts"
        bench.record(group, median_sample(name, samples, note))


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
    before = load()
    proc = run_process([sys.executable, "-c", _RESOLVER_CHILD, str(ROOT), str(runs)], ROOT, mergekit_env())
    if proc.code:
        bench.record(group, Sample("resolve_file, 10k lines, 50 hunks", 0.0, 0.0, [], proc.stderr[-200:]))
        return
    data = json.loads(proc.stdout)
    times, peak = data["times"], proc.peak_kb / 1024
    outcome = "clean" if data["clean"] else "conflicts left"
    first = f"{outcome}; importing the resolver took {_fmt(data['import'])}"
    bench.record(
        group,
        median_sample("resolve_file, 10k lines, 50 hunks (first call)", [(times[0], peak, before)], first),
    )
    warm = [(t, peak, before) for t in times[1:]]
    bench.record(group, median_sample("resolve_file, 10k lines, 50 hunks (warm)", warm, outcome))


# --- machine, report and plot ------------------------------------------------------------------


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


def _x(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "—"


SCALE_ROWS = (
    ("mergekit check", "git merge-tree, every pair (floor)"),
    ("mergekit plan", "git merge-tree, every pair (floor)"),
    ("mergekit integrate --order auto", "git merge-tree chain (floor)"),
    ("mergekit integrate --order given", "git merge-tree chain (floor)"),
)


def report(bench: Bench, info: dict[str, Any], args: argparse.Namespace, elapsed: float) -> str:
    """The results as Markdown."""
    res = bench.results
    loads = [x for ss in res.values() for s in ss.values() for x in s.load]
    lines = [
        "# Performance benchmarks",
        "",
        f"Generated by `python bench/run.py{' --quick' if args.quick else ''} --repeat {args.repeat}` in "
        f"{elapsed / 60:.1f} min on a repository of {args.files} files (bench/genrepo.py, every branch "
        "touching 50 files and appending to four shared files). Medians of "
        f"{args.repeat} runs (driver: {args.driver_runs} interleaved runs); every mergekit run is its own "
        "process with its bytecode written; peak RSS is the largest over the runs (GNU time).",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
    ]
    if loads:
        lines.append(
            f"| 1-minute load average before each run | {min(loads):.1f} to {max(loads):.1f} "
            f"(median {statistics.median(loads):.1f}) on {os.cpu_count()} CPUs |"
        )
    lines += ["", "![time against branch count](benchmarks-performance.png)", ""]
    lines += scale_table(res, args)
    lines += targets(res, args, bench.agreement)
    for group, samples in res.items():
        lines += [
            f"## {group}",
            "",
            "| what | median | peak RSS | runs | load | note |",
            "|---|---:|---:|---|---|---|",
        ]
        for s in samples.values():
            runs = ", ".join(_fmt(t) for t in s.runs)
            load_range = f"{min(s.load):.1f}-{max(s.load):.1f}" if s.load else ""
            rss = f"{s.peak_rss_mb:.0f} MiB"
            lines.append(f"| {s.name} | {_fmt(s.seconds)} | {rss} | {runs} | {load_range} | {s.note} |")
        if group in bench.agreement:
            lines += ["", f"Agreement: {bench.agreement[group]}."]
        lines.append("")
    return "\n".join(lines) + "\n"


def scale_table(res: dict[str, dict[str, Sample]], args: argparse.Namespace) -> list[str]:
    """Time against branch count: each command, its floor, the ratio, and peak RSS."""
    lines = [
        "## Time against branch count",
        "",
        "| branches | command | mergekit | floor | ÷ floor | per branch | peak RSS |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for count in args.counts:
        samples = res.get(f"{count} branches", {})
        for name, floor_name in SCALE_ROWS:
            mk, floor = samples.get(name), samples.get(floor_name)
            if mk is None:
                continue
            floor_text = _fmt(floor.seconds) if floor else "—"
            ratio = _x(mk.seconds, floor.seconds) if floor else "—"
            lines.append(
                f"| {count} | `{name.removeprefix('mergekit ')}` | {_fmt(mk.seconds)} | {floor_text} "
                f"| {ratio} | {_fmt(mk.seconds / count)} | {mk.peak_rss_mb:.0f} MiB |"
            )
    lines += [
        "",
        "Floors: `check` and `plan` against `git merge-tree --write-tree` on every pair they predict "
        "(N·(N-1)/2 pairs and N with BASE); `integrate` against the chain of `git merge-tree "
        "--write-tree` + `git commit-tree` over the same branches, which resolves nothing.",
        "",
    ]
    return lines


def targets(res: dict[str, dict[str, Sample]], args: argparse.Namespace, agree: dict[str, str]) -> list[str]:
    """The issue's targets, each with the measured figure and met/missed."""
    rows: list[tuple[str, str, bool]] = []
    at = max((c for c in args.counts if c <= 50), default=args.counts[-1])
    samples = res.get(f"{at} branches", {})
    pairs = samples.get("git merge-tree, every pair (floor)")
    chain = samples.get("git merge-tree chain (floor)")
    for name, limit, floor in (("mergekit check", 0.2, pairs), ("mergekit plan", 0.2, pairs)):
        mk = samples.get(name)
        if mk and floor:
            ratio = mk.seconds / floor.seconds
            rows.append(
                (
                    f"`{name[9:]}` {at} branches ≤ {limit}x merge-tree on every pair",
                    f"{ratio:.2f}x",
                    ratio <= limit,
                )
            )
    mk = samples.get("mergekit integrate --order auto")
    if mk and chain:
        ratio = mk.seconds / chain.seconds
        rows.append(
            (f"`integrate --order auto` {at} branches ≤ 3x the merge-tree chain", f"{ratio:.2f}x", ratio <= 3)
        )
    first, last = args.counts[0], args.counts[-1]
    for name in ("mergekit integrate --order auto", "mergekit integrate --order given", "mergekit check"):
        a = res.get(f"{first} branches", {}).get(name)
        b = res.get(f"{last} branches", {}).get(name)
        if a and b:
            growth = (b.seconds / last) / (a.seconds / first)
            rows.append(
                (
                    f"`{name[9:]}`: time per branch, {last} vs {first} branches (linear: 1x)",
                    f"{growth:.1f}x",
                    growth <= 2,
                )
            )
    peak = max(
        (s.peak_rss_mb for s in res.get(f"{last} branches", {}).values() if s.name.startswith("mergekit")),
        default=0.0,
    )
    if peak:
        rows.append(
            (f"peak RSS at {last} branches ≤ 300 MB", f"{peak * 1.048576:.0f} MB", peak * 1.048576 <= 300)
        )
    driver = res.get("merge driver", {})
    mk, floor = driver.get("mergekit merge-file, 300-line barrel"), driver.get("python -c pass (floor)")
    if mk and floor:
        ratio = mk.seconds / floor.seconds
        rows.append(
            ("`merge-file` on the 300-line barrel ≤ 2x `python -c pass`", f"{ratio:.2f}x", ratio <= 2)
        )
    if agree:
        ok = all(v.startswith("agree") for v in agree.values())
        rows.append(("plan, check and integrate agree at every scale", "yes" if ok else "no", ok))
    lines = ["## Targets (issue 13)", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {what} | {value} | {'met' if ok else 'missed'} |" for what, value, ok in rows]
    return [*lines, ""]


def plot(res: dict[str, dict[str, Sample]], args: argparse.Namespace, out: Path) -> bool:
    """Time against branch count (and the ratio to each floor) as a PNG; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return False
    counts = [c for c in args.counts if f"{c} branches" in res]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    series = [
        ("mergekit check", "C0", "-"),
        ("mergekit plan", "C1", "-"),
        ("mergekit integrate --order auto", "C2", "-"),
        ("mergekit integrate --order given", "C3", "-"),
        ("git merge-tree, every pair (floor)", "C0", ":"),
        ("git merge-tree chain (floor)", "C2", ":"),
    ]
    for name, color, style in series:
        ys = [res[f"{c} branches"].get(name) for c in counts]
        if all(y is not None for y in ys):
            left.plot(counts, [y.seconds for y in ys if y], style, color=color, marker="o", label=name)
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xticks(counts, [str(c) for c in counts])
    left.tick_params(axis="x", which="minor", labelbottom=False)
    left.set_xlabel("branches")
    left.set_ylabel("seconds (median)")
    left.set_title(f"Time against branch count, {args.files // 1000}k files")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    for name, floor_name in SCALE_ROWS:
        pairs = [(res[f"{c} branches"].get(name), res[f"{c} branches"].get(floor_name)) for c in counts]
        if all(a and b for a, b in pairs):
            right.plot(
                counts,
                [a.seconds / b.seconds for a, b in pairs if a and b],
                marker="o",
                label=f"{name} ÷ floor",
            )
    right.axhline(0.2, color="C0", linestyle="--", linewidth=0.8, label="target check/plan (0.2x)")
    right.axhline(3, color="C2", linestyle="--", linewidth=0.8, label="target integrate auto (3x)")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xticks(counts, [str(c) for c in counts])
    right.tick_params(axis="x", which="minor", labelbottom=False)
    right.set_xlabel("branches")
    right.set_ylabel("mergekit ÷ its git floor")
    right.set_title("Against the floor measured in the same run")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


NOTES = "<!-- notes written by hand: bench/run.py keeps everything below this line -->"
"""The line after which the report's hand-written notes start; regenerating keeps them."""


def write_report(out: Path, text: str) -> None:
    """Write the generated report, keeping the hand-written notes of the previous one."""
    notes = ""
    if out.exists():
        old = out.read_text(encoding="utf-8")
        if NOTES in old:
            notes = old[old.index(NOTES) :]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + ("\n" + notes if notes else ""), encoding="utf-8")


def _load_json(path: Path) -> tuple[Bench, dict[str, Any], float]:
    saved = json.loads(path.read_text())
    bench = Bench(Path("."), saved.get("repeat", 3))
    bench.results = {g: {n: Sample(**v) for n, v in ss.items()} for g, ss in saved["results"].items()}
    bench.agreement = saved.get("agreement", {})
    return bench, saved["machine"], saved.get("seconds", 0.0)


def main(argv: list[str] | None = None) -> int:
    """Command line: run the benchmarks, print progress on stderr, write the report, plot and JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="10k files, 2/5/10 branches, one run: a smoke test"
    )
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 3, quick 1)")
    parser.add_argument("--files", type=int, default=None, help="files in the repository (default 100000)")
    parser.add_argument("--counts", default=None, help="branch counts (default 5,20,50,100)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-performance.md")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "performance.json")
    parser.add_argument("--work", type=Path, default=None, help="where repositories go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--no-driver", action="store_true", help="skip the merge driver and the resolver")
    parser.add_argument("--from-json", type=Path, help="only re-render the report and plot from a saved JSON")
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.driver_runs = 5 if args.quick else 15
    args.files = args.files or (10_000 if args.quick else 100_000)
    args.counts = [int(c) for c in (args.counts or ("2,5,10" if args.quick else "5,20,50,100")).split(",")]
    png = args.out.with_suffix(".png")
    if args.from_json:
        bench, info, elapsed = _load_json(args.from_json)
        saved = json.loads(args.from_json.read_text())
        args.repeat, args.files, args.counts = bench.repeat, saved["files"], saved["counts"]
        write_report(args.out, report(bench, info, args, elapsed))
        plot(bench.results, args, png)
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="mergekit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    started = time.perf_counter()
    bench = Bench(work, args.repeat)
    try:
        source, branches = repository(bench, args.files, max(args.counts))
        for command in (
            ["check", "--format", "json"],
            ["plan", "--json"],
            ["integrate", "--dry-run", "--json"],
        ):
            _mergekit([command[0], *branches[:2], "--into", "main", *command[1:]])(source)  # bytecode written
        if not args.no_driver:
            bench_driver(bench, args.driver_runs)
            bench_resolver(bench, max(3, args.repeat))
        for count in args.counts:
            bench_scale(bench, source, branches[:count])
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    info["load average at the end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    write_report(args.out, report(bench, info, args, elapsed))
    plot(bench.results, args, png)
    raw = {g: {n: asdict(s) for n, s in samples.items()} for g, samples in bench.results.items()}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    saved = {"machine": info, "seconds": elapsed, "repeat": args.repeat, "files": args.files,
             "counts": args.counts, "agreement": bench.agreement, "results": raw}  # fmt: skip
    args.json.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"wrote {args.out}, {png} and {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
