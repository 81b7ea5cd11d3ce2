"""CLI command `mergekit merge-file`: the git merge driver (git runs it as `... %O %A %B`), on a fast path.

git runs a merge driver once per conflicted file, so `mergekit.entry` comes straight here and this
module parses with argparse — never click, rich or pygit2 (`mergekit.cli.group` lists the command
in `mergekit --help` and forwards to `main`). The merge itself is `mergekit.app.merge_file`.

The protocol (gitattributes(5), "Defining a custom merge driver"): BASE, OURS and THEIRS are
temporary files; the result is left in OURS, and the exit status says how it went:

- 0: merged cleanly (OURS holds the result);
- 1: conflicts left, with git's markers, in OURS;
- 2: bad usage or an input that cannot be read — OURS is untouched. git counts any status from
  1 to 128 as "conflicts", so a mistyped driver line is never mistaken for a clean merge; git
  itself always hands the driver three readable files, so this status is for people running
  `mergekit merge-file` by hand;
- 129: an internal error — OURS is untouched. git ≥ 2.44 treats a status above 128 as a crashed
  driver and fails the merge of that file; older git counts it as a conflict (OURS still holds
  ours' version, the path stays unmerged), so a crash never looks like success either way.
"""

from __future__ import annotations

import argparse

from mergekit.errors import EXIT_DRIVER_CRASH, EXIT_NEEDS_HUMAN, EXIT_OK, EXIT_USAGE
from mergekit.output import merge_file as out
from mergekit.resolve.markers import MARKER_SIZE

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from typing import NoReturn

UNEXPANDED = frozenset({"%O", "%A", "%B", "%L", "%P", "%S", "%X", "%Y"})
"""Placeholders an older git leaves as they are (%S, %X, %Y exist since git 2.44): treated as absent."""

_DESCRIPTION = """\
Three-way merge of one file, as `git merge-file` does, plus a syntax-aware union of
append-only conflicts (barrel exports, imports, route and settings lists, manifest keys,
changelog bullets) for the languages `mergekit languages` lists. Where nothing structural
applies the output is byte-identical to `git merge-file`. This is the command git runs as
the `mergekit` merge driver (see `mergekit install`).

The files come in the merge-driver order BASE OURS THEIRS (git's %O %A %B), which is not
`git merge-file`'s order (OURS BASE THEIRS); the -L labels keep `git merge-file`'s order.
"""
_EPILOG = """\
exit status: 0 clean, 1 conflicts left (with markers), 2 bad usage or unreadable input,
129 internal error (OURS untouched; git >= 2.44 reports the driver as crashed).
MERGEKIT=0 in the environment turns the structural union off (plain line merge).
"""


class _UsageError(Exception):
    """A command-line mistake; the message is printed with the usage line."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so the driver keeps control of its exit status."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    p = _Parser(
        prog=out.PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--path", metavar="P", help="the file's path in the repository (git's %%P): picks the language"
    )
    p.add_argument(
        "--marker-size",
        metavar="N",
        type=int,
        default=None,
        help=f"conflict marker length (git's %%L; default {MARKER_SIZE})",
    )
    p.add_argument(
        "-L",
        dest="labels",
        metavar="LABEL",
        action="append",
        default=[],
        help="marker labels, up to three, in the order ours, base, theirs (git's %%X %%S %%Y)",
    )
    style = p.add_mutually_exclusive_group()
    style.add_argument(
        "--diff3", dest="style", action="store_const", const="diff3", help="show base in conflicts"
    )
    style.add_argument("--zdiff3", dest="style", action="store_const", const="zdiff3", help="diff3, zealous")
    p.add_argument("-p", "--stdout", action="store_true", help="print the result instead of writing OURS")
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="accepted like git merge-file's -q (no warnings without --explain)",
    )
    p.add_argument("--explain", action="store_true", help="say on stderr what was unioned, hunk by hunk")
    p.add_argument("base", metavar="BASE", help="the common ancestor's version (git's %%O)")
    p.add_argument("ours", metavar="OURS", help="our version; receives the result (git's %%A)")
    p.add_argument("theirs", metavar="THEIRS", help="their version (git's %%B)")
    return p


class DriverArgs:
    """The parsed command line of one `merge-file` run (a plain class: no dataclass at start-up)."""

    __slots__ = (
        "base",
        "explain",
        "labels",
        "marker_size",
        "ours",
        "path",
        "quiet",
        "stdout",
        "style",
        "theirs",
    )

    def __init__(
        self,
        base: str,
        ours: str,
        theirs: str,
        path: str,
        labels: tuple[str, str, str],
        marker_size: int,
        style: str | None,
        stdout: bool,
        quiet: bool,
        explain: bool,
    ) -> None:
        self.base = base
        """BASE: the common ancestor's version (a file name)."""
        self.ours = ours
        """OURS: our version; the result is written here."""
        self.theirs = theirs
        """THEIRS: their version."""
        self.path = path
        """The repository path used to pick a language profile (OURS' name when not given)."""
        self.labels = labels
        """Marker labels: ours, base, theirs."""
        self.marker_size = marker_size
        """Conflict marker length."""
        self.style = style
        """`merge`, `diff3` or `zdiff3`; None = what `merge.conflictStyle` says."""
        self.stdout = stdout
        """Print the result instead of writing OURS."""
        self.quiet = quiet
        """`-q`, accepted for `git merge-file` compatibility (nothing is printed without --explain)."""
        self.explain = explain
        """Describe each hunk on stderr."""


