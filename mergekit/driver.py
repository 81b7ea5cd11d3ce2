"""`mergekit merge-file`: the git merge driver (git runs it as `... %O %A %B`), on a fast path.

git runs a merge driver once per conflicted file, so this module imports only argparse and the
standard library at start-up — never click, rich or pygit2 — and loads the resolver lazily.

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

OURS is replaced atomically (a temporary file in the same directory, renamed over it, with
OURS' permission bits), so it is either the old content or the full result, never half.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from collections.abc import Callable

    from mergekit.resolve.profiles import Profile
    from mergekit.resolve.types import FileResolution, HunkReport

EXIT_CLEAN = 0
"""Merged cleanly."""
EXIT_CONFLICTS = 1
"""Conflicts left in OURS, with markers."""
EXIT_USAGE = 2
"""Bad arguments or unreadable inputs; OURS untouched."""
EXIT_CRASH = 129
"""Internal error; OURS untouched (git ≥ 2.44 reads > 128 as a crashed driver)."""

UNEXPANDED = frozenset({"%O", "%A", "%B", "%L", "%P", "%S", "%X", "%Y"})
"""Placeholders an older git leaves as they are (%S, %X, %Y exist since git 2.44): treated as absent."""

_PROG = "mergekit merge-file"
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

examples:
  mergekit install            # git then runs: mergekit merge-file --path %P ... %O %A %B
  mergekit merge-file --path src/index.ts --explain base.ts ours.ts theirs.ts
"""


class _UsageError(Exception):
    """A command-line mistake; the message is printed with the usage line."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so the driver keeps control of its exit status."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    p = _Parser(
        prog=_PROG,
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
        help="conflict marker length (git's %%L; default 7)",
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


@dataclass(frozen=True)
class DriverArgs:
    """The parsed command line of one `merge-file` run."""

    base: Path
    """BASE: the common ancestor's version."""
    ours: Path
    """OURS: our version; the result is written here."""
    theirs: Path
    """THEIRS: their version."""
    path: str
    """The repository path used to pick a language profile (BASE's name when not given)."""
    labels: tuple[str, str, str]
    """Marker labels: ours, base, theirs."""
    marker_size: int
    """Conflict marker length."""
    style: str | None
    """`merge`, `diff3` or `zdiff3`; None = what `merge.conflictStyle` says."""
    stdout: bool
    """Print the result instead of writing OURS."""
    quiet: bool
    """`-q`, accepted for `git merge-file` compatibility (nothing is printed without --explain)."""
    explain: bool
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
    marker_size = 7 if ns.marker_size is None else ns.marker_size
    if marker_size < 1:
        raise _UsageError(f"--marker-size must be a positive number, not {marker_size}")
    return DriverArgs(
        base=Path(ns.base),
        ours=Path(ns.ours),
        theirs=Path(ns.theirs),
        path=path or ns.ours,
        labels=labels,
        marker_size=marker_size,
        style=ns.style,
        stdout=ns.stdout,
        quiet=ns.quiet,
        explain=ns.explain,
    )


