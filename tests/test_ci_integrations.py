"""The packaging for teams: the pre-commit hook (run by pre-commit against a real repository) and the
composite GitHub Action (its script step run locally, with a fake GITHUB_* environment and a fake
GitHub API on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent
BARREL = "".join(f"export * from './m{i}';\n" for i in range(3))


def test_the_hook_file_declares_mergekit_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert hook["id"] == "mergekit-check"
    assert hook["stages"] == ["pre-push"]
    assert hook["language"] == "python" and hook["entry"].startswith("mergekit check")
    assert hook["pass_filenames"] is False


_BUILD_TOOLS = ("pip", "setuptools", "wheel", "pkg_resources", "_distutils_hack", "mergekit", "git_mergekit")
"""What the hook environment must not borrow: the tools that build mergekit, and mergekit itself."""


@pytest.fixture(scope="session")
def borrowed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of links to this environment's installed packages (pygit2, tree-sitter, click, rich
    and what they need), without the build tools and without mergekit (`.pth` files are left out,
    so the editable install of this checkout is not among them)."""
    folder = tmp_path_factory.mktemp("borrowed")
    for site in dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib")):
        for entry in sorted(Path(site).iterdir()):
            top = entry.name.split("-")[0].split(".")[0].lower()
            if entry.suffix == ".pth" or top.startswith("__editable__") or top in _BUILD_TOOLS:
                continue
            if not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry)
    return folder


def _cheap_hook_environment(pre_commit_home: Path, borrowed: Path) -> dict[str, str]:
    """Environment for pre-commit that makes building the hook's environment cheap.

    pre-commit still creates its own virtualenv and runs `pip install .` on a clone of this
    checkout, so the hook definition, the package build and the `mergekit` entry point are the
    real ones; but pip installs mergekit alone (`PIP_NO_DEPS`), builds it with the setuptools the
    virtualenv already has instead of a fresh isolated build environment
    (`PIP_NO_BUILD_ISOLATION=0` — pip reads this variable inverted: 0 turns isolation off), and
    the dependencies are imported from `borrowed` through PYTHONPATH. Installing the
    dependencies too would only repeat what `pip install -e .` did, at about three times the cost.
    """
    return {
        "PRE_COMMIT_HOME": str(pre_commit_home),
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PYTHONPATH": str(borrowed),
    }


