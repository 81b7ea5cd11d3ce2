"""`mergekit merge-file`: the git merge driver (git runs it as `... %O %A %B`), on a fast path.

git runs a merge driver once per conflicted file, so this module imports only argparse and the
standard library at start-up — never click, rich or pygit2 — and loads the resolver lazily.

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
included, into OURS and exits 1, with one line on stderr saying why.

Every option git fills in takes its value in the same word (`--path=%P`, see
`mergekit.install`), so a path that begins with `-` is never read as an option; drivers
installed with the older `--path %P` form are read the same way (`attach_values`).

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
    from mergekit.resolve.types import FileResolution, HunkReport

EXIT_CLEAN = 0
"""Merged cleanly."""
EXIT_CONFLICTS = 1
"""Conflicts left in OURS, with markers."""
EXIT_USAGE = 2
"""Unreadable inputs (or too few); OURS untouched."""
EXIT_CRASH = 129
"""OURS could not be written; it is untouched (git ≥ 2.44 reads > 128 as a crashed driver)."""

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
exit status: 0 clean, 1 conflicts left (with markers), 2 unreadable input (OURS untouched),
129 OURS could not be written (untouched; git >= 2.44 reports the driver as crashed).
When the three files can be read, bad options or an internal error give git's line merge
(with markers) in OURS and exit 1. MERGEKIT=0 turns the structural union off.
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


def parse_args(args: list[str]) -> DriverArgs:
    """Parse the command line; raise `_UsageError` on mistakes (argparse prints --help itself)."""
    ns = _parser().parse_args(attach_values(args))
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

    style = opts.style or configured_style()
    labels = Labels(ours=opts.labels[0], base=opts.labels[1], theirs=opts.labels[2])
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


def merge_file_main(args: list[str]) -> int:
    """`mergekit merge-file ARGS`: parse, merge, write OURS; return 0, 1, 2 or 129 (see module doc)."""
    parser_help = "--help" in args or "-h" in args
    opts: DriverArgs | None = None
    try:
        opts = parse_args(args)
        return run(opts)
    except _UsageError as exc:
        return _fall_back(args, opts, f"error: {exc}", usage=True)
    except SystemExit as exc:  # argparse after --help
        code = exc.code
        return int(code) if isinstance(code, int) else (0 if parser_help else EXIT_USAGE)
    except KeyboardInterrupt:
        sys.stderr.write(f"{_PROG}: interrupted; OURS left as it was\n")
        return EXIT_CRASH
    except Exception as exc:  # a crash must never look like success, nor lose their side
        import traceback

        traceback.print_exc(file=sys.stderr)
        return _fall_back(args, opts, f"internal error (this is a bug, please report it): {exc!r}")


# --- the safe failure mode ------------------------------------------------------------------------


def _fall_back(args: list[str], opts: DriverArgs | None, why: str, usage: bool = False) -> int:
    """After a failure: git's own line merge (markers included) into OURS, exit 1.

    Only when BASE, OURS and THEIRS can all be read; otherwise OURS stays as it was (exit 2
    for a usage problem, 129 for a crash), and so it does when OURS cannot be written.
    """
    if usage:
        sys.stderr.write(f"usage: {_PROG} [options] BASE OURS THEIRS\n")
    sys.stderr.write(f"{_PROG}: {why}\n")
    files = _input_files(args, opts)
    data = [_read_or_none(p) for p in files] if files is not None else []
    if files is None or any(d is None for d in data):
        sys.stderr.write(f"{_PROG}: OURS left as it was\n")
        return EXIT_USAGE if usage else EXIT_CRASH
    base, ours, theirs = (d or b"" for d in data)
    labels = opts.labels if opts is not None else (str(files[1]), str(files[0]), str(files[2]))
    marker_size = opts.marker_size if opts is not None else 7
    style = (opts.style if opts is not None else None) or configured_style()
    merged = _git_line_merge(files, labels, marker_size, style)
    if merged is None:
        merged = whole_file_conflict(base, ours, theirs, labels, marker_size, style)
    try:
        if opts is not None and opts.stdout:
            sys.stdout.buffer.write(merged)
            sys.stdout.flush()
        else:
            write_atomically(files[1], merged)
    except OSError as exc:
        sys.stderr.write(f"{_PROG}: cannot write OURS ({exc.strerror or exc}); OURS left as it was\n")
        return EXIT_CRASH
    sys.stderr.write(f"{_PROG}: wrote git's line merge (with conflict markers) into OURS instead\n")
    return EXIT_CONFLICTS


def _input_files(args: list[str], opts: DriverArgs | None) -> tuple[Path, Path, Path] | None:
    """BASE, OURS, THEIRS: as parsed, else the last three arguments when they name files."""
    if opts is not None:
        return opts.base, opts.ours, opts.theirs
    tail = [a for a in args[-3:] if a != "--"]
    if len(args) < 3 or len(tail) != 3 or not all(Path(a).is_file() for a in tail):
        return None
    return Path(tail[0]), Path(tail[1]), Path(tail[2])


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _git_line_merge(
    files: tuple[Path, Path, Path], labels: tuple[str, str, str], marker_size: int, style: str
) -> bytes | None:
    """`git merge-file -p` of the three files (git's output exactly), None when git cannot run."""
    base, ours, theirs = files
    cmd = ["git", "merge-file", "-p", f"--marker-size={marker_size}"]
    if style in ("diff3", "zdiff3"):
        cmd.append(f"--{style}")
    cmd += ["-L", labels[0], "-L", labels[1], "-L", labels[2], "--", str(ours), str(base), str(theirs)]
    try:
        proc = subprocess.run(cmd, capture_output=True, check=False)
    except OSError:
        return None
    # git merge-file exits with the number of conflicts (0-127), negative (255) on errors
    return proc.stdout if 0 <= proc.returncode <= 127 else None


def whole_file_conflict(
    base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str], marker_size: int, style: str
) -> bytes:
    """One conflict spanning the whole file, in git's marker format (when git itself cannot run)."""

    def block(data: bytes) -> bytes:
        return data if not data or data.endswith(b"\n") else data + b"\n"

    out = b"<" * marker_size + b" " + labels[0].encode("utf-8", "surrogateescape") + b"\n" + block(ours)
    if style in ("diff3", "zdiff3"):
        out += b"|" * marker_size + b" " + labels[1].encode("utf-8", "surrogateescape") + b"\n" + block(base)
    out += b"=" * marker_size + b"\n" + block(theirs)
    return out + b">" * marker_size + b" " + labels[2].encode("utf-8", "surrogateescape") + b"\n"
