"""Two agents, each in its own worktree, add a Python view and its test to the same two files.

git stops on both files (both branches append at the same place); mergekit integrates the two
branches with no human: the declaration containers union the new functions, each once, laid out
as PEP 8 wants, and the result still parses and runs.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from mergekit.entry import main
from tests.helpers.gitrepo import GitRepo

VIEWS = """from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "home"
"""
TESTS = """from app.views import index


def test_index():
    assert index() == "home"
"""


def _agent(repo: GitRepo, name: str, route: str) -> None:
    """A linked worktree on branch `agent/<name>` adding one view and one test."""
    worktree = repo.path.parent / f"wt-{name}"
    repo.git("worktree", "add", "-q", "-b", f"agent/{name}", str(worktree), "main")
    view = f'\n\n@app.route("/{route}")\ndef {route}():\n    return "{route}"\n'
    test = f'\n\ndef test_{route}():\n    assert {route}() == "{route}"\n'
    (worktree / "app" / "views.py").write_text(VIEWS + view)
    (worktree / "tests" / "test_views.py").write_text(
        TESTS.replace("import index", f"import index, {route}") + test
    )
    repo.git("add", "-A", cwd=worktree)
    repo.git("commit", "-q", "-m", f"Add the {route} view", cwd=worktree)


def test_two_agents_each_add_a_view_and_a_test(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("app", {"app/__init__.py": "", "app/views.py": VIEWS, "tests/test_views.py": TESTS})
    _agent(repo, "billing", "billing")
    _agent(repo, "users", "users")
    # plain git needs a human for both files
    repo.git("checkout", "-q", "-b", "probe", "agent/billing")
    merged = repo.git("merge", "--no-edit", "agent/users", check=False)
    assert "CONFLICT" in merged
    repo.git("merge", "--abort")
    repo.git("checkout", "-q", "main")

    code = main(["integrate", "--into", "main", "--json", "-C", str(repo.path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert report["status"] == "done"
    rules = {a["path"]: a["rule"] for a in report["auto_resolved"]}
    assert rules == {
        "app/views.py": "python:module",
        "tests/test_views.py": "python:import-names+python:module",
    }

    views = repo.show("integration", "app/views.py")
    tests = repo.show("integration", "tests/test_views.py")
    for text in (views, tests):
        ast.parse(text)
        assert "\n\n\n\n" not in text  # never more than two blank lines between definitions
    defined = [n.name for n in ast.parse(views).body if isinstance(n, ast.FunctionDef)]
    assert sorted(defined) == ["billing", "index", "users"]
    assert views.count('@app.route("/billing")') == 1 and views.count('@app.route("/users")') == 1
    tested = [n.name for n in ast.parse(tests).body if isinstance(n, ast.FunctionDef)]
    assert sorted(tested) == ["test_billing", "test_index", "test_users"]
    assert "\n\n\ndef test_users():" in tests and "\n\n\ndef test_billing():" in tests
    assert Path(repo.path / "app" / "views.py").read_text() == VIEWS  # the user's checkout untouched
