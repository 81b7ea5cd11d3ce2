"""What one `mergekit merge-file` run (git's merge driver, once per conflicted file) costs, against
the interpreter's own start-up, on the 300-line barrel both sides append one `export * from` to.

    python bench/driver_startup.py [--runs 21] [--baseline SRC] [--instructions] [--importtime]

- wall time: medians (and minima) of interleaved runs of `python -c pass` (the floor a Python
  driver cannot beat, same interpreter), `mergekit merge-file`, `git merge-file`, and with
  `--baseline SRC` the driver run from another source tree (a checkout of main: its `mergekit`
  folder goes first on PYTHONPATH, so one venv serves both);
- `--instructions`: instructions executed by each (valgrind's callgrind, child processes
  included, so git's own count too), repeatable on a busy machine where wall times are not;
  the resolver's time limit is lifted, since valgrind runs 50 times slower;
- `--importtime`: each module's own import time (`-X importtime`, the least over the runs), in
  three groups: the resolver, the rest of mergekit, and modules `python -c pass` does not load.

Bytecode is written and warm before anything is timed, as after a normal install
(PYTHONDONTWRITEBYTECODE is dropped from the environment), and so is the profile cache.
Runs happen outside any repository, like the acceptance probe (`../shared/acceptance/perf_driver.py`);
in a real merge the driver also reads the repository's attributes (one `git check-attr`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PYTHON = sys.executable
MERGEKIT = str(Path(sys.executable).parent / "mergekit")
LIFTED = (
    "import sys; import mergekit.resolve.resolver as r; r.TIME_LIMIT = 1e9; "
    "from mergekit.entry import main; sys.exit(main(sys.argv[1:]))"
)
"""The driver with the resolver's time limit lifted (for valgrind)."""


def _barrel(folder: Path) -> None:
    base = "".join(f"export * from './m{i}';\n" for i in range(300))
    (folder / "b.ts").write_text(base)
    (folder / "o.ts").write_text(base + "export * from './a';\n")
    (folder / "t.ts").write_text(base + "export * from './b';\n")


def _env(pythonpath: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def _commands(baseline: str | None) -> dict[str, tuple[list[str], dict[str, str], bool]]:
    """name → (command, environment, whether it writes x.ts)."""
    driver = ["merge-file", "--path", "src/index.ts", "b.ts", "x.ts", "t.ts"]
    out = {
        "python -c pass": ([PYTHON, "-c", "pass"], _env(), False),
        "mergekit merge-file": ([MERGEKIT, *driver], _env(), True),
        "git merge-file": (["git", "merge-file", "x.ts", "b.ts", "t.ts"], _env(), True),
    }
    if baseline:
        out["mergekit merge-file (baseline)"] = ([MERGEKIT, *driver], _env(baseline), True)
    return out


def _run(folder: Path, cmd: list[str], env: dict[str, str], writes: bool) -> tuple[float, int]:
    if writes:
        shutil.copy(folder / "o.ts", folder / "x.ts")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, proc.returncode


def wall(folder: Path, baseline: str | None, runs: int) -> None:
    """The commands' wall times, interleaved; the baseline in a group of its own with the floor
    again: both source trees share the installed `mergekit.grammars`, whose profile cache each
    would otherwise find written by the other (and rewrite) on every run."""
    commands = _commands(baseline)
    floor_name = "python -c pass"
    groups = [[n for n in commands if "baseline" not in n]]
    if baseline:
        groups.append([floor_name, *(n for n in commands if "baseline" in n)])
    for group in groups:
        for _ in range(3):  # bytecode, the profile cache, the page cache
            for name in group:
                _run(folder, *commands[name])
        times: dict[str, list[float]] = {name: [] for name in group}
        codes: dict[str, set[int]] = {name: set() for name in group}
        for _ in range(runs):
            for name in group:
                seconds, code = _run(folder, *commands[name])
                times[name].append(seconds)
                codes[name].add(code)
        floor = statistics.median(times[floor_name])
        print(f"wall time, {runs} interleaved runs (load average {os.getloadavg()[0]:.1f}):")
        for name, values in times.items():
            median = statistics.median(values)
            print(
                f"  {name:32s} median {median * 1000:6.1f} ms  min {min(values) * 1000:6.1f} ms"
                f"  x floor {median / floor:5.2f}  exit {sorted(codes[name])}"
            )


def instructions(folder: Path, baseline: str | None) -> None:
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed")
        return
    driver = ["merge-file", "--path", "src/index.ts", "b.ts", "x.ts", "t.ts"]
    runs = {
        "python -c pass": ([PYTHON, "-c", "pass"], _env()),
        "mergekit merge-file": ([PYTHON, "-c", LIFTED, *driver], _env()),
    }
    if baseline:
        runs["mergekit merge-file (baseline)"] = ([PYTHON, "-c", LIFTED, *driver], _env(baseline))
    print("instructions (callgrind, child processes included):")
    floor = 0
    for name, (cmd, env) in runs.items():
        # once without valgrind first: the profile cache the other source tree may have rewritten
        subprocess.run(cmd, cwd=folder, env=env, capture_output=True, check=False)
        total, per_process = _callgrind(folder, cmd, env)
        floor = floor or total
        shown = ", ".join(f"{n / 1e6:.1f}M {what}" for what, n in per_process)
        print(f"  {name:32s} {total / 1e6:8.1f}M  x floor {total / floor:5.2f}  ({shown})")


def _callgrind(folder: Path, cmd: list[str], env: dict[str, str]) -> tuple[int, list[tuple[str, int]]]:
    shutil.copy(folder / "o.ts", folder / "x.ts")
    with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--trace-children=yes",
                f"--log-file={tmp}/log.%p",
                f"--callgrind-out-file={tmp}/out.%p",
                *cmd,
            ],
            cwd=folder,
            env=env,
            capture_output=True,
            check=False,
        )
        found: list[tuple[str, int]] = []
        for log in sorted(Path(tmp).glob("log.*")):
            text = log.read_text(errors="replace")
            command = re.search(r"Command: (\S+)(?: (\S+))?", text)
            collected = re.search(r"Collected : (\d+)", text)
            if command and collected:
                program = Path(command.group(1)).name
                what = f"{program} {command.group(2)}" if program == "git" and command.group(2) else program
                found.append((what, int(collected.group(1))))
    return sum(n for _, n in found), found


