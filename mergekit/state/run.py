"""The state of an integration run, kept as JSON under the common git dir between commands.

`<common git dir>/mergekit/run.json` exists from the start of a run until it finishes or is
aborted; it is rewritten atomically (write a temporary file, then rename) after every step,
so `continue` can pick up after a pause or a crash. `results.json` remembers which commits
mergekit left on each result branch, so a later run may rebuild that branch without `--force`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mergekit.errors import MergekitError

STATE_VERSION = 1
"""Bumped when the file format changes incompatibly."""


@dataclass
class Paused:
    """The step a run stopped at, waiting for a human (conflicts) or a fix (test failure)."""

    branch: str
    """The branch being merged."""
    ours: str
    """The result branch's tip before this step."""
    theirs: str
    """The branch tip being merged."""
    message: str
    """The commit message prepared for this step."""
    conflicts: list[str] = field(default_factory=list)
    """Paths handed to the human (empty for a test failure)."""
    candidate: str | None = None
    """For a test failure: the commit that failed the test (kept in the worktree)."""


@dataclass
class RunState:
    """Everything needed to continue, report or abort a run."""

    base: str
    """BASE as the user named it."""
    base_commit: str
    """The BASE commit the run started from."""
    result_branch: str
    """The branch being built (short name)."""
    result_before: str | None
    """Where the result branch pointed before the run (None: it did not exist)."""
    result_commit: str
    """Where mergekit last moved the result branch."""
    strategy: str
    """`merge` or `squash`."""
    order: list[str]
    """Every branch in merge order (skipped ones included)."""
    tips: dict[str, str]
    """Branch → the tip fixed at the start of the run."""
    test: str | None = None
    """The `--test` command, if any."""
    skip_conflicting: bool = False
    """Skip branches that need a human instead of pausing."""
    status: str = "running"
    """`running`, `conflict` or `test_failed`."""
    merged: list[str] = field(default_factory=list)
    """Branches merged so far, in order."""
    skipped: list[dict[str, Any]] = field(default_factory=list)
    """`{branch, reason, paths}` for branches left out."""
    auto_resolved: list[dict[str, str]] = field(default_factory=list)
    """`{branch, path, rule}` for every auto-resolved file."""
    conflicts: list[dict[str, str]] = field(default_factory=list)
    """`{branch, path, kind}` for files a human must settle (paused step and skipped branches)."""
    worktree: str | None = None
    """The linked worktree mergekit made (hand-off and tests), if any."""
    paused: Paused | None = None
    """Where the run stopped, when it did."""
    version: int = STATE_VERSION
    """File format version."""

    @property
    def pending(self) -> list[str]:
        """Branches not merged or skipped yet, in order."""
        done = set(self.merged) | {s["branch"] for s in self.skipped}
        return [b for b in self.order if b not in done]


def state_dir(common_dir: Path) -> Path:
    """Where mergekit keeps its files inside the common git dir."""
    return common_dir / "mergekit"


def _run_file(common_dir: Path) -> Path:
    return state_dir(common_dir) / "run.json"


def load(common_dir: Path) -> RunState | None:
    """The run in progress, None when there is none."""
    path = _run_file(common_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise MergekitError(f"cannot read {path} ({exc}) — delete it to drop the run") from exc
    if data.get("version") != STATE_VERSION:
        raise MergekitError(f"{path} was written by another mergekit version — delete it to drop the run")
    paused = data.pop("paused", None)
    state = RunState(**data)
    state.paused = Paused(**paused) if paused else None
    return state


def save(common_dir: Path, state: RunState) -> None:
    """Write the state atomically."""
    _write_json(_run_file(common_dir), asdict(state))


def create(common_dir: Path, state: RunState) -> None:
    """Write the state of a new run; refuse when another run exists (even one starting right now)."""
    path = _run_file(common_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise MergekitError("another integration run is in progress — see `mergekit status`") from exc
    os.close(fd)
    save(common_dir, state)


def clear(common_dir: Path) -> None:
    """Forget the run."""
    _run_file(common_dir).unlink(missing_ok=True)


def remember_result(common_dir: Path, branch: str, commit: str) -> None:
    """Record that mergekit left `branch` at `commit`."""
    path = state_dir(common_dir) / "results.json"
    results = known_results(common_dir)
    results[branch] = commit
    _write_json(path, results)


def known_results(common_dir: Path) -> dict[str, str]:
    """Result branch → the commit mergekit last left it at."""
    path = state_dir(common_dir) / "results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
