"""The state of an integration run, kept as JSON under the common git dir between commands.

`<common git dir>/mergekit/run.json` exists from the start of a run until it finishes or is
aborted; it is rewritten atomically (`mergekit.state.atomic`) after every step, so `continue`
can pick up after a pause or a crash. `results.json` remembers which commits mergekit left on
each result branch, so a later run may rebuild that branch without `--force`.

Format version 3 (written now) adds `moving`: every move of the result branch is recorded
here just before it is made and cleared once it is made and recorded (`RefMove`), so a command
killed in between leaves enough for the next one to tell whether the branch already holds the
step's commit (`mergekit.app.integrate.recovery`). Version 2 holds the same object as version 1,
read back as typed rows (`mergekit.model`); a duplicate key is recorded with kind
`duplicate-key` (version 1 said `content`). Versions 1 and 2 are still read. The agent-workflow
fields (`drop_failing`, `base_findings`, `culprits`, `dropped`, `test_runs`, and a row's
`detail`) are optional: a file without them — written before they existed — reads as a run
that has none.

A run file is created whole (`mergekit.state.atomic.create_atomically`); an empty one, which an
older version killed while creating it left behind, counts as no run. Temporary files of writes
killed half-way are swept on every load.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from mergekit.errors import MergekitError
from mergekit.model import (
    AutoResolved,
    BaseFindingKind,
    ConflictKind,
    HumanConflict,
    RunStatus,
    Skipped,
    SkipReason,
    TestRun,
    WrongBase,
)
from mergekit.state.atomic import create_atomically, json_bytes, sweep_leftovers, write_json

STATE_VERSION = 3
"""The format written; bumped when the file format changes."""
READABLE_VERSIONS = (1, 2, 3)
"""The formats this version reads."""


class MoveKind(StrEnum):
    """Why mergekit moves the result branch (or, for `memory`, the resolution memory's ref)."""

    START = "start"
    """To BASE, as a run starts."""
    STEP = "step"
    """To the commit that merges one branch."""
    FIX = "fix"
    """To the human's fix after the final test failed."""
    DROP = "drop"
    """To the integration rebuilt without the branch `--drop-failing` leaves out."""
    MEMORY = "memory"
    """`refs/mergekit/memory` (not the result branch) to the store with a person's resolution."""
    ABORT = "abort"
    """Back to where it was before the run (None: deleted)."""


@dataclass(frozen=True)
class RefMove:
    """A move of the result branch (`memory`: of refs/mergekit/memory), recorded just before it is made."""

    kind: MoveKind
    """Why."""
    old: str | None
    """Where the branch points before the move (None: it does not exist)."""
    new: str | None
    """Where the move puts it (None: deleted)."""
    branch: str | None = None
    """For a step: the branch whose merge `new` is; for a drop: the branch left out."""
    pid: int = 0
    """The process making the move."""
    host: str = ""
    """The host that process runs on (a process id means nothing elsewhere)."""
    started: str = ""
    """When that process started (`mergekit.state.atomic.process_started`): a later process
    given the same id is not taken for it."""


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
    status: RunStatus = RunStatus.RUNNING
    """`running`, `conflict` or `test_failed`."""
    merged: list[str] = field(default_factory=list)
    """Branches merged so far, in order."""
    skipped: list[Skipped] = field(default_factory=list)
    """Branches left out, and why."""
    auto_resolved: list[AutoResolved] = field(default_factory=list)
    """Every auto-resolved file."""
    conflicts: list[HumanConflict] = field(default_factory=list)
    """Files a human must settle (paused step and skipped branches)."""
    worktree: str | None = None
    """The linked worktree mergekit made (hand-off and tests), if any."""
    paused: Paused | None = None
    """Where the run stopped, when it did."""
    drop_failing: bool = False
    """Leave out the culprit of a failing `--test` instead of stopping."""
    base_findings: list[WrongBase] = field(default_factory=list)
    """Branches built on the wrong base (`base_findings` of the report)."""
    culprits: list[str] = field(default_factory=list)
    """The smallest set of branches whose merge fails the test (after a test failure)."""
    dropped: list[str] = field(default_factory=list)
    """Branches left out by `--drop-failing`."""
    test_runs: list[TestRun] = field(default_factory=list)
    """The culprit search's test runs (branches, outcome, log file)."""
    moving: RefMove | None = None
    """The result branch's move in flight (recorded before it is made, cleared after)."""
    version: int = STATE_VERSION
    """File format version."""

    @property
    def pending(self) -> list[str]:
        """Branches not merged or skipped yet, in order."""
        done = set(self.merged) | {s.branch for s in self.skipped}
        return [b for b in self.order if b not in done]


def to_json(state: RunState) -> dict[str, Any]:
    """The state as the JSON object of the current format."""
    paused = state.paused
    return {
        "base": state.base,
        "base_commit": state.base_commit,
        "result_branch": state.result_branch,
        "result_before": state.result_before,
        "result_commit": state.result_commit,
        "strategy": state.strategy,
        "order": list(state.order),
        "tips": dict(state.tips),
        "test": state.test,
        "skip_conflicting": state.skip_conflicting,
        "status": str(state.status),
        "merged": list(state.merged),
        "skipped": [
            _detailed({"branch": s.branch, "reason": str(s.reason), "paths": list(s.paths)}, s.detail)
            for s in state.skipped
        ],
        "auto_resolved": [
            {"branch": a.branch, "path": a.path, "rule": a.rule, "detail": a.detail}
            for a in state.auto_resolved
        ],
        "conflicts": [
            _detailed({"branch": c.branch, "path": c.path, "kind": str(c.kind)}, c.detail)
            for c in state.conflicts
        ],
        "worktree": state.worktree,
        "paused": None
        if paused is None
        else {
            "branch": paused.branch,
            "ours": paused.ours,
            "theirs": paused.theirs,
            "message": paused.message,
            "conflicts": list(paused.conflicts),
            "candidate": paused.candidate,
        },
        "drop_failing": state.drop_failing,
        "base_findings": [f.as_json() for f in state.base_findings],
        "culprits": list(state.culprits),
        "dropped": list(state.dropped),
        "test_runs": [r.as_json() for r in state.test_runs],
        "moving": None if state.moving is None else _move_json(state.moving),
        "version": STATE_VERSION,
    }


def _move_json(move: RefMove) -> dict[str, Any]:
    return {
        "kind": str(move.kind),
        "old": move.old,
        "new": move.new,
        "branch": move.branch,
        "pid": move.pid,
        "host": move.host,
        "started": move.started,
    }


def _detailed(row: dict[str, Any], detail: str) -> dict[str, Any]:
    """`row` with its `detail` when it has one (rows without keep the format of earlier files)."""
    if detail:
        row["detail"] = detail
    return row


def from_json(data: dict[str, Any]) -> RunState:
    """A state from the JSON object of any readable format (KeyError/TypeError/ValueError when damaged)."""
    paused = data.get("paused")
    return RunState(
        base=str(data["base"]),
        base_commit=str(data["base_commit"]),
        result_branch=str(data["result_branch"]),
        result_before=data.get("result_before"),
        result_commit=str(data["result_commit"]),
        strategy=str(data.get("strategy", "merge")),
        order=[str(b) for b in data["order"]],
        tips={str(k): str(v) for k, v in data["tips"].items()},
        test=data.get("test"),
        skip_conflicting=bool(data.get("skip_conflicting", False)),
        status=RunStatus.read(str(data.get("status", "running"))),
        merged=[str(b) for b in data.get("merged", [])],
        skipped=[
            Skipped(
                str(s["branch"]),
                SkipReason(s["reason"]),
                tuple(str(p) for p in s.get("paths", [])),
                str(s.get("detail", "")),
            )
            for s in data.get("skipped", [])
        ],
        auto_resolved=[
            AutoResolved(str(a["branch"]), str(a["path"]), str(a["rule"]), str(a.get("detail", "")))
            for a in data.get("auto_resolved", [])
        ],
        conflicts=[_conflict(c) for c in data.get("conflicts", [])],
        worktree=data.get("worktree"),
        paused=Paused(**paused) if paused else None,
        drop_failing=bool(data.get("drop_failing", False)),
        base_findings=[_wrong_base(f) for f in data.get("base_findings", [])],
        culprits=[str(b) for b in data.get("culprits", [])],
        dropped=[str(b) for b in data.get("dropped", [])],
        test_runs=[_test_run(r) for r in data.get("test_runs", [])],
        moving=_move(data["moving"]) if data.get("moving") is not None else None,
    )


def _move(row: dict[str, Any]) -> RefMove:
    return RefMove(
        MoveKind(row["kind"]),
        row.get("old"),
        row.get("new"),
        row.get("branch"),
        int(row.get("pid", 0)),
        str(row.get("host", "")),
        str(row.get("started", "")),
    )


def _conflict(row: dict[str, Any]) -> HumanConflict:
    try:
        kind = ConflictKind(row["kind"])
    except ValueError as exc:
        raise ValueError(f"unknown conflict kind {row['kind']!r}") from exc
    return HumanConflict(str(row["branch"]), str(row["path"]), kind, str(row.get("detail", "")))


def _wrong_base(row: dict[str, Any]) -> WrongBase:
    return WrongBase(
        branch=str(row["branch"]),
        kind=BaseFindingKind(row["kind"]),
        detail=str(row["detail"]),
        files=tuple(str(p) for p in row.get("files", [])),
        fix=str(row.get("fix", "")),
        onto=str(row.get("onto", "")),
        rebased=bool(row.get("rebased", False)),
    )


def _test_run(row: dict[str, Any]) -> TestRun:
    failed = row.get("failed")
    code = row.get("returncode")
    log = row.get("log")
    return TestRun(
        branches=tuple(str(b) for b in row["branches"]),
        failed=None if failed is None else bool(failed),
        returncode=None if code is None else int(code),
        log=None if log is None else str(log),
        last_line=str(row.get("last_line", "")),
    )


def state_dir(common_dir: Path) -> Path:
    """Where mergekit keeps its files inside the common git dir."""
    return common_dir / "mergekit"


def _run_file(common_dir: Path) -> Path:
    return state_dir(common_dir) / "run.json"


def load(common_dir: Path) -> RunState | None:
    """The run in progress, None when there is none."""
    path = _run_file(common_dir)
    sweep_leftovers(path.parent)
    _sweep_older_leftovers(path.parent)
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if not text.strip():
            return None  # created but never filled (an older version killed right then): no run
        data = json.loads(text)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise MergekitError(f"cannot read {path} ({exc}) — delete it to drop the run") from exc
    if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
        raise MergekitError(f"{path} was written by another mergekit version — delete it to drop the run")
    problem = shape_problem(data)
    if problem is not None:
        raise MergekitError(f"{path} is damaged ({problem}) — delete it to drop the run")
    try:
        return from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise MergekitError(f"{path} is damaged ({exc}) — delete it to drop the run") from exc


# the shape of run.json -------------------------------------------------------------------------

RUN_STATUSES = (RunStatus.RUNNING, RunStatus.CONFLICT, RunStatus.TEST_FAILED)
"""The statuses a saved run may hold."""

_STR, _OPT_STR, _INT, _BOOL = "str", "str or null", "int", "bool"
_OPT_INT, _OPT_BOOL = "int or null", "bool or null"
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
    "drop_failing": _BOOL,
    "base_findings": _ROWS,
    "culprits": _STRS,
    "dropped": _STRS,
    "test_runs": _ROWS,
    "moving": _PAUSED,
    "version": _INT,
}
"""Every key of run.json and the shape its value must have."""
_REQUIRED = ("base", "base_commit", "result_branch", "result_before", "result_commit", "order", "tips")
_PAUSED_FIELDS: dict[str, str] = {
    "branch": _STR,
    "ours": _STR,
    "theirs": _STR,
    "message": _STR,
    "conflicts": _STRS,
    "candidate": _OPT_STR,
}
_MOVE_FIELDS: dict[str, str] = {
    "kind": _STR,
    "old": _OPT_STR,
    "new": _OPT_STR,
    "branch": _OPT_STR,
    "pid": _INT,
    "host": _STR,
    "started": _STR,
}
_ROW_KEYS: dict[str, tuple[str, ...]] = {
    "skipped": ("branch", "reason"),
    "auto_resolved": ("branch", "path", "rule"),
    "conflicts": ("branch", "path", "kind"),
    "base_findings": ("branch", "kind", "detail"),
}
"""Keys every row of these lists must carry (as strings)."""
_TEST_RUN_FIELDS: dict[str, str] = {
    "branches": _STRS,
    "failed": _OPT_BOOL,
    "returncode": _OPT_INT,
    "log": _OPT_STR,
    "last_line": _STR,
}


