"""How `mergekit doctor` is shown: one line per finding with its fix, or one JSON object."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from mergekit.model import PathSource, Severity
from mergekit.output import emit_json, emit_lines

if TYPE_CHECKING:
    from mergekit.app.doctor import DoctorReport

_LEVEL = {Severity.OK: "ok", Severity.WARN: "warn", Severity.FAIL: "FAIL"}
_FROM = {
    PathSource.ARGUMENTS: "the paths given",
    PathSource.CONFLICTED: "the conflicted files of the merge in progress",
    PathSource.LAST_MERGE: "the files both sides changed in the last merge",
    PathSource.SAMPLE: "a sample of tracked files per profile",
}


def doctor_json(report: DoctorReport) -> dict[str, Any]:
    """The JSON object of `mergekit doctor`."""
    worst = max((f.level for f in report.findings), key=list(Severity).index, default=Severity.OK)
    return {
        "status": str(worst),
        "exit_code": report.exit_code,
        "root": str(report.root) if report.root else None,
        "paths_from": str(report.paths_from),
        "last_merge": report.last_merge,
        "findings": [
            {k: str(v) if k in ("check", "level") else v for k, v in asdict(f).items()}
            for f in report.findings
        ],
    }


def show_doctor(report: DoctorReport, fmt: str = "text") -> None:
    """Each finding on its line (with the fix), where the paths came from, and the verdict."""
    if fmt == "json":
        emit_json(doctor_json(report))
        return
    width = max((len(str(f.check)) for f in report.findings), default=0)
    lines = [] if report.root is None else [f"mergekit doctor: {report.root}"]
    for f in report.findings:
        fix = f" — fix: {f.fix}" if f.fix and f.level is not Severity.OK else ""
        lines.append(f"{_LEVEL[f.level]:<4}  {f.check!s:<{width}}  {f.message}{fix}")
    if report.root is not None:
        merge = f" ({report.last_merge[:12]})" if report.last_merge else ""
        lines.append(f"Paths checked: {_FROM[report.paths_from]}{merge}.")
    failed = sum(f.level is Severity.FAIL for f in report.findings)
    if failed:
        lines.append(f"{failed} problem(s): git will not use mergekit as you expect until they are fixed.")
    else:
        lines.append("All good: git runs mergekit's driver for the files mergekit knows.")
    emit_lines(lines)
