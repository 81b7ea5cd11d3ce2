"""Generate large benchmark repositories with `git fast-import`: a monorepo and many feature branches.

`main` holds FILES files in a nested monorepo tree (`packages/<pkg>/src/<area>/<module>/...`,
`services/...`, `docs/...`), plus four shared files every branch appends to: a barrel
(`src/index.ts`), a route registry (`src/routes/registry.ts`), `CHANGELOG.md` and `package.json`.
Each of BRANCHES feature branches (`feature/NN-<words>`) starts from main and touches about TOUCH
files in two commits: its own new files, appended functions in existing files (never a file another
branch modifies, so there is no genuine conflict), and one entry in each shared file (so every
merge after the first conflicts in plain git and needs a resolver).

Everything is derived from `--seed`, with fixed identities and dates: the same arguments always give
the same commit ids. fast-import writes the objects straight into a pack, so a 100k-file repository
with 20 branches takes seconds; checking out main's work tree is the slowest part (`--no-checkout`
skips it).

    python bench/genrepo.py OUT_DIR --files 20000 --branches 20 --touch 50 [--seed 0] [--no-checkout]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE = "main"
"""The generated repository's base branch."""
BARREL = "src/index.ts"
REGISTRY = "src/routes/registry.ts"
CHANGELOG = "CHANGELOG.md"
PACKAGE = "package.json"
SHARED_FILES = (BARREL, REGISTRY, CHANGELOG, PACKAGE)
"""The files every branch appends an entry to."""
EPOCH = 1_767_225_600
"""2026-01-01T00:00:00Z: the first commit's date; each later commit is one minute after."""
IDENT = "Bench Generator <bench@genrepo.example>"

WORDS = (
    "account",
    "alert",
    "api",
    "archive",
    "asset",
    "audit",
    "auth",
    "batch",
    "billing",
    "blob",
    "cache",
    "calendar",
    "cart",
    "catalog",
    "channel",
    "chart",
    "checkout",
    "client",
    "cluster",
    "comment",
    "config",
    "consent",
    "coupon",
    "cron",
    "dashboard",
    "device",
    "digest",
    "document",
    "email",
    "event",
    "export",
    "feed",
    "file",
    "filter",
    "flag",
    "gateway",
    "graph",
    "health",
    "history",
    "identity",
    "image",
    "import",
    "inbox",
    "index",
    "invite",
    "invoice",
    "job",
    "ledger",
    "limit",
    "locale",
    "log",
    "mail",
    "map",
    "media",
    "member",
    "message",
    "metric",
    "migration",
    "module",
    "notice",
    "order",
    "org",
    "page",
    "payment",
    "permission",
    "plan",
    "policy",
    "portal",
    "preference",
    "price",
    "profile",
    "project",
    "queue",
    "quota",
    "rate",
    "receipt",
    "refund",
    "report",
    "request",
    "role",
    "route",
    "rule",
    "schedule",
    "schema",
    "search",
    "session",
    "setting",
    "share",
    "shipment",
    "sitemap",
    "storage",
    "stream",
    "subscription",
    "support",
    "survey",
    "sync",
    "tag",
    "task",
    "team",
    "template",
    "tenant",
    "theme",
    "ticket",
    "token",
    "topic",
    "tracker",
    "upload",
    "usage",
    "user",
    "vault",
    "webhook",
    "widget",
    "workflow",
    "workspace",
)
"""Vocabulary for directory, file and identifier names."""

TOPS = ("packages", "services", "libs", "apps")


@dataclass
class GeneratedRepo:
    """What `generate` built: where, which branches, and how long it took."""

    path: Path
    """The repository's work tree (or its top directory, without a checkout)."""
    base: str
    """The base branch ("main")."""
    branches: list[str]
    """The feature branches, in creation order."""
    files: int
    """Number of files on main."""
    touch: int
    """Files each branch touches (new + modified + shared)."""
    seed: int
    """The seed everything was derived from."""
    shared_files: list[str] = field(default_factory=lambda: list(SHARED_FILES))
    """Files every branch appends an entry to (plain git conflicts on every pair)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each phase: generate (fast-import) and checkout."""

    def to_json(self) -> dict[str, object]:
        """A JSON-serializable view."""
        data = asdict(self)
        data["path"] = str(self.path)
        return data


