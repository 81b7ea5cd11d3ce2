"""plan, check, integrate --dry-run and integrate give one answer for the same merge (issue 10).

All four ask `mergekit.merging.Merger`; these tests hold them to it: the reproduction of the
issue (a YAML key added with two values at two places, which git merges cleanly) through the
command line's JSON, and randomized small histories through the use cases, pair by pair and
file by file (status and conflict kind).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

import pytest

from mergekit.app.check import CheckOptions, check_branches
from mergekit.app.integrate.abort import abort_run
from mergekit.app.integrate.run import integrate
from mergekit.app.integrate.types import IntegrateOptions, RunReport
from mergekit.app.plan import plan_branches
from mergekit.model import ConflictKind, Outcome, RunStatus
from tests.helpers.check import branch
from tests.helpers.cli import run, run_json
from tests.helpers.gitrepo import GitRepo

CONFIG = "config.yml"
BASE_CONFIG = "a: 1\nc: 3\nd: 4\ne: 5\n"


def _dup_key(repo: GitRepo) -> None:
    """The reproduction: x adds `b: 2` after `a`, y adds `b: 9` at the end (git merges it cleanly)."""
    repo.commit("base", {CONFIG: BASE_CONFIG})
    branch(repo, "x", {CONFIG: BASE_CONFIG.replace("a: 1\n", "a: 1\nb: 2\n")})
    branch(repo, "y", {CONFIG: BASE_CONFIG + "b: 9\n"})


def test_duplicate_key_needs_a_human_in_plan_check_dry_run_and_integrate(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _dup_key(repo)
    where = ("--into", "main", "-C", str(repo.path))
    wanted = [{"path": CONFIG, "kind": "duplicate-key"}]

    code, plan = run_json(capsys, "plan", "x", "y", *where, "--json")
    assert code == 0
    (pair,) = plan["pairs"]
    assert (pair["a"], pair["b"]) == ("x", "y")
    assert pair["human"] == [CONFIG] and pair["conflicts"] == [CONFIG] and pair["auto_resolvable"] == []
    second = plan["predicted"][1]
    assert plan["predicted"][0]["outcome"] == "clean"
    assert second["outcome"] == "needs_human" and second["conflicts"] == wanted
    # the order heuristic sees the conflict too
    assert [s["human_conflicts"] for s in plan["steps"]] == [1, 1]
    code, text, _ = run(capsys, "plan", "x", "y", *where)
    assert "x vs y: 1 shared; human: config.yml" in text and "merge cleanly" not in text

    code, check = run_json(capsys, "check", "x", "y", *where, "--format", "json")
    assert code == 1
    (xy,) = [p for p in check["pairs"] if not p["with_base"]]
    assert (
        xy["status"] == "needs_human"
        and [{"path": c["path"], "kind": c["kind"]} for c in xy["conflicts"]] == wanted
    )

    order = plan["order"]
    code, dry = run_json(capsys, "integrate", *order, *where, "--order", "given", "--dry-run", "--json")
    assert code == 1 and dry["status"] == "conflict" and dry["merged"] == order[:1]
    assert dry["conflicts"] == [{"branch": order[1], "path": CONFIG, "kind": "duplicate-key"}]

    code, real = run_json(capsys, "integrate", *order, *where, "--order", "given", "--json")
    assert code == 1 and real["status"] == "conflict" and real["merged"] == order[:1]
    assert real["conflicts"] == dry["conflicts"]
    assert "<<<<<<<" in (Path(real["worktree"]) / CONFIG).read_text()


# -- randomized histories ------------------------------------------------------------------------

FILES = {
    "config.yml": ("yaml", "{k}: {v}\n"),
    "src/index.ts": ("barrel", "export * from './{k}';\n"),
    "settings.json": ("json", None),
    "notes.txt": ("text", "{k} {v}\n"),
}
KEYS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
"""The keys BASE's files hold (four of them each)."""
NEW_KEYS = ["late", "extra"]
"""The keys branches add: few, so that two branches often add the same key (with the same or
another value, at the same place or elsewhere)."""


def _json_text(entries: list[tuple[str, int]]) -> str:
    body = ",\n".join(f'  "{k}": {v}' for k, v in entries)
    return "{\n" + body + "\n}\n"


def _render(path: str, entries: list[tuple[str, int]]) -> str:
    kind, line = FILES[path]
    if kind == "json":
        return _json_text(entries)
    assert line is not None
    return "".join(line.format(k=k, v=v) for k, v in entries)