def _given(value: str | None) -> str | None:
    """`value`, or None when it is missing or a placeholder this git did not expand."""
    if value is None or value in UNEXPANDED:
        return None
    return value


def parse_args(args: list[str]) -> DriverArgs:
    """Parse the command line; raise `_UsageError` on mistakes (argparse prints --help itself)."""
    ns = _parser().parse_args(args)
    if len(ns.labels) > 3:
        raise _UsageError("at most three -L labels (ours, base, theirs)")
    path = _given(ns.path)
    given = [_given(label) for label in ns.labels] + [None] * (3 - len(ns.labels))
    if path is not None:
        # git's own labels in a merge are ref names; without %X/%S/%Y (git < 2.44) say which side.
        defaults = (f"ours:{path}", f"base:{path}", f"theirs:{path}")
    else:
        # `git merge-file` labels each side with the file name it was given.
        defaults = (ns.ours, ns.base, ns.theirs)
    labels = (given[0] or defaults[0], given[1] or defaults[1], given[2] or defaults[2])
    marker_size = MARKER_SIZE if ns.marker_size is None else ns.marker_size
    if marker_size < 1:
        raise _UsageError(f"--marker-size must be a positive number, not {marker_size}")
    return DriverArgs(
        base=ns.base,
        ours=ns.ours,
        theirs=ns.theirs,
        path=path or ns.ours,
        labels=labels,
        marker_size=marker_size,
        style=ns.style,
        stdout=ns.stdout,
        quiet=ns.quiet,
        explain=ns.explain,
    )


def main(args: list[str]) -> int:
    """`mergekit merge-file ARGS`: parse, merge, write OURS; return 0, 1, 2 or 129 (see module doc)."""
    from mergekit.app.merge_file import MergeFileRequest, UnreadableInput, merge_file

    parser_help = "--help" in args or "-h" in args
    try:
        opts = parse_args(args)
        request = MergeFileRequest(
            base=opts.base,
            ours=opts.ours,
            theirs=opts.theirs,
            path=opts.path,
            labels=opts.labels,
            marker_size=opts.marker_size,
            style=opts.style,
            write_ours=not opts.stdout,
        )
        result = merge_file(request)
        resolution = result.resolution
        if result.lockfile_hint is not None:
            out.show_lockfile_hint(result.lockfile_hint)
        if opts.explain:
            out.show_explanation(resolution, opts.path)
        if opts.stdout:
            out.show_result(resolution.merged)
        return EXIT_OK if resolution.clean else EXIT_NEEDS_HUMAN
    except (_UsageError, UnreadableInput) as exc:
        out.usage_error(str(exc))
        return EXIT_USAGE
    except SystemExit as exc:  # argparse after --help
        code = exc.code
        return int(code) if isinstance(code, int) else (0 if parser_help else EXIT_USAGE)
    except KeyboardInterrupt:
        out.interrupted()
        return EXIT_DRIVER_CRASH
    except Exception as exc:  # a crash must never look like success
        out.crashed(exc)
        return EXIT_DRIVER_CRASH
