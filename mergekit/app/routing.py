"""Will git hand a path to mergekit's merge driver? The config, the `merge` attribute and the profile.

git runs a custom merge driver for a path only when the path's `merge` attribute names it *and*
the driver is defined in git config (`merge.<name>.driver`); otherwise it falls back to its own
line merge without a word. `mergekit doctor` explains this per path, and `mergekit resolve` and
`mergekit status` use `bypassed` to say when conflicted files never reached the driver.
Only the git CLI is used (no pygit2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mergekit.app.install import DRIVER
from mergekit.engine.gitcli import check_attr, run_git
from mergekit.model import BypassReason
from mergekit.resolve.profiles import profile_for
from mergekit.state.run import state_dir

DRIVER_KEY = f"merge.{DRIVER}.driver"
"""The git config key that defines the driver."""
UNSPECIFIED = "unspecified"
"""`git check-attr`'s word for an attribute no line sets."""


def driver_command(cwd: Path) -> str | None:
    """The driver command git would run in `cwd` (`merge.mergekit.driver`), None when undefined."""
    result = run_git(["config", "--get", DRIVER_KEY], cwd, check=False)
    value = result.text.strip()
    return value if result.returncode == 0 and value else None


@dataclass(frozen=True)
class Routing:
    """What git does with one path when both sides changed it."""

    path: str
    """The path, relative to the top of the work tree."""
    merge: str
    """Its `merge` attribute: `unspecified`, `set`, `unset` or a driver's name."""
    profile: str | None
    """The language profile mergekit would use, None when none applies."""

    @property
    def routed(self) -> bool:
        """True when the attributes name mergekit's driver."""
        return self.merge == DRIVER


def routing(root: Path, paths: Sequence[str]) -> list[Routing]:
    """The `merge` attribute and the profile of each path (relative to `root`, the work tree's top)."""
    attributes = check_attr(root, paths, "merge")
    found = []
    for path in paths:
        profile = profile_for(path)
        merge = attributes.get(path, {}).get("merge", UNSPECIFIED)
        found.append(Routing(path=path, merge=merge, profile=profile.name if profile else None))
    return found


@dataclass(frozen=True)
class Bypassed:
    """A conflicted file the installed driver should have merged, and why git did not run it."""

    path: str
    """The path, relative to the top of the work tree."""
    reason: BypassReason
    """`not-routed` (no attribute names the driver) or `not-configured` (no config in this clone)."""


def is_handoff(root: Path) -> bool:
    """True when `root` is a worktree mergekit made for a human (its conflicts never went through git)."""
    common = run_git(["rev-parse", "--path-format=absolute", "--git-common-dir"], root, check=False)
    if common.returncode != 0:
        return False
    handoffs = state_dir(Path(common.text.strip())) / "worktrees"
    return root.resolve().is_relative_to(handoffs.resolve())


def bypassed(root: Path, paths: Sequence[str]) -> tuple[Bypassed, ...]:
    """The content-conflicted `paths` that have a profile and that git merged without the driver
    although this clone has it installed (config, or attributes naming it); empty in a hand-off
    worktree of mergekit's own."""
    if not paths or is_handoff(root):
        return ()
    configured = driver_command(root) is not None
    found = []
    for r in routing(root, paths):
        if r.profile is None:
            continue
        if configured and r.merge == UNSPECIFIED:
            found.append(Bypassed(r.path, BypassReason.NOT_ROUTED))
        elif not configured and r.routed:
            found.append(Bypassed(r.path, BypassReason.NOT_CONFIGURED))
    return tuple(found)
