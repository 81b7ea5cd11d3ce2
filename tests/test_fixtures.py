"""Resolver cases as folders: `fixtures/<profile>/<case>/{base,ours,theirs,expected}.<ext>`.

A case whose folder holds `expected.<ext>` must resolve cleanly to exactly that text; a case
holding `expected.conflict` must stay a conflict, byte for byte what `git merge-file` prints.
`path.txt` gives the repository path passed to the resolver (it picks the profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from mergekit.resolve import resolve_file
from mergekit.resolve.profiles import all_profiles, profile_for
from tests.helpers.gitmerge import git_merge_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture(case: Case, tmp_path: Path, git_env: dict[str, str]) -> None:
    """Each case resolves to its expected text, or stays git's conflict."""
    profile = profile_for(case.path)
    assert profile is not None and profile.name == case.folder.parent.name, case.path
    result = resolve_file(case.base, case.ours, case.theirs, case.path)
    expected = case.expected()
    if expected is None:
        assert not result.clean, f"resolved a case that must stay a conflict (rule {result.rule})"
        labels = ("-L", "ours", "-L", "base", "-L", "theirs")
        _, git = git_merge_file(tmp_path, git_env, case.base, case.ours, case.theirs, *labels)
        assert result.merged == git
    else:
        reasons = [h.reason for h in result.hunks if not h.resolved]
        assert result.clean, f"left a conflict: {reasons}"
        assert result.merged.decode() == expected.decode()


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
    for folder in FIXTURES.iterdir():
        assert folder.name in names, folder
