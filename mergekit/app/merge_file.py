"""`mergekit merge-file`'s use case: merge one file's three versions, as the git merge driver.

The protocol (gitattributes(5), "Defining a custom merge driver"): BASE, OURS and THEIRS are
temporary files; the result is left in OURS. OURS is replaced atomically (`mergekit.state.atomic`:
a temporary file in the same directory, renamed over it, with OURS' permission bits), so it is
either the old content or the full result, never half. When the merge fails for any reason
while the three files can be read, `fall_back` leaves git's own line merge, markers included,
in OURS, so no failure ever leaves our side alone in a conflicted path (the lockfile path and the
repository's profile lookup included: they run inside the same guard). The repository's own
language setup (`.mergekit/grammars/`, gitattributes overrides, `never_resolve`:
`mergekit.app.languages`, not even imported outside a work tree) picks the profile. The
command line is parsed in `mergekit.cli.merge_file`; this module imports only the standard
library at start-up (never click, rich or pygit2; plain classes, not dataclasses: git starts the
driver once per file) and loads the resolver when it merges.

A lockfile (`mergekit.derived.recipes`, by file name) is never unioned: a driver sees one file,
in no fixed order, without a work tree, so it cannot run the package manager. It gets git's own
line merge, and a conflict comes back with what settles it (the manifests, the command to run,
or `mergekit resolve`). `go.sum`, a plain set of lines, is merged like any other file.
"""

from __future__ import annotations

import os

from mergekit.derived.lockfiles import never_unioned
from mergekit.errors import MergekitError
from mergekit.state.atomic import write_atomically

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable

    from mergekit.resolve.profiles import Lookup
    from mergekit.resolve.types import FileResolution, Labels


class MergeFileRequest:
    """One `merge-file` run: the three files and how to merge and label them."""

    __slots__ = ("base", "labels", "marker_size", "ours", "path", "style", "theirs", "write_ours")

    def __init__(
        self,
        base: str,
        ours: str,
        theirs: str,
        path: str,
        labels: tuple[str, str, str],
        marker_size: int,
        style: str | None,
        write_ours: bool = True,
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
        self.write_ours = write_ours
        """Write the result into OURS (False for `-p`)."""


class MergeFileResult:
    """What merging one file gave."""

    __slots__ = ("lockfile_hint", "resolution")

    def __init__(self, resolution: FileResolution, lockfile_hint: str | None = None) -> None:
        self.resolution = resolution
        """The merged bytes, clean or not, and how."""
        self.lockfile_hint = lockfile_hint
        """A lockfile left conflicted: what settles it (its manifests and the command to run)."""


class UnreadableInput(MergekitError):
    """One of the three files cannot be read (nothing was written)."""


def _read(role: str, path: str) -> bytes:
    """The bytes of one input, or `UnreadableInput` saying which one could not be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise UnreadableInput(f"cannot read {role} file {path!r}: {exc.strerror or exc}") from exc


def merge_file(request: MergeFileRequest, warn: Callable[[str], None] | None = None) -> MergeFileResult:
    """Merge the three files; write OURS when asked and the result differs; return the resolution.

    `warn` is told when the repository's configuration cannot be read (the file then gets git's
    plain line merge). Without an explicit style, git's `merge.conflictStyle` is asked (a git
    process) only when conflicts are left: a clean merge is the same bytes in every style, and
    the style changes only how conflicts are written, never whether a region conflicts.
    """
    base = _read("BASE", request.base)
    ours = _read("OURS", request.ours)
    theirs = _read("THEIRS", request.theirs)
    from mergekit.resolve import Labels

    labels = Labels(ours=request.labels[0], base=request.labels[1], theirs=request.labels[2])
    hint = None
    if never_unioned(request.path):  # a lockfile (by name): the recipes say what settles it
        from mergekit.derived.recipes import driver_hint

        hint = driver_hint(request.path)
    lookup: Lookup | None = None
    if hint is None:
        from mergekit.app.driver_languages import driver_lookup

        chosen = driver_lookup(request.path)
        if chosen.warning is not None and warn is not None:
            warn(chosen.warning)
        lookup = chosen.lookup
    resolution = _merge(base, ours, theirs, request, labels, hint, lookup, request.style or "merge")
    if request.style is None and not resolution.clean:
        from mergekit.engine.gitcli import conflict_style

        style = conflict_style()
        if style != "merge":
            resolution = _merge(base, ours, theirs, request, labels, hint, lookup, style)
    if request.write_ours and resolution.merged != ours:
        write_atomically(request.ours, resolution.merged)
    return MergeFileResult(resolution, hint if not resolution.clean else None)


def _merge(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    request: MergeFileRequest,
    labels: Labels,
    hint: str | None,
    lookup: Lookup | None,
    style: str,
) -> FileResolution:
    """The resolver on the three versions, with the repository's profile `lookup` (a lockfile:
    git's line merge only)."""
    files = _regular_files(request)
    if hint is not None:  # never union a lockfile: git's own line merge, and what settles it
        return _line_merge_only(base, ours, theirs, labels, request.marker_size, style, files)
    from mergekit.resolve import resolve_file
    from mergekit.resolve.profiles import profile_lookup

    with profile_lookup(lookup):
        return resolve_file(
            base,
            ours,
            theirs,
            request.path,
            labels=labels,
            marker_size=request.marker_size,
            style=style,
            files=files,
        )


