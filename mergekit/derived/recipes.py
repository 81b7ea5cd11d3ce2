"""The built-in recipes: which tool regenerates which lockfile from which manifests, and how.

Each lockfile recipe is used only when its lockfile is in the merged tree and its tool is on
PATH. Commands run through the shell in the lockfile's directory (the workspace root) and are
tried in order until one succeeds: offline first where the tool has an offline mode, then
allowing the network; none of them runs the packages' install scripts.

Standard library only: the merge driver imports `lockfile_recipe` on its fast path.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from mergekit.derived.lockfiles import LOCKFILE_NAMES, UNIONED_AS_LINES

KIND_LOCKFILE = "lockfile"
"""A recipe that regenerates one lockfile per workspace root from the manifests below it."""
KIND_MIGRATIONS = "migrations"
"""The Django recipe: a merge migration when both sides added migrations to the same app."""
KIND_FILES = "files"
"""A derived-file rule the user declared (`[derived.files]`): paths → command."""


@dataclass(frozen=True)
class Recipe:
    """How one derived file is regenerated."""

    name: str
    """The recipe's name in `.mergekit.toml` and in reports (`npm`, `cargo`...)."""
    title: str
    """What people call it (`npm`, `yarn berry`, `Django migrations`)."""
    kind: str
    """`KIND_LOCKFILE`, `KIND_MIGRATIONS` or `KIND_FILES`."""
    outputs: tuple[str, ...]
    """Lockfile recipes: the lockfile's file name; files rules: the derived paths (globs)."""
    inputs: tuple[str, ...]
    """Lockfile recipes: manifest file names below the workspace root; files rules: path globs."""
    commands: tuple[str, ...]
    """Shell commands tried in order until one exits 0."""
    enabled: bool = True
    """Used unless the configuration turns it off (Django: off unless turned on)."""
    lock_marker: str | None = None
    """A line start the lockfile must contain for this recipe (yarn berry: `__metadata:`)."""
    lock_without: str | None = None
    """A line start the lockfile must not contain (yarn classic: `__metadata:`)."""

    @property
    def command(self) -> str:
        """The command to show people (the one that runs when the tool is allowed the network)."""
        return self.commands[-1]

    def accepts_lock(self, text: bytes | None) -> bool:
        """True when a lockfile with this content is this recipe's (yarn classic and berry share a name)."""
        if self.lock_marker is None and self.lock_without is None:
            return True
        found = text is not None and _has_line(text, self.lock_marker or self.lock_without or "")
        return found if self.lock_marker is not None else not found


def _has_line(text: bytes, start: str) -> bool:
    return re.search(rb"^" + re.escape(start.encode()), text, re.MULTILINE) is not None


_NPM = "npm install --package-lock-only --ignore-scripts --no-audit --no-fund"
_PNPM = "pnpm install --lockfile-only --ignore-scripts"
_YARN = "yarn install --ignore-scripts --non-interactive --no-progress"
_BERRY = (
    "YARN_ENABLE_SCRIPTS=0 YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_IMMUTABLE_INSTALLS=0 "
    "yarn install --mode=update-lockfile"
)
_CARGO = "cargo update --workspace"
_UV = "uv lock"
_POETRY = "poetry lock --no-interaction"
_GO = "go mod tidy"
_BUNDLE = "bundle lock"

BUILTIN: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe("npm", "npm", KIND_LOCKFILE, ("package-lock.json",), ("package.json",),
               (f"{_NPM} --offline", f"{_NPM} --prefer-offline")),
        Recipe("pnpm", "pnpm", KIND_LOCKFILE, ("pnpm-lock.yaml",), ("package.json", "pnpm-workspace.yaml"),
               (f"{_PNPM} --offline", f"{_PNPM} --prefer-offline")),
        Recipe("yarn", "yarn classic", KIND_LOCKFILE, ("yarn.lock",), ("package.json",),
               (f"{_YARN} --offline", f"{_YARN} --prefer-offline"), lock_without="__metadata:"),
        Recipe("yarn-berry", "yarn berry", KIND_LOCKFILE, ("yarn.lock",), ("package.json", ".yarnrc.yml"),
               (_BERRY,), lock_marker="__metadata:"),
        Recipe("cargo", "Cargo", KIND_LOCKFILE, ("Cargo.lock",), ("Cargo.toml",),
               (f"{_CARGO} --offline", _CARGO)),
        Recipe("uv", "uv", KIND_LOCKFILE, ("uv.lock",), ("pyproject.toml",),
               (f"{_UV} --offline", _UV)),
        Recipe("poetry", "Poetry", KIND_LOCKFILE, ("poetry.lock",), ("pyproject.toml",),
               (_POETRY,)),
        Recipe("go", "Go modules", KIND_LOCKFILE, ("go.sum",), ("go.mod",),
               (f"GOFLAGS=-mod=mod GOPROXY=off {_GO}", f"GOFLAGS=-mod=mod {_GO}")),
        Recipe("bundler", "Bundler", KIND_LOCKFILE, ("Gemfile.lock",), ("Gemfile", "*.gemspec"),
               (f"{_BUNDLE} --local", _BUNDLE)),
        Recipe("django", "Django migrations", KIND_MIGRATIONS, ("*/migrations/*.py",), ("manage.py",),
               ("python manage.py makemigrations --merge --noinput",), enabled=False),
    )
}  # fmt: skip
"""Every built-in recipe by name, in the order of the README's table."""


def lockfile_recipes(path: str) -> list[Recipe]:
    """The built-in recipes whose lockfile is `path` (a repository path; by file name only)."""
    name = posixpath.basename(path)
    if name not in LOCKFILE_NAMES:
        return []
    return [r for r in BUILTIN.values() if r.kind == KIND_LOCKFILE and name in r.outputs]


def driver_hint(path: str) -> str | None:
    """For the merge driver: what settles the lockfile `path`, or None when it is not a lockfile.

    A pure path check (no configuration, no file read), so the driver stays fast. `go.sum` is
    a set of lines the driver may union, so it has no hint.
    """
    if posixpath.basename(path) in UNIONED_AS_LINES:
        return None
    found = lockfile_recipes(path)
    if not found:
        return None
    where = posixpath.dirname(path) or "."
    commands = " or ".join(f"`{r.command}`" for r in found)
    manifests = ", ".join(dict.fromkeys(m for r in found for m in r.inputs))
    return (
        f"{path} is generated from {manifests}: settle those, then run {commands} in {where} "
        f"(or `mergekit resolve`), and `git add {path}`"
    )
