"""The benchmark repository generator and the git peers it is timed against, on a tiny repository."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest

from bench.genrepo import BARREL, CHANGELOG, REGISTRY, SHARED_FILES, GeneratedRepo, generate, main
from bench.peers import merge_tree_chain, sequential_merge
from tests.helpers.gitmerge import merge_tree


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    """Run git in `repo`; fail the test on a non-zero exit."""
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def changed(repo: GeneratedRepo, env: dict[str, str], branch: str, *flags: str) -> set[str]:
    """Paths `branch` changed since main (optionally filtered, e.g. --diff-filter=M)."""
    return set(git(repo.path, env, "diff", "--name-only", *flags, f"main...{branch}").split())


@pytest.fixture
def tiny(tmp_path: Path, git_env: dict[str, str]) -> GeneratedRepo:
    """A 200-file repository with three branches touching 20 files each."""
    return generate(tmp_path / "tiny", files=200, branches=3, touch=20, seed=7)


def test_generated_repository_structure(tiny: GeneratedRepo, git_env: dict[str, str]) -> None:
    on_main = git(tiny.path, git_env, "ls-tree", "-r", "--name-only", "main").split()
    assert len(on_main) == 200
    assert set(SHARED_FILES) <= set(on_main)
    assert max(path.count("/") for path in on_main) >= 4  # nested, not flat
    assert git(tiny.path, git_env, "status", "--porcelain") == ""
    heads = git(tiny.path, git_env, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()
    assert sorted(heads) == sorted(["main", *tiny.branches])
    assert len(tiny.branches) == 3 and all(b.startswith("feature/") for b in tiny.branches)
    modified: list[set[str]] = []
    for branch in tiny.branches:
        assert len(changed(tiny, git_env, branch)) == tiny.touch == 20
        added = changed(tiny, git_env, branch, "--diff-filter=A")
        mods = changed(tiny, git_env, branch, "--diff-filter=M")
        assert added and mods - set(SHARED_FILES)
        assert set(SHARED_FILES) <= mods
        modified.append(mods - set(SHARED_FILES))
        barrel_diff = git(tiny.path, git_env, "diff", "-U0", f"main...{branch}", "--", BARREL)
        assert [
            line for line in barrel_diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ] == [f"+export * from './{sorted(added)[0].rsplit('/', 1)[0]}';"]
    for one, two in itertools.combinations(modified, 2):
        assert not one & two  # no genuine conflicts: each existing file has one modifier


def test_every_pair_conflicts_only_in_the_shared_files(tiny: GeneratedRepo, git_env: dict[str, str]) -> None:
    for ours, theirs in itertools.combinations(tiny.branches, 2):
        code, out = merge_tree(tiny.path, git_env, ours, theirs, "--name-only", "--no-messages")
        assert code == 1
        conflicted = set(out.splitlines()[1:])
        assert {BARREL, REGISTRY, CHANGELOG} <= conflicted <= set(SHARED_FILES)


def test_generation_is_deterministic(tmp_path: Path, git_env: dict[str, str]) -> None:
    one = generate(tmp_path / "one", files=120, branches=2, touch=12, seed=3, checkout=False)
    two = generate(tmp_path / "two", files=120, branches=2, touch=12, seed=3, checkout=False)
    other = generate(tmp_path / "other", files=120, branches=2, touch=12, seed=4, checkout=False)
    refs = ("for-each-ref", "--format=%(refname) %(objectname)")
    assert git(one.path, git_env, *refs) == git(two.path, git_env, *refs)
    assert git(one.path, git_env, *refs) != git(other.path, git_env, *refs)


def test_cli_refuses_a_non_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file").write_text("x")
    assert main([str(tmp_path / "busy"), "--files", "50", "--branches", "1"]) == 2
    assert "not empty" in capsys.readouterr().err


def test_peers_integrate_every_branch(tiny: GeneratedRepo, git_env: dict[str, str]) -> None:
    chain = merge_tree_chain(tiny.path, "main", tiny.branches)
    assert chain.conflicted_merges == 2  # every merge after the first conflicts in the shared files
    assert chain.peak_rss_mb > 0 and chain.processes == 2 * len(tiny.branches) + 2
    parents = git(tiny.path, git_env, "rev-list", "--parents", "-n1", "refs/bench/merge-tree").split()
    assert (
        parents[0] == chain.result
        and parents[2] == git(tiny.path, git_env, "rev-parse", tiny.branches[-1]).strip()
    )

    seq = sequential_merge(tiny.path, "main", tiny.branches)
    assert seq.peak_rss_mb > 0 and seq.phases["worktree add"] >= 0
    barrel = git(tiny.path, git_env, "show", f"{seq.result}:{BARREL}")
    for branch in tiny.branches:
        git(tiny.path, git_env, "merge-base", "--is-ancestor", branch, seq.result)
    added = [line for line in barrel.splitlines() if "/features/" in line]
    assert len(added) == len(tiny.branches)  # every branch's entry survived the union
    assert "<<<<<<<" not in barrel
    worktrees = git(tiny.path, git_env, "worktree", "list", "--porcelain")
    assert worktrees.count("worktree ") == 1  # the scratch worktree is gone
