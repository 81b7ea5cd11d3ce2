"""Configuration: `.mergekit.toml`, `git config mergekit.*`, options win; `mergekit config`."""

from __future__ import annotations

import json

import pytest

from mergekit.config import load_settings
from mergekit.resolve.pathglobs import matches
from tests.helpers.check import branch, run
from tests.helpers.gitrepo import GitRepo

BARREL = "".join(f"export * from './m{i}';\n" for i in range(3))


@pytest.fixture
def two(repo: GitRepo) -> GitRepo:
    """main with a barrel; x and y each append one export (auto-resolvable against each other)."""
    repo.commit("base", {"src/index.ts": BARREL})
    branch(repo, "x", {"src/index.ts": BARREL + "export * from './x';\n"})
    branch(repo, "y", {"src/index.ts": BARREL + "export * from './y';\n"})
    return repo


def test_defaults_without_any_configuration(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {"a": "1\n"})
    code, out, _ = run(capsys, "config", "--json", "-C", str(repo.path))
    assert code == 0
    data = json.loads(out)
    assert data["file"] is None
    assert data["settings"]["into"] == {
        "value": None,
        "source": "default",
        "help": data["settings"]["into"]["help"],
    }
    assert data["settings"]["branch"]["value"] == "integration"
    assert data["settings"]["strict"]["value"] is False
    assert data["settings"]["paths.never_resolve"]["value"] == []


def test_file_then_git_config_then_option(capsys: pytest.CaptureFixture[str], two: GitRepo) -> None:
    two.commit("config", {".mergekit.toml": '# team settings\ninto = "main"\nbranch = "team"\n'})
    settings = load_settings(two.path / "src")
    assert settings.setting("into").value == "main"
    assert settings.setting("into").source == ".mergekit.toml:2"
    assert settings.setting("branch").source == ".mergekit.toml:3"
    two.git("config", "mergekit.branch", "mine")
    settings = load_settings(two.path)
    assert settings.setting("branch").value == "mine"
    assert settings.setting("branch").source == "git config .git/config"
    assert settings.pick("branch", "cli") == "cli"
    code, out, _ = run(capsys, "config", "branch", "-C", str(two.path))
    assert (code, out) == (0, "mine\n")


def test_into_from_file_and_from_git_config(capsys: pytest.CaptureFixture[str], two: GitRepo) -> None:
    code, _, err = run(capsys, "check", "x", "y", "-C", str(two.path))
    assert code == 2 and "--into" in err and ".mergekit.toml" in err
    two.commit("config", {".mergekit.toml": 'into = "main"\n'})
    code, out, _ = run(capsys, "check", "x", "y", "--format", "json", "-C", str(two.path))
    assert code == 0 and json.loads(out)["base"] == "main"
    two.git("rm", "-q", ".mergekit.toml")
    two.git("commit", "-qm", "rm")
    two.git("config", "mergekit.into", "x")
    code, out, _ = run(capsys, "check", "y", "--format", "json", "-C", str(two.path))
    assert json.loads(out)["base"] == "x"
    code, out, _ = run(capsys, "check", "y", "--into", "main", "--format", "json", "-C", str(two.path))
    assert json.loads(out)["base"] == "main"


def test_integrate_takes_branch_and_order_from_the_file(
    capsys: pytest.CaptureFixture[str], two: GitRepo
) -> None:
    two.commit("config", {".mergekit.toml": 'into = "main"\nbranch = "combined"\norder = "given"\n'})
    code, out, err = run(capsys, "integrate", "y", "x", "--json", "-C", str(two.path))
    assert code == 0, err
    data = json.loads(out)
    assert data["result_branch"] == "combined"
    assert data["order"] == ["y", "x"]
    assert "combined" in two.git("branch", "--list", "combined")


def test_strict_from_git_config_is_a_bool(capsys: pytest.CaptureFixture[str], two: GitRepo) -> None:
    two.git("config", "mergekit.strict", "yes")
    assert load_settings(two.path).setting("strict").value is True
    two.git("config", "mergekit.strict", "maybe")
    code, _, err = run(capsys, "config", "-C", str(two.path))
    assert code == 2 and "mergekit.strict must be true or false" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('into = "main"\nstict = true\n', ".mergekit.toml:2: unknown key 'stict'"),
        ('into = "main"\n\n[paths]\nnever = ["a"]\n', ".mergekit.toml:4: unknown key 'never' in [paths]"),
        ("[colisions]\nx = 1\n", ".mergekit.toml:1: unknown table [colisions]"),
        ("strict = 1\n", ".mergekit.toml:1: strict must be true or false"),
        ('order = "random"\n', ".mergekit.toml:1: order must be one of auto, given"),
        ("[paths]\nnever_resolve = 'x'\n", ".mergekit.toml:2: paths.never_resolve must be a list"),
        ("into = \n", ".mergekit.toml: not valid TOML"),
    ],
)
def test_bad_files_name_the_file_and_line(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, text: str, message: str
) -> None:
    repo.commit("base", {".mergekit.toml": text})
    code, out, err = run(capsys, "config", "-C", str(repo.path))
    assert code == 2
    assert message in err
    assert out == ""


def test_unknown_git_config_key_is_an_error(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {"a": "1\n"})
    repo.git("config", "mergekit.int0", "main")
    code, _, err = run(capsys, "integrate", "--into", "main", "-C", str(repo.path))
    assert code == 2
    assert "git config .git/config: unknown key 'mergekit.int0'" in err


def test_derived_table_is_kept_for_its_owner(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit(
        "base", {".mergekit.toml": '[derived.npm]\nfiles = ["package-lock.json"]\ncommand = "npm i"\n'}
    )
    assert load_settings(repo.path).table("derived") == {
        "npm": {"files": ["package-lock.json"], "command": "npm i"}
    }
    code, out, _ = run(capsys, "config", "--json", "-C", str(repo.path))
    assert code == 0
    assert json.loads(out)["tables"]["derived"]["source"] == ".mergekit.toml:1"


def test_text_lists_every_key_with_its_source(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {".mergekit.toml": '[paths]\nnever_resolve = ["migrations/**"]\n'})
    code, out, _ = run(capsys, "config", "-C", str(repo.path))
    assert code == 0
    assert 'paths.never_resolve  ["migrations/**"]  (.mergekit.toml:2)' in out
    assert "branch               integration  (default)" in out


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("migrations/**", "migrations/0001_init.py", True),
        ("migrations/**", "app/migrations/0001.py", False),
        ("**/migrations/**", "app/migrations/0001.py", True),
        ("*.lock", "deep/dir/Cargo.lock", True),
        ("src/*.ts", "src/a/b.ts", False),
        ("src/*.ts", "src/b.ts", True),
        ("db/", "db/x/y.sql", True),
        ("?.txt", "a.txt", True),
    ],
)
def test_path_globs(glob: str, path: str, expected: bool) -> None:
    assert matches(glob, path) is expected


def test_the_pre_push_example_s_git_keys_are_known(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.commit("base", {"a": "1\n"})
    repo.git("config", "mergekit.prePushBase", "origin/main")
    repo.git("config", "mergekit.prePushStrict", "true")
    settings = load_settings(repo.path)
    assert settings.setting("prePushBase").value == "origin/main"
    assert settings.setting("prePushStrict").value is True
    repo.commit("file", {".mergekit.toml": 'prePushBase = "x"\n'})
    code, _, err = run(capsys, "config", "-C", str(repo.path))
    assert code == 2 and "unknown key 'prePushBase'" in err