def git_env() -> dict[str, str]:
    """The environment for git calls: no user or system configuration, no inherited GIT_* state."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="Bench Generator",
        GIT_AUTHOR_EMAIL="bench@genrepo.example",
        GIT_COMMITTER_NAME="Bench Generator",
        GIT_COMMITTER_EMAIL="bench@genrepo.example",
        GIT_AUTHOR_DATE=f"@{EPOCH} +0000",
        GIT_COMMITTER_DATE=f"@{EPOCH} +0000",
        LC_ALL="C",
    )
    return env


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=git_env(), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


# --- the tree ---------------------------------------------------------------------------------


def _name(rng: random.Random, parts: int = 2) -> str:
    return "-".join(rng.choice(WORDS) for _ in range(parts))


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(p.capitalize() for p in rest)


def layout(files: int, rng: random.Random) -> list[str]:
    """`files` distinct paths in a nested monorepo tree (sorted), excluding the shared files."""
    paths: list[str] = []
    seen: set[str] = set()
    while len(paths) < files:
        top = rng.choice(TOPS)
        pkg = _name(rng)
        for area in ("src", "src", "tests", "docs"):
            for _ in range(rng.randint(2, 5)):
                module = f"{top}/{pkg}/{area}/{_name(rng, 1)}/{_name(rng, 1)}"
                for _ in range(rng.randint(8, 30)):
                    stem = _name(rng)
                    ext = (
                        ".md"
                        if area == "docs"
                        else ".test.ts"
                        if area == "tests"
                        else rng.choice((".ts", ".ts", ".ts", ".tsx", ".json"))
                    )
                    path = f"{module}/{stem}{ext}"
                    if path not in seen:
                        seen.add(path)
                        paths.append(path)
                        if len(paths) == files:
                            return sorted(paths)
    return sorted(paths)


def content(path: str, index: int) -> str:
    """The deterministic content of `path` on main (its index makes every blob distinct)."""
    stem = path.rsplit("/", 1)[-1].split(".", 1)[0]
    ident = _camel(stem)
    if path.endswith(".md"):
        return f"# {stem}\n\nNotes for {path} (#{index}).\n\n- owner: team-{index % 37}\n- status: stable\n"
    if path.endswith(".json"):
        return json.dumps({"name": stem, "id": index, "enabled": index % 3 == 0}, indent=2) + "\n"
    lines = [
        f"// {path}",
        f"import {{ logger }} from '../../lib/log-{index % 11}';",
        "",
        f"export const {ident}Id = {index};",
        "",
    ]
    for k in range(index % 4 + 2):
        lines += [
            f"export function {ident}Step{k}(input: number): number {{",
            f"  logger.debug('{ident} step {k}', input);",
            f"  return input * {k + 2} + {index % 97};",
            "}",
            "",
        ]
    return "\n".join(lines)


def render_barrel(entries: list[str]) -> str:
    """`src/index.ts`: one `export * from` per module."""
    return "".join(f"export * from '{e}';\n" for e in entries)


def render_registry(names: list[str]) -> str:
    """`src/routes/registry.ts`: imports, then one `registry.register(...)` per route."""
    # A branch's route starts with its number ("01-audit-user"): identifiers must not.
    idents = {n: _camel(n) if not n[:1].isdigit() else "route" + _camel(n) for n in names}
    imports = "".join(f"import {{ {idents[n]}Handler }} from './{n}';\n" for n in names)
    regs = "".join(f"registry.register('/{n}', {idents[n]}Handler);\n" for n in names)
    head = "import { Registry } from './registry-core';\n\n"
    return f"{head}{imports}\nexport const registry = new Registry();\n\n{regs}"


def render_changelog(bullets: list[str]) -> str:
    """`CHANGELOG.md` with the bullets under `## Unreleased`."""
    items = "".join(f"- {b}\n" for b in bullets)
    return f"# Changelog\n\n## Unreleased\n\n{items}\n## 1.0.0 - 2025-12-01\n\n- First release.\n"


def render_package(deps: dict[str, str]) -> str:
    """`package.json` with sorted dependencies."""
    manifest = {
        "name": "monorepo",
        "private": True,
        "version": "1.0.0",
        "dependencies": dict(sorted(deps.items())),
    }
    return json.dumps(manifest, indent=2) + "\n"


# --- fast-import stream -----------------------------------------------------------------------


class Stream:
    """Builds a fast-import command stream in memory chunks and feeds it to a process."""

    def __init__(self, sink: subprocess.Popen[bytes]) -> None:
        self.sink = sink
        self.buffer: list[bytes] = []
        self.size = 0
        self.commits = 0

    def emit(self, data: bytes) -> None:
        """Queue bytes; flush to fast-import every few megabytes."""
        self.buffer.append(data)
        self.size += len(data)
        if self.size > 4 << 20:
            self.flush()

    def flush(self) -> None:
        """Write the queued bytes to fast-import's stdin."""
        assert self.sink.stdin is not None
        self.sink.stdin.write(b"".join(self.buffer))
        self.buffer.clear()
        self.size = 0

    def commit(self, ref: str, message: str, parent: str | None, files: Iterator[tuple[str, str]]) -> str:
        """Emit a commit on `ref` (from `parent`, a mark or None) writing `files`; return its mark."""
        self.commits += 1
        mark = f":{self.commits}"
        when = EPOCH + 60 * self.commits
        msg = message.encode()
        head = f"commit {ref}\nmark {mark}\nauthor {IDENT} {when} +0000\ncommitter {IDENT} {when} +0000\n"
        self.emit(head.encode() + b"data %d\n" % len(msg) + msg + b"\n")
        if parent is not None:
            self.emit(f"from {parent}\n".encode())
        for path, text in files:
            blob = text.encode()
            self.emit(b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(blob) + blob + b"\n")
        self.emit(b"\n")
        return mark


