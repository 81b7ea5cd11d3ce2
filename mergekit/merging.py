"""The one seam between a merge and its verdict: engine merge → resolver → duplicate keys → outcome.

Every place that asks "what happens when THEIRS is merged into OURS" — `integrate` (each step,
and its dry run), `plan` (the pairwise matrix, each branch against BASE, the predicted outcome
in order) and `check` (every pair) — asks `Merger`, so they cannot disagree:

1. the engine merges the two commits in memory (`mergekit.engine.merge_commits`);
2. each content conflict goes to the resolver (`mergekit.resolve.resolve_file`): a clean answer
   is an auto-resolution (with its rule), anything else is left for a human, with the file
   content to show them (git's markers, or the surviving side of a modify/delete);
3. files git merged cleanly although both sides changed them go to the resolver's duplicate-key
   check: one key given two values is a conflict of kind `duplicate-key`;
4. the verdicts, one per file in path order, make one `Prediction` (clean, auto-resolved or
   needs a human).

`Merger.settle` always merges and keeps the `TreeMerge` so a run can write the result tree;
`Merger.predict` first takes the shortcuts that cannot change the answer (same commit, one side
already contains the other, the two sides changed different files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mergekit.engine.linemerge import merge_texts
from mergekit.engine.merge import TreeMerge, merge_commits
from mergekit.engine.repo import InvalidEntry, Repo, ShallowHistory, first_invalid_path
from mergekit.engine.types import Conflict
from mergekit.model import ConflictKind, Outcome, Shortcut
from mergekit.resolve import HunkReport, Labels, resolve_file
from mergekit.resolve.profiles import profile_for

LINE_MERGE_RULE = "line-merge"
"""The rule reported when git's line merge alone settled a file libgit2 left conflicted."""


@dataclass(frozen=True)
class FileVerdict:
    """What merging one file needs."""

    path: str
    """The file (ours' path for a rename)."""
    outcome: Outcome
    """`auto_resolved` or `needs_human`."""
    kind: ConflictKind
    """Why the file was looked at: git's conflict kind, or `duplicate-key`."""
    conflict: Conflict
    """The base/ours/theirs sides (index stages for a hand-off; line numbers for `check`)."""
    content: bytes | None
    """Auto-resolved: the merged bytes. For a human: what to put in the work tree (git's markers
    or the surviving side), None for no file."""
    rule: str | None = None
    """The resolver's rule for an auto-resolution."""
    hunks: tuple[HunkReport, ...] = ()
    """The resolver's report, region by region."""


@dataclass(frozen=True)
class Prediction:
    """The verdict on merging THEIRS into OURS."""

    ours: str
    """OURS' commit."""
    theirs: str
    """THEIRS' commit."""
    files: tuple[FileVerdict, ...] = ()
    """One verdict per file that conflicted or clashed, in path order."""
    shortcut: Shortcut | None = None
    """Set when the pair was known clean without merging."""

    @property
    def outcome(self) -> Outcome:
        """`needs_human` when a file needs a human, `auto_resolved` when files were settled, else `clean`."""
        return Outcome.worst([f.outcome for f in self.files])

    @property
    def auto_resolved(self) -> list[FileVerdict]:
        """Files the resolver settled."""
        return [f for f in self.files if f.outcome is Outcome.AUTO_RESOLVED]

    @property
    def human(self) -> list[FileVerdict]:
        """Files a human must settle."""
        return [f for f in self.files if f.outcome is Outcome.NEEDS_HUMAN]

    @property
    def resolutions(self) -> dict[str, bytes]:
        """Path → merged bytes of every auto-resolved file."""
        return {f.path: f.content for f in self.auto_resolved if f.content is not None}


@dataclass(frozen=True)
class Settled:
    """A merge done and judged: the in-memory merge (to write the result tree) and the verdict."""

    merge: TreeMerge
    """The engine's merge; `merge.write_tree(prediction.resolutions)` writes the result."""
    prediction: Prediction
    """The verdict."""


