"""CLI command `mergekit merge-file`: the git merge driver (git runs it as `... %O %A %B`), on a fast path.

git runs a merge driver once per conflicted file, so `mergekit.entry` comes straight here and this
module parses with argparse — never click, rich or pygit2 (`mergekit.cli.group` lists the command
in `mergekit --help` and forwards to `main`); the command lines git runs are read without even
importing argparse (`_plain`, held by a test to what argparse gives). The merge itself is
`mergekit.app.merge_file`.

The protocol (gitattributes(5), "Defining a custom merge driver"): BASE, OURS and THEIRS are
temporary files; the result is left in OURS, and the exit status says how it went:

- 0: merged cleanly (OURS holds the result);
- 1: conflicts left, with git's markers, in OURS;
- 2: an input that cannot be read (or fewer than three files) — OURS is untouched;
- 129: OURS could not be written at all — it is untouched. git ≥ 2.44 treats a status above 128
  as a crashed driver and fails the merge of that file; older git counts it as a conflict.

Whenever BASE, OURS and THEIRS can be read, no failure leaves OURS holding our side alone (git
would then show the path as conflicted with no markers in it, and `git add` would drop their
side): a mistyped driver line or an internal error writes git's own line merge, markers
included, into OURS and exits 1, with one line on stderr saying why
(`mergekit.app.merge_file.fall_back`).

Every option git fills in takes its value in the same word (`--path=%P`, see
`mergekit.app.install`), so a path that begins with `-` is never read as an option; drivers
installed with the older `--path %P` form are read the same way (`attach_values`).
"""

from __future__ import annotations

import os
from types import SimpleNamespace

from mergekit.errors import EXIT_DRIVER_CRASH, EXIT_NEEDS_HUMAN, EXIT_OK, EXIT_USAGE
from mergekit.output import merge_file as out
from mergekit.resolve.markers import MARKER_SIZE

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    import argparse
    from typing import NoReturn

    from mergekit.app.merge_file import MergeFileRequest

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
exit status: 0 clean, 1 conflicts left (with markers), 2 unreadable input (OURS untouched),
129 OURS could not be written (untouched; git >= 2.44 reports the driver as crashed).
When the three files can be read, bad options or an internal error give git's line merge
(with markers) in OURS and exit 1. MERGEKIT=0 turns the structural union off.

examples:
  mergekit install            # git then runs: mergekit merge-file --path=%P ... %O %A %B
  mergekit merge-file --path src/index.ts --explain base.ts ours.ts theirs.ts