def _read(role: str, path: Path) -> bytes:
    """The bytes of one input, or a usage error that says which one could not be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _UsageError(f"cannot read {role} file {str(path)!r}: {exc.strerror or exc}") from exc


def configured_style(cwd: Path | None = None) -> str:
    """The `merge.conflictStyle` git would use here (`git merge-file` honours it too), else `merge`."""
    try:
        proc = subprocess.run(
            ["git", "config", "--get", "merge.conflictStyle"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "merge"
    value = proc.stdout.strip().lower()
    return value if value in ("diff3", "zdiff3") else "merge"


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one rename, keeping its permission bits (follows symlinks)."""
    real = Path(os.path.realpath(target))
    mode = stat.S_IMODE(real.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".mergekit", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def explain_lines(resolution: FileResolution, path: str) -> list[str]:
    """Plain-text lines saying what the resolver did with each conflicting hunk of `path`."""
    lines: list[str] = []
    if resolution.fallback:
        lines.append(f"mergekit: {path}: plain line merge ({resolution.fallback})")
    for number, hunk in enumerate(resolution.hunks, 1):
        lines.extend(_hunk_lines(number, hunk, path))
    if not lines:
        lines.append(f"mergekit: {path}: {'clean line merge' if resolution.clean else 'no hunk report'}")
    return lines


def _hunk_lines(number: int, hunk: HunkReport, path: str) -> list[str]:
    verdict = f"resolved by {hunk.rule}" if hunk.resolved else "left to a human"
    where = f" in {hunk.container}" if hunk.container else ""
    lines = [f"mergekit: {path}: hunk {number}{where}: {verdict}: {hunk.reason}"]
    for side, items in (
        ("base", hunk.base_items),
        ("ours", hunk.ours_items),
        ("theirs", hunk.theirs_items),
        ("merged", hunk.merged_items),
    ):
        if items:
            lines.append(f"    {side:>6}: " + " | ".join(_one_line(i) for i in items))
    return lines


def _one_line(item: str, limit: int = 80) -> str:
    text = " ".join(item.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run(opts: DriverArgs) -> int:
    """Merge the three files as `opts` says; write OURS (or stdout); return the exit status."""
    base = _read("BASE", opts.base)
    ours = _read("OURS", opts.ours)
    theirs = _read("THEIRS", opts.theirs)
    from mergekit.resolve import Labels, resolve_file
    from mergekit.resolve.profiles import profile_lookup

    style = opts.style or configured_style()
    labels = Labels(ours=opts.labels[0], base=opts.labels[1], theirs=opts.labels[2])
    with profile_lookup(_repository_lookup(opts.path)):
        resolution = resolve_file(
            base, ours, theirs, opts.path, labels=labels, marker_size=opts.marker_size, style=style
        )
    if opts.explain:
        sys.stderr.write("\n".join(explain_lines(resolution, opts.path)) + "\n")
    if opts.stdout:
        sys.stdout.buffer.write(resolution.merged)
        sys.stdout.flush()
    elif resolution.merged != ours:
        write_atomically(opts.ours, resolution.merged)
    # Like `git merge-file`, nothing is printed about conflicts: git prints its own CONFLICT line.
    return EXIT_CLEAN if resolution.clean else EXIT_CONFLICTS


def _repository_lookup(path: str) -> Callable[[str], Profile | None] | None:
    """The repository's profiles, attributes and `never_resolve` for `path` (see `mergekit.languages`);
    a configuration that cannot be read means git's plain line merge for this file, with a warning."""
    from mergekit.errors import MergekitError
    from mergekit.languages import for_driver

    try:
        return for_driver(path)
    except MergekitError as exc:
        sys.stderr.write(f"{_PROG}: {exc}; plain line merge for {path}\n")
        return lambda _path: None


def merge_file_main(args: list[str]) -> int:
    """`mergekit merge-file ARGS`: parse, merge, write OURS; return 0, 1, 2 or 129 (see module doc)."""
    parser_help = "--help" in args or "-h" in args
    try:
        opts = parse_args(args)
        return run(opts)
    except _UsageError as exc:
        sys.stderr.write(f"usage: {_PROG} [options] BASE OURS THEIRS\n{_PROG}: error: {exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # argparse after --help
        code = exc.code
        return int(code) if isinstance(code, int) else (0 if parser_help else EXIT_USAGE)
    except KeyboardInterrupt:
        sys.stderr.write(f"{_PROG}: interrupted; OURS left as it was\n")
        return EXIT_CRASH
    except Exception as exc:  # a crash must never look like success
        import traceback

        traceback.print_exc(file=sys.stderr)
        sys.stderr.write(
            f"{_PROG}: internal error, OURS left as it was (this is a bug, please report it): {exc!r}\n"
        )
        return EXIT_CRASH
