"""The GitHub Action's entry (`python -m mergekit.cli.github_action`, run by `action.yml`).

Not a `mergekit` subcommand: the Action is configured by its environment (`INPUT_*`,
`GITHUB_*`), not by arguments. Like a command module it only reads its input, calls the use case
(`mergekit.app.github_action`), hands the values to `mergekit.output.github_action` and returns
the exit status: the check's (0 passed, 1 a human is needed), 2 for bad input.
"""

from __future__ import annotations

import os
from pathlib import Path

from mergekit.errors import EXIT_USAGE, MergekitError


def main(env: dict[str, str] | None = None, cwd: Path | None = None) -> int:
    """Run the Action's steps in the checked-out repository; return the exit status."""
    from mergekit.app import github_action as action
    from mergekit.app.languages import active
    from mergekit.app.sync import SyncReport
    from mergekit.output import github_action as out

    environ = dict(os.environ if env is None else env)
    try:
        ctx = action.context(environ, cwd)
        with active(ctx.cwd):
            base = action.base_of(ctx)
            check = action.run_check(ctx, base)
            out.show_check(check, environ.get("GITHUB_STEP_SUMMARY"), environ.get("GITHUB_OUTPUT"))
            pr = ctx.pull_request
            if pr is not None:
                synced = action.sync_pull_request(ctx, pr, base)
                if isinstance(synced, SyncReport):
                    out.show_synced(synced, base)
                if ctx.flag("comment", True) and ctx.token:
                    repository = environ.get("GITHUB_REPOSITORY")
                    if not repository:
                        raise MergekitError("GITHUB_REPOSITORY is not set — the comment needs owner/name")
                    api = action.GitHub(
                        environ.get("GITHUB_API_URL", "https://api.github.com"), repository, ctx.token
                    )
                    out.show_comment(api.upsert_comment(int(pr["number"]), out.comment_body(check, synced)))
    except MergekitError as exc:
        out.show_error(exc.message)
        return EXIT_USAGE
    return check.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
