"""`mergekit replay` on real repositories whose merges have known human resolutions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from mergekit.app.replay import classify, confined, replay_cases, replay_history
from mergekit.entry import main
from mergekit.resolve import FileResolution
from tests.helpers.gitrepo import GitRepo

BARREL = "export * from './users';\n"


def _merge_with(repo: GitRepo, ours: str, theirs: str, resolution: dict[str, str]) -> str:
    """Merge `theirs` into `ours` with git, commit `resolution` as the human's result."""
    repo.checkout(ours)
    repo.git("merge", "--no-ff", "--no-commit", theirs, check=False)
    repo.write(resolution)
    repo.git("add", "-A")
    repo.git("commit", "-q", "--no-edit", "-m", f"Merge {theirs} into {ours}")
    return repo.rev("HEAD")


def _history(repo: GitRepo) -> None:
    """Three merges: one the resolver reproduces, one a human resolved differently, one genuine."""
    repo.commit("base", {"src/index.ts": BARREL, "config.py": "PAGE_SIZE = 10\n", "notes.md": "- a\n"})
    for n, (ours_line, theirs_line) in enumerate(
        [
            ("export * from './billing';\n", "export * from './audit';\n"),
            ("export * from './x';\n", "export * from './y';\n"),
        ]
    ):
        repo.checkout(f"f{n}a", create=True, start="main")
        repo.commit(f"a{n}", {"src/index.ts": repo.show("main", "src/index.ts") + ours_line})
        repo.checkout(f"f{n}b", create=True, start="main")
        repo.commit(f"b{n}", {"src/index.ts": repo.show("main", "src/index.ts") + theirs_line})
        main_text = repo.show("main", "src/index.ts")
        # merge 0: the human unioned, ours first (what mergekit does);
        # merge 1: the human kept only theirs' line (mergekit's union differs)
        human = main_text + ours_line + theirs_line if n == 0 else main_text + theirs_line
        repo.checkout("main")
        repo.git("merge", "-q", "--ff-only", f"f{n}a")
        _merge_with(repo, "main", f"f{n}b", {"src/index.ts": human})
    repo.checkout("c1", create=True, start="main")
    repo.commit("c1", {"config.py": "PAGE_SIZE = 50\n"})
    repo.checkout("c2", create=True, start="main")
    repo.commit("c2", {"config.py": "PAGE_SIZE = 500\n"})
    repo.checkout("main")
    repo.git("merge", "-q", "--ff-only", "c1")
    _merge_with(repo, "main", "c2", {"config.py": "PAGE_SIZE = 100\n"})


def _objects(repo: GitRepo) -> str:
    return repo.git("count-objects", "-v")


def test_replay_buckets_known_resolutions(repo: GitRepo) -> None:
    _history(repo)
    before_objects, before_refs = _objects(repo), repo.refs()
    report = replay_history(repo.path)
    assert report.merges_seen == 3
    assert report.merges_with_conflicts == 3
    outcomes = sorted(r.outcome for r in report.results)
    assert outcomes == ["conflict", "different", "identical"]
    identical = next(r for r in report.results if r.outcome == "identical")
    assert identical.path == "src/index.ts" and identical.rule == "typescript:module-statements"
    assert _objects(repo) == before_objects, "replay must not write objects"
    assert repo.refs() == before_refs
    parallel = replay_history(repo.path, jobs=2)
    assert [(r.case, r.outcome) for r in parallel.results] == [(r.case, r.outcome) for r in report.results]


def test_replay_leaves_out_edits_outside_conflicts(repo: GitRepo) -> None:
    repo.commit("base", {"a.ts": "import x from 'x';\n\nconst keep = 1;\n"})
    repo.checkout("o", create=True, start="main")
    repo.commit("o", {"a.ts": "import x from 'x';\nimport o from 'o';\n\nconst keep = 1;\n"})
    repo.checkout("t", create=True, start="main")
    repo.commit("t", {"a.ts": "import x from 'x';\nimport t from 't';\n\nconst keep = 1;\n"})
    human = "import x from 'x';\nimport o from 'o';\nimport t from 't';\n\nconst keep = 2;\n"
    _merge_with(repo, "o", "t", {"a.ts": human})
    report = replay_history(repo.path)
    assert report.merges_seen == 1
    assert report.results == []
    assert report.left_out == 1


def test_export_then_cases_agree_with_history(repo: GitRepo, tmp_path: Path) -> None:
    _history(repo)
    out = tmp_path / "cases"
    history = replay_history(repo.path, export=out)
    folders = sorted(p.parent.name for p in out.rglob("meta.json"))
    assert len(folders) == 3
    meta = json.loads(next(out.rglob("meta.json")).read_text())
    assert {"case_id", "path", "ext", "merge_commit", "parents"} <= set(meta)
    cases = replay_cases(out)
    assert sorted(r.outcome for r in cases.results) == sorted(r.outcome for r in history.results)


def test_cli_replay_json_and_range(repo: GitRepo, capsys: object) -> None:
    _history(repo)
    first_merge = repo.git("rev-list", "--merges", "--reverse", "HEAD").split()[0]
    code = main(["replay", "-C", str(repo.path), "--json", f"{first_merge}..HEAD"])
    assert code == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    data = json.loads(out)
    assert data["merges_seen"] == 2
    assert data["totals"] == {"different": 1, "conflict": 1}


def test_cli_replay_no_merges_and_bad_input(repo: GitRepo, tmp_path: Path, capsys: object) -> None:
    repo.commit("only", {"a.txt": "a\n"})
    assert main(["replay", "-C", str(repo.path)]) == 0
    assert "no merge commits" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert main(["replay", "-C", str(tmp_path)]) == 2
    assert main(["replay", "-C", str(repo.path), "nope..HEAD"]) == 2
    assert main(["replay", "--cases", str(tmp_path / "missing")]) == 2


def test_replay_reports_shallow_clone(repo: GitRepo, tmp_path: Path, git_env: dict[str, str]) -> None:
    _history(repo)
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{repo.path}", str(clone)], env=git_env, check=True
    )
    report = replay_history(clone)
    assert report.shallow is True
    # merges whose merge base the clone cut off are skipped and counted, never merged against nothing
    assert report.missing_base + report.missing_parents + report.merges_with_conflicts <= report.merges_seen
    assert report.missing_base >= 1


def test_classify_and_confined() -> None:
    human = b"a\nb\nc\n"
    assert classify(FileResolution(merged=human, clean=True), human) == "identical"
    assert classify(FileResolution(merged=b"a\nb  \nc\n", clean=True), human) == "whitespace"
    assert classify(FileResolution(merged=b"c\nb\na\n", clean=True), human) == "reordered"
    assert classify(FileResolution(merged=b"a\nc\n", clean=True), human) == "different"
    assert classify(FileResolution(merged=b"x", clean=False), human) == "conflict"
    assert classify(None, human) == "crash"
    base, ours, theirs = b"1\n2\n3\n", b"1\nx\n3\n", b"1\ny\n3\n"
    assert confined(base, ours, theirs, b"1\nxy\n3\n")
    assert not confined(base, ours, theirs, b"0\nxy\n3\n")
