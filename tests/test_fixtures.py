"""Resolver cases as folders: `fixtures/<profile>/<case>/{base,ours,theirs,expected}.<ext>`.

A case whose folder holds `expected.<ext>` must resolve cleanly to exactly that text; a case
holding `expected.conflict` must stay a conflict, byte for byte what `git merge-file` prints.
`path.txt` gives the repository path passed to the resolver (it picks the profile).

Cases the resolver does not get right yet live in `fixtures_pending/`, with `currently.<ext>`
(the clean text it gives now) or `currently.conflict` (it leaves a conflict now); their test
checks that this is still so, so that both progress and regressions show.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from mergekit.resolve import resolve_file
from mergekit.resolve.profiles import all_profiles, profile_for

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PENDING = ROOT / "fixtures_pending"
MIN_CASES = 6


@dataclass(frozen=True)
class Case:
    """One case folder, read."""

    folder: Path
    path: str
    """The repository path handed to the resolver."""
    ext: str
    """The extension of the case's files, with its dot (`.ts`)."""
    base: bytes
    ours: bytes
    theirs: bytes

    @property
    def id(self) -> str:
        """`profile/case`."""
        return f"{self.folder.parent.name}/{self.folder.name}"

    def expected(self) -> bytes | None:
        """The expected clean output, or None when the case must stay a conflict."""
        if (self.folder / "expected.conflict").exists():
            return None
        return (self.folder / f"expected{self.ext}").read_bytes()


def read_case(folder: Path) -> Case:
    """Read a case folder (`base.*`, `ours.*`, `theirs.*`, optional `path.txt`)."""
    (base,) = folder.glob("base.*")
    ext = base.suffix
    path_file = folder / "path.txt"
    path = path_file.read_text(encoding="utf-8").strip() if path_file.exists() else f"file{ext}"
    return Case(
        folder=folder,
        path=path,
        ext=ext,
        base=base.read_bytes(),
        ours=(folder / f"ours{ext}").read_bytes(),
        theirs=(folder / f"theirs{ext}").read_bytes(),
    )


def discover(root: Path) -> list[Case]:
    """Every case folder under `root/<profile>/<case>/`, sorted."""
    return [read_case(folder) for folder in sorted(root.glob("*/*/")) if folder.is_dir()]


CASES = discover(FIXTURES)
PENDING_CASES = discover(PENDING)


def git_merge_file(case: Case, tmp_path: Path, env: dict[str, str]) -> bytes:
    """`git merge-file -p` on the case's inputs, with the resolver's default labels."""
    for name, data in (("ours", case.ours), ("base", case.base), ("theirs", case.theirs)):
        (tmp_path / name).write_bytes(data)
    proc = subprocess.run(
        ["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", "ours", "base", "theirs"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert 0 <= proc.returncode < 128, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture(case: Case, tmp_path: Path, git_env: dict[str, str]) -> None:
    """Each case resolves to its expected text, or stays git's conflict."""
    profile = profile_for(case.path)
    assert profile is not None and profile.name == case.folder.parent.name, case.path
    result = resolve_file(case.base, case.ours, case.theirs, case.path)
    expected = case.expected()
    if expected is None:
        assert not result.clean, f"resolved a case that must stay a conflict (rule {result.rule})"
        assert result.merged == git_merge_file(case, tmp_path, git_env)
    else:
        reasons = [h.reason for h in result.hunks if not h.resolved]
        assert result.clean, f"left a conflict: {reasons}"
        assert result.merged.decode() == expected.decode()


@pytest.mark.parametrize("case", PENDING_CASES, ids=[c.id for c in PENDING_CASES])
def test_pending_fixture_still_does_what_currently_says(case: Case) -> None:
    """A pending case still gives its `currently` output; when it gives the expected one, promote it."""
    result = resolve_file(case.base, case.ours, case.theirs, case.path)
    expected_file = case.folder / f"expected{case.ext}"
    if expected_file.exists() and result.clean and result.merged == expected_file.read_bytes():
        pytest.fail(f"{case.id} now resolves as expected: move it to fixtures/")
    if (case.folder / "expected.conflict").exists() and not result.clean:
        pytest.fail(f"{case.id} now stays a conflict as expected: move it to fixtures/")
    if (case.folder / "currently.conflict").exists():
        assert not result.clean, f"now clean (rule {result.rule}): update or promote the case"
    else:
        currently = (case.folder / f"currently{case.ext}").read_bytes()
        assert result.clean
        assert result.merged.decode() == currently.decode()


def test_pending_cases_say_what_they_should_and_do() -> None:
    """Each pending case has an ideal (`expected.*`) and a current (`currently.*`) outcome."""
    for case in PENDING_CASES:
        names = {p.name for p in case.folder.iterdir()}
        assert names & {f"expected{case.ext}", "expected.conflict"}, case.id
        assert names & {f"currently{case.ext}", "currently.conflict"}, case.id


def test_every_profile_has_enough_cases() -> None:
    """At least six passing cases per profile, positive and negative ones."""
    for profile in all_profiles():
        cases = [c for c in CASES if c.folder.parent.name == profile.name]
        assert len(cases) >= MIN_CASES, f"{profile.name}: {len(cases)} cases"
        negative = [c for c in cases if c.expected() is None]
        assert negative and len(negative) < len(cases), f"{profile.name}: needs both kinds of case"


def test_fixture_folders_name_real_profiles() -> None:
    """Every fixture folder is named after a shipped profile (a typo would hide its cases)."""
    names = {p.name for p in all_profiles()}
    for root in (FIXTURES, PENDING):
        for folder in root.iterdir() if root.is_dir() else ():
            assert folder.name in names, folder
