"""`mergekit languages` lists every shipped profile, and `merge-file` shows in `mergekit --help`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mergekit.resolve.profiles import all_profiles
from tests.helpers.cli import run


def test_languages_text_lists_profiles_globs_and_containers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "languages")
    assert code == 0
    for profile in all_profiles():
        assert f"{profile.name} — {profile.description}" in out
        assert " ".join(profile.globs) in out
        for container in profile.containers:
            assert f"unions {container.name}: {container.description}" in out
    assert "plain line merge" in out


def test_languages_json_matches_the_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "languages", "--json")
    assert code == 0
    data = json.loads(out)
    assert [p["name"] for p in data["profiles"]] == [p.name for p in all_profiles()]
    for entry, profile in zip(data["profiles"], all_profiles(), strict=True):
        assert entry["globs"] == list(profile.globs)
        assert [c["name"] for c in entry["containers"]] == [c.name for c in profile.containers]
        assert all(c["description"] for c in entry["containers"])


def test_merge_file_is_listed_in_the_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("merge-file", "install", "resolve", "languages"):
        assert f"  {command} " in out


def test_merge_file_help_through_click_forwards_to_the_driver() -> None:
    """The click command (reached only when entry's fast path is bypassed) runs the same driver."""
    from mergekit.cli.group import run_cli

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from mergekit.cli.group import run_cli; sys.exit(run_cli(sys.argv[1:]))",
            "merge-file",
            "--help",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "BASE OURS THEIRS" in proc.stdout and "--marker-size" in proc.stdout
    assert run_cli(["merge-file", "a-missing-file", "b", "c"]) == 2


def test_merge_file_fast_path_skips_click(tmp_path: Path) -> None:
    """`mergekit merge-file` must not import click, rich or pygit2 (git runs it once per file)."""
    for name, text in (("b", "a\n"), ("o", "a\nb\n"), ("t", "c\na\n")):
        (tmp_path / name).write_text(text)
    code = (
        "import sys; from mergekit.entry import main; "
        "rc = main(['merge-file', '--path', 'src/index.ts', 'b', 'o', 't']); "
        "heavy = [m for m in ('click', 'rich', 'pygit2') if m in sys.modules]; "
        "print('HEAVY', heavy, file=sys.stderr); sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    assert (tmp_path / "o").read_text() == "c\na\nb\n"
