"""`mergekit plan`: the predicted outcome of the planned order, collisions, and `--format mermaid`."""

from __future__ import annotations

import json

import pytest

from tests.helpers.check import branch, build, run
from tests.helpers.gitrepo import GitRepo


def test_plan_json_predicts_each_merge_in_order(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    build(repo)
    code, out, _ = run(capsys, "plan", "feature/*", "--into", "main", "--json", "-C", str(repo.path))
    assert code == 0
    data = json.loads(out)
    predicted = {p["branch"]: p for p in data["predicted"]}
    assert [p["branch"] for p in data["predicted"]] == data["order"]
    assert predicted["feature/clean"]["outcome"] == "clean"
    barrels = [predicted["feature/barrel-1"]["outcome"], predicted["feature/barrel-2"]["outcome"]]
    assert sorted(barrels) == ["auto_resolved", "clean"]
    pages = [predicted["feature/page-100"], predicted["feature/page-500"]]
    assert sorted(p["outcome"] for p in pages) == ["clean", "needs_human"]
    human = next(p for p in pages if p["outcome"] == "needs_human")
    assert human["conflicts"] == [{"path": "src/config.ts", "kind": "content"}]
    assert data["collisions"] == []


def test_plan_text_shows_prediction_and_collisions(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {"shop/migrations/0001_initial.py": "# initial\n"})
    branch(repo, "a", {"shop/migrations/0002_invoice.py": "# a\n"})
    branch(repo, "b", {"shop/migrations/0002_refund.py": "# b\n"})
    code, out, _ = run(capsys, "plan", "a", "b", "--into", "main", "-C", str(repo.path))
    assert code == 0
    assert "Predicted outcome in this order" in out
    assert "1. a — merges cleanly" in out and "2. b — merges cleanly" in out
    assert "[migration] two new Django migrations with the same number in one app: '0002'" in out
    code, out, _ = run(capsys, "plan", "a", "b", "--into", "main", "--format", "json", "-C", str(repo.path))
    assert json.loads(out)["collisions"][0]["rule"] == "django-migration"


def test_plan_text_names_the_human_files_apart_from_the_auto_resolved_ones(
    capsys: pytest.CaptureFixture[str], repo: GitRepo
) -> None:
    """A merge that needs a human and also auto-resolves a file: `needs a human` is never followed
    by the auto-resolved file's name, which would read as the file needing the human."""
    barrel = "export * from './a';\n"
    repo.commit("base", {"src/index.ts": barrel, "conf.py": "X = 1\n"})
    for name, value in (("b1", 2), ("b2", 3)):
        files = {"src/index.ts": f"{barrel}export * from './{name}';\n", "conf.py": f"X = {value}\n"}
        branch(repo, name, files)
    code, out, _ = run(capsys, "plan", "b1", "b2", "--into", "main", "--order", "given", "-C", str(repo.path))
    assert code == 0
    lines = out.splitlines()
    at = lines.index("  2. b2 — needs a human")
    assert lines[at + 1 : at + 3] == [
        "     human: conf.py",
        "     auto-resolved: src/index.ts (typescript:module-statements)",
    ]


def test_plan_mermaid(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    build(repo)
    repo.checkout("feature/on-barrel", create=True, start="feature/barrel-1")
    repo.commit("more", {"src/one.ts": "export const one = 1;\n"})
    repo.checkout("main")
    code, out, _ = run(
        capsys, "plan", "feature/barrel-*", "feature/on-barrel", "feature/page-*", "--into", "main",
        "--format", "mermaid", "-C", str(repo.path),
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert lines[1] == '  base[("main")]'
    nodes = {ln.split("[", 1)[0].strip(): ln for ln in lines if ln.startswith("  b") and '["' in ln}
    assert len(nodes) == 5
    assert any("feature/on-barrel" in ln for ln in nodes.values())
    assert "  base ==> b1" in lines
    assert sum(" ==> " in ln for ln in lines) == 5
    assert any("-. built on .->" in ln for ln in lines)
    assert any(ln.startswith("  class ") and ln.endswith(" human") for ln in lines)
    assert any("needs a human" in ln for ln in nodes.values())


def test_plan_and_check_warn_of_one_function_added_in_two_files_of_a_package(
    capsys: pytest.CaptureFixture[str], repo: GitRepo
) -> None:
    """Two agents each add `export_csv` to the same Python package, in different modules: git and
    the resolver merge both cleanly; plan and check warn (the same name in one file is the
    resolver's: one copy, or a conflict)."""
    repo.commit(
        "base", {"app/views/__init__.py": "", "app/views/users.py": "def index(request):\n    pass\n"}
    )
    branch(repo, "a", {"app/views/billing.py": "def export_csv(request):\n    return 'billing'\n"})
    branch(repo, "b", {"app/views/invoices.py": "def export_csv(request):\n    return 'invoices'\n"})
    code, out, _ = run(capsys, "plan", "a", "b", "--into", "main", "--format", "json", "-C", str(repo.path))
    assert code == 0
    (collision,) = json.loads(out)["collisions"]
    assert collision["rule"] == "same-declaration" and collision["key"] == "export_csv"
    assert {collision["ours_path"], collision["theirs_path"]} == {
        "app/views/billing.py",
        "app/views/invoices.py",
    }
    code, out, _ = run(
        capsys, "check", "a", "b", "--into", "main", "--format", "github", "-C", str(repo.path)
    )
    assert code == 0
    warnings = [ln for ln in out.splitlines() if ln.startswith("::warning ")]
    assert len(warnings) == 1 and "declaration collision" in warnings[0] and "'export_csv'" in warnings[0]
