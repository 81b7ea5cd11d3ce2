"""How a check is shown: a matrix in text, one JSON object, GitHub workflow commands and a job
summary, or JUnit XML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mergekit.errors import MergekitError
from mergekit.model import Outcome, Shortcut
from mergekit.output import emit_json, emit_lines, emit_text, escape, write
from mergekit.output.collisions import collision_json, collision_message
from mergekit.output.words import OUTCOMES
from mergekit.output.workflow import KIND_WORDS, findings_json, findings_lines, patches_json

if TYPE_CHECKING:
    from mergekit.app.check import CheckReport, FileCheck, PairCheck


def _e(value: object) -> str:
    return escape(str(value))


def _short(oid: str | None) -> str:
    return oid[:12] if oid else "-"


def pair_note(p: PairCheck) -> str:
    """Why a pair is trivially clean ("same commit", "x is built on y (fast-forward)"), else empty."""
    if p.shortcut is Shortcut.SAME_COMMIT:
        return "same commit"
    if p.shortcut is Shortcut.ALREADY_IN:
        return f"{p.theirs} is already in {p.ours}"
    if p.shortcut is Shortcut.FAST_FORWARD:
        return f"{p.theirs} is built on {p.ours} (fast-forward)"
    return p.note


def check_json(report: CheckReport) -> dict[str, Any]:
    """The JSON object of `mergekit check` (keys documented in the README, section "mergekit check")."""
    pairs = report.pairs
    return {
        "status": str(report.status),
        "passed": report.passed,
        "exit_code": report.exit_code,
        "strict": report.strict,
        "base": report.base,
        "base_commit": report.base_commit,
        "branches": [{"name": n, "commit": c} for n, c in report.branches],
        "summary": {
            "pairs": len(pairs),
            "clean": sum(p.status is Outcome.CLEAN for p in pairs),
            "auto_resolved": sum(p.status is Outcome.AUTO_RESOLVED for p in pairs),
            "needs_human": sum(p.status is Outcome.NEEDS_HUMAN for p in pairs),
            "collisions": len(report.collisions),
        },
        "pairs": [_pair_json(p) for p in pairs],
        "collisions": [collision_json(c) for c in report.collisions],
        "base_findings": findings_json(report.inputs.wrong_base()),
        "patches": patches_json(report.inputs),
        "seconds": round(report.seconds, 3),
    }


def _pair_json(p: PairCheck) -> dict[str, Any]:
    return {
        "ours": p.ours,
        "theirs": p.theirs,
        "with_base": p.with_base,
        "ours_commit": p.ours_commit,
        "theirs_commit": p.theirs_commit,
        "merge_base": p.merge_base,
        "status": str(p.status),
        "note": pair_note(p),
        "auto_resolved": [{"path": f.path, "rule": f.rule} for f in p.auto_resolved],
        "conflicts": [
            {
                "path": f.path,
                "kind": str(f.kind),
                "hunks": [
                    {
                        "ours_line": h.ours_line,
                        "ours_lines": h.ours_lines,
                        "theirs_line": h.theirs_line,
                        "theirs_lines": h.theirs_lines,
                    }
                    for h in f.hunks
                ],
            }
            for f in p.human
        ],
        "collisions": len(p.collisions),
    }


def _pair_label(p: PairCheck) -> str:
    return f"{p.theirs} into {p.ours}" if p.with_base else f"{p.ours} + {p.theirs}"


def _hunk_text(f: FileCheck) -> str:
    if not f.hunks:
        return f.kind
    spots = ", ".join(f"ours {h.ours_line} / theirs {h.theirs_line}" for h in f.hunks)
    return f"{f.kind}; lines {spots}"


def check_lines(report: CheckReport) -> list[str]:
    """The human form: a matrix (rows BASE and branches, columns branches), then the details."""
    names = [n for n, _ in report.branches]
    lines = [
        f"[bold]mergekit check[/bold]: {len(names)} branch{'es' if len(names) != 1 else ''} "
        f"into {_e(report.base)} ({_short(report.base_commit)})"
    ]
    for i, name in enumerate(names, 1):
        lines.append(f"  {i:>2}  {_e(name)}")
    cell: dict[tuple[str, str], PairCheck] = {(p.ours, p.theirs): p for p in report.pairs}
    rows = [report.base, *names]
    labels = ["BASE"] + [str(i) for i in range(1, len(names) + 1)]
    width = 7
    lines.append("")
    lines.append(" " * 6 + "".join(f"{i!s:>{width}}" for i in range(1, len(names) + 1)))
    for row, label in zip(rows, labels, strict=True):
        cells = []
        for col in names:
            pair = cell.get((row, col)) if row != col else None
            if pair is None:
                cells.append(f"{'-':>{width}}")
                continue
            mark = OUTCOMES[pair.status].cell + ("!" if pair.collisions else "")
            color = OUTCOMES[pair.status].color
            cells.append(f"[{color}]{mark:>{width}}[/{color}]")
        lines.append(f"{label:>5} " + "".join(cells))
    lines.append(
        "[dim]ok = merges cleanly, auto = auto-resolved only, HUMAN = needs a human, "
        "! = semantic collision[/dim]"
    )
    human = [p for p in report.pairs if p.status is Outcome.NEEDS_HUMAN]
    auto = [p for p in report.pairs if p.status is Outcome.AUTO_RESOLVED]
    if human:
        lines.append("[bold red]Needs a human[/bold red]")
        for p in human:
            lines.append(f"  {_e(_pair_label(p))}")
            lines += [f"    {_e(f.path)} ({_e(_hunk_text(f))})" for f in p.human]
            lines += [f"    [dim]{_e(f.path)} auto-resolved ({_e(f.rule)})[/dim]" for f in p.auto_resolved]
    if auto:
        lines.append("[bold]Auto-resolved only[/bold]")
        for p in auto:
            files = ", ".join(f"{f.path} ({f.rule})" for f in p.auto_resolved)
            lines.append(f"  {_e(_pair_label(p))}: {_e(files)}")
    if report.collisions:
        what = "errors, --strict" if report.strict else "warnings; --strict fails on them"
        lines.append(f"[bold yellow]Semantic collisions[/bold yellow] ({what})")
        lines += [f"  {_e(f'[{c.kind}]')} {_e(collision_message(c))}" for c in report.collisions]
    lines += findings_lines(report.inputs.wrong_base())
    verdict = "[green]PASS[/green]" if report.passed else "[red]FAIL[/red]"
    counts = ", ".join(
        f"{sum(p.status is s for p in report.pairs)} {OUTCOMES[s].verdict}"
        for s in (Outcome.CLEAN, Outcome.AUTO_RESOLVED, Outcome.NEEDS_HUMAN)
    )
    lines.append(
        f"[bold]Result[/bold]: {verdict} — {len(report.pairs)} pair{'s' if len(report.pairs) != 1 else ''}: "
        f"{counts}; "
        f"{len(report.collisions)} collision{'s' if len(report.collisions) != 1 else ''} "
        f"({report.seconds:.2f}s)"
    )
    return lines


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _gh(level: str, path: str, line: int, title: str, message: str, end_line: int | None = None) -> str:
    props = f"file={_gh_prop(path)},line={line}"
    if end_line is not None and end_line > line:
        props += f",endLine={end_line}"
    return f"::{level} {props},title={_gh_prop(title)}::{_gh_data(message)}"


def github_lines(report: CheckReport) -> list[str]:
    """GitHub workflow commands: `::error` per conflict hunk, `::warning` per collision (`::error`
    with --strict), `::notice` per auto-resolved file, and a closing summary line."""
    out: list[str] = []
    for p in report.pairs:
        side = p.annotated_side
        for f in p.human:
            message = f"{f.path} needs a human when merging {_pair_label(p)} ({f.kind})"
            if not f.hunks:
                out.append(_gh("error", f.path, 1, "mergekit: needs a human", message))
            for h in f.hunks:
                line, count = (
                    (h.theirs_line, h.theirs_lines) if side == "theirs" else (h.ours_line, h.ours_lines)
                )
                out.append(
                    _gh(
                        "error",
                        f.path,
                        line,
                        "mergekit: needs a human",
                        f"{message}: {p.ours} lines {h.ours_line}-{h.ours_line + max(h.ours_lines, 1) - 1}, "
                        f"{p.theirs} lines {h.theirs_line}-{h.theirs_line + max(h.theirs_lines, 1) - 1}",
                        end_line=line + count - 1 if count else None,
                    )
                )
        for f in p.auto_resolved:
            out.append(
                f"::notice file={_gh_prop(f.path)},title={_gh_prop('mergekit: auto-resolved')}::"
                + _gh_data(f"{f.path} auto-resolved ({f.rule}) when merging {_pair_label(p)}")
            )
    level = "error" if report.strict else "warning"
    for c in report.collisions:
        site = c.theirs_site
        out.append(_gh(level, site.path, site.line, f"mergekit: {c.kind} collision", collision_message(c)))
    for w in report.inputs.wrong_base():
        # an `::error` with --strict (the finding fails the check), else a `::warning`
        title = f"mergekit: {w.branch} {KIND_WORDS[w.kind]}"
        where = f"file={_gh_prop(w.files[0])},line=1," if w.files else ""
        out.append(f"::{level} {where}title={_gh_prop(title)}::{_gh_data(w.detail)}")
    verdict = "passed" if report.passed else "failed"
    out.append(
        f"mergekit check {verdict}: {len(report.pairs)} pairs, "
        f"{sum(p.status is Outcome.NEEDS_HUMAN for p in report.pairs)} need a human, "
        f"{sum(p.status is Outcome.AUTO_RESOLVED for p in report.pairs)} auto-resolved, "
        f"{len(report.collisions)} collisions"
    )
    return out


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def github_summary(report: CheckReport) -> str:
    """A Markdown job summary (for `$GITHUB_STEP_SUMMARY`)."""
    verdict = "✅ passed" if report.passed else "❌ failed"
    lines = [
        f"## mergekit check {verdict}",
        "",
        f"{len(report.branches)} branches into `{_md(report.base)}` ({report.base_commit[:12]})",
        "",
        "| ours | theirs | outcome | files |",
        "| --- | --- | --- | --- |",
    ]
    for p in report.pairs:
        files = [f"`{_md(f.path)}` ({_md(_hunk_text(f))})" for f in p.human]
        files += [f"`{_md(f.path)}` ({_md(f.rule or '')})" for f in p.auto_resolved]
        extra = f" ⚠️ {len(p.collisions)} collision(s)" if p.collisions else ""
        shown = "<br>".join(files) or _md(pair_note(p))
        icon = f"{OUTCOMES[p.status].icon} {OUTCOMES[p.status].label}"
        lines.append(f"| `{_md(p.ours)}` | `{_md(p.theirs)}` | {icon}{extra} | {shown} |")
    if report.collisions:
        lines += [
            "",
            "### Semantic collisions" + (" (fail with --strict)" if report.strict else " (warnings)"),
            "",
        ]
        lines += [f"- **{_md(c.kind)}** {_md(collision_message(c))}" for c in report.collisions]
    return "\n".join(lines) + "\n"


def junit_xml(report: CheckReport) -> str:
    """JUnit XML: one test case per pair; a pair needing a human is a failure (so is a collision
    with --strict; without it collisions go to the case's system-out)."""
    import xml.etree.ElementTree as ET

    failures = 0
    suite = ET.Element("testsuite", name="mergekit check", timestamp="", hostname="")
    for p in report.pairs:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"mergekit.check.{p.ours}",
            name=_pair_label(p),
            time=f"{p.seconds:.3f}",
        )
        note = pair_note(p)
        out_lines: list[str] = [f"{p.status}: {OUTCOMES[p.status].verdict}" + (f" ({note})" if note else "")]
        out_lines += [f"auto-resolved {f.path} ({f.rule})" for f in p.auto_resolved]
        if p.human:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=f"needs a human: {', '.join(f.path for f in p.human)}",
                type="conflict",
            )
            failure.text = "\n".join(f"{f.path}: {_hunk_text(f)}" for f in p.human)
        elif p.collisions and report.strict:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=f"{len(p.collisions)} semantic collision(s)", type="collision"
            )
            failure.text = "\n".join(collision_message(c) for c in p.collisions)
        if p.collisions and not (report.strict and not p.human):
            out_lines += [f"warning: {collision_message(c)}" for c in p.collisions]
        ET.SubElement(case, "system-out").text = "\n".join(out_lines)
    suite.set("tests", str(len(report.pairs)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.set("time", f"{report.seconds:.3f}")
    del suite.attrib["timestamp"], suite.attrib["hostname"]
    root = ET.Element(
        "testsuites", name="mergekit", tests=str(len(report.pairs)), failures=str(failures), errors="0"
    )
    root.set("time", f"{report.seconds:.3f}")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def show_check(report: CheckReport, fmt: str = "text") -> None:
    """Show a check report in `fmt`: text, json, github or junit."""
    if fmt == "json":
        emit_json(check_json(report))
    elif fmt == "github":
        emit_lines(github_lines(report))
    elif fmt == "junit":
        write(junit_xml(report))
    else:
        emit_text(check_lines(report))


def append_github_summary(report: CheckReport, path: Path) -> None:
    """Append the Markdown job summary to `path` (`$GITHUB_STEP_SUMMARY`)."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(github_summary(report))
    except OSError as exc:
        raise MergekitError(f"cannot append to $GITHUB_STEP_SUMMARY ({path}): {exc.strerror}") from exc
