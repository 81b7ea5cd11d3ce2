"""The merge driver's own modules stay cheap to import: git starts `mergekit merge-file` once per
conflicted file, so everything on its path outside the resolver loads nothing but `os`.

The resolver (`mergekit.resolve`) is measured and discussed in docs/benchmarks-performance.md;
this test holds the rest of the driver's path (command line, use case, output, atomic write, git
runner, lockfile check) to what it needs at start-up, in a fresh interpreter without `site`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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
