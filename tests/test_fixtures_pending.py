"""Cases the resolver does not get right yet: `fixtures_pending/<profile>/<case>/`.

Each folder is a fixture case (`base`, `ours`, `theirs`, optional `path.txt`) with two outcomes,
as mergiraf keeps its failing examples: what the resolver should give (`expected.<ext>`, or
`expected.conflict`) and what it gives today (`currently.<ext>`, the clean text, or
`currently.conflict`, git's conflict byte for byte). The test holds the resolver to `currently`,
so that a change in behaviour shows either way: a regression fails here, and so does a case that
now comes out as expected — then move its folder to `fixtures/<profile>/` and delete `currently.*`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mergekit.resolve import resolve_file
from mergekit.resolve.profiles import all_profiles, profile_for
from tests.helpers.gitmerge import git_merge_file
from tests.test_fixtures import ROOT, Case, discover

PENDING = ROOT / "fixtures_pending"
PENDING_CASES = discover(PENDING)


def _outcome(case: Case, stem: str) -> bytes | None:
    """The case's `<stem>.<ext>` text, or None for `<stem>.conflict` (git's conflict)."""
    if (case.folder / f"{stem}.conflict").exists():
        return None
    return (case.folder / f"{stem}{case.ext}").read_bytes()


def _git_conflict(case: Case, tmp_path: Path, env: dict[str, str]) -> bytes:
    labels = ("-L", "ours", "-L", "base", "-L", "theirs")
    return git_merge_file(tmp_path, env, case.base, case.ours, case.theirs, *labels)[1]


@pytest.mark.parametrize("case", PENDING_CASES, ids=[c.id for c in PENDING_CASES])
def test_pending_case_still_gives_what_currently_says(
    case: Case, tmp_path: Path, git_env: dict[str, str]
) -> None:
    profile = profile_for(case.path)
    assert profile is not None and profile.name == case.folder.parent.name, case.path
    result = resolve_file(case.base, case.ours, case.theirs, case.path)
    ideal, currently = _outcome(case, "expected"), _outcome(case, "currently")
    git = _git_conflict(case, tmp_path, git_env)
    given = result.merged if result.clean else None
    if given == ideal and (ideal is not None or result.merged == git):
        pytest.fail(f"{case.id} now gives its expected outcome: move it to fixtures/ and delete currently.*")
    if currently is None:
        assert not result.clean, f"now clean (rule {result.rule}): update `currently` or promote the case"
        assert result.merged == git, "now a different conflict than git's: update `currently`"
    else:
        assert result.clean, "now a conflict: update `currently`"
        assert result.merged.decode() == currently.decode()


def test_pending_cases_say_what_they_should_and_do() -> None:
    """Each pending case names a real profile and has one ideal and one different current outcome."""
    assert PENDING_CASES, "an empty fixtures_pending/ is removed, not kept"
    names = {p.name for p in all_profiles()}
    for folder in PENDING.iterdir():
        assert folder.name in names, folder
    for case in PENDING_CASES:
        files = {p.name for p in case.folder.iterdir()}
        assert len(files & {f"expected{case.ext}", "expected.conflict"}) == 1, case.id
        assert len(files & {f"currently{case.ext}", "currently.conflict"}) == 1, case.id
        assert _outcome(case, "expected") != _outcome(case, "currently"), case.id
