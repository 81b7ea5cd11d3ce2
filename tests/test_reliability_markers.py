"""`continue` refuses a staged file that still holds any conflict-marker line — an opening without its
closing, a lone separator, a lone closing or base marker — unless the merge's own versions already
held that line (a Markdown heading underlined with seven `=` is content, not a marker)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo
from tests.helpers.integrate import BASE_CONFIG, CONFIG, build_features

RESOLVED = BASE_CONFIG.replace("50", "200")

LEFTOVERS = {
    "opening-only": "<<<<<<< integration\n" + RESOLVED,
    "separator-only": RESOLVED.replace("export const DEBUG", "=======\nexport const DEBUG"),
    "closing-only": RESOLVED + ">>>>>>> feature/gamma\n",
    "base-marker-only": "||||||| base\n" + RESOLVED,
    "bare-opening": RESOLVED + "<<<<<<<\n",
    "crlf-opening": "<<<<<<< integration\r\n" + RESOLVED,
}


def _pause(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> Path:
    build_features(repo)
    capsys.readouterr()
    assert main(["integrate", "feature/*", "--into", "main", "--json", "-C", str(repo.path)]) == 1
    return Path(json.loads(capsys.readouterr().out)["worktree"])


@pytest.mark.parametrize("text", LEFTOVERS.values(), ids=LEFTOVERS.keys())
def test_any_marker_line_left_blocks_continue(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    worktree = _pause(repo, capsys)
    (worktree / CONFIG).write_bytes(text.encode())
    repo.git("add", CONFIG, cwd=worktree)
    refs = repo.refs()
    assert main(["continue", "--json", "-C", str(repo.path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "conflict"
    assert {"branch": "feature/gamma", "path": CONFIG, "kind": "still has conflict markers"} in report[
        "conflicts"
    ]
    assert repo.refs() == refs
    (worktree / CONFIG).write_text(RESOLVED)
    repo.git("add", CONFIG, cwd=worktree)
    assert main(["continue", "-C", str(repo.path)]) == 0


def test_marker_like_lines_the_versions_already_had_are_content(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = "Title\n=======\n\nintro\n\nSection\n-------\n\nbody\n"
    repo.commit("base", {"README.md": doc})
    for branch, body in (("one", "body one"), ("two", "body two")):
        repo.checkout(branch, create=True, start="main")
        repo.commit(branch, {"README.md": doc.replace("body", body)})
    repo.checkout("main")
    capsys.readouterr()
    args = ["one", "two", "--into", "main", "--order", "given", "--json", "-C", str(repo.path)]
    assert main(["integrate", *args]) == 1
    worktree = Path(json.loads(capsys.readouterr().out)["worktree"])
    (worktree / "README.md").write_text(doc.replace("body", "body one and two"))
    repo.git("add", "README.md", cwd=worktree)
    assert main(["continue", "-C", str(repo.path)]) == 0
    assert "=======" in repo.show("integration", "README.md")
