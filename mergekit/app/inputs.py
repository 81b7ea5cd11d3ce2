"""Before planning: turn the arguments into tips (patch files made commits), find branches built on
the wrong base, and — with `--rebase-stale` — replay them onto the right base in memory.

One call for integrate, plan and check, so the three see the same inputs and the same findings.
`Prepared` also gives the typed rows a run records for patches that do not apply (they are
reported like a conflicting branch: which files, which hunks) and for the wrong-base findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mergekit.app.patches import Expand, PatchInput, UnappliedPatch, describe_unapplied, gather_inputs
from mergekit.app.wrongbase import Rebased, base_findings, rebase_findings
from mergekit.merging import Merger
from mergekit.model import ConflictKind, HumanConflict, Skipped, SkipReason, WrongBase
from mergekit.workflow.wrongbase import DEFAULT_STALE_AFTER, BaseFinding


@dataclass
class Prepared:
    """The inputs of a run, plan or check, and what is wrong with their bases."""

    tips: list[tuple[str, str]] = field(default_factory=list)
    """(name, tip) of every branch and applied patch, in argument order (replayed tips swapped in)."""
    patches: list[PatchInput] = field(default_factory=list)
    """Patch inputs made into commits."""
    unapplied: list[UnappliedPatch] = field(default_factory=list)
    """Patch inputs that do not apply (left out, reported)."""
    findings: list[BaseFinding] = field(default_factory=list)
    """Branches built on the wrong base."""
    rebased: list[Rebased] = field(default_factory=list)
    """What `--rebase-stale` did."""
    notes: list[str] = field(default_factory=list)
    """Lines for people: where patches were applied, what was rebased."""

    def wrong_base(self) -> list[WrongBase]:
        """`base_findings` of the reports: one row per finding, with its fix."""
        done = {r.branch for r in self.rebased if r.tip is not None}
        return [
            WrongBase(
                branch=f.branch,
                kind=f.kind,
                detail=f.detail,
                files=f.files,
                fix=f.fix,
                onto=f.onto_name,
                rebased=f.branch in done,
            )
            for f in self.findings
        ]

    def skipped_rows(self) -> list[Skipped]:
        """`skipped` rows of a run for the patches that do not apply."""
        return [
            Skipped(p.name, SkipReason.PATCH, tuple(p.paths), describe_unapplied(p)) for p in self.unapplied
        ]

    def conflict_rows(self) -> list[HumanConflict]:
        """`conflicts` rows of a run for the patches that do not apply (one per file)."""
        rows = []
        for patch in self.unapplied:
            for f in patch.files:
                hunks = ", ".join(h.header for h in f.hunks)
                detail = f.reason + (f": {hunks}" if hunks else "")
                rows.append(HumanConflict(patch.name, f.path, ConflictKind.PATCH, detail))
        return rows


def prepare_inputs(
    merger: Merger,
    base_name: str,
    base_commit: str,
    args: Sequence[str],
    cwd: Path,
    expand: Expand,
    stale_after: int = DEFAULT_STALE_AFTER,
    rebase_stale: bool = False,
) -> Prepared:
    """Tips, patch outcomes and base findings for `args` (see the module docstring).

    Patch commits and replayed commits are written into `merger.repo` (a scratch view writes
    nothing); replays settle their conflicts through `merger`.
    """
    repo = merger.repo
    found = gather_inputs(repo, base_commit, args, cwd, expand)
    prepared = Prepared(tips=found.tips, patches=found.patches, unapplied=found.unapplied)
    for patch in found.patches:
        where = "where it was made" if patch.made_on == "origin" else f"onto {base_name}"
        line = f"patch {patch.name}: {patch.commits} commit(s) applied {where} ({patch.onto[:12]})"
        if patch.three_way:
            line += f"; three-way merge for {', '.join(patch.three_way)}"
        prepared.notes.append(line)
    prepared.notes += [describe_unapplied(u) for u in found.unapplied]
    prepared.findings = base_findings(repo, base_name, base_commit, found.tips, stale_after)
    if rebase_stale and prepared.findings:
        prepared.tips, prepared.rebased = rebase_findings(merger, prepared.findings, found.tips)
        prepared.notes += [r.note for r in prepared.rebased]
    return prepared
