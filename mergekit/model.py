"""mergekit's vocabulary: the statuses and conflict kinds every layer speaks, and the rows of a run.

Each word exists once, here, as an enum member whose value is the word of the JSON contract
(README, DESIGN.md); `StrEnum` members are strings, so they compare equal to those words and
serialize as them. The output package decides how each word is shown to people; nothing else
translates between vocabularies. This module imports nothing from mergekit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ConflictKind(StrEnum):
    """Why a file needs a human (or needed the resolver): git's kinds, and the ones mergekit adds."""

    CONTENT = "content"
    """Both sides changed the same file's content differently."""
    ADD_ADD = "add/add"
    """Both sides added the same path with different content (no base)."""
    MODIFY_DELETE = "modify/delete"
    """Ours modified the file, theirs deleted it."""
    DELETE_MODIFY = "delete/modify"
    """Ours deleted the file, theirs modified it."""
    MODE = "mode"
    """Both sides changed the file mode differently (content may agree)."""
    RENAME = "rename"
    """A rename on one or both sides collided (the sides live at different paths)."""
    SUBMODULE = "submodule"
    """A submodule pointer moved differently on both sides."""
    SYMLINK = "symlink"
    """A symbolic link changed differently on both sides."""
    DUPLICATE_KEY = "duplicate-key"
    """git merged the file cleanly, but the result gives one key two values (a mergekit finding)."""
    UNMERGED = "unmerged"
    """`continue`: the file still has conflict stages in the hand-off worktree's index."""
    MARKERS_LEFT = "still has conflict markers"
    """`continue`: the staged file still holds conflict markers."""
    UNDONE = "undone auto-resolution"
    """`undo`: a person took an auto-resolution back; git's conflict is in the work tree again."""
    PATCH = "patch does not apply"
    """A patch input whose hunks do not apply (it is left out whole, never half-applied)."""

    @property
    def is_content(self) -> bool:
        """True when a content merge (the resolver) can settle it: both sides are regular files."""
        return self in (ConflictKind.CONTENT, ConflictKind.ADD_ADD)


class Outcome(StrEnum):
    """What merging one thing into another gives: a file, a pair of branches, a step of a run."""

    CLEAN = "clean"
    """git merges it without a conflict (and nothing clashes)."""
    AUTO_RESOLVED = "auto_resolved"
    """Conflicts, all settled by the resolver."""
    NEEDS_HUMAN = "needs_human"
    """At least one conflict (or clash) only a person can settle."""
    ALREADY_MERGED = "already merged"
    """A step of a run whose branch is already in the result (nothing to merge)."""

    @property
    def severity(self) -> int:
        """Order for "the worst of": clean and already merged < auto-resolved < needs a human."""
        return {Outcome.NEEDS_HUMAN: 2, Outcome.AUTO_RESOLVED: 1}.get(self, 0)

    @staticmethod
    def worst(outcomes: list[Outcome]) -> Outcome:
        """The most severe of `outcomes` (clean when there are none)."""
        return max(outcomes, key=lambda o: o.severity, default=Outcome.CLEAN)


class Shortcut(StrEnum):
    """Why a pair was known to merge cleanly without merging it."""

    SAME_COMMIT = "same commit"
    """Both sides are the same commit."""
    ALREADY_IN = "already in"
    """THEIRS is an ancestor of OURS."""
    FAST_FORWARD = "fast-forward"
    """OURS is an ancestor of THEIRS (THEIRS is built on it)."""
    DISJOINT = "disjoint"
    """The two sides changed different files (and no file meets a directory)."""


class RunStatus(StrEnum):
    """Where an integration run stands (`status` in the JSON of integrate, continue, status, abort)."""

    RUNNING = "running"
    """Between steps (only seen by `status` after an interruption)."""
    CONFLICT = "conflict"
    """Paused: a human must settle conflicts in the hand-off worktree."""
    TEST_FAILED = "test_failed"
    """Paused: the `--test` command failed after a step."""
    DONE = "done"
    """Every branch merged (or skipped with a reason)."""
    ERROR = "error"
    """The state file holds a status this version does not know."""
    NONE = "none"
    """`status`: no run in progress."""
    ABORTED = "aborted"
    """`abort`: the run was dropped."""

    @classmethod
    def read(cls, word: str) -> RunStatus:
        """The status a state file names; `error` for a word this version does not know."""
        try:
            return cls(word)
        except ValueError:
            return cls.ERROR


