"""`mergekit install`: git config and the managed attributes block — idempotent, never touching the
user's own lines, and `--uninstall` restoring exactly what was there. By default the block goes to
this clone's `.git/info/attributes`; `--shared` writes the committed `.gitattributes`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from mergekit.app.install import BEGIN, DRIVER_ARGS, END, profile_globs
from mergekit.entry import main
from mergekit.resolve.profiles import all_profiles
from tests.helpers.cli import run
from tests.helpers.gitrepo import GitRepo


def _sample_path(glob: str) -> str | None:
    """A path the glob matches, when the glob is simple enough to invent one."""
    if any(c in glob for c in "?[]"):
        return None
    return glob.replace("*", "sample")


def _config(repo: GitRepo) -> str:
    return repo.git("config", "--local", "--list")


def _info(repo: GitRepo) -> Path:
    return repo.path / ".git" / "info" / "attributes"


@pytest.mark.parametrize("shared", [False, True], ids=["clone", "shared"])
def test_install_registers_driver_and_every_glob(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], shared: bool
) -> None:
    repo.commit("base", {"README.md": "hi\n"})
    code, out, _ = run(capsys, "install", "-C", str(repo.path), *(["--shared"] if shared else []))
    assert code == 0 and "Installed" in out
    driver = repo.git("config", "--get", "merge.mergekit.driver").strip()
    assert driver.endswith(" " + DRIVER_ARGS)
    assert "%O %A %B" in driver and "--path=%P" in driver and "--marker-size=%L" in driver
    assert repo.git("config", "--get", "merge.mergekit.name").strip()
    written = repo.path / ".gitattributes" if shared else _info(repo)
    assert (repo.path / ".gitattributes").exists() is shared
    assert (repo.git("status", "--porcelain") == "") is not shared  # info/attributes is never committed
    assert ("Commit .gitattributes to share the routing" in out) is shared
    assert ("It lasts" in out) is not shared
    text = written.read_text()
    lines = text.splitlines()
    assert lines[0] == BEGIN and lines[-1] == END
    for profile in all_profiles():
        for glob in profile.globs:
            assert f"{glob} merge=mergekit" in lines
            sample = _sample_path(glob)
            if sample is not None:
                attr = repo.git("check-attr", "merge", "--", sample).strip()
                assert attr.endswith(": merge: mergekit"), (glob, attr)


def test_install_twice_changes_nothing(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("base", {".gitattributes": "*.lock -merge\n"})
    assert main(["install", "-C", str(repo.path)]) == 0
    capsys.readouterr()
    attributes = _info(repo).read_bytes()
    config = (repo.path / ".git" / "config").read_bytes()
    code, data_text, _ = run(capsys, "install", "-C", str(repo.path), "--json")
    data = json.loads(data_text)
    assert code == 0 and data["changed"] is False and data["scope"] == "clone"
    assert data["attributes_file"] == str(_info(repo)) and data["own_lines"] == ["*.lock -merge"]
    assert _info(repo).read_bytes() == attributes
    assert (repo.path / ".git" / "config").read_bytes() == config


def test_user_lines_are_kept_and_uninstall_restores_them(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    globs = profile_globs()
    mine = f"{globs[0]} merge=ours\n" if globs else ""
    user = f"# my attributes\n*.png binary\n{mine}*.sh text eol=lf\n"
    repo.commit("base", {".gitattributes": user, "sub/dir/file.txt": "x\n"})
    config_before = _config(repo)
    code, out, _ = run(capsys, "install", "--shared", "-C", str(repo.path / "sub" / "dir"))
    assert code == 0
    text = (repo.path / ".gitattributes").read_text()
    assert text.endswith(user)  # the block goes first; the user's lines follow untouched
    block = text[: len(text) - len(user)]
    assert block.startswith(BEGIN + "\n") and block.endswith(END + "\n")
    if globs:
        assert f"{globs[0]} merge=mergekit" not in block.splitlines()
        assert "kept your own merge attribute" in out
        sample = _sample_path(globs[0])
        if sample is not None:
            assert repo.git("check-attr", "merge", "--", sample).strip().endswith(": merge: ours")
    code, out, _ = run(capsys, "install", "--uninstall", "--shared", "-C", str(repo.path))
    assert code == 0 and "Removed" in out
    assert (repo.path / ".gitattributes").read_text() == user
    assert _config(repo) == config_before
    assert repo.git("status", "--porcelain") == ""


@pytest.mark.parametrize("shared", [False, True], ids=["clone", "shared"])
def test_uninstall_removes_a_file_it_created(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], shared: bool
) -> None:
    repo.commit("base")
    config_before = (repo.path / ".git" / "config").read_text()
    option = ["--shared"] if shared else []
    written = repo.path / ".gitattributes" if shared else _info(repo)
    assert main(["install", *option, "-C", str(repo.path)]) == 0
    assert written.exists()
    assert main(["install", "--uninstall", *option, "-C", str(repo.path)]) == 0
    assert not written.exists()
    assert (repo.path / ".git" / "config").read_text() == config_before
    capsys.readouterr()
    code, out, _ = run(capsys, "install", "--uninstall", *option, "-C", str(repo.path))
    assert code == 0 and "was not installed" in out


def test_crlf_attributes_keep_their_line_endings(repo: GitRepo) -> None:
    user = b"*.png binary\r\n*.bat text eol=crlf\r\n"
    repo.commit("base", {".gitattributes": user})
    assert main(["install", "--shared", "-C", str(repo.path)]) == 0
    data = (repo.path / ".gitattributes").read_bytes()
    assert data.endswith(user) and b"\n" not in data.replace(b"\r\n", b"")
    assert main(["install", "--uninstall", "--shared", "-C", str(repo.path)]) == 0
    assert (repo.path / ".gitattributes").read_bytes() == user


def test_global_install_uses_global_config_and_attributes(
    tmp_path: Path, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "not-a-repo"
    elsewhere.mkdir()
    global_config = Path(git_env["GIT_CONFIG_GLOBAL"])
    global_config.write_text("[user]\n\tname = Someone\n")
    before = global_config.read_text()
    code, out, _ = run(capsys, "install", "--global", "-C", str(elsewhere))
    assert code == 0, out
    attributes = Path(git_env["XDG_CONFIG_HOME"]) / "git" / "attributes"
    assert attributes.read_text().startswith(BEGIN)
    assert '[merge "mergekit"]' in global_config.read_text()
    assert main(["install", "--global", "--uninstall", "-C", str(elsewhere)]) == 0
    assert not attributes.exists()
    assert global_config.read_text() == before


def test_global_install_honours_core_attributes_file(repo: GitRepo, tmp_path: Path) -> None:
    custom = tmp_path / "my-attributes"
    custom.write_text("*.lock -merge\n")
    repo.git("config", "--global", "core.attributesFile", str(custom))
    assert main(["install", "--global", "-C", str(repo.path)]) == 0
    assert custom.read_text().startswith(BEGIN) and custom.read_text().endswith("*.lock -merge\n")
    assert not (repo.path / ".gitattributes").exists()
    assert main(["install", "--global", "--uninstall", "-C", str(repo.path)]) == 0
    assert custom.read_text() == "*.lock -merge\n"


@pytest.mark.parametrize("shared", [False, True], ids=["clone", "shared"])
def test_damaged_block_is_refused(repo: GitRepo, capsys: pytest.CaptureFixture[str], shared: bool) -> None:
    damaged = f"{BEGIN}\n*.ts merge=mergekit\n"
    repo.commit("base")
    where = repo.path / ".gitattributes" if shared else _info(repo)
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(damaged)
    code, _, err = run(capsys, "install", *(["--shared"] if shared else []), "-C", str(repo.path))
    assert code == 2 and "damaged mergekit block" in err and err.startswith("mergekit: error:")
    assert where.read_text() == damaged
    assert "mergekit" not in _config(repo)


def test_outside_a_repository_is_refused(
    tmp_path: Path, git_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    code, _, err = run(capsys, "install", "-C", str(folder))
    assert code == 2 and "not inside a git work tree" in err and "--global" in err
    assert list(folder.iterdir()) == []


def test_driver_names_mergekit_when_it_is_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """git runs the driver with the user's PATH: `mergekit` only when that is this installation."""
    from mergekit.app.install import driver_program

    scripts = Path(sys.executable).parent
    if not (scripts / "mergekit").exists():
        pytest.skip("mergekit is not installed as a console script next to this interpreter")
    monkeypatch.setenv("PATH", f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}")
    assert driver_program() == "mergekit"
    monkeypatch.setenv("PATH", "/nonexistent")
    assert driver_program().endswith(" -m mergekit")
