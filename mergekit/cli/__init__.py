"""The command line: one module per command, each parse → call a use case → call output → exit code.

`mergekit.entry` sends `merge-file` (the git merge driver, run once per file) straight to
`mergekit.cli.merge_file`, which needs neither click nor rich; every other command goes through
the click group in `mergekit.cli.group`, which imports a command's module only when that command
runs, and adds the options every command shares (`mergekit.cli.common`: --quiet, --verbose,
--color). `mergekit.cli.github_action` is the GitHub Action's entry, not a subcommand. This
package's own import loads nothing.
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "integrate": "integrate",
    "continue": "continue_",
    "abort": "abort",
    "status": "status",
    "plan": "plan",
    "demo": "demo",
    "check": "check",
    "merge-file": "merge_file",
    "install": "install",
    "doctor": "doctor",
    "resolve": "resolve",
    "languages": "languages",
    "replay": "replay",
    "config": "config",
    "sync": "sync",
    "review": "review",
    "undo": "undo",
    "memory": "memory",
}
"""Command name → the module of `mergekit.cli` that defines it."""