class SkipReason(StrEnum):
    """Why a run left a branch out (`skipped[].reason`)."""

    NOTHING_BEYOND_BASE = "nothing beyond BASE"
    """The branch tip is already in BASE."""
    ALREADY_IN_RESULT = "already in the result"
    """An earlier step brought the branch in (it was built on another branch)."""
    CONFLICTS = "conflicts"
    """It needs a human and the run skips such branches (`--skip-conflicting`, or a dry run)."""
    PATCH = "patch does not apply"
    """A patch input that does not apply (it needs a human like a conflicting branch)."""
    FAILS_TEST = "fails the test"
    """`--drop-failing` left it out: its merge fails `--test` (alone, or together with others)."""

    @property
    def needs_human(self) -> bool:
        """True when a person must act before the branch can be merged."""
        return self in (SkipReason.CONFLICTS, SkipReason.PATCH)


class BaseFindingKind(StrEnum):
    """How a branch is built on the wrong base (`base_findings[].kind`)."""

    MISSING_FOUNDATION = "missing-foundation"
    """It lacks commits other listed branches build on, and changes files those commits changed."""
    STALE = "stale"
    """Its merge base is far behind BASE, and it changes files BASE changed since."""


class ResolveStatus(StrEnum):
    """What `mergekit resolve` did with one conflicted file."""

    RESOLVED = "resolved"
    """Now clean."""
    CONFLICT = "conflict"
    """Markers left for a human."""
    SKIPPED = "skipped"
    """Not touched (modify/delete, symlink, edited by hand...)."""


class ReplayOutcome(StrEnum):
    """How the resolver's result on a past conflict compares with what the person committed."""

    IDENTICAL = "identical"
    """Byte for byte the human's file."""
    WHITESPACE = "whitespace"
    """The same lines modulo whitespace."""
    REORDERED = "reordered"
    """The same lines in another order."""
    DIFFERENT = "different"
    """Clean, but not what the human committed: the dangerous bucket."""
    CONFLICT = "conflict"
    """Left to a human."""
    CRASH = "crash"
    """The resolver raised."""
    TIMEOUT = "timeout"
    """The resolver took too long."""


class InstallScope(StrEnum):
    """Where `mergekit install` registers the driver (`scope` in its JSON)."""

    CLONE = "clone"
    """This clone: its git config and `info/attributes` in the common git dir (the default)."""
    SHARED = "shared"
    """The team: the committed `.gitattributes` block, plus this clone's git config (`--shared`)."""
    GLOBAL = "global"
    """Every repository of this user: the global config and `core.attributesFile` (`--global`)."""


class Severity(StrEnum):
    """How one `mergekit doctor` finding stands (`level` in its JSON)."""

    OK = "ok"
    """Works as expected."""
    WARN = "warn"
    """Works, but something is worth knowing or fixing."""
    FAIL = "fail"
    """Something will not work as the user expects (the exit status is 1)."""


class DoctorCheck(StrEnum):
    """What one `mergekit doctor` finding is about (`check` in its JSON)."""

    GIT = "git"
    """The git version."""
    DRIVER = "driver"
    """The `merge.mergekit.driver` config, and whether the program it names runs."""
    ROUTING = "routing"
    """The attributes files that route paths to the driver."""
    PATH = "path"
    """One path: will the driver fire for it, and with which profile."""
    CONFLICT_STYLE = "conflict-style"
    """`merge.conflictStyle`."""
    ENVIRONMENT = "environment"
    """Environment variables that change what the driver does (`MERGEKIT=0`)."""
    PROFILES = "profiles"
    """The language profiles and their grammars."""
    TOOLS = "tools"
    """The tools that regenerate the repository's lockfiles."""