def _fits(value: Any, shape: str) -> bool:
    if shape == _STR:
        return isinstance(value, str)
    if shape == _OPT_STR:
        return value is None or isinstance(value, str)
    if shape == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if shape == _BOOL:
        return isinstance(value, bool)
    if shape == _OPT_BOOL:
        return value is None or isinstance(value, bool)
    if shape == _OPT_INT:
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
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


def shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a run.json object, None when it can be loaded."""
    problem = _fields_problem(data, _STATE_FIELDS, _REQUIRED, "")
    if problem is not None:
        return problem
    if data.get("status", "running") not in RUN_STATUSES:
        return f"unknown status {data['status']!r}"
    for key, needed in _ROW_KEYS.items():
        for row in data.get(key, []):
            if any(not isinstance(row.get(k), str) for k in needed):
                return f"a {key!r} row without {', '.join(needed)}"
    for row in data.get("test_runs", []):
        problem = _fields_problem(row, _TEST_RUN_FIELDS, ("branches",), "test_runs[].")
        if problem is not None:
            return problem
    paused = data.get("paused")
    if paused is not None:
        problem = _fields_problem(paused, _PAUSED_FIELDS, ("branch", "ours", "theirs", "message"), "paused.")
        if problem is not None:
            return problem
    moving = data.get("moving")
    if moving is not None:
        problem = _fields_problem(moving, _MOVE_FIELDS, tuple(_MOVE_FIELDS), "moving.")
        if problem is None and moving["kind"] not in tuple(MoveKind):
            problem = f"unknown move {moving['kind']!r}"
        return problem
    return None


_OLDER_LEFTOVER = re.compile(
    r"(run|results)\.json\.\w+\.tmp"  # before issue 10
    r"|\.(run|results)\.json\.[0-9a-f]{8}\.mergekit-tmp"  # issue 10, before the writer's id was in it
)
"""Temporary state files of older versions (`run.json.<random>.tmp`, `.run.json.<hex>.mergekit-tmp`),
whose names do not say which process wrote them."""
OLDER_LEFTOVER_AGE = 60.0
"""Seconds after which such a file is taken for a killed writer's (a write takes milliseconds)."""


