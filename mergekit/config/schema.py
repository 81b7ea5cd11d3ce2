"""The configuration keys mergekit knows: their type, default, and what each one sets.

One table for every source: `.mergekit.toml` (committed, the team's), `git config mergekit.<key>`
(personal) and the command line. A key not listed here is an error wherever it appears, so a
typo never silently does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["string", "bool", "choice", "globs"]


@dataclass(frozen=True)
class Key:
    """One configuration key."""

    name: str
    """The name in `.mergekit.toml` (`paths.never_resolve` for keys inside a table)."""
    kind: Kind
    """`string`, `bool`, `choice` (one of `choices`) or `globs` (a list of path globs)."""
    default: str | bool | tuple[str, ...] | None
    """The built-in value when no source sets the key (None: no value)."""
    help: str
    """What the key sets (shown by `mergekit config` and in the README)."""
    choices: tuple[str, ...] = ()
    """The allowed values of a `choice` key."""
    git: bool = True
    """True when `git config mergekit.<name>` may set it (scalar top-level keys)."""
    file: bool = True
    """True when `.mergekit.toml` may set it."""


KEYS: tuple[Key, ...] = (
    Key("into", "string", None, "BASE for integrate, plan and check, and the default --with of sync"),
    Key("branch", "string", "integration", "the result branch integrate builds (--branch)"),
    Key("test", "string", None, "the shell command integrate runs after each merge (--test)"),
    Key("strict", "bool", False, "check fails on semantic collisions too (--strict)"),
    Key("collisions", "bool", True, "look for semantic collisions (check --no-collisions turns it off)"),
    Key("order", "choice", "auto", "integrate's and plan's merge order (--order)", ("auto", "given")),
    Key(
        "strategy",
        "choice",
        "merge",
        "integrate's merge commits or squashes (--strategy)",
        ("merge", "squash"),
    ),
    Key(
        "paths.never_resolve",
        "globs",
        (),
        "paths never auto-resolved: git's plain line merge, conflicts go to a human",
        git=False,
    ),
    Key("prePushBase", "string", None, "BASE of examples/pre-push (default there: origin/main)", file=False),
    Key(
        "prePushBranches",
        "string",
        None,
        "branches examples/pre-push checks with (default: origin/feature/*)",
        file=False,
    ),
    Key(
        "prePushStrict",
        "bool",
        False,
        "examples/pre-push: semantic collisions block the push too",
        file=False,
    ),
)
"""Every key, in the order `mergekit config` shows them."""

BY_NAME: dict[str, Key] = {k.name: k for k in KEYS}
"""Key name → key."""

TABLES: tuple[str, ...] = ("paths",)
"""Tables whose keys are listed in `KEYS`."""

FOREIGN_TABLES: tuple[str, ...] = ("derived",)
"""Tables accepted as they are and validated by the feature that owns them (`[derived]`: the
recipes that regenerate lockfiles)."""
