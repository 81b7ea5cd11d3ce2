"""What the GitHub Action shows: workflow annotations, the job summary, the step's outputs, the pull
request comment, and its one-line messages (see `mergekit.app.github_action`)."""

from __future__ import annotations

from pathlib import Path

from mergekit.app.check import CheckReport
from mergekit.app.github_action import MARKER
from mergekit.app.sync import SyncReport
from mergekit.errors import MergekitError
from mergekit.model import SyncStatus
from mergekit.output import emit_lines
from mergekit.output.check import append_github_summary, github_lines, github_summary


def _append(path: str | None, text: str, what: str) -> None:
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise MergekitError(f"cannot append to {what} ({path}): {exc.strerror}") from exc


def show_check(report: CheckReport, summary: str | None, outputs: str | None) -> None:
    """Annotations on stdout; the job summary appended to `summary` (`$GITHUB_STEP_SUMMARY`);
    `passed` and `status` appended to `outputs` (`$GITHUB_OUTPUT`)."""
    emit_lines(github_lines(report))
    if summary:
        append_github_summary(report, Path(summary))
    _append(outputs, f"passed={str(report.passed).lower()}\nstatus={report.status}\n", "$GITHUB_OUTPUT")


def comment_body(check: CheckReport, synced: SyncReport | str | None) -> str:
    """The pull-request comment: the marker, the check's table, and what sync did."""
    lines = [MARKER, github_summary(check).rstrip("\n")]
    if isinstance(synced, SyncReport):
        if synced.status is SyncStatus.CONFLICT:
            files = ", ".join(f"`{c.path}`" for c in synced.conflicts)
            lines += ["", f"**mergekit sync**: a human is needed ({files}); nothing was pushed."]
        else:
            lines += [
                "",
                f"**mergekit sync**: {synced.status} — `{synced.after[:12]}` pushed to {synced.pushed}.",
            ]
    elif synced:
        lines += ["", f"_{synced}_"]
    return "\n".join(lines) + "\n"


def show_synced(report: SyncReport, base: str) -> None:
    """One line saying what sync did to the pull request's branch."""
    emit_lines([f"mergekit sync: {report.status} ({report.branch} with {base})"])


def show_comment(done: str) -> None:
    """One line saying whether the comment was created or updated."""
    emit_lines([f"mergekit: pull request comment {done}"])


def show_error(message: str) -> None:
    """A user error: a workflow error annotation on stdout and the usual line on stderr."""
    emit_lines([f"::error title=mergekit::{message}"])
    emit_lines([f"mergekit: error: {message}"], err=True)
