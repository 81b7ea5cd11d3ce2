"""The crash-injection sweep: one command of a scenario killed at each of its injection points
(`tests.helpers.crash`), then recovered with mergekit's own commands only — `status`, then
`continue` (or `integrate` when no run is left), or `abort` then `integrate` — which must end as
the uninterrupted run ended: the same exit, the same result tree, no ref lock, temporary state
file, run state or worktree left behind, `git fsck` clean.

A `Scenario` says how to build the repository, the `integrate` command line, what the human does
at a hand-off, and how the uninterrupted run ends (exit 0, or 1 when `--drop-failing` left a
branch out). Recoveries run in the test's own process; the killed command in a forked child.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mergekit.entry import main
from tests.helpers.crash import REF_WRITES, CrashServer, Kill
from tests.helpers.gitrepo import GitRepo


@dataclass(frozen=True)
class Scenario:
    """A run to kill: the repository, the command line, the human's part, the expected end."""

    build: Callable[[GitRepo], None]
    """Make the repository (BASE on `main`, the branches)."""
    args: tuple[str, ...]
    """`integrate ...` (without `-C`)."""
    resolve: Callable[[GitRepo], None]
    """What the human does at the hand-off: settle the files in the run's worktree and stage them."""
    exit: int = 0
    """How the uninterrupted run ends (1: `--drop-failing` left a branch out, status test_failed)."""


def mk(repo: GitRepo, *args: str) -> int:
    """Run mergekit in this process on `repo`; its exit code."""
    return main([*args, "-C", str(repo.path)])


def run_file(repo: GitRepo) -> Path:
    """The run's state file."""
    return repo.path / ".git" / "mergekit" / "run.json"


def run_worktree(repo: GitRepo) -> Path:
    """The hand-off worktree of the run building `integration`."""
    return repo.path / ".git" / "mergekit" / "worktrees" / "integration"


def _waits_for_a_human(repo: GitRepo) -> bool:
    try:
        return bool(json.loads(run_file(repo).read_text())["status"] == "conflict")
    except FileNotFoundError:
        return False


def child_env(repo: GitRepo, tmp: Path) -> dict[str, str]:
    """The killed process's environment: real dates (a redone commit differs from the killed one)."""
    env = {k: v for k, v in repo.env.items() if k not in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    env["TMPDIR"] = str(tmp)
    return env


def finish_by_continuing(repo: GitRepo, scenario: Scenario) -> list[int]:
    """`continue` (or `integrate` when no run is left), settling hand-offs, until the run ends."""
    first = mk(repo, "continue") if run_file(repo).exists() else mk(repo, *scenario.args)
    return _settle_hand_offs(repo, scenario, [first])


def finish_by_aborting(repo: GitRepo, scenario: Scenario) -> list[int]:
    """`abort`, then `integrate` again (no `--force`), settling hand-offs, until the run ends."""
    return _settle_hand_offs(repo, scenario, [mk(repo, "abort"), mk(repo, *scenario.args)])


def _settle_hand_offs(repo: GitRepo, scenario: Scenario, codes: list[int]) -> list[int]:
    """`codes` so far, then a person's settling and `continue` for each hand-off (three at most)."""
    for _ in range(3):
        if codes[-1] != 1 or not _waits_for_a_human(repo):
            break
        scenario.resolve(repo)
        codes.append(mk(repo, "continue"))
    return codes


def leftovers(repo: GitRepo) -> list[str]:
    """Everything a finished run must not leave: locks, temporary files, run state, worktrees."""
    git_dir = repo.path / ".git"
    found = [str(p.relative_to(git_dir)) for p in git_dir.rglob("*.lock")]
    found += [str(p.relative_to(git_dir)) for p in (git_dir / "mergekit").glob("*.mergekit-tmp")]
    found += ["run.json"] if run_file(repo).exists() else []
    listed = repo.git("worktree", "list", "--porcelain").count("worktree ")
    found += [f"{listed - 1} linked worktrees"] if listed != 1 else []
    return found


def check(repo: GitRepo, codes: list[int], reference: str, scenario: Scenario) -> str | None:
    """What is wrong after a recovery, None when it ended as the uninterrupted run did."""
    if codes[-1] != scenario.exit or 3 in codes:
        return f"exits {codes}"
    tree = repo.rev("integration^{tree}")
    if tree != reference:
        return f"exits {codes}: result tree {tree[:12]}, not {reference[:12]}"
    left = leftovers(repo)
    if left:
        return f"exits {codes}: left {left}"
    fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=repo.path, env=repo.env, capture_output=True)
    return f"fsck: {fsck.stderr.decode()[-200:]}" if fsck.returncode else None


