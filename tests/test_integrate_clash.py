"""A merge git calls clean but that gives one key two values is handed to a human."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.gitmerge import merge_tree
from tests.helpers.gitrepo import GitRepo

BASE = '{\n  "dependencies": {\n    "a": "1",\n    "m": "1",\n    "z": "1"\n  }\n}\n'


def test_same_key_added_twice_with_different_values_pauses(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("base", {"package.json": BASE})
    repo.checkout("feature/one", create=True, start="main")
    repo.commit("one", {"package.json": BASE.replace('"a": "1",', '"a": "1",\n    "lodash": "^4.0.0",')})
    repo.checkout("feature/two", create=True, start="main")
    repo.commit("two", {"package.json": BASE.replace('"m": "1",', '"m": "1",\n    "lodash": "^3.0.0",')})
    repo.checkout("main")
    # git itself merges these cleanly (the insertions are far apart) into invalid JSON
    code, merged = merge_tree(repo.path, repo.env, "feature/one", "feature/two")
    assert code == 0 and "CONFLICT" not in merged
    code = main(
        [
            "integrate",
            "-C",
            str(repo.path),
            "--into",
            "main",
            "--order",
            "given",
            "--json",
            "feature/one",
            "feature/two",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["status"] == "conflict"
    assert [c["path"] for c in data["conflicts"]] == ["package.json"]
    worktree = Path(data["worktree"])
    content = (worktree / "package.json").read_text()
    assert "<<<<<<<" in content and '"lodash": "^4.0.0"' in content and '"lodash": "^3.0.0"' in content
    assert "UU package.json" in repo.git("status", "--porcelain", cwd=worktree)


def test_different_keys_added_apart_merge_cleanly(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {"package.json": BASE})
    repo.checkout("feature/one", create=True, start="main")
    repo.commit("one", {"package.json": BASE.replace('"a": "1",', '"a": "1",\n    "lodash": "^4.0.0",')})
    repo.checkout("feature/two", create=True, start="main")
    repo.commit("two", {"package.json": BASE.replace('"m": "1",', '"m": "1",\n    "react": "^18.0.0",')})
    repo.checkout("main")
    code = main(["integrate", "-C", str(repo.path), "--into", "main", "--json", "feature/one", "feature/two"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["status"] == "done"
    merged = json.loads(repo.show("integration", "package.json"))
    assert merged["dependencies"] == {"a": "1", "lodash": "^4.0.0", "m": "1", "react": "^18.0.0", "z": "1"}
