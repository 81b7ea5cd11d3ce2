"""Replaying history: what would mergekit have done on merges people already resolved?

Two sources of cases: the two-parent merge commits of a repository (recomputed in memory,
nothing written), or a folder of case folders (base/ours/theirs/resolved + meta.json, the
layout of `../shared/corpus`). Each conflicted file is run through the resolver and compared
with what the person committed: identical, same lines modulo whitespace, same lines in another
order, *different* (a clean result that is not what the human committed: the dangerous bucket),
left to a human (conflict), or crashed/timed out.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from mergekit.app.progress import Progress, tick
from mergekit.errors import MergekitError
from mergekit.model import ReplayOutcome
from mergekit.resolve import FileResolution, Labels, line_merge, resolve_file
from mergekit.resolve.linemerge import LineMerger
from mergekit.resolve.markers import Block, parse

OUTCOMES = tuple(ReplayOutcome)
"""Buckets, best first; `different` is a clean result that differs from the human's lines."""
CATEGORIES = ("barrel", "registry", "init", "imports", "manifest", "lockfile", "changelog", "keyset", "other")
"""Heuristic file categories (from the path and the conflicting lines)."""
SLOW_SECONDS = 30.0
"""A file whose resolution takes longer than this counts as timed out."""

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class CaseResult:
    """The resolver's outcome on one conflicted file, compared with the human's resolution."""

    case: str
    """Case id: `<merge>:<path>` for history, the folder name for case folders."""
    path: str
    """The file's path in its repository."""
    category: str
    """One of `CATEGORIES`."""
    ext: str
    """File extension (with the dot) or `(none)`."""
    outcome: ReplayOutcome
    """The bucket."""
    rule: str | None
    """The resolver's rule when it resolved the file."""
    seconds: float
    """Time spent in the resolver."""
    shape: str | None = None
    """The case's shape from meta.json (insert/extend/modify), when known."""


@dataclass
class ReplayReport:
    """All case results plus what was looked at and left out."""

    results: list[CaseResult] = field(default_factory=list)
    merges_seen: int = 0
    """Merge commits examined (history replay)."""
    merges_with_conflicts: int = 0
    """Of those, merges where git would have stopped with a content conflict."""
    left_out: int = 0
    """Conflicted files left out because the human also changed lines outside the conflicts."""
    missing_parents: int = 0
    """Merges skipped because a parent is not in the clone."""
    missing_base: int = 0
    """Merges skipped because a shallow clone cut off their parents' merge base."""
    shallow: bool = False
    """True when the repository is a shallow clone (older merges are missing)."""
    source: str = ""
    """What was replayed (range or folder)."""

    from_cases: bool = False
    """True when case folders were scored (not a repository's history)."""

    def counts(self, key: str | None = None) -> dict[str, Counter[ReplayOutcome]]:
        """Outcome counts grouped by `key` (a CaseResult field), plus `TOTAL`."""
        groups: dict[str, Counter[ReplayOutcome]] = {}
        for r in self.results:
            if key is not None:
                groups.setdefault(str(getattr(r, key)), Counter())[r.outcome] += 1
            groups.setdefault("TOTAL", Counter())[r.outcome] += 1
        return groups


# -- comparing with the human ---------------------------------------------------------------


def _norm_ws(data: bytes) -> bytes:
    lines = [line.rstrip() for line in data.replace(b"\r\n", b"\n").split(b"\n")]
    while lines and not lines[-1]:
        lines.pop()
    return b"\n".join(lines)


def classify(result: FileResolution | None, human: bytes) -> ReplayOutcome:
    """The bucket of a resolver result against the human's file (None result = crash)."""
    if result is None:
        return ReplayOutcome.CRASH
    if not result.clean:
        return ReplayOutcome.CONFLICT
    if result.merged == human:
        return ReplayOutcome.IDENTICAL
    mine, theirs = _norm_ws(result.merged), _norm_ws(human)
    if mine == theirs:
        return ReplayOutcome.WHITESPACE
    if sorted(line for line in mine.split(b"\n") if line.strip()) == sorted(
        line for line in theirs.split(b"\n") if line.strip()
    ):
        return ReplayOutcome.REORDERED
    return ReplayOutcome.DIFFERENT


_WIDE = 31
"""Marker size for finding git's conflict regions: long enough never to meet a marker in the files."""


def _stable(merged: bytes) -> list[bytes]:
    """The text outside the conflict blocks of `merged` (markers of `_WIDE`): one chunk before,
    between and after the blocks."""
    chunks: list[bytes] = [b""]
    for part in parse(merged, _WIDE):
        if isinstance(part, Block):
            chunks.append(b"")
        else:
            chunks[-1] += part
    return chunks


