"""The integration run against real repositories: strategies, order, dry run, pause/continue/abort, tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mergekit.app.integrate.abort import abort_run
from mergekit.app.integrate.resume import continue_run
from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.status import run_status
from mergekit.app.integrate.types import IntegrateOptions
from mergekit.app.plan import plan_branches
from mergekit.errors import MergekitError
from mergekit.model import ConflictKind, HumanConflict, Skipped, SkipReason
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import (
    BARREL,
    CONFIG,
    UserSnapshot,
    build_features,
    first_parent_subjects,
    parents,
    written_state,
)

CLEAN = ("feature/alpha", "feature/beta", "feature/gamma")


def _opts(repo: GitRepo, *branches: str, **kw: object) -> IntegrateOptions:
    return IntegrateOptions(cwd=repo.path, into="main", branches=branches, **kw)  # type: ignore[arg-type]


def test_merge_strategy_merges_everything_and_unions_the_barrel(repo: GitRepo) -> None:
    tips = build_features(repo)
    user = UserSnapshot.take(repo)
    report = integrate(_opts(repo, *CLEAN))
    assert report.status == "done" and report.exit_code == 0
    assert sorted(report.merged) == sorted(CLEAN) and report.pending == []
    assert report.result_commit == repo.rev("integration")
    assert repo.show("integration", BARREL) == (
        "export * from './users';\nexport * from './alpha';\nexport * from './beta';\n"
    )
    assert "PAGE_SIZE = 100" in repo.show("integration", CONFIG)
    # the barrel conflicted on the second of alpha/beta: reported with the resolver's rule
    assert len(report.auto_resolved) == 1
    auto = report.auto_resolved[0]
    assert report.order == ["feature/gamma", "feature/alpha", "feature/beta"]  # untouched first
    assert auto.path == BARREL and auto.branch == "feature/beta" and auto.rule
    # one merge commit per branch, two parents each, in order
    assert first_parent_subjects(repo, "integration", "main") == [
        f"Merge branch '{b}' into integration" for b in report.order
    ]
    assert parents(repo, "integration") == [repo.rev("integration^1"), tips[report.order[-1]]]
    assert UserSnapshot.take(repo) == user
    assert report.worktree is None and not (repo.path / ".git" / "mergekit" / "run.json").exists()
    assert "mergekit/worktrees" not in repo.git("worktree", "list")


def test_squash_strategy_makes_one_single_parent_commit_per_branch(repo: GitRepo) -> None:
    build_features(repo)
    merged = integrate(_opts(repo, *CLEAN, result_branch="merged"))
    user = UserSnapshot.take(repo)
    report = integrate(_opts(repo, *CLEAN, result_branch="squashed", strategy="squash"))
    assert report.status == "done"
    chain = first_parent_subjects(repo, "squashed", "main")
    assert chain == [f"Squash branch '{b}' into squashed" for b in report.order]
    for i in range(len(CLEAN)):
        assert len(parents(repo, f"squashed~{i}")) == 1
    assert "* alpha: add feature" in repo.git(
        "log", "-1", "--format=%B", f"squashed~{2 - report.order.index('feature/alpha')}"
    )
    assert repo.rev("squashed^{tree}") == repo.rev(f"{merged.result_commit}^{{tree}}")
    assert UserSnapshot.take(repo) == user


def test_order_follows_dependencies(repo: GitRepo) -> None:
    repo.commit("base", {"README": "app\n"})
    repo.checkout("z-migration", create=True)
    repo.commit("migration", {"db/001.sql": "create table t;\n"})
    repo.checkout("b-api", create=True)
    repo.commit("api on migration", {"api.ts": "api\n"})
    repo.checkout("a-frontend", create=True)
    repo.commit("frontend on api", {"web.ts": "web\n"})
    repo.checkout("c-service", create=True, start="z-migration")
    repo.commit("service on migration", {"service.ts": "svc\n"})
    repo.checkout("main")
    plan = plan_branches(repo.path, ("a-frontend", "b-api", "c-service", "z-migration"), "main").plan
    assert plan.order == ["z-migration", "b-api", "a-frontend", "c-service"]
    assert ("b-api", "a-frontend") in plan.dependencies
    report = integrate(_opts(repo, "a-frontend", "b-api", "c-service", "z-migration"))
    assert report.order == plan.order and report.merged == plan.order
    assert repo.git("ls-tree", "-r", "--name-only", "integration").split() == [
        "README",
        "api.ts",
        "db/001.sql",
        "service.ts",
        "web.ts",
    ]


def test_order_by_overlap_puts_the_genuine_conflict_last(repo: GitRepo) -> None:
    build_features(repo)
    plan = plan_branches(repo.path, ("feature/*",), "main").plan
    # delta and gamma clash on PAGE_SIZE: last; alpha/beta share the barrel (auto): after the untouched
    assert plan.order == ["feature/alpha", "feature/beta", "feature/delta", "feature/gamma"]
    pair = next(p for p in plan.pairs if (p.a, p.b) == ("feature/delta", "feature/gamma"))
    assert pair.human == {CONFIG}
    barrel = next(p for p in plan.pairs if (p.a, p.b) == ("feature/alpha", "feature/beta"))
    assert barrel.auto_resolvable == {BARREL} and not barrel.human


def test_order_given_keeps_argument_order(repo: GitRepo) -> None:
    build_features(repo)
    report = integrate(_opts(repo, "feature/gamma", "feature/beta", "feature/alpha", order="given"))
    assert report.order == ["feature/gamma", "feature/beta", "feature/alpha"] == report.merged
    assert (
        first_parent_subjects(repo, "integration", "main")[0]
        == "Merge branch 'feature/gamma' into integration"
    )


def test_dry_run_writes_nothing_and_predicts(repo: GitRepo) -> None:
    build_features(repo)
    user = UserSnapshot.take(repo)
    before = written_state(repo)
    report = integrate(_opts(repo, "feature/*", dry_run=True))
    assert written_state(repo) == before
    assert UserSnapshot.take(repo) == user
    assert report.dry_run and report.result_commit is None and report.worktree is None
    assert report.status == "conflict" and report.exit_code == 1
    assert report.merged == ["feature/alpha", "feature/beta", "feature/delta"]
    assert report.pending == ["feature/gamma"] and report.skipped == []
    assert report.conflicts == [HumanConflict("feature/gamma", CONFIG, ConflictKind.CONTENT)]
    assert [a.path for a in report.auto_resolved] == [BARREL]


def _pause(repo: GitRepo, tips: dict[str, str] | None = None) -> tuple[dict[str, str], Path]:
    tips = tips or build_features(repo)
    report = integrate(_opts(repo, "feature/*"))
    assert report.status == "conflict" and report.exit_code == 1
    assert report.pending == ["feature/gamma"]
    assert report.conflicts == [HumanConflict("feature/gamma", CONFIG, ConflictKind.CONTENT)]
    assert report.worktree is not None
    return tips, Path(report.worktree)


def test_pause_then_human_resolves_with_git_then_continue(repo: GitRepo) -> None:
    tips = build_features(repo)
    user = UserSnapshot.take(repo)
    _, wt = _pause(repo, tips)
    assert UserSnapshot.take(repo) == user
    paused_at = repo.rev("integration")
    assert "You have unmerged paths" in repo.git("status", cwd=wt)
    text = (wt / CONFIG).read_text()
    assert (
        "<<<<<<< integration\nexport const PAGE_SIZE = 500;\n=======\n"
        "export const PAGE_SIZE = 100;\n>>>>>>> feature/gamma" in text
    )
    (wt / CONFIG).write_text(
        text.split("<<<<<<<")[0] + "export const PAGE_SIZE = 200;\n\nexport const DEBUG = false;\n"
    )
    repo.git("add", CONFIG, cwd=wt)
    report = continue_run(wt)  # from inside the hand-off worktree
    assert report.status == "done" and report.exit_code == 0
    assert report.merged[-1] == "feature/gamma" and report.pending == []
    assert parents(repo, "integration") == [paused_at, tips["feature/gamma"]]
    assert "PAGE_SIZE = 200" in repo.show("integration", CONFIG)
    assert not wt.exists() and run_status(repo.path) is None
    assert UserSnapshot.take(repo) == user


def test_human_may_commit_the_merge_themselves(repo: GitRepo) -> None:
    tips, wt = _pause(repo)
    paused_at = repo.rev("integration")
    (wt / CONFIG).write_text("export const PAGE_SIZE = 300;\n")
    repo.git("add", CONFIG, cwd=wt)
    repo.git("commit", "-q", "-m", "Merge gamma, settle PAGE_SIZE", cwd=wt)
    report = continue_run(repo.path)
    assert report.status == "done"
    assert parents(repo, "integration") == [paused_at, tips["feature/gamma"]]
    assert repo.git("log", "-1", "--format=%s", "integration").strip() == "Merge gamma, settle PAGE_SIZE"


def test_continue_refuses_when_the_human_aborted_the_merge(repo: GitRepo) -> None:
    _, wt = _pause(repo)
    repo.git("merge", "--abort", cwd=wt)
    before = written_state(repo)
    with pytest.raises(MergekitError, match="was aborted"):
        continue_run(repo.path)
    assert written_state(repo)["refs"] == before["refs"]


def test_continue_with_unresolved_files_lists_them_and_changes_nothing(repo: GitRepo) -> None:
    _, wt = _pause(repo)
    before = written_state(repo)
    report = continue_run(repo.path)
    assert report.status == "conflict" and report.exit_code == 1
    assert report.conflicts == [HumanConflict("feature/gamma", CONFIG, ConflictKind.UNMERGED)]
    repo.git("add", CONFIG, cwd=wt)  # staged with the markers still in
    report = continue_run(repo.path)
    assert report.conflicts == [HumanConflict("feature/gamma", CONFIG, ConflictKind.MARKERS_LEFT)]
    after = written_state(repo)
    assert after["refs"] == before["refs"] and after["worktrees"] == before["worktrees"]
    status = run_status(repo.path)
    assert status is not None and status.status == "conflict" and status.pending == ["feature/gamma"]


def test_abort_restores_everything(repo: GitRepo) -> None:
    build_features(repo)
    earlier = integrate(_opts(repo, "feature/alpha"))
    assert earlier.status == "done"
    user = UserSnapshot.take(repo)
    before = written_state(repo)
    report = integrate(_opts(repo, "feature/*"))
    assert report.status == "conflict" and repo.rev("integration") != earlier.result_commit
    aborted = abort_run(repo.path)
    assert aborted.restored_to == earlier.result_commit == repo.rev("integration")
    assert aborted.removed_worktree == report.worktree and not Path(report.worktree or "").exists()
    after = written_state(repo)
    assert after["refs"] == before["refs"] and after["worktrees"] == before["worktrees"]
    assert run_status(repo.path) is None
    assert UserSnapshot.take(repo) == user


def test_abort_deletes_a_result_branch_the_run_created(repo: GitRepo) -> None:
    build_features(repo)
    integrate(_opts(repo, "feature/*", result_branch="tmp/ïntegration"))
    abort_run(repo.path)
    assert "refs/heads/tmp/ïntegration" not in repo.refs()


def test_test_failure_names_the_branch_that_broke_it(repo: GitRepo, tmp_path: Path) -> None:
    build_features(repo)
    repo.checkout("feature/breaker", create=True)
    repo.commit("breaks the build", {"BROKEN": "yes\n"})
    repo.checkout("main")
    log = tmp_path / "runs.log"
    cmd = f"echo run >> '{log}' && test ! -e BROKEN"
    report = integrate(
        _opts(repo, "feature/alpha", "feature/breaker", "feature/beta", order="given", test=cmd)
    )
    assert report.status == "test_failed" and report.exit_code == 1
    assert report.failed_branch == "feature/breaker"
    assert report.merged == ["feature/alpha"] and report.pending == ["feature/breaker", "feature/beta"]
    assert report.worktree is not None and (Path(report.worktree) / "BROKEN").exists()
    assert "BROKEN" not in repo.git("ls-tree", "--name-only", "integration")  # the ref did not move
    # BASE, after alpha, after breaker; then the culprit search: breaker alone fails too
    assert log.read_text().count("run") == 4
    assert report.culprits == ["feature/breaker"] and report.dropped == []
    # fix it in the worktree and go on
    wt = Path(report.worktree)
    repo.git("rm", "-q", "BROKEN", cwd=wt)
    repo.git("commit", "-q", "-m", "fix the build", cwd=wt)
    done = continue_run(repo.path)
    assert done.status == "done" and done.merged == ["feature/alpha", "feature/breaker", "feature/beta"]
    assert log.read_text().count("run") == 7  # + fixed breaker, beta, final
    assert "fix the build" in repo.git("log", "--format=%s", "integration")


def test_passing_test_runs_after_each_merge_and_at_the_end(repo: GitRepo, tmp_path: Path) -> None:
    build_features(repo)
    log = tmp_path / "runs.log"
    report = integrate(_opts(repo, *CLEAN, test=f"git rev-parse HEAD >> '{log}'"))
    assert report.status == "done"
    runs = log.read_text().split()
    assert runs[0] == repo.rev("main")
    assert runs[1:4] == [repo.rev(f"integration~{i}") for i in (2, 1, 0)]
    assert runs[4] == repo.rev("integration")
    assert not (repo.path / ".git" / "mergekit" / "worktrees" / "integration").exists()


def test_skip_conflicting_merges_the_rest_and_reports(repo: GitRepo) -> None:
    build_features(repo)
    report = integrate(_opts(repo, "feature/*", skip_conflicting=True))
    assert report.status == "done" and report.exit_code == 1
    assert report.merged == ["feature/alpha", "feature/beta", "feature/delta"]
    assert report.skipped == [Skipped("feature/gamma", SkipReason.CONFLICTS, (CONFIG,))]
    assert report.conflicts == [HumanConflict("feature/gamma", CONFIG, ConflictKind.CONTENT)]
    assert report.worktree is None and run_status(repo.path) is None
    assert "PAGE_SIZE = 500" in repo.show("integration", CONFIG)


def test_branches_of_linked_worktrees_are_the_default(repo: GitRepo, tmp_path: Path) -> None:
    build_features(repo)
    repo.git("worktree", "add", "-q", str(tmp_path / "agent-a"), "feature/alpha")
    repo.git("worktree", "add", "-q", str(tmp_path / "agent-b"), "feature/beta")
    report = integrate(IntegrateOptions(cwd=tmp_path / "agent-a" / "src", into="main"))
    assert sorted(report.merged) == ["feature/alpha", "feature/beta"]
    assert repo.git("status", "--porcelain", cwd=tmp_path / "agent-a") == ""


def test_rerun_rebuilds_an_earlier_result_without_force(repo: GitRepo) -> None:
    build_features(repo)
    first = integrate(_opts(repo, "feature/alpha"))
    second = integrate(_opts(repo, "feature/alpha", "feature/beta"))
    assert second.status == "done" and second.result_commit != first.result_commit
    # rebuilt from BASE, not stacked on the first result
    assert first_parent_subjects(repo, "integration", "main") == [
        "Merge branch 'feature/alpha' into integration",
        "Merge branch 'feature/beta' into integration",
    ]


@pytest.mark.parametrize("name", ["feature/ünïcode-ß", "team/a/b/c"])
def test_unicode_and_slashes_just_work(repo: GitRepo, name: str) -> None:
    repo.commit("base", {"a": "a\n"})
    repo.checkout(name, create=True)
    tip = repo.commit("feature", {"b": "b\n"})
    repo.checkout("main")
    report = integrate(_opts(repo, name, result_branch=f"{name}-integration"))
    assert report.merged == [name]
    assert parents(repo, f"{name}-integration")[1] == tip
