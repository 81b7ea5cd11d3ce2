"""`mergekit doctor`: will git run mergekit's merge driver here, and if not, why not and what to do.

Each check returns findings (`Finding`: ok, warn or fail, one line, with the fix), in this order:
the git version; the `merge.mergekit.driver` config and whether the program it names runs; the
attributes files that route paths to the driver (and whether that routing lasts); for each path,
whether the driver fires and which profile applies; `merge.conflictStyle`; `MERGEKIT=0`; the
profiles and their grammars; the tools that regenerate the repository's lockfiles. A `fail` means
something will not work as the user expects (exit 1). Only the git CLI is used (no pygit2).

The paths default to the files of the merge in progress, else the files both sides changed in the
last merge reachable from HEAD (where git had to merge contents, i.e. where the driver runs), else
a sample of tracked files per profile.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mergekit import __version__
from mergekit.app import install as inst
from mergekit.app.gitattributes import attributes_files, sets_driver
from mergekit.app.routing import DRIVER_KEY, UNSPECIFIED, Routing, driver_command, routing
from mergekit.derived.config import DerivedConfig, command_tool, default_config
from mergekit.derived.recipes import KIND_LOCKFILE
from mergekit.derived.worktree import committed_config
from mergekit.engine.gitcli import CONFLICT_STYLES, run_git, toplevel
from mergekit.errors import EXIT_NEEDS_HUMAN, EXIT_OK, MergekitError
from mergekit.model import DoctorCheck, PathSource, Severity

MIN_GIT = (2, 39)
"""The oldest git mergekit supports."""
LABELS_GIT = (2, 44)
"""The first git that passes the conflict labels (%X %S %Y) to merge drivers."""
SAMPLE_PER_PROFILE = 2
"""Tracked files checked per profile when no path is given and no merge tells which ones matter."""
SAMPLE_SCAN = 20000
"""At most this many tracked files are looked at for the sample."""
MAX_PATHS = 50
"""At most this many paths are checked when they come from a merge."""
MERGES_LOOKED_AT = 20
"""How many of the latest merges are looked at for one where both sides changed a file."""
RUN_TIMEOUT = 60.0
"""Seconds the driver's program gets to print its version."""


def lockfile_tools(config: DerivedConfig) -> dict[str, str]:
    """Lockfile name → the program its recipe runs, for the recipes `config` turns on."""
    return {
        name: command_tool(recipe.command)
        for recipe in config.recipes
        if recipe.kind == KIND_LOCKFILE
        for name in recipe.outputs
    }


@dataclass(frozen=True)
class Finding:
    """One line of `mergekit doctor`."""

    check: DoctorCheck
    """What it is about."""
    level: Severity
    """ok, warn or fail."""
    message: str
    """What was found."""
    fix: str | None = None
    """What to do about it (None when there is nothing to do)."""
    path: str | None = None
    """For a path: the path."""
    profile: str | None = None
    """For a path: the profile that applies."""
    merge: str | None = None
    """For a path: its `merge` attribute (`unspecified`, `set`, `unset` or a driver name)."""


@dataclass(frozen=True)
class DoctorReport:
    """Everything `mergekit doctor` found."""

    root: Path | None
    """The top of the work tree (None when git itself is missing)."""
    paths_from: PathSource
    """Where the checked paths came from."""
    findings: tuple[Finding, ...]
    """In the order of the checks."""
    last_merge: str | None = None
    """For `last-merge`: the merge commit the paths come from."""

    @property
    def failed(self) -> bool:
        """True when something will not work as the user expects."""
        return any(f.level is Severity.FAIL for f in self.findings)

    @property
    def exit_code(self) -> int:
        """1 when a check failed, else 0."""
        return EXIT_NEEDS_HUMAN if self.failed else EXIT_OK


# --- git -----------------------------------------------------------------------------------------


