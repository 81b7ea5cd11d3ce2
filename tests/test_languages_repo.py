"""Repository profiles (`.mergekit/grammars/`), gitattributes overrides and `never_resolve`, as
integrate, check, `mergekit languages` and the merge driver see them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.check import branch, run
from tests.helpers.gitrepo import GitRepo

ROUTES_PROFILE = """\
name = "routes-txt"
description = "route list"
globs = ["*.routes"]
grammar = "lines"

[[container]]
name = "lines"
description = "one route per line"
comment_prefix = "#"
"""
BARREL = "".join(f"export * from './m{i}';\n" for i in range(3))
ROUTES = "/a\n/b\n"


@pytest.fixture
def appenders(repo: GitRepo) -> GitRepo:
    """main with a route list and a barrel; x and y each append to both."""
    repo.commit("base", {"app.routes": ROUTES, "src/index.ts": BARREL, "deps.list": "alpha\nbeta\n"})
    for name in ("x", "y"):
        branch(
            repo,
            name,
            {
                "app.routes": ROUTES + f"/{name}\n",
                "src/index.ts": BARREL + f"export * from './{name}';\n",
                "deps.list": f"alpha\nbeta\n{name}ray\n",
            },
        )
    return repo


def _check(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> dict[str, dict[str, str]]:
    """path → {status, rule} for the x + y pair of `mergekit check x y --into main`."""
    code, out, err = run(
        capsys, "check", "x", "y", "--into", "main", "--format", "json", "-C", str(repo.path)
    )
    assert code in (0, 1), err
    pair = next(p for p in json.loads(out)["pairs"] if not p["with_base"])
    found = {a["path"]: {"status": "auto", "rule": a["rule"]} for a in pair["auto_resolved"]}
    found.update({c["path"]: {"status": "human", "rule": ""} for c in pair["conflicts"]})
    return found


def test_a_repository_profile_is_listed_and_used(
    capsys: pytest.CaptureFixture[str], appenders: GitRepo
) -> None:
    assert _check(capsys, appenders)["app.routes"]["status"] == "human"
    appenders.commit("profile", {".mergekit/grammars/routes-txt.toml": ROUTES_PROFILE})
    assert _check(capsys, appenders)["app.routes"] == {"status": "auto", "rule": "routes-txt:lines"}
    code, out, _ = run(capsys, "languages", "-C", str(appenders.path))
    assert code == 0
    assert "routes-txt — route list (from .mergekit/grammars/routes-txt.toml)" in out
    code, out, _ = run(capsys, "languages", "--json", "-C", str(appenders.path))
    origins = {p["name"]: p["origin"] for p in json.loads(out)["profiles"]}
    assert origins["routes-txt"] == ".mergekit/grammars/routes-txt.toml"
    assert origins["typescript"] == "shipped"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ROUTES_PROFILE.replace('"lines"\n\n', '"os:system"\n\n'),
            "routes-txt.toml:4: key 'grammar': must be one the shipped profiles use",
        ),
        (
            ROUTES_PROFILE + "colour = 1\n",
            "routes-txt.toml:10: [[container]] 'lines': key 'colour': unknown key",
        ),
        (
            ROUTES_PROFILE.replace('globs = ["*.routes"]', "globs = []"),
            "routes-txt.toml:3: key 'globs': must",
        ),
        (
            ROUTES_PROFILE + 'sig_pattern = "("\n',
            "routes-txt.toml:10: [[container]] 'lines': key 'sig_pattern'",
        ),
        (
            ROUTES_PROFILE.replace('name = "routes-txt"', 'name = "Routes!"'),
            "routes-txt.toml:1: key 'name': must",
        ),
        (
            ROUTES_PROFILE.replace('grammar = "lines"', 'extends = "nothing"'),
            "key 'extends': no profile named",
        ),
    ],
)
def test_a_bad_repository_profile_is_an_error(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, text: str, message: str
) -> None:
    repo.commit("base", {".mergekit/grammars/routes-txt.toml": text})
    code, _, err = run(capsys, "languages", "-C", str(repo.path))
    assert code == 2
    assert message in err


def test_unknown_node_kinds_are_reported(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    profile = (
        'name = "myjson"\nglobs = ["*.myjson"]\ngrammar = "tree_sitter_json:language"\n'
        '[[container]]\nname = "objects"\nnode = ["objekt"]\n'
    )
    repo.commit("base", {".mergekit/grammars/myjson.toml": profile})
    code, out, _ = run(capsys, "languages", "-C", str(repo.path))
    assert code == 2
    assert "objects: node kind 'objekt' is not in the grammar" in out


def test_gitattributes_switch_off_and_pick_a_language(
    capsys: pytest.CaptureFixture[str], appenders: GitRepo
) -> None:
    before = _check(capsys, appenders)
    assert before["src/index.ts"]["status"] == "auto"
    assert before["deps.list"]["status"] == "human"
    appenders.write({".gitattributes": "*.ts mergekit=off\ndeps.list mergekit-language=requirements\n"})
    after = _check(capsys, appenders)
    assert after["src/index.ts"]["status"] == "human"
    assert after["deps.list"] == {"status": "auto", "rule": "requirements:lines"}
    code, out, _ = run(capsys, "languages", "src/index.ts", "deps.list", "x.py", "-C", str(appenders.path))
    assert code == 0
    assert "src/index.ts: plain line merge (gitattributes mergekit=off)" in out
    assert "deps.list: requirements (gitattributes mergekit-language=requirements)" in out
    assert "x.py: python (globs of the shipped profile)" in out


def test_linguist_language_names_a_profile(capsys: pytest.CaptureFixture[str], appenders: GitRepo) -> None:
    appenders.write({".gitattributes": "deps.list linguist-language=Pip-Requirements\n"})
    assert _check(capsys, appenders)["deps.list"]["status"] == "auto"


def test_never_resolve_keeps_git_s_conflict(capsys: pytest.CaptureFixture[str], appenders: GitRepo) -> None:
    appenders.commit("policy", {".mergekit.toml": '[paths]\nnever_resolve = ["src/**"]\n'})
    found = _check(capsys, appenders)
    assert found["src/index.ts"]["status"] == "human"
    code, out, _ = run(capsys, "languages", "src/index.ts", "-C", str(appenders.path))
    assert code == 0
    assert "never_resolve 'src/**' in .mergekit.toml:2" in out


def _merge_with_driver(repo: GitRepo, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    install = subprocess.run(
        [sys.executable, "-m", "mergekit", "install"], cwd=repo.path, env=env, capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr
    repo.write({".gitattributes": "*.routes merge=mergekit\n" + (repo.path / ".gitattributes").read_text()})
    repo.commit("driver")
    repo.git("merge", "-q", "--no-edit", "x")
    return subprocess.run(
        ["git", "merge", "--no-edit", "y"], cwd=repo.path, env=env, capture_output=True, text=True
    )


def test_the_driver_uses_repository_profiles(appenders: GitRepo, git_env: dict[str, str]) -> None:
    appenders.commit("profile", {".mergekit/grammars/routes-txt.toml": ROUTES_PROFILE})
    appenders.write({".gitattributes": "deps.list merge=mergekit mergekit-language=requirements\n"})
    merge = _merge_with_driver(appenders, git_env)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert appenders.show("HEAD", "app.routes") == ROUTES + "/x\n/y\n"
    assert appenders.show("HEAD", "deps.list") == "alpha\nbeta\nxray\nyray\n"


def test_the_driver_honours_mergekit_off_and_never_resolve(
    appenders: GitRepo, git_env: dict[str, str]
) -> None:
    appenders.commit("policy", {".mergekit.toml": '[paths]\nnever_resolve = ["*.routes"]\n'})
    appenders.commit("profile", {".mergekit/grammars/routes-txt.toml": ROUTES_PROFILE})
    appenders.write({".gitattributes": "*.ts mergekit=off\n"})
    merge = _merge_with_driver(appenders, git_env)
    assert merge.returncode == 1
    conflicted = set(appenders.git("diff", "--name-only", "--diff-filter=U").split())
    assert conflicted == {"app.routes", "src/index.ts", "deps.list"}


def test_install_routes_repository_profile_globs_to_the_driver(
    capsys: pytest.CaptureFixture[str], repo: GitRepo
) -> None:
    repo.commit("profile", {".mergekit/grammars/routes-txt.toml": ROUTES_PROFILE})
    code, _, err = run(capsys, "install", "-C", str(repo.path))
    assert code == 0, err
    assert "*.routes merge=mergekit" in (repo.path / ".git" / "info" / "attributes").read_text()
    assert repo.git("check-attr", "merge", "--", "app.routes").strip().endswith("mergekit")


def test_every_shipped_profile_passes_the_repository_checks() -> None:
    """A copy of a shipped profile in `.mergekit/grammars/` is accepted as it is (one validator for
    both; a copy of `tsx` extends the shipped `typescript`)."""
    from mergekit.resolve.profiles import _texts, all_profiles, parse_profile
    from mergekit.resolve.repository import node_kind_problems

    checked = [parse_profile(text, "copy.toml") for text in _texts().values()]
    assert [p.name for p in sorted(checked, key=lambda p: p.name)] == [p.name for p in all_profiles()]
    assert {p.name: node_kind_problems(p) for p in checked} == {p.name: [] for p in checked}
