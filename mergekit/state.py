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
        data = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise MergekitError(f"cannot read {path} ({exc}) — delete it to drop the run") from exc
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        raise MergekitError(f"{path} was written by another mergekit version — delete it to drop the run")
    problem = _shape_problem(data)
    if problem is not None:
        raise MergekitError(f"{path} is damaged ({problem}) — delete it to drop the run")
    paused = data.pop("paused", None)
    state = RunState(**data)
    state.paused = Paused(**paused) if paused is not None else None
    return state


STATUSES = ("running", "conflict", "test_failed")
"""The values `RunState.status` may hold."""

_STR, _OPT_STR, _INT, _BOOL = "str", "str or null", "int", "bool"
_STRS, _TIPS, _ROWS, _PAUSED = "list of str", "object of str", "list of objects", "object or null"
_STATE_FIELDS: dict[str, str] = {
    "base": _STR,
    "base_commit": _STR,
    "result_branch": _STR,
    "result_before": _OPT_STR,
    "result_commit": _STR,
    "strategy": _STR,
    "order": _STRS,
    "tips": _TIPS,
    "test": _OPT_STR,
    "skip_conflicting": _BOOL,
    "status": _STR,
    "merged": _STRS,
    "skipped": _ROWS,
    "auto_resolved": _ROWS,
    "conflicts": _ROWS,
    "worktree": _OPT_STR,
    "paused": _PAUSED,
    "version": _INT,
}
"""Every key of run.json and the shape its value must have."""
_REQUIRED = (
    "base",
    "base_commit",
    "result_branch",
    "result_before",
    "result_commit",
    "strategy",
    "order",
    "tips",
)
_PAUSED_FIELDS: dict[str, str] = {
    "branch": _STR,
    "ours": _STR,
    "theirs": _STR,
    "message": _STR,
    "conflicts": _STRS,
    "candidate": _OPT_STR,
}
_ROW_KEYS: dict[str, tuple[str, ...]] = {
    "skipped": ("branch",),
    "auto_resolved": ("branch", "path", "rule"),
    "conflicts": ("branch", "path"),
}
"""Keys every row of these lists must carry (as strings)."""


def _fits(value: Any, shape: str) -> bool:
    if shape == _STR:
        return isinstance(value, str)
    if shape == _OPT_STR:
        return value is None or isinstance(value, str)
    if shape == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if shape == _BOOL:
        return isinstance(value, bool)
    if shape == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if shape == _TIPS:
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if shape == _ROWS:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return value is None or isinstance(value, dict)  # _PAUSED


def _fields_problem(
    data: dict[str, Any], fields: dict[str, str], required: tuple[str, ...], where: str
) -> str | None:
    for key in data:
        if key not in fields:
            return f"unknown key {where}{key!r}"
    for key in required:
        if key not in data:
            return f"no {where}{key!r}"
    for key, value in data.items():
        if not _fits(value, fields[key]):
            return f"{where}{key!r} is not a {fields[key]}"
    return None


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a run.json object, None when it can be loaded."""
    problem = _fields_problem(data, _STATE_FIELDS, _REQUIRED, "")
    if problem is not None:
        return problem
    if data.get("status", "running") not in STATUSES:
        return f"unknown status {data['status']!r}"
    for key, needed in _ROW_KEYS.items():
        for row in data.get(key, []):
            if any(not isinstance(row.get(k), str) for k in needed):
                return f"a {key!r} row without {', '.join(needed)}"
    paused = data.get("paused")
    if paused is not None:
        return _fields_problem(paused, _PAUSED_FIELDS, ("branch", "ours", "theirs", "message"), "paused.")
    return None


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
        data = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        # paths that are not UTF-8 (surrogate escapes) are written as their bytes and read back so
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