def confined(base: bytes, ours: bytes, theirs: bytes, human: bytes) -> bool:
    """True when the human changed nothing outside git's conflict regions.

    Only such cases can be reproduced by any merge tool; the others are left out and counted.
    """
    stable = _stable(line_merge(base, ours, theirs, marker_size=_WIDE, line_merger=_line_merger()).merged)
    if not human.startswith(stable[0]) or not human.endswith(stable[-1]):
        return False
    at = len(stable[0])
    limit = len(human) - len(stable[-1])
    for chunk in stable[1:-1]:
        found = human.find(chunk, at, limit)
        if found < 0:
            return False
        at = found + len(chunk)
    return at <= limit


def category(path: str, conflict_lines: Iterable[bytes] = ()) -> str:
    """A heuristic category from the path and the lines in conflict."""
    name = path.rsplit("/", 1)[-1].lower()
    stem = name.split(".")[0]
    if name.endswith(".lock") or name in ("package-lock.json", "pnpm-lock.yaml", "go.sum", "yarn.lock"):
        return "lockfile"
    if (
        stem in ("changelog", "changes", "history", "news", "release-notes", "releases")
        or "changelog" in path.lower()
    ):
        return "changelog"
    if name in (
        "package.json",
        "cargo.toml",
        "go.mod",
        "pyproject.toml",
        "setup.cfg",
        "setup.py",
        "gemfile",
        "composer.json",
        "pom.xml",
        "build.gradle",
        "deno.json",
    ) or name.startswith("requirements"):
        return "manifest"
    if name == "__init__.py":
        return "init"
    if stem in ("index", "mod", "lib", "main") and name.rsplit(".", 1)[-1] in (
        "ts",
        "tsx",
        "js",
        "mjs",
        "rs",
    ):
        lines = [line.strip() for line in conflict_lines if line.strip()]
        if lines and all(re.match(rb"(export|import|pub mod|mod|pub use|use)\b", line) for line in lines):
            return "barrel"
    if re.search(r"(^|/)(urls|routes?|router|registry|registries)(\.|/|$)", path.lower()):
        return "registry"
    lines = [line.strip() for line in conflict_lines if line.strip()]
    if lines and all(
        re.match(rb"(import|from|use|#include|require|const \w+ = require)\b", line) for line in lines
    ):
        return "imports"
    if name.rsplit(".", 1)[-1] in ("json", "yaml", "yml", "toml"):
        return "keyset"
    return "other"


def _conflict_lines(base: bytes, ours: bytes, theirs: bytes) -> list[bytes]:
    """The lines of ours and theirs inside git's conflict regions (without line ends)."""
    merged = line_merge(base, ours, theirs, marker_size=_WIDE, line_merger=_line_merger()).merged
    return [
        line.rstrip(b"\n")
        for part in parse(merged, _WIDE)
        if isinstance(part, Block)
        for line in (*part.ours, *part.theirs)
    ]


def score(
    base: bytes, ours: bytes, theirs: bytes, human: bytes, path: str
) -> tuple[ReplayOutcome, str | None, float]:
    """Run the resolver on one file and bucket the result: (outcome, rule, seconds)."""
    start = time.perf_counter()
    try:
        result: FileResolution | None = resolve_file(
            base, ours, theirs, path, labels=Labels(), line_merger=_line_merger()
        )
    except Exception:  # a crash is an outcome here, not a reason to stop the replay
        result = None
    seconds = time.perf_counter() - start
    outcome = ReplayOutcome.TIMEOUT if seconds > SLOW_SECONDS else classify(result, human)
    return outcome, (result.rule if result is not None else None), seconds


def _line_merger() -> LineMerger:
    """libgit2's in-process line merge (same output as `git merge-file` in the merge style)."""
    from mergekit.engine.linemerge import merge_texts

    return merge_texts


# -- case folders ---------------------------------------------------------------------------


def find_cases(root: Path) -> list[Path]:
    """Case folders (holding meta.json) under `root`, sorted."""
    if (root / "meta.json").is_file():
        return [root]
    if not root.is_dir():
        raise MergekitError(f"{root} is not a folder of cases: pass a folder containing */meta.json")
    cases = sorted(p.parent for p in root.rglob("meta.json"))
    if not cases:
        raise MergekitError(f"no case folders (meta.json) under {root}")
    return cases


