"""Running mergekit's command line in-process, as a test would type it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mergekit.entry import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `mergekit ARGS` in-process; (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """Run `mergekit ARGS` (which ask for JSON) in-process; (exit code, the one JSON object on stdout)."""
    code, out, err = run(capsys, *args)
    assert code in (0, 1), err
    try:
        data = json.loads(out)  # exactly one object, nothing else on stdout
    except ValueError:
        raise AssertionError(f"not one JSON object (exit {code}): {out!r} {err!r}") from None
    assert isinstance(data, dict)
    return code, data