def _hook_source(env: dict[str, str], tmp: Path) -> tuple[str, str]:
    """(repository, revision) to install the hook from: this checkout at HEAD, or, when it has staged
    or unstaged changes to tracked files, a clone with them committed (what `pre-commit try-repo`
    does; it builds a new environment on every call, so the test writes its own config and reuses
    one)."""

    def git(*args: str, cwd: Path = ROOT, extra: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["git", *args], cwd=cwd, env={**env, **(extra or {})}, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    head = git("rev-parse", "HEAD")
    if not git("status", "--porcelain", "--untracked-files=no"):
        return str(ROOT), head
    shadow = tmp / "shadow"
    git("clone", "-q", str(ROOT), str(shadow))
    git("checkout", "-q", head, "-b", "uncommitted", cwd=shadow)
    dotgit = shadow / ".git"
    into_shadow = {"GIT_INDEX_FILE": str(dotgit / "index"), "GIT_OBJECT_DIRECTORY": str(dotgit / "objects")}
    staged = git("diff", "--staged", "--name-only", "-z").strip("\0")
    if staged:
        git("add", "--", *staged.split("\0"), extra=into_shadow)
    git("add", "-u", extra=into_shadow)
    git("commit", "-q", "-m", "uncommitted changes", cwd=shadow)
    return str(shadow), git("rev-parse", "HEAD", cwd=shadow)


@pytest.mark.slow
def test_pre_commit_runs_the_hook_on_a_real_repository(repo: GitRepo, tmp_path: Path, borrowed: Path) -> None:
    """pre-commit installs mergekit from this checkout into its own environment (once) and runs the
    hook, which passes, then fails when a human is needed (dependencies borrowed from this
    environment: see `_cheap_hook_environment`)."""
    tool = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if tool is None:
        pytest.skip("pre-commit is not installed (it is in the test extras: pip install -e '.[test]')")
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit installs the hook from this project's git checkout")
    repo.commit(
        "base",
        {
            "src/index.ts": BARREL,
            "src/config.ts": "export const N = 1;\n",
            ".mergekit.toml": 'into = "main"\n',
        },
    )
    repo.checkout("feature", create=True)
    repo.commit("feature", {"src/index.ts": BARREL + "export * from './f';\n"})
    repo.checkout("main")
    repo.commit("main moves", {"src/index.ts": BARREL + "export * from './m';\n"})
    repo.checkout("feature")
    source, rev = _hook_source(repo.env, tmp_path)
    config = tmp_path / "pre-commit-config.yaml"
    hooks = [{"id": "mergekit-check"}]
    config.write_text(yaml.safe_dump({"repos": [{"repo": source, "rev": rev, "hooks": hooks}]}))
    env = {**repo.env, **_cheap_hook_environment(tmp_path / "pre-commit-home", borrowed)}
    command = [tool, "run", "-c", str(config), "--hook-stage", "pre-push", "--all-files"]
    passed = subprocess.run(command, cwd=repo.path, env=env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout[-2000:] + passed.stderr[-2000:]
    assert "mergekit check" in passed.stdout and "Passed" in passed.stdout
    repo.commit("feature changes N", {"src/config.ts": "export const N = 2;\n"})
    repo.checkout("main")
    repo.commit("main changes N", {"src/config.ts": "export const N = 3;\n"})
    repo.checkout("feature")
    failed = subprocess.run(command, cwd=repo.path, env=env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert "Failed" in failed.stdout and "src/config.ts" in failed.stdout
    assert len(list((tmp_path / "pre-commit-home").glob("repo*"))) == 1, "one environment, built once"


# -- the GitHub Action --------------------------------------------------------------------------


class FakeGitHub:
    """Issue comments of one repository, served on 127.0.0.1 like GitHub's REST API."""

    def __init__(self) -> None:
        self.comments: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self, code: int, data: Any) -> None:
                body = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> dict[str, Any]:
                size = int(self.headers.get("Content-Length", "0"))
                loaded: dict[str, Any] = json.loads(self.rfile.read(size) or b"{}")
                return loaded

            def do_GET(self) -> None:
                fake.requests.append(("GET", self.path, self.headers.get("Authorization", "")))
                self._answer(200, fake.comments)

            def do_POST(self) -> None:
                fake.requests.append(("POST", self.path, self.headers.get("Authorization", "")))
                comment = {"id": 100 + len(fake.comments), "body": self._body()["body"]}
                fake.comments.append(comment)
                self._answer(201, comment)

            def do_PATCH(self) -> None:
                fake.requests.append(("PATCH", self.path, self.headers.get("Authorization", "")))
                wanted = int(self.path.rsplit("/", 1)[1])
                comment = next(c for c in fake.comments if c["id"] == wanted)
                comment["body"] = self._body()["body"]
                self._answer(200, comment)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The API's base URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def pull_request(tmp_path: Path, git_env: dict[str, str]) -> tuple[Path, Path]:
    """origin (bare) with main and pr; pr appends an export, main appended another since.
    Returns (origin, workspace): a clone with the PR head checked out detached, as CI does."""
    work = GitRepo.init(tmp_path / "seed", git_env)
    work.commit("base", {"src/index.ts": BARREL, "src/config.ts": "export const N = 1;\n"})
    work.checkout("pr", create=True)
    work.commit("pr", {"src/index.ts": BARREL + "export * from './pr';\n"})
    work.checkout("main")
    work.commit("main moves", {"src/index.ts": BARREL + "export * from './main2';\n"})
    origin = tmp_path / "origin.git"
    work.git("clone", "-q", "--bare", str(work.path), str(origin))
    workspace = tmp_path / "workspace"
    work.git("clone", "-q", str(origin), str(workspace))
    work.git("checkout", "-q", "--detach", "origin/pr", cwd=workspace)
    return origin, workspace


def _action_step() -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    install = action["runs"]["steps"][0]["run"]
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in install  # from the action's own checkout
    steps: list[dict[str, Any]] = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    [step] = steps
    assert "${{" not in step["run"], "inputs reach the script through env, never spliced into it"
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    step["inputs"] = inputs
    return step


def _run_action(
    workspace: Path,
    github: FakeGitHub,
    git_env: dict[str, str],
    tmp_path: Path,
    labels: list[str],
    **inputs: str,
) -> tuple[subprocess.CompletedProcess[str], str, str]:
    """The Action's check step as the runner would run it; (process, summary, outputs)."""
    step = _action_step()
    values = {**step["inputs"], "github-token": "fake-token", **inputs}
    env = dict(git_env)
    for key, expression in step["env"].items():
        name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = values[name]
    event = {
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "repo": {"full_name": "acme/app"}},
            "head": {"ref": "pr", "repo": {"full_name": "acme/app"}},
            "labels": [{"name": label} for label in labels],
        }
    }
    (tmp_path / "event.json").write_text(json.dumps(event))
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    summary.write_text("")
    outputs.write_text("")
    env.update(
        MERGEKIT_PYTHON=sys.executable,
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_EVENT_NAME="pull_request",
        GITHUB_EVENT_PATH=str(tmp_path / "event.json"),
        GITHUB_REPOSITORY="acme/app",
        GITHUB_API_URL=github.url,
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(outputs),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    proc = subprocess.run(["bash", "-c", step["run"]], cwd=workspace, env=env, capture_output=True, text=True)
    return proc, summary.read_text(), outputs.read_text()


def test_the_action_checks_comments_once_and_syncs_on_label(
    pull_request: tuple[Path, Path], github: FakeGitHub, git_env: dict[str, str], tmp_path: Path
) -> None:
    origin, workspace = pull_request
    proc, summary, outputs = _run_action(workspace, github, git_env, tmp_path, labels=[])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "::notice file=src/index.ts" in proc.stdout
    assert "## mergekit check ✅ passed" in summary and "| `origin/main` | `HEAD` |" in summary
    assert "passed=true\nstatus=auto_resolved\n" in outputs
    assert [(m, p) for m, p, _ in github.requests] == [
        ("GET", "/repos/acme/app/issues/7/comments?per_page=100&page=1"),
        ("POST", "/repos/acme/app/issues/7/comments"),
    ]
    assert all(auth == "Bearer fake-token" for _, _, auth in github.requests)
    assert github.comments[0]["body"].startswith("<!-- mergekit-check -->\n## mergekit check")
    assert "add the label `mergekit-sync`" in github.comments[0]["body"]
    pr_before = subprocess.run(["git", "rev-parse", "pr"], cwd=origin, capture_output=True, text=True).stdout

    proc, _, _ = _run_action(workspace, github, git_env, tmp_path, labels=["mergekit-sync"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(github.comments) == 1, "one comment, edited in place"
    assert github.requests[-1][0] == "PATCH"
    assert "**mergekit sync**: merged" in github.comments[0]["body"]
    parents = subprocess.run(
        ["git", "rev-list", "--parents", "-1", "pr"], cwd=origin, capture_output=True, text=True
    ).stdout.split()
    assert len(parents) == 3 and parents[1] == pr_before.strip()
    body = subprocess.run(
        ["git", "show", "pr:src/index.ts"], cwd=origin, capture_output=True, text=True
    ).stdout
    assert "'./pr'" in body and "'./main2'" in body


def test_the_action_fails_with_annotations_when_a_human_is_needed(
    pull_request: tuple[Path, Path], github: FakeGitHub, git_env: dict[str, str], tmp_path: Path
) -> None:
    _, workspace = pull_request
    seed = GitRepo(workspace, git_env)
    seed.git("checkout", "-q", "-b", "local")
    seed.commit("changes N", {"src/config.ts": "export const N = 2;\n"})
    seed.git("push", "-q", "origin", "HEAD:refs/heads/main", "--force")
    seed.git("reset", "-q", "--hard", "HEAD~1")
    seed.commit("changes N differently", {"src/config.ts": "export const N = 3;\n"})
    proc, summary, outputs = _run_action(workspace, github, git_env, tmp_path, labels=[], comment="false")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "::error file=src/config.ts" in proc.stdout
    assert "passed=false\nstatus=needs_human\n" in outputs
    assert "❌ failed" in summary
    assert github.requests == []