class Sweep:
    """One command of a scenario killed at each of its injection points, and the recoveries that follow.

    `command` is `integrate` (from the built repository), `continue` or `abort` (from the first
    hand-off, settled by the human).
    """

    def __init__(
        self, tmp: Path, env: dict[str, str], server: CrashServer, scenario: Scenario, command: str
    ) -> None:
        self.tmp = tmp
        self.env = env
        self.server = server
        self.scenario = scenario
        self.command = command
        self.log = tmp / "child.log"
        self.template = tmp / "template"
        self.live = tmp / "repo"
        (tmp / "tmp").mkdir()
        repo = GitRepo.init(self.live, env)
        scenario.build(repo)
        if command != "integrate":
            assert mk(repo, *scenario.args) == 1
            scenario.resolve(repo)
        # worktrees record absolute paths: the template is only ever copied back to this place
        shutil.copytree(self.live, self.template, symlinks=True)
        # the calls the command makes, uninterrupted; then the result every recovery must reach
        self.calls = server.calls(self._args(), self._env(repo), self.log, tmp / "calls.txt")
        self.refs = server.written_refs(tmp / "calls.txt")
        """The refs the command writes, in order."""
        if command == "abort":
            assert mk(repo, *scenario.args) == 1
        codes = finish_by_continuing(repo, scenario) if run_file(repo).exists() else [scenario.exit]
        assert codes[-1] == scenario.exit, codes
        self.reference = repo.rev("integration^{tree}")

    def _prepare(self) -> GitRepo:
        """The repository as the command finds it, at the place its worktree paths name."""
        shutil.rmtree(self.live, ignore_errors=True)
        shutil.copytree(self.template, self.live, symlinks=True)
        return GitRepo(self.live, self.env)

    def _args(self) -> list[str]:
        command = list(self.scenario.args) if self.command == "integrate" else [self.command]
        return [*command, "-C", str(self.live)]

    def _env(self, repo: GitRepo) -> dict[str, str]:
        return child_env(repo, self.tmp / "tmp")

    def ref_write(self, ref: str, nth: int) -> int:
        """The index in `calls` of the `nth` write (from 1) of `ref`."""
        writes = [i for i, (point, _) in enumerate(self.calls) if point in REF_WRITES]
        return [i for i, r in zip(writes, self.refs, strict=True) if r == ref][nth - 1]

    def kills(self, first: int = 0, last: int | None = None) -> list[Kill]:
        """Each injection point of `calls[first:last + 1]` once (before the call), and each ref write
        there during it (default: every call)."""
        window = self.calls[first : None if last is None else last + 1]
        found: list[Kill] = [(point, n, "before") for point, n in window]
        found += [(point, n, "during") for point, n in window if point in REF_WRITES]
        return found

    def one(self, kill: Kill) -> list[str]:
        """Kill the command at `kill`, then recover both ways; what went wrong."""
        repo = self._prepare()
        code = self.server.run(self._args(), self._env(repo), self.log, kill=kill)
        if code != -9:
            return [f"{kill}: not killed (exit {code})"]
        snapshot = self.tmp / "killed"
        shutil.rmtree(snapshot, ignore_errors=True)
        shutil.copytree(self.live, snapshot, symlinks=True)
        problems = []
        status = mk(repo, "status")
        if status != 0:
            problems.append(f"{kill}: status exit {status}")
        if self.command != "abort":
            wrong = check(repo, finish_by_continuing(repo, self.scenario), self.reference, self.scenario)
            if wrong is not None:
                problems.append(f"{kill}: status → continue: {wrong}")
            shutil.rmtree(self.live)
            snapshot.rename(self.live)  # the killed repository again, at the paths it records
        wrong = check(repo, finish_by_aborting(repo, self.scenario), self.reference, self.scenario)
        if wrong is not None:
            problems.append(f"{kill}: status → abort → integrate: {wrong}")
        return problems

    def problems(self, kills: list[Kill] | None = None) -> list[str]:
        """Each kill (default: every one), both recoveries: what went wrong (empty when nothing did)."""
        return [problem for kill in (self.kills() if kills is None else kills) for problem in self.one(kill)]
