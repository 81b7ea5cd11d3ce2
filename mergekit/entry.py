"""Console entry point: `merge-file` on a fast path, every other command through the click group.

git runs `mergekit merge-file` once per conflicted file, so that path (`mergekit.cli.merge_file`)
must not pay for importing click, rich or pygit2; everything else goes to `mergekit.cli.group`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run mergekit with `argv` (default: `sys.argv[1:]`) and return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "merge-file":
        from mergekit.cli.merge_file import main as merge_file_main

        return merge_file_main(args[1:])
    from mergekit.cli.group import run_cli

    return run_cli(args)
