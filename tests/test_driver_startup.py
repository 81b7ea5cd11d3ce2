"""The merge driver's own modules stay cheap to import: git starts `mergekit merge-file` once per
conflicted file, so everything on its path outside the resolver loads nothing but `os`.

The resolver (`mergekit.resolve`) is measured and discussed in docs/benchmarks-performance.md;
the first test holds the rest of the driver's path (command line, use case, output, atomic write,
git runner, lockfile check) to what it needs at start-up, in a fresh interpreter without `site`;
the second holds a whole run, resolver included, to none of the modules that cost milliseconds
(dataclasses, typing, subprocess, argparse, tempfile, tomllib, tree-sitter's package `__init__`).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DRIVER_MODULES = (
    "mergekit.app.merge_file",
    "mergekit.output.merge_file",
    "mergekit.state.atomic",
    "mergekit.engine.gitcli",
    "mergekit.derived.lockfiles",
)
"""The driver's modules outside the resolver (`mergekit.cli.merge_file` adds argparse and the resolver)."""

COSTLY = (
    "dataclasses",
    "typing",
    "subprocess",
    "tempfile",
    "inspect",
    "pathlib",
    "urllib",
    "json",
    "secrets",
    "re",
    "mergekit.resolve",
)
"""Modules that cost milliseconds to import (or, for the resolver, far more)."""


def test_the_driver_path_outside_the_resolver_imports_only_os() -> None:
    imports = "".join(f"import {name}\n" for name in DRIVER_MODULES)
    probe = f"import sys\n{imports}print(sorted(sys.modules))\n"
    # -S: no site (an editable install's path finder imports pathlib and re before anything runs)
    proc = subprocess.run(
        [sys.executable, "-S", "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = ast.literal_eval(proc.stdout)
    assert set(DRIVER_MODULES) <= set(loaded)
    assert [m for m in loaded for c in COSTLY if m == c or m.startswith(c + ".")] == []


RUN_FREE_OF = (
    "argparse",
    "click",
    "dataclasses",
    "inspect",
    "mergekit.app.languages",
    "mergekit.config",
    "mergekit.resolve.repository",
    "pygit2",
    "rich",
    "shutil",
    "subprocess",
    "tempfile",
    "tomllib",
    "tree_sitter",
    "typing",
)
"""What a whole driver run on a barrel file (the structural union included), outside any work tree
or in one without a language setup of its own, does without: each costs milliseconds per file or
is never the driver's (click, rich, pygit2)."""


@pytest.mark.parametrize("where", ["outside a work tree", "in a work tree without a language setup"])
def test_a_driver_run_loads_none_of_the_costly_modules(tmp_path: Path, where: str) -> None:
    base = "".join(f"export * from './m{i}';\n" for i in range(30))
    texts = {"b.ts": base, "o.ts": base + "export * from './a';\n", "t.ts": base + "export * from './b';\n"}
    code = (
        "import sys; from mergekit.entry import main; "
        "code = main(['merge-file', '--path=src/index.ts', '--marker-size=7', 'b.ts', 'o.ts', 't.ts']); "
        "print(code, sorted(sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")
    if where != "outside a work tree":
        subprocess.run(["git", "init", "-q", str(tmp_path)], env=env, check=True)
        (tmp_path / ".gitattributes").write_text("*.ts merge=mergekit\n")  # the driver, no language
    for _ in range(2):  # the first run may write bytecode and the profile cache
        for name, text in texts.items():
            (tmp_path / name).write_text(text)
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
        )
    exit_code, modules = proc.stdout.split(" ", 1)
    loaded = ast.literal_eval(modules)
    assert exit_code == "0" and "tree_sitter._binding" in loaded
    assert (tmp_path / "o.ts").read_text().endswith("export * from './a';\nexport * from './b';\n")
    assert [m for m in loaded for c in RUN_FREE_OF if m == c or m.startswith(c + ".")] == [
        "tree_sitter._binding"
    ]