@dataclass
class Merger:
    """Merges and judges pairs of commits of one repository (use a `Repo.scratch()` to write nothing)."""

    repo: Repo
    """The repository."""
    _changed: dict[tuple[str | None, str], frozenset[str]] = field(default_factory=dict)

    def changed(self, old: str | None, new: str) -> frozenset[str]:
        """Paths whose entry differs between two commits, all of `new`'s when `old` is None (cached:
        checks ask for the same pairs often)."""
        key = (old, new)
        found = self._changed.get(key)
        if found is None:
            found = self._changed[key] = self.repo.changed_paths(old, new)
        return found

    def footprint(self, into: str, base: str, name: str, tip: str) -> frozenset[str]:
        """Paths branch `name` (at `tip`) changed since its merge base with BASE (`into` at `base`).

        The one gate every use case passes its branches through before merging them (plan,
        check, integrate and its dry run), so none merges history it cannot merge safely: a
        merge base a shallow clone cut off (`ShallowHistory`, naming BASE and the branch, where
        merging against an empty base would bring back every file the branch deleted) and a
        path git refuses to check out (`InvalidEntry`: `..`, `.git`...) are user errors.
        """
        try:
            merge_base = self.repo.merge_base(base, tip)
        except ShallowHistory:
            raise ShallowHistory(into, name) from None
        # unrelated histories (old_commit None): every path of the branch is new
        paths = self.changed(merge_base, tip)
        bad = first_invalid_path(paths)
        if bad is not None:
            raise InvalidEntry(name, bad)
        return paths

    def settle(self, ours: str, theirs: str, labels: Labels) -> Settled:
        """Merge `theirs` into `ours` in memory and judge every conflicted or clashing file."""
        merge = merge_commits(self.repo, ours, theirs)
        files = [self._judge(conflict, labels) for conflict in merge.conflicts]
        candidates = merge.changed_on_both_sides(lambda path: profile_for(path) is not None)
        files += [v for v in (self._clash(c, labels) for c in candidates) if v is not None]
        files.sort(key=lambda f: f.path)
        return Settled(merge, Prediction(ours=ours, theirs=theirs, files=tuple(files)))

    def predict(self, ours: str, theirs: str, labels: Labels, base: str | None = None) -> Prediction:
        """The verdict on merging `theirs` into `ours` (their merge base `base` when known)."""
        if ours == theirs:
            return Prediction(ours, theirs, shortcut=Shortcut.SAME_COMMIT)
        if base is None:
            base = self.repo.merge_base(ours, theirs)
        if base == theirs:
            return Prediction(ours, theirs, shortcut=Shortcut.ALREADY_IN)
        if base == ours:
            return Prediction(ours, theirs, shortcut=Shortcut.FAST_FORWARD)
        if base is not None:
            ours_changed, theirs_changed = self.changed(base, ours), self.changed(base, theirs)
            if not ours_changed & theirs_changed and not _dir_file_clash(ours_changed, theirs_changed):
                # disjoint changes: git's merge is the union of both sides, and nothing can clash
                return Prediction(ours, theirs, shortcut=Shortcut.DISJOINT)
        return self.settle(ours, theirs, labels).prediction

    def _judge(self, conflict: Conflict, labels: Labels) -> FileVerdict:
        """Run the resolver on a content conflict; keep everything it cannot prove for a human."""
        if conflict.is_content and conflict.ours is not None and conflict.theirs is not None:
            base = conflict.base.data if conflict.base is not None else None
            answer = resolve_file(
                base,
                conflict.ours.data,
                conflict.theirs.data,
                conflict.path,
                labels=labels,
                backend=merge_texts,
            )
            if answer.clean:
                rule = answer.rule or LINE_MERGE_RULE
                return FileVerdict(
                    conflict.path,
                    Outcome.AUTO_RESOLVED,
                    conflict.kind,
                    conflict,
                    answer.merged,
                    rule,
                    answer.hunks,
                )
            return FileVerdict(
                conflict.path, Outcome.NEEDS_HUMAN, conflict.kind, conflict, answer.merged, hunks=answer.hunks
            )
        survivor = conflict.ours or conflict.theirs
        content = survivor.data if survivor is not None and survivor.path == conflict.path else None
        return FileVerdict(conflict.path, Outcome.NEEDS_HUMAN, conflict.kind, conflict, content)

    def _clash(self, candidate: Conflict, labels: Labels) -> FileVerdict | None:
        """A file git merged cleanly although both sides changed it: a human's when a key got two values."""
        if candidate.ours is None or candidate.theirs is None:
            return None
        base = candidate.base.data if candidate.base is not None else None
        answer = resolve_file(
            base,
            candidate.ours.data,
            candidate.theirs.data,
            candidate.path,
            labels=labels,
            backend=merge_texts,
        )
        if answer.clean:
            return None
        return FileVerdict(
            candidate.path,
            Outcome.NEEDS_HUMAN,
            ConflictKind.DUPLICATE_KEY,
            candidate,
            answer.merged,
            hunks=answer.hunks,
        )


def _dir_file_clash(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when one side's path is a directory prefix of the other's (a file/directory conflict)."""
    dirs_a = {p.rsplit("/", i)[0] for p in a for i in range(1, p.count("/") + 1)}
    dirs_b = {p.rsplit("/", i)[0] for p in b for i in range(1, p.count("/") + 1)}
    return bool(dirs_a & b) or bool(dirs_b & a)


ChangedPaths = Callable[[str, str], frozenset[str]]
"""A function giving the paths changed between two commits (`Merger.changed`)."""
