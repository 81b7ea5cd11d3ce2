"""Console entry point: dispatches `merge-file` on a fast path, everything else to the click CLI.

git runs `mergekit merge-file` once per conflicted file, so that path must not pay for
importing click, rich or pygit2; every other command goes through `mergekit.cli`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run mergekit with `argv` (default: `sys.argv[1:]`) and return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "merge-file":
        from mergekit.app.merge_file import merge_file_main

        return merge_file_main(args[1:])
    from mergekit.cli import run_cli

    return run_cli(args)
