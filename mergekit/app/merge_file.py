"""`mergekit merge-file`'s use case: merge one file's three versions, as the git merge driver.

The protocol (gitattributes(5), "Defining a custom merge driver"): BASE, OURS and THEIRS are
temporary files; the result is left in OURS. OURS is replaced atomically (`mergekit.state.atomic`:
a temporary file in the same directory, renamed over it, with OURS' permission bits), so it is
either the old content or the full result, never half. The repository's own language setup
(`.mergekit/grammars/`, gitattributes overrides, `never_resolve`: `mergekit.app.languages`)
picks the profile. The command line is parsed in `mergekit.cli.merge_file`; this module imports
only the standard library at start-up (never click, rich or pygit2) and loads the resolver when
it merges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mergekit.engine.gitcli import conflict_style
from mergekit.errors import MergekitError
from mergekit.state.atomic import write_atomically

if TYPE_CHECKING:
    from mergekit.resolve.types import FileResolution


@dataclass(frozen=True)
class MergeFileRequest:
    """One `merge-file` run: the three files and how to merge and label them."""

    base: Path
    """BASE: the common ancestor's version."""
    ours: Path
    """OURS: our version; the result is written here."""
    theirs: Path
    """THEIRS: their version."""
    path: str
    """The repository path used to pick a language profile (OURS' name when not given)."""
    labels: tuple[str, str, str]
    """Marker labels: ours, base, theirs."""
    marker_size: int
    """Conflict marker length."""
    style: str | None
    """`merge`, `diff3` or `zdiff3`; None = what `merge.conflictStyle` says."""
    write_ours: bool = True
    """Write the result into OURS (False for `-p`)."""


class UnreadableInput(MergekitError):
    """One of the three files cannot be read (nothing was written)."""


def _read(role: str, path: Path) -> bytes:
    """The bytes of one input, or `UnreadableInput` saying which one could not be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read {role} file {str(path)!r}: {exc.strerror or exc}") from exc


def merge_file(request: MergeFileRequest, warn: Callable[[str], None] | None = None) -> FileResolution:
    """Merge the three files; write OURS when asked and the result differs; return the resolution.

    `warn` is told when the repository's configuration cannot be read (the file then gets git's
    plain line merge).
    """
    base = _read("BASE", request.base)
    ours = _read("OURS", request.ours)
    theirs = _read("THEIRS", request.theirs)
    from mergekit.app.languages import driver_lookup
    from mergekit.resolve import Labels, resolve_file
    from mergekit.resolve.profiles import profile_lookup

    labels = Labels(ours=request.labels[0], base=request.labels[1], theirs=request.labels[2])
    chosen = driver_lookup(request.path)
    if chosen.warning is not None and warn is not None:
        warn(chosen.warning)
    with profile_lookup(chosen.lookup):
        resolution = resolve_file(
            base,
            ours,
            theirs,
            request.path,
            labels=labels,
            marker_size=request.marker_size,
            style=request.style or conflict_style(),
        )
    if request.write_ours and resolution.merged != ours:
        write_atomically(request.ours, resolution.merged)
    return resolution
