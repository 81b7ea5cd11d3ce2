"""How `mergekit install` (and `--uninstall`) is shown."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from mergekit.output import emit_json, emit_lines

if TYPE_CHECKING:
    from mergekit.app.install import InstallReport


def show_install(report: InstallReport, fmt: str = "text") -> None:
    """What was installed (or removed), where."""
    if fmt == "json":
        data = asdict(report)
        data["attributes_file"] = str(report.attributes_file)
        data["changed"] = report.changed
        emit_json(data)
        return
    where = "global git config" if report.scope == "global" else "repository git config"
    attributes = report.attributes_file
    if report.uninstall:
        if not report.changed:
            emit_lines([f"mergekit was not installed: nothing to remove from the {where} or {attributes}."])
        else:
            emit_lines([f"Removed the mergekit merge driver from the {where} and from {attributes}."])
        return
    state = "Installed" if report.changed else "Already installed (nothing changed)"
    lines = [
        f"{state}: the mergekit merge driver, in the {where}:",
        f"  merge.mergekit.driver = {report.driver}",
        f"  {len(report.globs)} globs routed to it in {report.attributes_file}",
    ]
    if report.kept_user_globs:
        lines.append(f"  kept your own merge attribute for: {' '.join(report.kept_user_globs)}")
    if report.scope != "global" and report.attributes_changed:
        lines.append("Commit .gitattributes to share the routing; each clone still needs `mergekit install`.")
    emit_lines(lines)