def parse_version(text: str) -> tuple[int, ...] | None:
    """`git version 2.39.5` → (2, 39, 5); None when the text is not git's."""
    found = re.search(r"git version (\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(g) for g in found.groups() if g is not None) if found else None


def git_findings(version_text: str) -> list[Finding]:
    """The git version check."""
    version = parse_version(version_text)
    if version is None:
        return [
            Finding(
                DoctorCheck.GIT,
                Severity.FAIL,
                f"cannot tell the git version from {version_text!r}",
                "install git 2.39 or newer",
            )
        ]
    shown = ".".join(map(str, version))
    if version < MIN_GIT:
        return [
            Finding(
                DoctorCheck.GIT,
                Severity.FAIL,
                f"git {shown} is older than 2.39, which mergekit needs",
                "install git 2.39 or newer",
            )
        ]
    note = (
        ""
        if version >= LABELS_GIT
        else ("; before git 2.44 the driver gets no branch names, so markers it leaves say ours/theirs")
    )
    return [Finding(DoctorCheck.GIT, Severity.OK, f"git {shown}{note}")]


# --- the driver config ---------------------------------------------------------------------------


def driver_program(command: str) -> str | None:
    """The program part of a driver command line (before ` merge-file`), None when it has none."""
    found = re.match(r"^(.*?)\s+merge-file(\s|$)", command)
    return found.group(1) if found else None


def run_program(program: str, root: Path) -> tuple[int, str]:
    """Run `<program> --version` through the shell, as git runs the driver: (exit status, output)."""
    try:
        proc = subprocess.run(
            ["sh", "-c", f"{program} --version"],
            cwd=root,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=RUN_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 124, f"did not answer within {RUN_TIMEOUT:.0f} s"
    except OSError as exc:
        return 127, str(exc)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def driver_findings(
    root: Path,
    command: str | None,
    routed_by: Sequence[str],
    committed: bool,
) -> list[Finding]:
    """Is the driver defined, does its program run, is it the line `mergekit install` writes?"""
    check = DoctorCheck.DRIVER
    if command is None:
        if committed:
            return [
                Finding(
                    check,
                    Severity.FAIL,
                    f"the committed .gitattributes routes files to mergekit, but this clone has no "
                    f"{DRIVER_KEY}: git merges them itself, without a word",
                    "mergekit install",
                )
            ]
        if routed_by:
            return [
                Finding(
                    check,
                    Severity.FAIL,
                    f"{', '.join(routed_by)} route files to mergekit, but {DRIVER_KEY} is not set: "
                    "git merges them itself, without a word",
                    "mergekit install",
                )
            ]
        return [
            Finding(
                check, Severity.FAIL, "the mergekit merge driver is not installed here", "mergekit install"
            )
        ]
    program = driver_program(command)
    if program is None or not all(p in command for p in ("%O", "%A", "%B")):
        return [
            Finding(
                check,
                Severity.FAIL,
                f"{DRIVER_KEY} = {command!r} is not a mergekit driver line (merge-file ... %O %A %B)",
                "mergekit install",
            )
        ]
    code, output = run_program(program, root)
    if code != 0 or "mergekit" not in output:
        last = output.splitlines()[-1] if output else "no output"
        return [
            Finding(
                check,
                Severity.FAIL,
                f"the driver's program does not run: `{program} --version` exited {code} ({last}); "
                "git would report every file it merges as conflicted",
                "mergekit install (run it with the mergekit you want git to use)",
            )
        ]
    found: list[Finding] = []
    version = re.search(r"version\s+(\S+)", output)
    running = version.group(1) if version else "an unknown version"
    if running != __version__:
        found.append(
            Finding(
                check,
                Severity.WARN,
                f"the driver runs mergekit {running}, this is mergekit {__version__}",
                "mergekit install (to make git run this one)",
            )
        )
    if command.split(" merge-file", 1)[1].strip() != inst.DRIVER_ARGS.removeprefix("merge-file").strip():
        found.append(
            Finding(
                check,
                Severity.WARN,
                f"{DRIVER_KEY} was written by another version of `mergekit install`: {command}",
                "mergekit install",
            )
        )
    found.insert(0, Finding(check, Severity.OK, f"{DRIVER_KEY} runs mergekit {running}: {command}"))
    return found


# --- where the routing lives ---------------------------------------------------------------------


@dataclass
class RoutingFiles:
    """The attributes files that name the driver, and what they say."""

    clone: list[str] = field(default_factory=list)
    """Lines of this clone's `info/attributes` naming the driver."""
    shared: dict[str, list[str]] = field(default_factory=dict)
    """`.gitattributes` file → its lines naming the driver."""
    committed: bool = False
    """True when a `.gitattributes` committed at HEAD names the driver."""
    uncommitted: list[str] = field(default_factory=list)
    """`.gitattributes` files whose lines naming the driver are not in HEAD's version."""
    global_: list[str] = field(default_factory=list)
    """Lines of the global attributes file naming the driver."""

    def sources(self, clone_file: Path, global_file: Path) -> list[str]:
        """Where the routing lives, for people."""
        found = [f"{clone_file} (this clone)"] if self.clone else []
        found += [
            f"{name} ({'not committed' if name in self.uncommitted else 'committed'})" for name in self.shared
        ]
        return found + ([f"{global_file} (global)"] if self.global_ else [])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def routing_files(root: Path, clone_file: Path, global_file: Path) -> RoutingFiles:
    """Read every attributes file git consults for the lines that name the driver."""
    found = RoutingFiles(
        clone=sets_driver(_read(clone_file), inst.DRIVER),
        global_=sets_driver(_read(global_file), inst.DRIVER),
    )
    for name in attributes_files(root):
        lines = sets_driver(_read(root / name), inst.DRIVER)
        if not lines:
            continue
        found.shared[name] = lines
        head = run_git(["show", f"HEAD:{name}"], root, check=False)
        in_head = sets_driver(head.text, inst.DRIVER) if head.returncode == 0 else []
        if in_head:
            found.committed = True
        if set(lines) - set(in_head):
            found.uncommitted.append(name)
    return found


def _own_lines(block: str) -> list[str]:
    lines = block.splitlines()
    if inst.OWN_LINES_NOTE not in lines:
        return []
    return lines[lines.index(inst.OWN_LINES_NOTE) + 1 : -1]


def routing_findings(
    root: Path, files: RoutingFiles, clone_file: Path, global_file: Path, configured: bool
) -> list[Finding]:
    """Does anything route paths to the driver, will that routing last, and is it up to date?"""
    check = DoctorCheck.ROUTING
    sources = files.sources(clone_file, global_file)
    if not sources:
        fix = "mergekit install"
        what = "no attributes file routes any path to the mergekit driver"
        return [Finding(check, Severity.FAIL if configured else Severity.WARN, what, fix)]
    found = [Finding(check, Severity.OK, f"paths are routed to the driver by {', '.join(sources)}")]
    if files.uncommitted and not files.clone and not files.global_:
        found.append(
            Finding(
                check,
                Severity.FAIL,
                f"the routing lives only in an uncommitted change to {', '.join(files.uncommitted)}: "
                "the next checkout -f, reset --hard or stash removes it, and git then merges "
                "without mergekit, without a word",
                "mergekit install (this clone's .git/info/attributes lasts), or commit it",
            )
        )
    text = _read(clone_file)
    if files.clone and text:
        expected, _, _ = inst.with_block(text, inst.profile_globs(), clone_file, inst.own_merge_lines(root))
        if expected != text:
            _, block, _ = inst.split_block(text, clone_file)
            _, new_block, _ = inst.split_block(expected, clone_file)
            if _own_lines(block or "") != _own_lines(new_block or ""):
                found.append(
                    Finding(
                        check,
                        Severity.FAIL,
                        f"the merge attributes of your .gitattributes changed since `mergekit install`: "
                        f"{clone_file} overrides the new ones",
                        "mergekit install",
                    )
                )
            else:
                found.append(
                    Finding(
                        check,
                        Severity.WARN,
                        f"{clone_file} does not route every glob of this mergekit's profiles",
                        "mergekit install",
                    )
                )
    return found


# --- paths ---------------------------------------------------------------------------------------


def _lines(root: Path, *args: str) -> list[str]:
    out = run_git(args, root, check=False)
    if out.returncode != 0:
        return []
    return [p.decode("utf-8", "surrogateescape") for p in out.stdout.split(b"\0") if p]


def unmerged_paths(root: Path) -> list[str]:
    """The paths with conflict stages in the index (a merge in progress)."""
    names = [rec.partition("\t")[2] for rec in _lines(root, "ls-files", "-u", "-z", "--full-name")]
    return sorted(set(names))


def last_merge_paths(root: Path) -> tuple[str, list[str]] | None:
    """The latest merge reachable from HEAD in which both sides changed files, and those files."""
    merges = run_git(["rev-list", "--merges", f"-n{MERGES_LOOKED_AT}", "HEAD"], root, check=False)
    for commit in merges.text.split() if merges.returncode == 0 else []:
        parents = run_git(["rev-parse", f"{commit}^1", f"{commit}^2"], root, check=False).text.split()
        base = run_git(["merge-base", *parents], root, check=False).text.strip()
        if len(parents) != 2 or not base:
            continue
        ours = set(_lines(root, "diff", "--name-only", "-z", "--no-renames", base, parents[0]))
        theirs = set(_lines(root, "diff", "--name-only", "-z", "--no-renames", base, parents[1]))
        both = sorted(ours & theirs)
        if both:
            return commit, both[:MAX_PATHS]
    return None


def sample_paths(root: Path, per_profile: int = SAMPLE_PER_PROFILE) -> list[str]:
    """Up to `per_profile` tracked files for each profile, in path order."""
    from mergekit.resolve.profiles import all_profiles, profile_for

    wanted = {p.name: per_profile for p in all_profiles()}
    found = []
    for path in _lines(root, "ls-files", "-z", "--full-name")[:SAMPLE_SCAN]:
        profile = profile_for(path)
        if profile is not None and wanted.get(profile.name, 0) > 0:
            wanted[profile.name] -= 1
            found.append(path)
            if not any(wanted.values()):
                break
    return found


def choose_paths(root: Path, given: Sequence[str], cwd: Path) -> tuple[PathSource, list[str], str | None]:
    """The paths to check and where they come from (`given` is relative to `cwd`)."""
    if given:
        here = cwd.resolve()
        top = root.resolve()
        paths = [os.path.relpath(os.path.normpath(here / p), top).replace(os.sep, "/") for p in given]
        return PathSource.ARGUMENTS, paths, None
    unmerged = unmerged_paths(root)
    if unmerged:
        return PathSource.CONFLICTED, unmerged[:MAX_PATHS], None
    last = last_merge_paths(root)
    if last is not None:
        return PathSource.LAST_MERGE, last[1], last[0]
    return PathSource.SAMPLE, sample_paths(root), None


_CHOSEN = {"set": "git's built-in text merge", "unset": "no merge at all (binary: git keeps ours)"}


def path_finding(r: Routing, configured: bool) -> Finding:
    """Will the driver fire for this path?"""
    profile = f"profile {r.profile}" if r.profile else "no profile: git's line merge only"

    def finding(level: Severity, message: str, fix: str | None = None) -> Finding:
        return Finding(DoctorCheck.PATH, level, f"{r.path}: {message}", fix, r.path, r.profile, r.merge)

    if r.routed and configured:
        return finding(Severity.OK, f"the driver fires ({profile})")
    if r.routed:
        return finding(
            Severity.FAIL,
            "the attributes name the driver, but it is not configured here: git merges it itself",
            "mergekit install",
        )
    if r.merge == UNSPECIFIED and r.profile:
        return finding(
            Severity.FAIL,
            f"no attribute routes it to the driver ({profile}): git merges it itself",
            "mergekit install",
        )
    if r.merge == UNSPECIFIED:
        return finding(Severity.OK, f"{profile}; git merges it itself")
    chosen = _CHOSEN.get(r.merge, f"the merge driver {r.merge!r}")
    return finding(Severity.OK, f"your attributes choose {chosen}; mergekit stays out")


# --- settings, profiles, tools ---------------------------------------------------------------------


def conflict_style_findings(value: str | None) -> list[Finding]:
    """`merge.conflictStyle`: what git and mergekit do with it."""
    check = DoctorCheck.CONFLICT_STYLE
    if value is None or value.lower() == "merge":
        return [Finding(check, Severity.OK, "merge.conflictStyle is merge (git's default)")]
    if value.lower() in CONFLICT_STYLES:
        return [
            Finding(
                check,
                Severity.WARN,
                f"merge.conflictStyle is {value}: the driver and `mergekit resolve` write it, but the "
                "worktree `mergekit integrate` hands you shows conflicts in the merge style (no base)",
                f"in that worktree, `git checkout --conflict={value.lower()} -- PATH` rewrites a file "
                "with the base section",
            )
        ]
    return [
        Finding(
            check,
            Severity.FAIL,
            f"merge.conflictStyle is {value!r}, which git does not know: `git merge` stops with "
            '"unknown style" before any driver runs',
            "git config merge.conflictStyle zdiff3 (or merge, diff3)",
        )
    ]


def environment_findings(env: dict[str, str]) -> list[Finding]:
    """`MERGEKIT=0` switches the resolver off in every driver run of this environment."""
    if env.get("MERGEKIT") == "0":
        return [
            Finding(
                DoctorCheck.ENVIRONMENT,
                Severity.WARN,
                "MERGEKIT=0 is set: the driver only line-merges, like git",
                "unset MERGEKIT",
            )
        ]
    return [Finding(DoctorCheck.ENVIRONMENT, Severity.OK, "MERGEKIT is not 0: the resolver is on")]


def profile_findings(problem: Callable[[str], str | None] | None = None) -> list[Finding]:
    """The shipped profiles load, and so do their grammars."""
    from mergekit.resolve.profiles import all_profiles
    from mergekit.resolve.syntax import grammar_problem

    check = DoctorCheck.PROFILES
    fix = (
        "reinstall mergekit (pip install --force-reinstall git-mergekit, or pip install -e . in its checkout)"
    )
    try:
        profiles = all_profiles()
    except Exception as exc:  # a damaged installation: the answer is the error, not a crash
        return [Finding(check, Severity.FAIL, f"the language profiles do not load: {exc}", fix)]
    problem = problem or grammar_problem
    found = []
    for profile in profiles:
        why = None if profile.grammar == "lines" else problem(profile.grammar)
        if why is not None:
            found.append(Finding(check, Severity.FAIL, f"profile {profile.name}: {why}", fix))
    if not found:
        found.append(Finding(check, Severity.OK, f"{len(profiles)} profiles load, with their grammars"))
    return found


def tools_findings(
    tracked: Iterable[str],
    tools: dict[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> list[Finding]:
    """For each kind of lockfile the repository has, whether its tool is on PATH."""
    check = DoctorCheck.TOOLS
    if tools is None:
        tools = lockfile_tools(default_config())
    needed: dict[str, list[str]] = {}
    for path in tracked:
        tool = tools.get(path.rsplit("/", 1)[-1])
        if tool is not None:
            needed.setdefault(tool, []).append(path)
    if not needed:
        return [Finding(check, Severity.OK, "no lockfile that a tool regenerates")]
    found = []
    for tool, paths in sorted(needed.items()):
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        if which(tool) is None:
            found.append(
                Finding(
                    check,
                    Severity.WARN,
                    f"{shown}: regenerated after a merge by {tool}, which is not on PATH",
                    f"install {tool}",
                )
            )
        else:
            found.append(Finding(check, Severity.OK, f"{shown}: {tool} is on PATH"))
    return found


# --- the use case --------------------------------------------------------------------------------


def doctor(cwd: Path, paths: Sequence[str] = ()) -> DoctorReport:
    """Run every check for the repository at `cwd` (and `paths`, relative to `cwd`)."""
    try:
        version = run_git(["--version"], None, check=False)
    except MergekitError as exc:
        finding = Finding(DoctorCheck.GIT, Severity.FAIL, exc.message, "install git 2.39 or newer")
        return DoctorReport(root=None, paths_from=PathSource.ARGUMENTS, findings=(finding,))
    findings = git_findings(version.text)
    root = toplevel(cwd)
    if root is None:
        raise MergekitError(
            f"{cwd} is not inside a git work tree: run `mergekit doctor` in the repository (or pass -C DIR)"
        )
    clone_file = inst.clone_attributes_file(root)
    global_file = inst.global_attributes_file(root)
    files = routing_files(root, clone_file, global_file)
    command = driver_command(root)
    sources = files.sources(clone_file, global_file)
    findings += driver_findings(root, command, sources, files.committed)
    findings += routing_findings(root, files, clone_file, global_file, command is not None)
    source, chosen, last = choose_paths(root, paths, cwd)
    findings += [path_finding(r, command is not None) for r in routing(root, chosen)]
    style = run_git(["config", "--get", "merge.conflictStyle"], root, check=False)
    findings += conflict_style_findings(style.text.strip() if style.returncode == 0 else None)
    findings += environment_findings(dict(os.environ))
    findings += profile_findings()
    try:
        tools = lockfile_tools(committed_config(root))
    except MergekitError as exc:
        findings.append(
            Finding(DoctorCheck.TOOLS, Severity.FAIL, str(exc), "fix .mergekit.toml and commit it")
        )
        tools = lockfile_tools(default_config())
    findings += tools_findings(_lines(root, "ls-files", "-z", "--full-name"), tools)
    return DoctorReport(root=root, paths_from=source, findings=tuple(findings), last_merge=last)