def importtime(folder: Path, runs: int) -> None:
    cmd = [PYTHON, "-X", "importtime", "-m", "mergekit", "merge-file", "--path", "src/index.ts"]
    cmd += ["b.ts", "x.ts", "t.ts"]
    floor_modules = set(_import_times([PYTHON, "-X", "importtime", "-c", "pass"], folder))
    shutil.copy(folder / "o.ts", folder / "x.ts")
    _import_times(cmd, folder)  # once first: the profile cache a baseline run may have rewritten
    best: dict[str, int] = {}
    for _ in range(runs):
        shutil.copy(folder / "o.ts", folder / "x.ts")
        for name, own in _import_times(cmd, folder).items():
            best[name] = min(best.get(name, own), own)
    groups = {
        "the resolver (mergekit.resolve)": {
            k: v for k, v in best.items() if k.startswith("mergekit.resolve")
        },
        "the rest of mergekit": {
            k: v for k, v in best.items() if k.startswith("mergekit") and not k.startswith("mergekit.resolve")
        },
        "modules `python -c pass` does not load": {
            k: v for k, v in best.items() if not k.startswith("mergekit") and k not in floor_modules
        },
    }
    print(f"import time per module (own, least of {runs} runs, µs):")
    for label, found in groups.items():
        ranked = sorted(found.items(), key=lambda kv: -kv[1])
        print(f"  {label}: {sum(found.values())} µs")
        print("    " + ", ".join(f"{name} {us}" for name, us in ranked[:24]))


def _import_times(cmd: Sequence[str], folder: Path) -> dict[str, int]:
    """Each module's own import time in µs (a module imported twice keeps its first, real, line)."""
    proc = subprocess.run(list(cmd), cwd=folder, env=_env(), capture_output=True, text=True, check=False)
    found: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match and match.group(2) not in found:
            found[match.group(2)] = int(match.group(1))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=21, help="interleaved runs per command (default 21)")
    ap.add_argument("--baseline", metavar="SRC", help="a source tree whose `mergekit` folder to compare with")
    ap.add_argument("--instructions", action="store_true", help="count instructions with valgrind")
    ap.add_argument("--importtime", action="store_true", help="import time per module")
    args = ap.parse_args(argv)
    baseline = str(Path(args.baseline).resolve()) if args.baseline else None
    with tempfile.TemporaryDirectory(prefix="mk-driver-") as tmp:
        folder = Path(tmp)
        _barrel(folder)
        wall(folder, baseline, args.runs)
        if args.instructions:
            instructions(folder, baseline)
        if args.importtime:
            importtime(folder, min(args.runs, 7))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
