"""The GitHub Action's use case (`action.yml`): BASE, the check, the pull request's comment, sync.

`mergekit.cli.github_action` runs the steps in the checked-out repository, configured by the
environment the Action sets (`INPUT_*` from its inputs, `GITHUB_*` from the runner):

1. BASE (`base_of`): `INPUT_INTO`, else the pull request's base branch (`origin/<base>`,
   fetched), else `into` from `.mergekit.toml` / git config. Branches: `INPUT_BRANCHES`
   (space-separated), default `HEAD`.
2. `run_check`: `mergekit check` with the repository's configuration for what the inputs leave
   open (its annotations, job summary and outputs are `mergekit.output.github_action`'s).
3. On a pull request (`INPUT_COMMENT` true and a token): one comment, found by a hidden marker
   and edited in place on every run, never a new one per push (`GitHub.upsert_comment`).
4. On a pull request carrying the label `INPUT_SYNC_LABEL` (and not from a fork):
   `mergekit sync <head> --with <base> --push` (`sync_pull_request`), so the forge sees a
   branch it can merge.

Nothing here prints.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mergekit.app.check import CheckOptions, CheckReport, check_branches
from mergekit.app.sync import SyncReport, sync_branch
from mergekit.config import load_settings
from mergekit.engine.gitcli import GitResult, run_git
from mergekit.errors import MergekitError

MARKER = "<!-- mergekit-check -->"
"""The hidden first line that identifies mergekit's pull-request comment."""


@dataclass(frozen=True)
class Context:
    """What the runner and the Action's inputs say."""

    cwd: Path
    """The checked-out repository."""
    env: dict[str, str]
    """The environment."""
    event: dict[str, Any]
    """The event payload (`$GITHUB_EVENT_PATH`), {} when absent."""

    def input(self, name: str, default: str = "") -> str:
        """An Action input (`INPUT_<NAME>`, `-` spelled `_`, as action.yml passes them)."""
        return self.env.get(f"INPUT_{name.upper().replace('-', '_')}", default).strip() or default

    def flag(self, name: str, default: bool) -> bool:
        """A boolean input."""
        value = self.input(name, "true" if default else "false").lower()
        return value in ("true", "yes", "1", "on")

    @property
    def pull_request(self) -> dict[str, Any] | None:
        """The pull request of a `pull_request`/`pull_request_target` event."""
        pr = self.event.get("pull_request")
        return pr if isinstance(pr, dict) else None

    @property
    def token(self) -> str:
        """The token for the comment: the `github-token` input, else `GITHUB_TOKEN`."""
        return self.input("github-token") or self.env.get("GITHUB_TOKEN", "")


def context(env: dict[str, str], cwd: Path | None = None) -> Context:
    """The Action's context from the environment (`GITHUB_WORKSPACE`, `GITHUB_EVENT_PATH`...)."""
    workspace = cwd or Path(env.get("GITHUB_WORKSPACE") or ".")
    event: dict[str, Any] = {}
    path = env.get("GITHUB_EVENT_PATH")
    if path and Path(path).is_file():
        try:
            event = json.loads(Path(path).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise MergekitError(f"{path} is not JSON ({exc}) — the runner's event file is damaged") from exc
    return Context(workspace, env, event)


def _git(cwd: Path, *args: str) -> GitResult:
    return run_git(args, cwd, check=False)


def _fetch(ctx: Context, branch: str) -> str:
    """`origin/<branch>`, fetched (a shallow or single-branch checkout lacks it)."""
    proc = _git(
        ctx.cwd,
        "fetch",
        "--quiet",
        "--no-tags",
        "origin",
        f"+refs/heads/{branch}:refs/remotes/origin/{branch}",
    )
    if proc.returncode != 0:
        raise MergekitError(f"git fetch origin {branch} failed: {proc.error} — check the checkout step")
    return f"origin/{branch}"


def base_of(ctx: Context) -> str:
    """BASE: the `into` input, the pull request's base branch (fetched), or `into` from the configuration."""
    given = ctx.input("into")
    if given:
        return given
    pr = ctx.pull_request
    if pr is not None:
        return _fetch(ctx, str(pr["base"]["ref"]))
    return load_settings(ctx.cwd).require("into", None, "the `into` input")


def run_check(ctx: Context, base: str) -> CheckReport:
    """The check, with the repository's configuration for what the inputs leave open."""
    settings = load_settings(ctx.cwd)
    branches = tuple(ctx.input("branches", "HEAD").split())
    strict = ctx.flag("strict", bool(settings.pick("strict")))
    return check_branches(
        CheckOptions(
            cwd=ctx.cwd,
            into=base,
            branches=branches,
            strict=strict,
            collisions=bool(settings.pick("collisions")),
        )
    )


class GitHub:
    """The few REST calls the comment needs (issue comments of one pull request)."""

    def __init__(self, api: str, repository: str, token: str) -> None:
        self.api = api.rstrip("/")
        self.repository = repository
        self.token = token

    def _call(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            raise MergekitError(
                f"GitHub API {method} {url} answered {exc.code} — give the workflow "
                "`permissions: pull-requests: write` (or set comment: false)"
            ) from exc
        except urllib.error.URLError as exc:
            raise MergekitError(f"GitHub API {method} {url} failed: {exc.reason}") from exc
        return json.loads(text) if text else None

    def upsert_comment(self, number: int, body: str) -> str:
        """Edit mergekit's comment on the pull request, or create it; returns `updated` or `created`."""
        base = f"{self.api}/repos/{self.repository}"
        page = 1
        while True:
            comments = self._call("GET", f"{base}/issues/{number}/comments?per_page=100&page={page}")
            for comment in comments or []:
                if str(comment.get("body", "")).startswith(MARKER):
                    self._call("PATCH", f"{base}/issues/comments/{comment['id']}", {"body": body})
                    return "updated"
            if not comments or len(comments) < 100:
                break
            page += 1
        self._call("POST", f"{base}/issues/{number}/comments", {"body": body})
        return "created"


def sync_pull_request(ctx: Context, pr: dict[str, Any], base: str) -> SyncReport | str:
    """Run sync on the pull request's head branch when it carries the opt-in label; else why not."""
    label = ctx.input("sync-label", "mergekit-sync")
    labels = {str(x.get("name")) for x in pr.get("labels", []) if isinstance(x, dict)}
    if not label or label not in labels:
        return f"not synced (add the label `{label}` to let mergekit merge {base} into this branch)"
    head_repo = (pr.get("head", {}).get("repo") or {}).get("full_name")
    base_repo = (pr.get("base", {}).get("repo") or {}).get("full_name") or ctx.env.get("GITHUB_REPOSITORY")
    if head_repo and base_repo and head_repo != base_repo:
        return "not synced: the branch lives in a fork, which this workflow cannot push to"
    head = str(pr["head"]["ref"])
    remote = _fetch(ctx, head)
    current = _git(ctx.cwd, "symbolic-ref", "-q", "--short", "HEAD").text.strip()
    if current != head:
        made = _git(ctx.cwd, "branch", "--force", head, remote)
        if made.returncode != 0:
            raise MergekitError(f"cannot make the local branch {head}: {made.error}")
        _git(ctx.cwd, "branch", "--quiet", f"--set-upstream-to={remote}", head)
    return sync_branch(ctx.cwd, head, base, push_after=True)