def _edit(rng: random.Random, entries: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """One random change: add a new key somewhere, change an entry's value, or drop an entry."""
    out = list(entries)
    op = rng.random()
    fresh = [k for k in NEW_KEYS if k not in {key for key, _ in out}]
    if (op < 0.6 and fresh) or not out:
        out.insert(rng.randint(0, len(out)), (rng.choice(fresh or NEW_KEYS), rng.randint(1, 2)))
    elif op < 0.8:
        i = rng.randrange(len(out))
        out[i] = (out[i][0], out[i][1] + rng.randint(1, 2))
    else:
        del out[rng.randrange(len(out))]
    return out


def _history(repo: GitRepo, seed: int) -> list[str]:
    """BASE with every file, and three branches each changing one to three files (or deleting one)."""
    rng = random.Random(seed)
    base = {path: [(k, 0) for k in rng.sample(KEYS, 4)] for path in FILES}
    repo.commit("base", {path: _render(path, entries) for path, entries in base.items()})
    names = []
    for n in range(3):
        name = f"b{n}"
        files: dict[str, str] = {}
        removed: list[str] = []
        for path in rng.sample(sorted(FILES), rng.randint(2, 4)):
            if rng.random() < 0.08:
                removed.append(path)
                continue
            entries = base[path]
            for _ in range(rng.randint(1, 2)):
                entries = _edit(rng, entries)
            files[path] = _render(path, entries)
        repo.checkout(name, create=True, start="main")
        repo.commit(f"work on {name}", files, remove=removed)
        repo.checkout("main")
        names.append(name)
    return names


@dataclass(frozen=True)
class View:
    """One view's answer for merging b into a: the outcome and, per file, (outcome, kind)."""

    outcome: Outcome
    files: dict[str, tuple[Outcome, ConflictKind | None]]


def _run_view(report: RunReport, second: str) -> View:
    """What a run of [a, b] says about merging b (a merged cleanly first: it is built on BASE)."""
    files: dict[str, tuple[Outcome, ConflictKind | None]] = {}
    for auto in report.auto_resolved:
        assert auto.branch == second
        files[auto.path] = (Outcome.AUTO_RESOLVED, None)
    for conflict in report.conflicts:
        assert conflict.branch == second
        files[conflict.path] = (Outcome.NEEDS_HUMAN, conflict.kind)
    outcome = Outcome.worst([o for o, _ in files.values()])
    assert (outcome is Outcome.NEEDS_HUMAN) == (report.status is RunStatus.CONFLICT)
    return View(outcome, files)


SEEDS = range(8)


def test_the_random_histories_hold_every_kind_of_answer(tmp_path: Path, git_env: dict[str, str]) -> None:
    """The generator makes clean pairs, auto-resolutions, content conflicts, duplicate keys and
    modify/delete conflicts, so the agreement test below compares every kind of answer."""
    seen: set[tuple[Outcome, ConflictKind | None]] = set()
    for seed in SEEDS:
        repo = GitRepo.init(tmp_path / f"repo-{seed}", git_env)
        names = _history(repo, seed)
        check = check_branches(
            CheckOptions(cwd=repo.path, into="main", branches=tuple(names), collisions=False)
        )
        for pair in check.pairs:
            seen.add((pair.status, None))
            seen |= {(f.status, f.kind if f.status is Outcome.NEEDS_HUMAN else None) for f in pair.files}
    assert {
        (Outcome.CLEAN, None),
        (Outcome.AUTO_RESOLVED, None),
        (Outcome.NEEDS_HUMAN, ConflictKind.CONTENT),
        (Outcome.NEEDS_HUMAN, ConflictKind.DUPLICATE_KEY),
    } <= seen
    assert seen & {
        (Outcome.NEEDS_HUMAN, ConflictKind.MODIFY_DELETE),
        (Outcome.NEEDS_HUMAN, ConflictKind.DELETE_MODIFY),
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_check_dry_run_and_integrate_agree_on_random_histories(repo: GitRepo, seed: int) -> None:
    names = _history(repo, seed)
    check = check_branches(CheckOptions(cwd=repo.path, into="main", branches=tuple(names), collisions=False))
    checked = {
        (p.ours, p.theirs): View(p.status, {f.path: (f.status, f.kind) for f in p.files})
        for p in check.pairs
        if not p.with_base
    }
    matrix = {(p.a, p.b): p for p in plan_branches(repo.path, tuple(names), "main", predict=False).plan.pairs}
    for a, b in combinations(names, 2):
        by_check = checked[(a, b)]
        pair = matrix.get((a, b))
        by_matrix = {p: Outcome.AUTO_RESOLVED for p in pair.auto_resolvable} if pair else {}
        by_matrix |= {p: Outcome.NEEDS_HUMAN for p in pair.human} if pair else {}
        assert by_matrix == {p: o for p, (o, _) in by_check.files.items()}, (seed, a, b, "plan pair")

        planned = plan_branches(repo.path, (a, b), "main", order="given")
        step = planned.predicted[1]
        assert planned.predicted[0].outcome is Outcome.CLEAN
        files: dict[str, tuple[Outcome, ConflictKind | None]] = {
            x.path: (Outcome.AUTO_RESOLVED, None) for x in step.auto_resolved
        }
        files |= {c.path: (Outcome.NEEDS_HUMAN, c.kind) for c in step.conflicts}
        by_plan = View(step.outcome, files)

        opts = IntegrateOptions(cwd=repo.path, into="main", branches=(a, b), order="given")
        by_dry_run = _run_view(integrate(replace(opts, dry_run=True)), b)
        real = integrate(replace(opts, result_branch=f"int-{a}-{b}"))
        by_integrate = _run_view(real, b)
        if real.status is RunStatus.CONFLICT:
            abort_run(repo.path)

        # the resolver's rule is not compared: a check keeps kinds of auto-resolved files, runs keep rules
        kinds: dict[str, tuple[Outcome, ConflictKind | None]] = {
            p: (o, k if o is Outcome.NEEDS_HUMAN else None) for p, (o, k) in by_check.files.items()
        }
        check_view = View(by_check.outcome, kinds)
        assert by_plan == check_view, (seed, a, b, "plan predicted")
        assert by_dry_run == check_view, (seed, a, b, "dry run")
        assert by_integrate == check_view, (seed, a, b, "integrate")
