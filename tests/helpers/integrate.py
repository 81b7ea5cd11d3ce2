"""Small repositories for integration-run tests, and a snapshot of everything the user owns.

`build_features` makes a TypeScript-ish repository: a barrel every branch appends to (which the
resolver unions) and a constant two branches set differently (a genuine conflict).
`UserSnapshot` captures the user's checkout, index, HEAD, BASE and refs, to prove a run left
them byte for byte alone.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.gitrepo import GitRepo

BARREL = "src/index.ts"
CONFIG = "src/config.ts"
BASE_BARREL = "export * from './users';\n"
BASE_CONFIG = "export const PORT = 3000;\n\nexport const PAGE_SIZE = 50;\n\nexport const DEBUG = false;\n"


def build_features(repo: GitRepo) -> dict[str, str]:
    """main + feature/alpha, feature/beta (barrel appends), feature/gamma, feature/delta (PAGE_SIZE clash).

    Returns branch → tip. The user's checkout is left on main with a local edit and an
    untracked file, so tests can prove mergekit never touches them.
    """
    repo.commit(
        "base", {BARREL: BASE_BARREL, CONFIG: BASE_CONFIG, "src/users.ts": "export const users = 1;\n"}
    )
    tips = {}
    for name in ("alpha", "beta", "gamma", "delta"):
        repo.checkout(f"feature/{name}", create=True, start="main")
        files: dict[str, str | bytes] = {f"src/{name}.ts": f"export const {name} = 1;\n"}
        if name in ("alpha", "beta"):
            files[BARREL] = BASE_BARREL + f"export * from './{name}';\n"
        if name == "gamma":
            files[CONFIG] = BASE_CONFIG.replace("50", "100")
        if name == "delta":
            files[CONFIG] = BASE_CONFIG.replace("50", "500")
        tips[f"feature/{name}"] = repo.commit(f"{name}: add feature", files)
    repo.checkout("main")
    repo.write({"src/users.ts": "export const users = 2; // local edit\n", "notes.txt": "untracked\n"})
    return tips


def run_git(repo: GitRepo, *args: str, cwd: Path | None = None) -> str:
    """git without optional locks, so observing never rewrites the index."""
    env = dict(repo.env, GIT_OPTIONAL_LOCKS="0")
    proc = subprocess.run(
        ["git", *args], cwd=cwd or repo.path, env=env, capture_output=True, check=True, text=True
    )
    return proc.stdout


@dataclass(frozen=True)
class UserSnapshot:
    """The user's HEAD, index bytes, work tree files, status and BASE."""

    head: str
    symbolic_head: str
    index: str
    files: str
    status: str
    base: str

    @classmethod
    def take(cls, repo: GitRepo, base: str = "main") -> UserSnapshot:
        """Capture the user's side of `repo` now."""
        digest = hashlib.sha256()
        for path in sorted(p for p in repo.path.rglob("*") if ".git" not in p.relative_to(repo.path).parts):
            if path.is_file():
                digest.update(str(path.relative_to(repo.path)).encode() + b"\0" + path.read_bytes())
        return cls(
            head=run_git(repo, "rev-parse", "HEAD"),
            symbolic_head=run_git(repo, "symbolic-ref", "HEAD"),
            index=hashlib.sha256((repo.path / ".git" / "index").read_bytes()).hexdigest(),
            files=digest.hexdigest(),
            status=run_git(repo, "status", "--porcelain=v1", "-uall"),
            base=run_git(repo, "rev-parse", f"refs/heads/{base}"),
        )


def written_state(repo: GitRepo) -> dict[str, str]:
    """Everything a run could write: refs, worktrees, mergekit's files, object counts."""
    mk = repo.path / ".git" / "mergekit"
    files = sorted(str(p.relative_to(mk)) for p in mk.rglob("*")) if mk.exists() else []
    return {
        "refs": run_git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "worktrees": run_git(repo, "worktree", "list", "--porcelain"),
        "mergekit": json.dumps(files),
        "objects": run_git(repo, "count-objects", "-v"),
    }


def parents(repo: GitRepo, commit: str) -> list[str]:
    """The parents of `commit`."""
    return repo.git("log", "-1", "--format=%P", commit).split()


def first_parent_subjects(repo: GitRepo, rev: str, stop: str) -> list[str]:
    """Subjects along the first-parent chain from `rev` back to `stop` (exclusive), oldest first."""
    out = repo.git("log", "--first-parent", "--format=%s", f"{stop}..{rev}")
    return list(reversed(out.splitlines()))
