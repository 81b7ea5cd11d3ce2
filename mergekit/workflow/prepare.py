"""Before planning: turn the arguments into tips (patch files made commits), find branches built on
the wrong base, and — with `--rebase-stale` — replay them onto the right base in memory.

One call for integrate, plan and check, so the three see the same inputs and the same findings.
`Prepared` also gives the rows the run report and the check report take for patches that do
not apply (they are reported like a conflicting branch: which files, which hunks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mergekit.engine import Repo
from mergekit.workflow.basecheck import Rebased, base_findings, rebase_findings
from mergekit.workflow.inputs import Expand, PatchInput, UnappliedPatch, describe_unapplied, gather_inputs
from mergekit.workflow.wrongbase import DEFAULT_STALE_AFTER, BaseFinding

PATCH_KIND = "patch does not apply"
"""The conflict kind (and skip reason detail) reported for a patch input that does not apply."""


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

    def findings_json(self) -> list[dict[str, Any]]:
        """`base_findings` of the JSON contract: `{branch, kind, detail}` and the fix."""
        done = {r.branch for r in self.rebased if r.tip is not None}
        return [finding_json(f, rebased=f.branch in done) for f in self.findings]

    def skipped_rows(self) -> list[dict[str, Any]]:
        """`skipped` rows of a run for the patches that do not apply."""
        return [
            {"branch": p.name, "reason": PATCH_KIND, "paths": p.paths, "detail": describe_unapplied(p)}
            for p in self.unapplied
        ]

    def conflict_rows(self) -> list[dict[str, str]]:
        """`conflicts` rows of a run for the patches that do not apply (one per file)."""
        rows = []
        for patch in self.unapplied:
            for f in patch.files:
                hunks = ", ".join(h.header for h in f.hunks)
                detail = f.reason + (f": {hunks}" if hunks else "")
                rows.append({"branch": patch.name, "path": f.path, "kind": PATCH_KIND, "detail": detail})
        return rows

    def patches_json(self) -> list[dict[str, Any]]:
        """The patch inputs: where each was applied, or why it was not."""
        rows: list[dict[str, Any]] = [
            {
                "name": p.name,
                "applied": True,
                "tip": p.tip,
                "onto": p.onto,
                "made_on": p.made_on,
                "commits": p.commits,
                "three_way": list(p.three_way),
            }
            for p in self.patches
        ]
        for u in self.unapplied:
            rows.append(
                {
                    "name": u.name,
                    "applied": False,
                    "commit": u.commit,
                    "files": [
                        {
                            "path": f.path,
                            "reason": f.reason,
                            "hunks": [
                                {
                                    "header": h.header,
                                    "old_start": h.old_start,
                                    "old_lines": h.old_lines,
                                    "new_start": h.new_start,
                                    "new_lines": h.new_lines,
                                }
                                for h in f.hunks
                            ],
                        }
                        for f in u.files
                    ],
                }
            )
        return rows


def finding_json(finding: BaseFinding, rebased: bool = False) -> dict[str, Any]:
    """One base finding as a JSON object."""
    return {
        "branch": finding.branch,
        "kind": finding.kind,
        "detail": finding.detail,
        "files": list(finding.files),
        "fix": finding.fix,
        "onto": finding.onto_name,
        "rebased": rebased,
    }


def prepare_inputs(
    repo: Repo,
    base_name: str,
    base_commit: str,
    args: Sequence[str],
    cwd: Path,
    expand: Expand,
    stale_after: int = DEFAULT_STALE_AFTER,
    rebase_stale: bool = False,
) -> Prepared:
    """Tips, patch outcomes and base findings for `args` (see the module docstring).

    Patch commits and replayed commits are written into `repo` (a scratch view writes nothing).
    """
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
        prepared.tips, prepared.rebased = rebase_findings(repo, prepared.findings, found.tips)
        prepared.notes += [r.note for r in prepared.rebased]
    return prepared
