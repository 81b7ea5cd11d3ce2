"""How `mergekit config` shows the effective configuration: each key, its value and its source."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from mergekit.config import BY_NAME, FILE_NAME, Setting, Settings
from mergekit.output import emit_json, emit_text


def _e(value: object) -> str:
    return escape(str(value))


def _shown(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return str(value)


def _json_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def config_json(settings: Settings) -> dict[str, Any]:
    """The JSON object of `mergekit config --json`."""
    file = settings.file
    tables = file.foreign if file is not None else {}
    lines = file.foreign_lines if file is not None else {}
    return {
        "root": str(settings.root) if settings.root else None,
        "file": str(file.path) if file is not None else None,
        "settings": {
            s.name: {"value": _json_value(s.value), "source": s.source, "help": BY_NAME[s.name].help}
            for s in settings.effective()
        },
        "tables": {
            name: {"value": value, "source": f"{FILE_NAME}:{lines.get(name, 1)}"}
            for name, value in tables.items()
        },
    }


def show_config(settings: Settings, fmt: str = "text") -> None:
    """Every key's effective value and its source."""
    if fmt == "json":
        emit_json(config_json(settings))
        return
    file = settings.file
    where = str(file.path) if file is not None else f"no {FILE_NAME} (defaults and git config only)"
    lines = [f"[bold]mergekit config[/bold] — {_e(where)}"]
    rows = settings.effective()
    width = max(len(s.name) for s in rows)
    for s in rows:
        style = "dim" if s.source == "default" else "cyan"
        lines.append(f"  {_e(s.name):<{width}}  {_e(_shown(s.value))}  [{style}]({_e(s.source)})[/{style}]")
    if file is not None:
        for name in file.foreign:
            lines.append(
                f"  [{_e(name)}]  [dim](table at {FILE_NAME}:{file.foreign_lines.get(name, 1)})[/dim]"
            )
    lines.append("[dim]command-line options win over git config, which wins over the file[/dim]")
    emit_text(lines)


def show_config_value(setting: Setting, fmt: str = "text") -> None:
    """One key: its value (text) or value and source (JSON)."""
    if fmt == "json":
        emit_json({"key": setting.name, "value": _json_value(setting.value), "source": setting.source})
        return
    emit_text([_e(_shown(setting.value))])