def _regular_files(request: MergeFileRequest) -> tuple[str, str, str] | None:
    """BASE, OURS and THEIRS when all three are regular files, which git's line merge can read
    again where they are (not a pipe like `<(git show :1:f)`, which was read once already)."""
    files = (request.base, request.ours, request.theirs)
    return files if all(os.path.isfile(name) for name in files) else None


def _line_merge_only(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    labels: Labels,
    marker_size: int,
    style: str,
    files: tuple[str, str, str] | None,
) -> FileResolution:
    """git's line merge alone (a lockfile is regenerated by its tool, never unioned); git reads
    the driver's `files` where they are."""
    from mergekit.resolve.linemerge import line_merge
    from mergekit.resolve.types import FileResolution

    merged = line_merge(base, ours, theirs, labels=labels, marker_size=marker_size, style=style, files=files)
    return FileResolution(
        merged=merged.merged,
        clean=merged.conflicts == 0,
        conflicts=merged.conflicts,
        fallback="a lockfile: line merge only",
    )


# the safe failure mode ---------------------------------------------------------------------------


class FallBack:
    """What the safe failure mode did."""

    __slots__ = ("merged", "unreadable", "write_error")

    def __init__(self, merged: bytes = b"", unreadable: bool = False, write_error: str | None = None) -> None:
        self.merged = merged
        """git's line merge of the three files, markers included."""
        self.unreadable = unreadable
        """An input could not be read: nothing was merged or written."""
        self.write_error = write_error
        """Why OURS could not be written (it is untouched), None when it was (or was not asked)."""


def fall_back(
    files: tuple[str, str, str],
    labels: tuple[str, str, str],
    marker_size: int,
    style: str | None,
    *,
    write_ours: bool = True,
) -> FallBack:
    """After any failure: git's own line merge of BASE, OURS, THEIRS (`files`), written into OURS.

    git then shows the path as conflicted with both sides between markers, instead of OURS
    holding our side alone (which a `git add` would take as the resolution). When git itself
    cannot run, the whole file is one conflict block.
    """
    data: list[bytes] = []
    for path in files:
        try:
            with open(path, "rb") as handle:
                data.append(handle.read())
        except OSError:
            return FallBack(unreadable=True)
    if style is None:
        from mergekit.engine.gitcli import conflict_style

        style = conflict_style()
    merged = _git_line_merge(files, labels, marker_size, style)
    if merged is None:
        merged = whole_file_conflict(data[0], data[1], data[2], labels, marker_size, style)
    if write_ours:
        try:
            write_atomically(files[1], merged)
        except OSError as exc:
            return FallBack(merged, write_error=str(exc.strerror or exc))
    return FallBack(merged)


def _git_line_merge(
    files: tuple[str, str, str], labels: tuple[str, str, str], marker_size: int, style: str
) -> bytes | None:
    """`git merge-file -p` of the three files (git's output exactly), None when git cannot run."""
    from mergekit.engine.gitcli import run_git

    base, ours, theirs = files
    args = ["merge-file", "-p", f"--marker-size={marker_size}"]
    if style in ("diff3", "zdiff3"):
        args.append(f"--{style}")
    args += ["-L", labels[0], "-L", labels[1], "-L", labels[2], "--", ours, base, theirs]
    try:
        result = run_git(args, check=False)
    except MergekitError:
        return None
    # git merge-file exits with the number of conflicts (0-127), negative (255) on errors
    return result.stdout if 0 <= result.returncode <= 127 else None


def whole_file_conflict(
    base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str], marker_size: int, style: str
) -> bytes:
    """One conflict spanning the whole file, in git's marker format (when git itself cannot run)."""
    from mergekit.resolve.markers import BASE, CLOSE, MIDDLE, OPEN

    def marker(char: bytes, label: str | None) -> bytes:
        tail = b" " + label.encode("utf-8", "surrogateescape") if label is not None else b""
        return char * marker_size + tail + b"\n"

    def block(data: bytes) -> bytes:
        return data if not data or data.endswith(b"\n") else data + b"\n"

    out = marker(OPEN, labels[0]) + block(ours)
    if style in ("diff3", "zdiff3"):
        out += marker(BASE, labels[1]) + block(base)
    return out + marker(MIDDLE, None) + block(theirs) + marker(CLOSE, labels[2])
