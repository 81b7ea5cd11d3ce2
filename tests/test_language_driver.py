"""A real `git merge` runs the installed driver on the languages of the wider profile set.

One conflict of each kind a new user meets first (Java imports, Kotlin and Gradle Kotlin DSL,
C#, PHP routes, a Gemfile, C and C++ includes, CSS, GraphQL, Terraform, a Maven POM, `.env`,
Swift) is taken from the fixture cases, committed on two branches, and merged by git with the
driver that `mergekit install` registered: git reports no conflict and each file is the case's
expected text. A genuine conflict in a POM stays a conflict with git's markers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo
from tests.test_fixtures import FIXTURES, Case, read_case

CLEAN = [
    "java/imports_sorted_stay_sorted",
    "kotlin/gradle_kts_dependencies_both_add",
    "csharp/program_registrations_both_add",
    "php/routes_and_uses_both_add",
    "ruby/gemfile_both_add",
    "c/includes_both_add",
    "cpp/includes_and_namespace_declarations",
    "css/rules_both_add",
    "graphql/fields_both_add",
    "hcl/resources_both_add",
    "maven/dependencies_both_add",
    "dotenv/both_append",
    "swift/package_dependencies_both_add",
]


def _cases(names: list[str]) -> list[Case]:
    cases = [read_case(FIXTURES / name) for name in names]
    assert len({c.path for c in cases}) == len(cases), "two cases share a path"
    return cases


def _branches(repo: GitRepo, cases: list[Case]) -> None:
    """`main` holds every case's base; `ours` and `theirs` each change every file their way."""
    repo.commit("base", {c.path: c.base for c in cases})
    assert main(["install", "-C", str(repo.path)]) == 0
    repo.commit("route the files through mergekit")
    for side in ("ours", "theirs"):
        repo.checkout(side, create=True, start="main")
        repo.commit(side, {c.path: getattr(c, side) for c in cases})
    repo.checkout("ours")


def _merge(repo: GitRepo, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "merge", "--no-edit", "theirs"], cwd=repo.path, env=env, capture_output=True, text=True
    )


def test_git_merge_resolves_one_conflict_of_each_language(repo: GitRepo, git_env: dict[str, str]) -> None:
    cases = _cases(CLEAN)
    _branches(repo, cases)
    merge = _merge(repo, git_env)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "CONFLICT" not in merge.stdout
    for case in cases:
        expected = case.expected()
        assert expected is not None
        assert (repo.path / case.path).read_bytes() == expected, case.id
    assert repo.git("status", "--porcelain") == ""


def test_git_merge_leaves_a_genuine_pom_conflict(repo: GitRepo, git_env: dict[str, str]) -> None:
    (case,) = _cases(["maven/neg_same_dependency_different_version"])
    _branches(repo, [case])
    merge = _merge(repo, git_env)
    assert merge.returncode == 1 and "CONFLICT (content)" in merge.stdout
    text = Path(repo.path / case.path).read_text()
    assert text.count("<<<<<<< ") == 1 and "10.4.1" in text and "9.22.3" in text


def test_installed_attributes_cover_the_new_profiles(repo: GitRepo, git_env: dict[str, str]) -> None:
    """`mergekit install` routes the new languages' files to the driver (git check-attr agrees)."""
    repo.commit("base", {"README.md": "x\n"})
    assert main(["install", "-C", str(repo.path)]) == 0
    paths = ["src/Main.java", "build.gradle.kts", "Gemfile", "infra/main.tf", "pom.xml", ".env", "Makefile"]
    proc = subprocess.run(
        ["git", "check-attr", "merge", "--", *paths],
        cwd=repo.path,
        env=git_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.splitlines() == [f"{p}: merge: mergekit" for p in paths], proc.stdout


def test_only_the_grammar_of_the_file_at_hand_is_imported(tmp_path: Path) -> None:
    """Loading 40-odd profiles imports no grammar; resolving a Java file imports Java's alone (its
    package or only the package's `_binding` extension: `mergekit.resolve.syntax`)."""
    case = read_case(FIXTURES / "java/enum_constants_both_add")
    for name in ("base", "ours", "theirs"):
        (tmp_path / name).write_bytes(getattr(case, name))
    code = (
        "import sys; from mergekit.entry import main; "
        f"rc = main(['merge-file', '--path', {case.path!r}, 'base', 'ours', 'theirs']); "
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('tree_sitter_')})); sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['tree_sitter_java']"
    assert (tmp_path / "ours").read_bytes() == case.expected()