def score_case_folder(folder: Path) -> CaseResult:
    """Score one case folder in the corpus layout."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    ext = meta.get("ext", "")
    files = {n: (folder / f"{n}{ext}").read_bytes() for n in ("base", "ours", "theirs", "resolved")}
    outcome, rule, seconds = score(
        files["base"], files["ours"], files["theirs"], files["resolved"], meta["path"]
    )
    return CaseResult(
        case=str(meta.get("case_id", folder.name)),
        path=meta["path"],
        category=meta.get("category") or category(meta["path"]),
        ext=ext or "(none)",
        outcome=outcome,
        rule=rule,
        seconds=round(seconds, 4),
        shape=meta.get("shape"),
    )


def replay_cases(root: Path, jobs: int = 1, progress: Progress | None = None) -> ReplayReport:
    """Score every case folder under `root`."""
    folders = find_cases(root)
    report = ReplayReport(source=str(root), from_cases=True)
    report.results = list(_map(score_case_folder, folders, jobs, progress))
    return report


# -- history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MergeOutcome:
    """What one merge commit contributed (computed in a worker process)."""

    conflicted: bool
    results: list[CaseResult]
    left_out: int
    exported: list[dict[str, object]]
    missing_base: bool = False


def _replay_merge(args: tuple[str, str, str, str, str, str | None]) -> _MergeOutcome:
    """Recompute one merge in a scratch view and score its conflicted files."""
    from mergekit.engine import ShallowHistory, merge_commits, open_repo

    repo_path, oid, ours, theirs, subject, export = args
    repo = open_repo(repo_path)
    results: list[CaseResult] = []
    exported: list[dict[str, object]] = []
    left_out = 0
    with repo.scratch() as scratch:
        try:
            merge = merge_commits(scratch, ours, theirs)
        except ShallowHistory:  # the merge base is cut off: recomputing it would be a guess
            return _MergeOutcome(False, [], 0, [], missing_base=True)
        conflicts = [
            c for c in merge.conflicts if c.is_content and c.ours is not None and c.theirs is not None
        ]
        for conflict in conflicts:
            assert conflict.ours is not None and conflict.theirs is not None
            human = repo.read_path(oid, conflict.path)
            if human is None:
                left_out += 1
                continue
            base = conflict.base.data if conflict.base is not None else b""
            o, t = conflict.ours.data, conflict.theirs.data
            if b"\0" in o + t + base or not confined(base, o, t, human):
                left_out += 1
                continue
            outcome, rule, seconds = score(base, o, t, human, conflict.path)
            ext = os.path.splitext(conflict.path)[1]
            cat = category(conflict.path, _conflict_lines(base, o, t))
            case_id = f"{oid[:12]}-{conflict.path.replace('/', '_')}"
            results.append(
                CaseResult(
                    f"{oid[:12]}:{conflict.path}",
                    conflict.path,
                    cat,
                    ext or "(none)",
                    outcome,
                    rule,
                    round(seconds, 4),
                )
            )
            if export:
                exported.append(
                    {
                        "case_id": case_id,
                        "path": conflict.path,
                        "ext": ext,
                        "category": cat,
                        "merge_commit": oid,
                        "parents": [ours, theirs],
                        "merge_subject": subject,
                        "files": {"base": base, "ours": o, "theirs": t, "resolved": human},
                    }
                )
    return _MergeOutcome(bool(conflicts), results, left_out, exported)


def replay_history(
    cwd: Path,
    rev_range: str | None = None,
    since: int | None = None,
    max_merges: int | None = None,
    jobs: int = 1,
    export: Path | None = None,
    progress: Progress | None = None,
) -> ReplayReport:
    """Recompute the merges of the repository at `cwd` and score every conflicted file."""
    from mergekit.engine import open_repo
    from mergekit.engine.history import merge_commits_in, parse_range

    repo = open_repo(cwd)
    tip, hide = parse_range(repo, rev_range)
    merges, missing = merge_commits_in(repo, tip, hide, since, max_merges)
    report = ReplayReport(source=rev_range or "HEAD", missing_parents=missing, shallow=repo.is_shallow)
    report.merges_seen = len(merges)
    path = str(repo.workdir or repo.git_dir)
    tasks = [(path, m.oid, m.ours, m.theirs, m.subject, str(export) if export else None) for m in merges]
    for outcome in _map(_replay_merge, tasks, jobs, progress):
        report.merges_with_conflicts += outcome.conflicted
        report.left_out += outcome.left_out
        report.missing_base += outcome.missing_base
        report.results.extend(outcome.results)
        if export is not None:
            for case in outcome.exported:
                _write_case(export, case)
    return report


def _write_case(root: Path, case: dict[str, object]) -> None:
    """Write one case folder in the corpus layout."""
    folder = root / str(case["case_id"])
    folder.mkdir(parents=True, exist_ok=True)
    files = case.pop("files")
    assert isinstance(files, dict)
    for name, data in files.items():
        (folder / f"{name}{case['ext']}").write_bytes(data)
    (folder / "meta.json").write_text(json.dumps(case, indent=2) + "\n", encoding="utf-8")


def _map(fn: Callable[[T], R], items: list[T], jobs: int, progress: Progress | None) -> Iterator[R]:
    """`map` in `jobs` processes, reporting progress; results in input order."""
    total = len(items)
    if jobs <= 1 or total < 2:
        for n, item in enumerate(items, 1):
            yield fn(item)
            tick(progress, n, total)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for n, result in enumerate(pool.map(fn, items, chunksize=max(1, total // (jobs * 8))), 1):
            yield result
            tick(progress, n, total)
