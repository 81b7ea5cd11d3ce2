"""Values the resolver returns: what was merged, whether it is clean, and what was done per hunk."""

from __future__ import annotations

from mergekit.resolve.values import value


@value
class Labels:
    """Conflict-marker labels, in git's order for `git merge-file -L`: ours, base, theirs."""

    ours: str = "ours"
    base: str = "base"
    theirs: str = "theirs"


@value
class LineMergeResult:
    """The outcome of git's line merge on three texts."""

    merged: bytes
    """The merged text, with conflict markers where `conflicts` > 0."""
    conflicts: int
    """Number of conflict hunks left (0 = clean)."""


@value
class HunkReport:
    """What the resolver did with one conflicting region (for the report and `--explain`)."""

    resolved: bool
    """True when the region was unioned/merged structurally."""
    rule: str | None
    """The rule that resolved it (e.g. `typescript:imports-exports`), or None."""
    reason: str
    """What was done, or why it was left to a human."""
    container: str = ""
    """The union container's description (profile container name), if one was found."""
    base_items: tuple[str, ...] = ()
    """The container's children in base (normalized text)."""
    ours_items: tuple[str, ...] = ()
    """The container's children in ours."""
    theirs_items: tuple[str, ...] = ()
    """The container's children in theirs."""
    merged_items: tuple[str, ...] = ()
    """The container's children in the result."""


@value
class FileResolution:
    """The resolver's answer for one file: merged bytes, clean or not, and how."""

    merged: bytes
    """The merged content; contains git's conflict markers when not clean."""
    clean: bool
    """True when no conflict is left."""
    rule: str | None = None
    """The rule name(s) that made it clean (joined with '+'), None for a plain clean line merge."""
    conflicts: int = 0
    """Conflict hunks left for a human."""
    hunks: tuple[HunkReport, ...] = ()
    """Per-region report of what the structural resolver tried."""
    fallback: str | None = None
    """Why only the plain line merge ran (binary, non-UTF-8, MERGEKIT=0, ...), or None."""

    @property
    def auto_resolved(self) -> bool:
        """True when the resolver (not the plain line merge) made the file clean."""
        return self.clean and self.rule is not None
