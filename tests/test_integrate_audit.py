"""Every auto-resolution can be reviewed afterwards: JSON detail and the merge commit message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mergekit.entry import main
from mergekit.scenarios import build_five_features


def test_auto_resolutions_are_audited(
    tmp_path: Path, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = build_five_features(tmp_path / "app")
    first, second = "feature/billing-dashboard", "feature/notification-preferences"
    code = main(
        ["integrate", "-C", str(scenario.path), "--into", "main", "--order", "given", "--json", first, second]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    barrel = [a for a in data["auto_resolved"] if a["path"] == "src/lib/db/schema/index.ts"]
    assert len(barrel) == 1
    assert barrel[0]["rule"] == "typescript:module-statements"
    assert "added export * from" in barrel[0]["detail"]
    message = scenario_git(scenario.path, git_env, "log", "-1", "--format=%B", "integration")
    assert "mergekit auto-resolved:" in message
    assert "src/lib/db/schema/index.ts (typescript:module-statements)" in message
    assert "added export * from" in message


def scenario_git(path: Path, env: dict[str, str], *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", *args], cwd=path, env=env, capture_output=True, text=True, check=True
    ).stdout
