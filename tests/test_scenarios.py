"""The scenario builders produce the repositories their `Scenario` describes.

Real repositories in tmp_path, inspected with the git CLI: the branches and their files, the
append-only shared files that make plain git conflict, the genuine conflicts, the ancestry of
stacked branches, and the agents' worktrees.
"""

from __future__ import annotations

import ast
import itertools
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mergekit.scenarios import SCENARIOS, Scenario, build_epic, build_five_features, build_go
from tests.helpers.gitmerge import merge_tree as merge_tree_of


@dataclass
class MergeTree:
    """The outcome of `git merge-tree --write-tree` of two branches."""

    clean: bool
    conflicted: set[str]


def git(scenario: Scenario, env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    """Run git in the scenario repository; fail the test on a non-zero exit."""
    proc = subprocess.run(
        ["git", *args], cwd=cwd or scenario.path, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def merge_tree(scenario: Scenario, env: dict[str, str], ours: str, theirs: str) -> MergeTree:
    """Merge two branches in memory with git; return whether it was clean and the conflicted paths."""
    code, out = merge_tree_of(scenario.path, env, ours, theirs, "--name-only", "--no-messages")
    lines = out.splitlines()
    return MergeTree(clean=code == 0, conflicted={line for line in lines[1:] if line})


def files_on(scenario: Scenario, env: dict[str, str], rev: str) -> set[str]:
    """Every path in `rev`'s tree."""
    return set(git(scenario, env, "ls-tree", "-r", "--name-only", rev).splitlines())


def changed_by(scenario: Scenario, env: dict[str, str], branch: str) -> set[str]:
    """Paths `branch` changed since its merge base with the scenario's base."""
    out = git(scenario, env, "diff", "--name-only", f"{scenario.base}...{branch}")
    return set(out.splitlines())


def added_lines(scenario: Scenario, env: dict[str, str], branch: str, path: str) -> list[str]:
    """The lines `branch` added to `path` since its merge base with the base branch."""
    out = git(scenario, env, "diff", "-U0", f"{scenario.base}...{branch}", "--", path)
    return [line[1:] for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]


def removed_lines(scenario: Scenario, env: dict[str, str], branch: str, path: str) -> list[str]:
    """The lines `branch` removed from `path` since its merge base with the base branch."""
    out = git(scenario, env, "diff", "-U0", f"{scenario.base}...{branch}", "--", path)
    return [line[1:] for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]


@pytest.fixture
def five(tmp_path: Path, git_env: dict[str, str]) -> Scenario:
    """The five-feature scenario, without worktrees."""
    return build_five_features(tmp_path / "five")


# --- every scenario ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_metadata_matches_the_repository(name: str, tmp_path: Path, git_env: dict[str, str]) -> None:
    scenario = SCENARIOS[name](tmp_path / name)
    assert git(scenario, git_env, "branch", "--show-current").strip() == scenario.base == "main"
    assert git(scenario, git_env, "status", "--porcelain") == ""
    heads = set(git(scenario, git_env, "for-each-ref", "--format=%(refname:short)", "refs/heads").split())
    assert heads == {scenario.base, *scenario.branches}
    on_base = files_on(scenario, git_env, scenario.base)
    for branch in scenario.branches:
        changed = changed_by(scenario, git_env, branch)
        added = scenario.added_files[branch]
        assert added, branch
        assert set(added) <= files_on(scenario, git_env, branch) - on_base
        assert set(added) <= changed
    for path, branches in {**scenario.shared_files, **scenario.expected_conflicts}.items():
        assert path in on_base
        for branch in branches:
            assert path in changed_by(scenario, git_env, branch), (path, branch)
    for branch, parents in scenario.dependencies.items():
        for parent in parents:
            git(scenario, git_env, "merge-base", "--is-ancestor", parent, branch)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_builders_are_deterministic(name: str, tmp_path: Path, git_env: dict[str, str]) -> None:
    first = SCENARIOS[name](tmp_path / "one")
    second = SCENARIOS[name](tmp_path / "two")
    refs = ["--format=%(refname) %(objectname)", "refs/heads"]
    assert git(first, git_env, "for-each-ref", *refs) == git(second, git_env, "for-each-ref", *refs)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_genuine_conflicts_conflict_in_git(name: str, tmp_path: Path, git_env: dict[str, str]) -> None:
    scenario = SCENARIOS[name](tmp_path / name)
    for path, branches in scenario.expected_conflicts.items():
        for ours, theirs in itertools.combinations(branches, 2):
            result = merge_tree(scenario, git_env, ours, theirs)
            assert not result.clean
            assert path in result.conflicted
    # A genuine conflict is only between the branches named for it.
    for ours, theirs in itertools.combinations(scenario.branches, 2):
        conflicted = merge_tree(scenario, git_env, ours, theirs).conflicted
        for path, branches in scenario.expected_conflicts.items():
            if not (ours in branches and theirs in branches):
                assert path not in conflicted, (ours, theirs, path)


def test_builder_refuses_a_non_empty_directory(tmp_path: Path, git_env: dict[str, str]) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine\n")
    with pytest.raises(FileExistsError):
        build_five_features(target)
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_scenarios_ignore_the_users_git_config(tmp_path: Path, git_env: dict[str, str]) -> None:
    gitconfig = Path(git_env["GIT_CONFIG_GLOBAL"])
    gitconfig.write_text(
        "[init]\n\tdefaultBranch = trunk\n[user]\n\tname = Someone Else\n[commit]\n\tgpgsign = true\n"
    )
    scenario = build_go(tmp_path / "go")
    assert scenario.base == "main"
    authors = set(git(scenario, git_env, "log", "--all", "--format=%an <%ae> %cn %cI").splitlines())
    assert authors and all(a.startswith("Scenario Author <author@scenario.example>") for a in authors)


# --- five features ----------------------------------------------------------------------------


def test_five_features_branches_add_their_own_files(five: Scenario, git_env: dict[str, str]) -> None:
    assert five.branches == [
        "feature/notification-preferences",
        "feature/billing-dashboard",
        "feature/user-export",
        "feature/admin-audit-log",
        "feature/public-api",
    ]
    on_main = files_on(five, git_env, "main")
    assert {"src/routes/users.ts", "src/routes/projects.ts", "src/config.ts", "package.json"} <= on_main
    billing = files_on(five, git_env, "feature/billing-dashboard") - on_main
    assert billing == {
        "src/routes/billing-dashboard.ts",
        "src/services/billing-dashboard.ts",
        "src/lib/db/schema/invoices.ts",
        "tests/billing-dashboard.test.ts",
    }
    for branch in five.branches:
        assert len(git(five, git_env, "rev-list", f"main..{branch}").split()) >= 3


def test_five_features_each_branch_adds_one_entry_to_each_shared_file(
    five: Scenario, git_env: dict[str, str]
) -> None:
    billing = "feature/billing-dashboard"
    assert added_lines(five, git_env, billing, "src/routes/index.ts") == [
        "import { billingDashboardRouter } from './billing-dashboard';",
        "router.use('/billing', billingDashboardRouter);",
    ]
    assert added_lines(five, git_env, billing, "src/lib/db/schema/index.ts") == [
        "export * from './invoices';"
    ]
    assert added_lines(five, git_env, billing, "CHANGELOG.md") == [
        "- Billing dashboard: invoices, payment methods and usage per project."
    ]
    for branch in five.branches:
        for path in ("src/routes/index.ts", "src/lib/db/schema/index.ts", "CHANGELOG.md"):
            assert removed_lines(five, git_env, branch, path) == [], (branch, path)
        manifest = json.loads(git(five, git_env, "show", f"{branch}:package.json"))
        base_manifest = json.loads(git(five, git_env, "show", "main:package.json"))
        new_deps = set(manifest["dependencies"]) - set(base_manifest["dependencies"])
        assert len(new_deps) == 1, branch
        assert list(manifest["dependencies"]) == sorted(manifest["dependencies"])


def test_five_features_page_size_is_the_genuine_conflict(five: Scenario, git_env: dict[str, str]) -> None:
    assert five.expected_conflicts == {"src/config.ts": ["feature/user-export", "feature/admin-audit-log"]}
    assert five.conflicting_pair() == ("feature/user-export", "feature/admin-audit-log")
    assert "export const PAGE_SIZE = 50;" in git(five, git_env, "show", "main:src/config.ts")
    assert added_lines(five, git_env, "feature/user-export", "src/config.ts") == [
        "export const PAGE_SIZE = 500;"
    ]
    assert added_lines(five, git_env, "feature/admin-audit-log", "src/config.ts") == [
        "export const PAGE_SIZE = 100;"
    ]
    result = merge_tree(five, git_env, "feature/user-export", "feature/admin-audit-log")
    assert "src/config.ts" in result.conflicted


def test_five_features_every_pair_conflicts_in_the_shared_files(
    five: Scenario, git_env: dict[str, str]
) -> None:
    shared = {"src/routes/index.ts", "src/lib/db/schema/index.ts", "CHANGELOG.md"}
    for ours, theirs in itertools.combinations(five.branches, 2):
        result = merge_tree(five, git_env, ours, theirs)
        assert not result.clean
        assert shared <= result.conflicted, (ours, theirs)
        # Nothing else conflicts: the features' own files never overlap.
        assert result.conflicted <= shared | {"package.json", "src/config.ts"}


def test_five_features_with_worktrees(tmp_path: Path, git_env: dict[str, str]) -> None:
    scenario = build_five_features(tmp_path / "agents-repo", worktrees=True)
    assert set(scenario.worktrees) == set(scenario.branches)
    porcelain = git(scenario, git_env, "worktree", "list", "--porcelain")
    listed = {
        Path(block.split("\n")[0].removeprefix("worktree ")).resolve(): block.split("branch refs/heads/")[1]
        for block in porcelain.strip().split("\n\n")
        if "branch refs/heads/" in block
    }
    assert listed[scenario.path.resolve()] == "main"
    for branch, where in scenario.worktrees.items():
        assert where == scenario.path / "agents" / branch.removeprefix("feature/")
        assert listed[where.resolve()] == branch
        assert git(scenario, git_env, "branch", "--show-current", cwd=where).strip() == branch
        assert git(scenario, git_env, "status", "--porcelain", cwd=where) == ""
        assert all((where / f).is_file() for f in scenario.added_files[branch])
    # The agents' directories do not show up as untracked files in the main checkout.
    assert git(scenario, git_env, "status", "--porcelain", "--untracked-files=all") == ""


# --- epic -------------------------------------------------------------------------------------


def test_epic_ancestry(tmp_path: Path, git_env: dict[str, str]) -> None:
    epic = build_epic(tmp_path / "epic")
    assert epic.branches == ["epic/db-migration", "epic/api", "epic/service", "epic/frontend"]

    def is_ancestor(a: str, b: str) -> bool:
        proc = subprocess.run(
            ["git", "merge-base", "--is-ancestor", a, b], cwd=epic.path, env=git_env, check=False
        )
        assert proc.returncode in (0, 1)
        return proc.returncode == 0

    assert is_ancestor("epic/db-migration", "epic/api")
    assert is_ancestor("epic/db-migration", "epic/service")
    assert is_ancestor("epic/api", "epic/frontend")
    assert is_ancestor("epic/db-migration", "epic/frontend")
    assert not is_ancestor("epic/api", "epic/service")
    assert not is_ancestor("epic/service", "epic/api")
    assert not is_ancestor("epic/service", "epic/frontend")
    # main moved on after the epic started, so no epic branch contains main's tip.
    for branch in epic.branches:
        assert not is_ancestor("main", branch)
    assert "drizzle/0003_orders.sql" in files_on(epic, git_env, "epic/frontend")
    assert "src/services/orders.ts" not in files_on(epic, git_env, "epic/frontend")
    result = merge_tree(epic, git_env, "epic/api", "epic/service")
    assert result.conflicted == {"CHANGELOG.md"}
    assert merge_tree(epic, git_env, "epic/db-migration", "epic/frontend").clean


# --- django and go ----------------------------------------------------------------------------


def _pairs_conflict_in(
    builder: Callable[[Path], Scenario], tmp_path: Path, env: dict[str, str], paths: set[str]
) -> Scenario:
    scenario = builder(tmp_path / "repo")
    for ours, theirs in itertools.combinations(scenario.branches, 2):
        result = merge_tree(scenario, env, ours, theirs)
        assert paths <= result.conflicted, (ours, theirs, result.conflicted)
    return scenario


def test_django_apps_register_in_every_shared_list(tmp_path: Path, git_env: dict[str, str]) -> None:
    shared = {"config/settings.py", "config/urls.py", "core/services/__init__.py"}
    django = _pairs_conflict_in(SCENARIOS["django"], tmp_path, git_env, shared)
    assert django.expected_conflicts == {}
    billing = "feature/billing"
    assert added_lines(django, git_env, billing, "config/settings.py") == ['    "billing",']
    assert added_lines(django, git_env, billing, "config/urls.py") == [
        '    path("billing/", include("billing.urls")),'
    ]
    assert added_lines(django, git_env, billing, "core/services/__init__.py") == [
        "from .billing import BillingService",
        '    "BillingService",',
    ]
    assert added_lines(django, git_env, billing, "requirements.txt") == ["stripe==9.12.0"]
    for branch in django.branches:
        for path in files_on(django, git_env, branch):
            if path.endswith(".py"):
                ast.parse(git(django, git_env, "show", f"{branch}:{path}"), filename=path)


def test_go_handlers_and_the_timeout_conflict(tmp_path: Path, git_env: dict[str, str]) -> None:
    go = _pairs_conflict_in(build_go, tmp_path, git_env, {"internal/server/routes.go"})
    assert go.expected_conflicts == {"internal/server/server.go": ["feature/search", "feature/webhooks"]}
    assert added_lines(go, git_env, "feature/orders", "internal/server/routes.go") == [
        '\t"example.com/shop/internal/orders"',
        '\tmux.HandleFunc("/orders", orders.Handler)',
    ]
    assert added_lines(go, git_env, "feature/orders", "go.mod") == ["\tgithub.com/shopspring/decimal v1.4.0"]
    result = merge_tree(go, git_env, "feature/search", "feature/webhooks")
    assert "internal/server/server.go" in result.conflicted