@dataclass
class _Branch:
    name: str
    slug: str
    home: str
    new_files: list[str]
    modified: list[int]


def plan_branches(paths: list[str], branches: int, touch: int, rng: random.Random) -> list[_Branch]:
    """Choose, for each branch, its new files and the (disjoint) existing files it modifies."""
    own = max(touch - len(SHARED_FILES), 2)
    n_new = own * 2 // 5
    n_mod = own - n_new
    ts_files = [i for i, p in enumerate(paths) if p.endswith(".ts") and "/src/" in p]
    modified = rng.sample(ts_files, min(len(ts_files), n_mod * branches))
    packages = sorted({"/".join(p.split("/")[:2]) for p in paths})
    result = []
    for b in range(branches):
        slug = f"{b + 1:02d}-{_name(rng)}"
        home = f"{rng.choice(packages)}/src/features/{slug}"
        new = [f"{home}/{_name(rng)}-{k}.ts" for k in range(n_new)]
        result.append(
            _Branch(f"feature/{slug}", slug, home, new, sorted(modified[b * n_mod : (b + 1) * n_mod]))
        )
    return result


def generate(
    out: Path, *, files: int, branches: int, touch: int = 50, seed: int = 0, checkout: bool = True
) -> GeneratedRepo:
    """Generate the repository at `out` (which must not exist or be empty) and return its description."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    if files < len(SHARED_FILES) + 10 or branches < 0 or touch < 1:
        raise ValueError("need files >= 14, branches >= 0, touch >= 1")
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    _git(out, "-c", f"init.defaultBranch={BASE}", "init", "-q")
    rng = random.Random(seed)
    paths = layout(files - len(SHARED_FILES), rng)
    plans = plan_branches(paths, branches, touch, rng)
    modified = {i for p in plans for i in p.modified}
    originals: dict[int, str] = {}

    base_barrel = [
        f"./{'/'.join(p.split('/')[:2])}" for p in sorted({"/".join(p.split("/")[:2]) for p in paths})
    ]
    base_barrel = base_barrel[:300]
    base_routes = sorted({_name(rng) for _ in range(40)})
    base_bullets = ["Search results load twice as fast.", "Fix the date picker on Safari."]
    base_deps = {"express": "^4.19.2", "pg": "^8.12.0", "typescript": "^5.5.3", "zod": "^3.23.8"}

    def main_files() -> Iterator[tuple[str, str]]:
        for i, path in enumerate(paths):
            text = content(path, i)
            if i in modified:
                originals[i] = text
            yield path, text
        yield BARREL, render_barrel(base_barrel)
        yield REGISTRY, render_registry(base_routes)
        yield CHANGELOG, render_changelog(base_bullets)
        yield PACKAGE, render_package(base_deps)

    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=out,
        env=git_env(),
        stdin=subprocess.PIPE,
    )
    stream = Stream(proc)
    main_mark = stream.commit(f"refs/heads/{BASE}", "Monorepo at 1.0.0\n", None, main_files())
    for plan in plans:
        ref = f"refs/heads/{plan.name}"
        ident = _camel(plan.slug.split("-", 1)[1])

        def own_files(plan: _Branch = plan, ident: str = ident) -> Iterator[tuple[str, str]]:
            for k, path in enumerate(plan.new_files):
                yield (
                    path,
                    (
                        f"// {plan.name}\nexport function {ident}Part{k}(x: number): number {{\n"
                        f"  return x + {k};\n}}\n"
                    ),
                )
            for i in plan.modified:
                yield (
                    paths[i],
                    originals[i]
                    + (
                        f"\n// Added by {plan.name}\nexport function {ident}Hook(input: number): number {{\n"
                        "  return input;\n}\n"
                    ),
                )

        mark = stream.commit(ref, f"{plan.name}: feature code\n", main_mark, own_files())
        deps = {**base_deps, f"@acme/{plan.slug}": "^1.0.0"}
        shared = iter(
            [
                (BARREL, render_barrel([*base_barrel, f"./{plan.home}"])),
                (REGISTRY, render_registry([*base_routes, plan.slug])),
                (CHANGELOG, render_changelog([*base_bullets, f"{plan.name}: new feature."])),
                (PACKAGE, render_package(deps)),
            ]
        )
        stream.commit(ref, f"{plan.name}: register\n", mark, shared)
    stream.emit(b"done\n")
    stream.flush()
    assert proc.stdin is not None
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    generated = time.perf_counter()
    seconds = {"generate": round(generated - started, 3)}
    if checkout:
        _git(out, "checkout", "-q", "-f", BASE)
        seconds["checkout"] = round(time.perf_counter() - generated, 3)
    else:
        _git(out, "symbolic-ref", "HEAD", f"refs/heads/{BASE}")
    return GeneratedRepo(
        path=out,
        base=BASE,
        branches=[p.name for p in plans],
        files=files,
        touch=len(plans[0].new_files) + len(plans[0].modified) + len(SHARED_FILES) if plans else 0,
        seed=seed,
        seconds=seconds,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a repository and print its description as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="directory to create (must not exist or be empty)")
    parser.add_argument("--files", type=int, default=20_000, help="files on main (default 20000)")
    parser.add_argument("--branches", type=int, default=20, help="feature branches (default 20)")
    parser.add_argument("--touch", type=int, default=50, help="files each branch touches (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--no-checkout", action="store_true", help="do not check out main's work tree")
    args = parser.parse_args(argv)
    try:
        repo = generate(
            args.out,
            files=args.files,
            branches=args.branches,
            touch=args.touch,
            seed=args.seed,
            checkout=not args.no_checkout,
        )
    except (FileExistsError, ValueError) as error:
        print(f"genrepo: {error}", file=sys.stderr)
        return 2
    json.dump(repo.to_json(), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
