"""How `mergekit install` (and `--uninstall`) is shown."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mergekit.model import InstallScope
from mergekit.output import emit_json, emit_lines

if TYPE_CHECKING:
    from mergekit.app.install import InstallReport

_WHERE = {
    InstallScope.CLONE: "this clone",
    InstallScope.SHARED: "this repository (shared through .gitattributes)",
    InstallScope.GLOBAL: "every repository (global git config)",
}


def _json_value(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    return value


def show_install(report: InstallReport, fmt: str = "text") -> None:
    """What was installed (or removed), where."""
    if fmt == "json":
        data = {key: _json_value(value) for key, value in asdict(report).items()}
        data["scope"] = str(report.scope)
        data["changed"] = report.changed
        emit_json(data)
        return
    emit_lines(_uninstall_lines(report) if report.uninstall else _install_lines(report))


def _uninstall_lines(report: InstallReport) -> list[str]:
    config = "global git config" if report.scope is InstallScope.GLOBAL else "repository git config"
    attributes = report.attributes_file
    if not report.changed:
        lines = [f"mergekit was not installed there: nothing to remove from the {config} or {attributes}."]
    else:
        where = [str(p) for p in (attributes, *report.also_removed)]
        if report.config_kept:
            lines = [f"Removed the mergekit block from {attributes}."]
            lines.append(
                "The driver stays in the repository git config: this clone's own install "
                "(.git/info/attributes) still uses it; `mergekit install --uninstall` removes both."
            )
        else:
            lines = [f"Removed the mergekit merge driver from the {config} and from {', '.join(where)}."]
    if (
        report.scope is InstallScope.SHARED
        and report.attributes_changed
        and report.gitattributes_block_committed
    ):
        lines.append("Commit .gitattributes so that the team's clones stop routing files to mergekit.")
    if report.gitattributes_block is not None and report.gitattributes_block_committed:
        lines.append(
            f"The committed block in {report.gitattributes_block} stays (it is the team's); "
            "`mergekit install --uninstall --shared` removes it — then commit the change."
        )
    return lines


def _install_lines(report: InstallReport) -> list[str]:
    state = "Installed" if report.changed else "Already installed (nothing changed)"
    config = "global git config" if report.scope is InstallScope.GLOBAL else "repository git config"
    lines = [
        f"{state}: the mergekit merge driver, for {_WHERE[report.scope]}:",
        f"  merge.mergekit.driver = {report.driver}  (in the {config})",
        f"  {len(report.globs)} globs routed to it in {report.attributes_file}",
    ]
    if report.kept_user_globs:
        lines.append(f"  kept your own merge attribute for: {' '.join(report.kept_user_globs)}")
    if report.own_lines:
        lines.append(
            f"  {len(report.own_lines)} merge attribute(s) of your .gitattributes repeated after them, "
            "so they keep precedence (run `mergekit install` again when you change them)"
        )
    if report.scope is InstallScope.CLONE:
        lines.append(
            "It lasts: .git/info/attributes is never committed and checkout, reset and stash leave it "
            "alone. For the whole team: `mergekit install --shared`, then commit .gitattributes."
        )
        if report.gitattributes_block is not None and not report.gitattributes_block_committed:
            lines.append(
                f"{report.gitattributes_block} also holds an uncommitted mergekit block (an earlier "
                "install): commit it to share the routing, or drop it with `mergekit install --uninstall "
                "--shared`; a checkout or reset may remove it, this clone's routing stays either way."
            )
    elif report.scope is InstallScope.SHARED:
        if report.attributes_changed or not report.gitattributes_block_committed:
            lines.append(
                "Commit .gitattributes to share the routing with the team: until it is committed, a "
                "checkout, reset or stash removes it."
            )
        lines.append(
            "Every other clone still needs the driver in its own git config: run `mergekit install` "
            "there (it writes the config and .git/info/attributes)."
        )
    lines.append("`mergekit doctor` checks that git will run the driver.")
    return lines