class PathSource(StrEnum):
    """Where the paths `mergekit doctor` checks come from (`paths_from` in its JSON)."""

    ARGUMENTS = "arguments"
    """The command line."""
    CONFLICTED = "conflicted"
    """The conflicted files of the merge in progress."""
    LAST_MERGE = "last-merge"
    """The files both sides changed in the latest merge reachable from HEAD."""
    SAMPLE = "sample"
    """A few tracked files per profile."""


class BypassReason(StrEnum):
    """Why git merged a conflicted file without the installed driver (`driver_bypassed[].reason`)."""

    NOT_ROUTED = "not-routed"
    """The driver is configured, but no attribute routes the path to it."""
    NOT_CONFIGURED = "not-configured"
    """Attributes route the path to the driver, but this clone's git config does not define it."""


class SyncStatus(StrEnum):
    """What `mergekit sync` did to the branch (`status` in its JSON)."""

    MERGED = "merged"
    """BASE merged in: a new merge commit on the branch."""
    FAST_FORWARD = "fast-forward"
    """The branch had nothing of its own: it now points at BASE."""
    UP_TO_DATE = "up-to-date"
    """The branch already contains BASE: nothing done."""
    CONFLICT = "conflict"
    """A human is needed: nothing written."""


@dataclass(frozen=True)
class AutoResolved:
    """A file the resolver settled during a run (`auto_resolved[]`)."""

    branch: str
    """The branch being merged."""
    path: str
    """The file."""
    rule: str
    """The resolver's rule (`typescript:module-statements`, `line-merge`...)."""
    detail: str = ""
    """What the resolver added, region by region (the audit trail in the commit message)."""


@dataclass(frozen=True)
class HumanConflict:
    """A file a human must settle (`conflicts[]`)."""

    branch: str
    """The branch being merged."""
    path: str
    """The file."""
    kind: ConflictKind
    """Why."""
    detail: str = ""
    """More about it, when there is more to say (which hunks of a patch do not apply)."""


@dataclass(frozen=True)
class Skipped:
    """A branch a run left out (`skipped[]`)."""

    branch: str
    """The branch."""
    reason: SkipReason
    """Why."""
    paths: tuple[str, ...] = ()
    """For `conflicts`: the files that need a human (a patch's files; for `fails the test`, the
    files the culprits share)."""
    detail: str = ""
    """More about it, when there is more to say (a patch's hunks, the culprit's partners)."""


@dataclass(frozen=True)
class WrongBase:
    """A branch built on the wrong base (`base_findings[]`), and how to fix it."""

    branch: str
    """The branch (or patch input)."""
    kind: BaseFindingKind
    """`missing-foundation` or `stale`."""
    detail: str
    """One sentence for people: what is missing or how old, which files, the fix."""
    files: tuple[str, ...] = ()
    """The files that make it matter (changed by the branch and by what it lacks)."""
    fix: str = ""
    """The command that fixes it (`git rebase --onto ...`)."""
    onto: str = ""
    """What to rebase it onto, as the user names it (the foundation branch, or BASE)."""
    rebased: bool = False
    """True when `--rebase-stale` replayed it onto `onto` in memory for this run."""

    def as_json(self) -> dict[str, Any]:
        """The row as JSON: an entry of the contract's `base_findings` and of the run file's."""
        return {
            "branch": self.branch,
            "kind": str(self.kind),
            "detail": self.detail,
            "files": list(self.files),
            "fix": self.fix,
            "onto": self.onto,
            "rebased": self.rebased,
        }


@dataclass(frozen=True)
class TestRun:
    """One test run of the culprit search (`test_runs[]`)."""

    __test__ = False  # not a pytest class

    branches: tuple[str, ...]
    """The branches merged onto BASE for this run, in merge order."""
    failed: bool | None
    """True: the test failed; False: it passed; None: the subset needs a human, not tested."""
    returncode: int | None = None
    """The test command's exit code (None when not run)."""
    log: str | None = None
    """The file holding the run's whole output (None when not run)."""
    last_line: str = ""
    """The last line the test printed."""

    def as_json(self) -> dict[str, Any]:
        """The row as JSON: an entry of the contract's `test_runs` and of the run file's."""
        return {
            "branches": list(self.branches),
            "failed": self.failed,
            "returncode": self.returncode,
            "log": self.log,
            "last_line": self.last_line,
        }
