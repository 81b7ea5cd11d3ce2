"""The layering holds: who may import pygit2, tree_sitter, rich and click, who may print, and what
each command loads (checked on the source, and in fresh interpreters through `sys.modules`)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.cli import COMMANDS
from mergekit.output import FORMATS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mergekit"
SOURCES = sorted(PACKAGE.rglob("*.py"))
PRINTING = {"print", "sys.stdout.write", "sys.stderr.write", "sys.stdout.buffer.write", "traceback.print_exc"}
"""Calls that put text on the terminal (besides click's echo/secho and rich's Console)."""


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(tree: ast.Module) -> set[str]:
    """Every module an import statement names (`import a.b` → a.b; `from a import b` → a)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _importers(root: str) -> list[str]:
    """Files of the package that import `root` (or a submodule of it)."""
    return [
        _rel(p)
        for p in SOURCES
        if any(
            name == root or name.startswith(root + ".") or name.startswith(root + "_")
            for name in _imported(_tree(p))
        )
    ]


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _prints(tree: ast.Module) -> list[str]:
    """The calls in `tree` that print."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name in PRINTING or name.endswith((".echo", ".secho")) or name in ("echo", "Console"):
                found.append(name)
    return found


def test_only_the_engine_imports_pygit2() -> None:
    assert all(p.startswith("mergekit/engine/") for p in _importers("pygit2")), _importers("pygit2")
    assert _importers("pygit2")  # the check looks at real imports


def test_only_the_resolver_imports_tree_sitter() -> None:
    found = _importers("tree_sitter")
    assert found and all(p.startswith("mergekit/resolve/") for p in found), found


def test_only_the_output_package_prints_or_imports_rich() -> None:
    printing = {_rel(p): _prints(_tree(p)) for p in SOURCES}
    assert any(printing.values())
    assert {p: calls for p, calls in printing.items() if calls and not p.startswith("mergekit/output/")} == {}
    assert all(p.startswith("mergekit/output/") for p in _importers("rich")), _importers("rich")


def test_click_stays_in_the_command_line_and_its_messages() -> None:
    found = _importers("click")
    allowed = ("mergekit/cli/", "mergekit/output/cli_messages.py")
    assert found and all(p.startswith(allowed) for p in found), found


def _loaded_by(code: str, cwd: Path | None = None) -> tuple[int, list[str], str]:
    """Run `code` in a fresh interpreter; (exit code, modules loaded at the end, stderr)."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=False)
    *_, last = proc.stderr.strip().splitlines() or [""]
    return proc.returncode, json.loads(last) if last.startswith("[") else [], proc.stderr


def _heavy(modules: list[str], *roots: str) -> list[str]:
    return [m for m in modules if m.split(".")[0] in roots or any(m.startswith(r + ".") for r in roots)]


def test_merge_file_loads_no_click_rich_or_pygit2(tmp_path: Path) -> None:
    """git runs the driver once per file: merging, explaining and printing need none of them."""
    for name, text in (
        ("b", "export * from './a';\n"),
        ("o", "export * from './a';\nexport * from './b';\n"),
    ):
        (tmp_path / name).write_text(text)
    (tmp_path / "t").write_text("export * from './a';\nexport * from './c';\n")
    code, modules, err = _loaded_by(
        "import sys\nfrom mergekit.entry import main\n"
        "rc = main(['merge-file', '--explain', '-p', '--path', 'src/index.ts', 'b', 'o', 't'])\n"
        "assert rc == 0, rc",
        cwd=tmp_path,
    )
    assert code == 0, err
    assert "resolved by typescript:" in err
    assert _heavy(modules, "click", "rich", "pygit2") == []
    code, modules, err = _loaded_by(
        "from mergekit.entry import main\nassert main(['merge-file', 'missing']) == 2"
    )
    assert code == 0, err
    assert _heavy(modules, "click", "rich", "pygit2") == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_loading_a_command_loads_no_other_command(command: str) -> None:
    module = COMMANDS[command]
    code, modules, err = _loaded_by(f"import mergekit.cli.{module}")
    assert code == 0, err
    others = [
        m
        for m in modules
        if m.startswith("mergekit.cli.") and m not in (f"mergekit.cli.{module}", "mergekit.cli.options")
    ]
    assert others == []
    if command in ("merge-file", "install", "doctor", "resolve", "languages", "replay"):
        assert _heavy(modules, "pygit2") == [], command  # these need no repository access through pygit2


def test_replay_prints_without_pygit2_rich_integrate_or_check() -> None:
    code, modules, err = _loaded_by(
        "from mergekit.app.replay import ReplayReport\nfrom mergekit.output.replay import show_replay\n"
        "show_replay(ReplayReport(source='x', from_cases=True))\n"
        "show_replay(ReplayReport(source='x', from_cases=True), 'json')"
    )
    assert code == 0, err
    assert (
        _heavy(
            modules, "pygit2", "rich", "mergekit.app.integrate", "mergekit.app.check", "mergekit.engine.repo"
        )
        == []
    )


def test_every_command_but_the_driver_registers_its_formats() -> None:
    assert set(FORMATS) == set(COMMANDS) - {"merge-file"}
    assert all(formats and formats[0] == "text" for formats in FORMATS.values())
