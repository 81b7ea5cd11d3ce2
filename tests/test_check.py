"""`mergekit check`: every report kind (clean, auto-resolved, needs a human), exit codes, nothing
written, and every output format (JSON, text, GitHub annotations and job summary, JUnit XML)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mergekit.app.check import CheckOptions, check_branches
from tests.helpers.check import build, run, run_json, written
from tests.helpers.gitrepo import GitRepo


@pytest.fixture
def features(repo: GitRepo) -> GitRepo:
    return build(repo)


def _pair(data: dict[str, object], ours: str, theirs: str) -> dict[str, object]:
    pairs = data["pairs"]
    assert isinstance(pairs, list)
    return next(p for p in pairs if p["ours"] == ours and p["theirs"] == theirs)


def test_clean_pairs_exit_0(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    code, data = run_json(capsys, features, "feature/clean", "feature/barrel-1", "--into", "main")
    assert code == 0
    assert data["status"] == "clean" and data["passed"] is True and data["exit_code"] == 0
    assert [p["status"] for p in data["pairs"]] == ["clean", "clean", "clean"]
    assert data["summary"] == {"pairs": 3, "clean": 3, "auto_resolved": 0, "needs_human": 0, "collisions": 0}
    assert [b["name"] for b in data["branches"]] == ["feature/clean", "feature/barrel-1"]
    assert _pair(data, "main", "feature/clean")["with_base"] is True


def test_auto_resolved_only_exit_0_with_files_and_rules(
    capsys: pytest.CaptureFixture[str], features: GitRepo
) -> None:
    code, data = run_json(capsys, features, "feature/barrel-*", "--into", "main")
    assert code == 0 and data["status"] == "auto_resolved"
    pair = _pair(data, "feature/barrel-1", "feature/barrel-2")
    assert pair["status"] == "auto_resolved" and pair["conflicts"] == []
    assert pair["auto_resolved"] == [{"path": "src/index.ts", "rule": "typescript:module-statements"}]


def test_needs_a_human_exit_1_with_hunk_lines(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    code, data = run_json(capsys, features, "feature/page-100", "feature/page-500", "--into", "main")
    assert code == 1 and data["status"] == "needs_human" and data["passed"] is False
    pair = _pair(data, "feature/page-100", "feature/page-500")
    assert pair["conflicts"] == [
        {
            "path": "src/config.ts",
            "kind": "content",
            "hunks": [{"ours_line": 2, "ours_lines": 1, "theirs_line": 2, "theirs_lines": 1}],
        }
    ]
    assert _pair(data, "main", "feature/page-100")["status"] == "clean"


def test_check_writes_nothing(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    before = written(features)
    run(capsys, "check", "feature/*", "--into", "main", "-C", str(features.path))
    run(capsys, "plan", "feature/*", "--into", "main", "-C", str(features.path))
    assert written(features) == before
    assert features.git("status", "--porcelain") == ""


def test_text_matrix(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    code, out, _ = run(capsys, "check", "feature/*", "--into", "main", "-C", str(features.path))
    assert code == 1
    assert "mergekit check: 5 branches into main" in out
    assert re.search(r"^\s+BASE\s+ok\s+ok\s+ok\s+ok\s+ok$", out, re.MULTILINE), out
    assert "HUMAN" in out and "auto" in out
    assert "feature/page-100 + feature/page-500" in out and "src/config.ts (content; lines ours 2" in out
    assert "Result: FAIL" in out


def test_github_annotations_and_summary(
    capsys: pytest.CaptureFixture[str], features: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(
        capsys, "check", "feature/page-*", "feature/barrel-1", "--into", "main", "--format", "github",
        "-C", str(features.path),
    )  # fmt: skip
    assert code == 1
    lines = out.splitlines()
    errors = [ln for ln in lines if ln.startswith("::error ")]
    assert len(errors) == 1
    assert re.fullmatch(
        r"::error file=src/config\.ts,line=2,title=mergekit%3A needs a human::src/config\.ts needs "
        r"a human when merging feature/page-100 \+ feature/page-500 \(content\): .*",
        errors[0],
    ), errors[0]
    assert lines[-1].startswith("mergekit check failed: 6 pairs, 1 need a human")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## mergekit check ❌ failed")
    assert "| `feature/page-100` | `feature/page-500` | ❌ needs a human |" in text


def test_github_without_summary_env_writes_no_file(
    capsys: pytest.CaptureFixture[str], features: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    code, out, _ = run(
        capsys, "check", "feature/barrel-*", "--into", "main", "--format", "github", "-C", str(features.path)
    )
    assert code == 0
    notices = [ln for ln in out.splitlines() if ln.startswith("::notice ")]
    assert notices and all("file=src/index.ts" in n for n in notices)
    assert not any(ln.startswith("::error") for ln in out.splitlines())


def test_junit_xml_one_case_per_pair(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    code, out, _ = run(
        capsys, "check", "feature/*", "--into", "main", "--format", "junit", "-C", str(features.path)
    )
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "0")) == 5 + 10
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures", "0")) == len(failed) == 1
    assert failed[0].get("name") == "feature/page-100 + feature/page-500"
    failure = failed[0].find("failure")
    assert failure is not None and "src/config.ts" in (failure.get("message") or "")
    assert all(float(c.get("time", "-1")) >= 0 for c in cases)


def test_in_process_values(features: GitRepo) -> None:
    report = check_branches(
        CheckOptions(cwd=features.path / "src", into="main", branches=("feature/page-*",))
    )
    assert report.exit_code == 1
    human = [p for p in report.pairs if p.status == "needs_human"]
    assert len(human) == 1 and human[0].annotated_side == "ours"
    assert [f.path for f in human[0].human] == ["src/config.ts"]


def test_bad_input_exit_2(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    before = written(features)
    cases = [
        (["check", "nope", "--into", "main"], "branch or revision 'nope' not found"),
        (["check", "feature/clean", "--into", "nope"], "BASE 'nope' not found"),
        (["check", "zzz/*", "--into", "main"], "no branch matches"),
        (["check", "--into", "main"], "no branches given"),
        (["check", "feature/clean", "--into", "main", "--format", "xml"], "invalid value for '--format'"),
    ]
    for args, message in cases:
        code, _, err = run(capsys, *args, "-C", str(features.path))
        assert code == 2, args
        assert message in err
    assert written(features) == before


def test_dependent_branch_is_a_fast_forward(capsys: pytest.CaptureFixture[str], features: GitRepo) -> None:
    features.checkout("feature/on-barrel", create=True, start="feature/barrel-1")
    features.commit("more", {"src/one.ts": "export const one = 1;\n"})
    features.checkout("main")
    code, data = run_json(capsys, features, "feature/barrel-1", "feature/on-barrel", "--into", "main")
    assert code == 0
    pair = _pair(data, "feature/barrel-1", "feature/on-barrel")
    assert pair["status"] == "clean" and "built on feature/barrel-1" in str(pair["note"])
