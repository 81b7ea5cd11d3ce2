"""Scenario builders: real git repositories for tests, benchmarks and `mergekit demo`.

Each builder creates a repository at a given path with the git CLI, deterministically (fixed
identities and dates, no user git configuration), and returns a `Scenario` describing it: the
branches, the append-only shared files every branch touches, the genuine conflicts, and which
branches were built on which. The package ships inside the wheel because `mergekit demo` builds
the five-feature scenario from an installed mergekit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mergekit.scenarios.django import build_django
from mergekit.scenarios.gitcli import ScenarioGitError
from mergekit.scenarios.golang import build_go
from mergekit.scenarios.model import Scenario
from mergekit.scenarios.typescript import build_epic, build_five_features

SCENARIOS: dict[str, Callable[[Path], Scenario]] = {
    "five-features": build_five_features,
    "epic": build_epic,
    "django": build_django,
    "go": build_go,
}
"""Every scenario builder by name."""

__all__ = [
    "SCENARIOS",
    "Scenario",
    "ScenarioGitError",
    "build_django",
    "build_epic",
    "build_five_features",
    "build_go",
]