"""


class _UsageError(Exception):
    """A command-line mistake; the message is printed with the usage line."""


def _parser() -> argparse.ArgumentParser:
    """The full command line (argparse, imported here: `_plain` reads what git passes without it)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that raises instead of exiting, so the driver keeps control of its exit status."""

        def error(self, message: str) -> NoReturn:
            raise _UsageError(message)

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
        "--label",
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
    p.add_argument("--verbose", dest="explain", action="store_true", help="the same as --explain")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="accepted like every mergekit command (the driver prints no colours)",
    )
    p.add_argument("base", metavar="BASE", help="the common ancestor's version (git's %%O)")
    p.add_argument("ours", metavar="OURS", help="our version; receives the result (git's %%A)")
    p.add_argument("theirs", metavar="THEIRS", help="their version (git's %%B)")
    return p


class DriverArgs:
    """The parsed command line of one `merge-file` run: the merge it asks for, and what to say.

    A plain class, not a dataclass: git starts the driver once per file.
    """

    __slots__ = ("explain", "quiet", "request")

    def __init__(self, request: MergeFileRequest, quiet: bool, explain: bool) -> None:
        self.request = request
        """The three files, the path, labels, marker size and style; `write_ours` is False for -p."""
        self.quiet = quiet
        """`-q`, accepted for `git merge-file` compatibility (nothing is printed without --explain)."""
        self.explain = explain
        """Describe each hunk on stderr."""

    @property
    def stdout(self) -> bool:
        """Print the result instead of writing OURS (-p)."""
        return not self.request.write_ours


def _given(value: str | None) -> str | None:
    """`value`, or None when it is missing or a placeholder this git did not expand."""
    if value is None or value in UNEXPANDED:
        return None
    return value


_VALUE_OPTIONS = {"--path": "--path", "--marker-size": "--marker-size", "-L": "--label", "--label": "--label"}
"""Options that take a value, and the long name their attached form (`--name=value`) uses."""


def attach_values(args: list[str]) -> list[str]:
    """`args` with each value-taking option joined to its value (`--path -rf.ts` → `--path=-rf.ts`).

    git substitutes %P, %X, %S and %Y with whatever the path and labels are, so the value after
    `--path` (as installs before `--path=%P` wrote it) or `-L` may begin with `-`; it is still
    that option's value, never an option of its own.
    """
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        if arg in _VALUE_OPTIONS and i + 1 < len(args):
            out.append(f"{_VALUE_OPTIONS[arg]}={args[i + 1]}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


_FLAGS = {
    "-p": ("stdout", True),
    "--stdout": ("stdout", True),
    "-q": ("quiet", True),
    "--quiet": ("quiet", True),
    "--explain": ("explain", True),
    "--verbose": ("explain", True),
    "--diff3": ("style", "diff3"),
    "--zdiff3": ("style", "zdiff3"),
}
"""The options without a value `_plain` reads: option → (attribute, value)."""
_COLORS = ("auto", "always", "never")


def _plain(args: list[str]) -> SimpleNamespace | None:
    """What `_parser().parse_args(args)` gives for the command lines git and `mergekit install`
    write (`args` after `attach_values`), without importing argparse (whose import and parser
    cost the driver milliseconds per file); None for anything else, which argparse then reads:
    help, mistakes, abbreviations, joined short options, arguments that begin with `-`.
    """
    ns = SimpleNamespace(
        path=None,
        marker_size=None,
        labels=[],
        style=None,
        stdout=False,
        quiet=False,
        explain=False,
        color="auto",
    )
    files: list[str] = []
    dashes: tuple[int, bool] | None = None
    """Where `--` was: the files before it, and whether a file came right before it."""
    last_file = False
    for arg in args:
        if arg == "--":
            if dashes is not None:
                return None  # a second `--` is a file to argparse, which then drops it
            dashes = (len(files), last_file)
            last_file = False
            continue
        last_file = dashes is not None or not arg.startswith("-")
        if last_file:
            files.append(arg)
        elif arg in _FLAGS:
            name, given = _FLAGS[arg]
            if name == "style" and ns.style not in (None, given):
                return None  # --diff3 with --zdiff3: argparse says which cannot go together
            setattr(ns, name, given)
        else:
            option, equals, given = arg.partition("=")
            if not equals:
                return None
            if option == "--path":
                ns.path = given
            elif option == "--label":
                ns.labels.append(given)
            elif option == "--marker-size" and given.isascii() and given.isdigit():
                ns.marker_size = int(given)
            elif option == "--color" and given in _COLORS:
                ns.color = given
            else:
                return None
    if dashes is not None and not dashes[1] and dashes[0] == len(files):
        return None  # argparse drops `--` with a file next to it; else it is an argument too many
    if len(files) != 3:
        return None
    ns.base, ns.ours, ns.theirs = files
    return ns


def parse_args(args: list[str]) -> DriverArgs:
    """Parse the command line; raise `_UsageError` on mistakes (argparse prints --help itself)."""
    attached = attach_values(args)
    ns = _plain(attached) or _parser().parse_args(attached)
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
    from mergekit.app.merge_file import MergeFileRequest

    request = MergeFileRequest(
        base=ns.base,
        ours=ns.ours,
        theirs=ns.theirs,
        path=path or ns.ours,
        labels=labels,
        marker_size=marker_size,
        style=ns.style,
        write_ours=not ns.stdout,
    )
    return DriverArgs(request, quiet=ns.quiet, explain=ns.explain)


def main(args: list[str]) -> int:
    """`mergekit merge-file ARGS`: parse, merge, write OURS; return 0, 1, 2 or 129 (see module doc)."""
    from mergekit.app.merge_file import UnreadableInput, merge_file

    parser_help = "--help" in args or "-h" in args
    opts: DriverArgs | None = None
    try:
        opts = parse_args(args)
        result = merge_file(opts.request, warn=out.warning)
        resolution = result.resolution
        if result.lockfile_hint is not None:
            out.show_lockfile_hint(result.lockfile_hint)
        if opts.explain:
            out.show_explanation(resolution, opts.request.path)
        if opts.stdout:
            out.show_result(resolution.merged)
        return EXIT_OK if resolution.clean else EXIT_NEEDS_HUMAN
    except UnreadableInput as exc:
        out.usage_error(str(exc))
        return EXIT_USAGE
    except _UsageError as exc:
        out.usage_error(str(exc))
        return _fall_back(args, opts, usage=True)
    except SystemExit as exc:  # argparse after --help
        code = exc.code
        return int(code) if isinstance(code, int) else (0 if parser_help else EXIT_USAGE)
    except KeyboardInterrupt:
        out.interrupted()
        return EXIT_DRIVER_CRASH
    except Exception as exc:  # a crash must never look like success, nor lose their side
        out.crashed(exc)
        return _fall_back(args, opts)


def _fall_back(args: list[str], opts: DriverArgs | None, usage: bool = False) -> int:
    """After a failure: git's own line merge (markers included) into OURS (or stdout), exit 1.

    Only when BASE, OURS and THEIRS can all be read; otherwise OURS stays as it was (exit 2 for
    a usage problem, 129 for a crash), and so it does when OURS cannot be written.
    """
    from mergekit.app.merge_file import fall_back

    request = opts.request if opts is not None else None
    files = (request.base, request.ours, request.theirs) if request is not None else _trailing_files(args)
    if files is None:
        out.left_as_it_was()
        return EXIT_USAGE if usage else EXIT_DRIVER_CRASH
    to_stdout = request is not None and not request.write_ours
    labels = request.labels if request is not None else (files[1], files[0], files[2])
    outcome = fall_back(
        files,
        labels,
        request.marker_size if request is not None else MARKER_SIZE,
        request.style if request is not None else None,
        write_ours=not to_stdout,
    )
    if outcome.unreadable or outcome.write_error is not None:
        out.left_as_it_was(outcome.write_error)
        return EXIT_USAGE if usage and outcome.unreadable else EXIT_DRIVER_CRASH
    if to_stdout:
        out.show_result(outcome.merged)
    out.fell_back()
    return EXIT_NEEDS_HUMAN


def _trailing_files(args: list[str]) -> tuple[str, str, str] | None:
    """BASE, OURS, THEIRS of a command line that did not parse: its last three words, when files."""
    tail = [a for a in args[-3:] if a != "--"]
    if len(args) < 3 or len(tail) != 3 or not all(os.path.isfile(a) for a in tail):
        return None
    return tail[0], tail[1], tail[2]