def _sweep_older_leftovers(folder: Path) -> None:
    """Remove temporary state files older versions left when killed mid-write."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if _OLDER_LEFTOVER.fullmatch(entry.name) is None:
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > OLDER_LEFTOVER_AGE:
                os.unlink(entry.path)


def save(common_dir: Path, state: RunState) -> None:
    """Write the state atomically."""
    write_json(_run_file(common_dir), to_json(state))


def create(common_dir: Path, state: RunState) -> None:
    """Write the state of a new run, whole; refuse when another run exists (even one starting right now).

    An empty run file (left by an older version killed while creating it) is no run: replaced.
    """
    path = _run_file(common_dir)
    data = json_bytes(to_json(state))
    for _ in range(2):
        try:
            create_atomically(path, data)
            return
        except FileExistsError:
            if not _empty(path):
                break
            path.unlink(missing_ok=True)
    raise MergekitError("another integration run is in progress — see `mergekit status`")


def _empty(path: Path) -> bool:
    try:
        return not path.read_bytes().strip()
    except OSError:
        return False


def clear(common_dir: Path) -> None:
    """Forget the run."""
    _run_file(common_dir).unlink(missing_ok=True)


def remember_result(common_dir: Path, branch: str, commit: str) -> None:
    """Record that mergekit left `branch` at `commit`."""
    results = known_results(common_dir)
    results[branch] = commit
    write_json(state_dir(common_dir) / "results.json", results)


def known_results(common_dir: Path) -> dict[str, str]:
    """Result branch → the commit mergekit last left it at."""
    path = state_dir(common_dir) / "results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
