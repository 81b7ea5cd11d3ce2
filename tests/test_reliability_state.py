"""The paused run's state file: a `run.json` that is valid JSON of the wrong shape is bad input (exit 2,
"delete it to drop the run"), never an internal error, for every command that reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions
from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import build_features


def _paused(repo: GitRepo) -> Path:
    """A run paused on a genuine conflict; returns its run.json."""
    build_features(repo)
    report = integrate(IntegrateOptions(cwd=repo.path, into="main", branches=("feature/*",)))
    assert report.status == "conflict"
    state = repo.path / ".git" / "mergekit" / "run.json"
    assert state.is_file()
    return state


SHAPES: list[tuple[str, Any]] = [
    ("list", [1, 2, 3]),
    ("string", "run"),
    ("null", None),
    ("number", 7),
    ("empty-object", {}),
    ("version-only", {"version": 1}),
]
"""Wrong shapes independent of the good state."""

FIELD_CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("order-not-a-list", {"order": "feature/alpha"}),
    ("order-of-numbers", {"order": [1, 2]}),
    ("tips-a-list", {"tips": ["feature/alpha"]}),
    ("tips-of-numbers", {"tips": {"feature/alpha": 3}}),
    ("paused-a-list", {"paused": []}),
    ("paused-missing-keys", {"paused": {"branch": "feature/gamma"}}),
    ("conflicts-of-numbers", {"conflicts": [1]}),
    ("conflict-without-path", {"conflicts": [{"branch": "feature/gamma"}]}),
    ("skipped-without-branch", {"skipped": [{"reason": "x"}]}),
    ("unknown-status", {"status": "exploded"}),
    ("worktree-a-number", {"worktree": 5}),
    ("result-commit-null", {"result_commit": None}),
    ("merged-a-dict", {"merged": {}}),
    ("skip-conflicting-a-string", {"skip_conflicting": "yes"}),
    ("unknown-key", {"surprise": True}),
]
"""Fields of the good state given the wrong type or shape."""


@pytest.mark.parametrize(
    ("whole", "change"),
    [*((True, s[1]) for s in SHAPES), *((False, c[1]) for c in FIELD_CHANGES)],
    ids=[*(s[0] for s in SHAPES), *(c[0] for c in FIELD_CHANGES)],
)
def test_a_wrong_shaped_run_file_is_exit_2_for_every_command(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], whole: bool, change: Any
) -> None:
    state = _paused(repo)
    data = change if whole else {**json.loads(state.read_text()), **change}
    text = json.dumps(data)
    state.write_text(text)
    capsys.readouterr()
    for args in (
        ["status"],
        ["status", "--json"],
        ["continue"],
        ["abort"],
        ["integrate", "x", "--into", "main"],
    ):
        code = main([*args, "-C", str(repo.path)])
        err = capsys.readouterr().err
        assert code == 2, (args, err)
        assert len(err.splitlines()) == 1 and "delete it to drop the run" in err, (args, err)
        assert state.read_text() == text  # left for the user to look at
    state.unlink()
    assert main(["status", "-C", str(repo.path)]) == 0
