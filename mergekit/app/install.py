"""`mergekit install`: register the merge driver in git config and route the profiles' files to it.

Two edits, both reversible with `--uninstall`:

- git config (the repository's, or the global one with `--global`), through the git CLI:
  `merge.mergekit.name` and `merge.mergekit.driver` (see `driver_line`);
- an attributes file (the repository's `.gitattributes`, or the global attributes file named by
  `core.attributesFile`, default `$XDG_CONFIG_HOME/git/attributes`): one `<glob> merge=mergekit`
  line per profile glob, inside a managed block between `BEGIN` and `END`.

The managed block goes at the *top* of the file: in gitattributes the last matching line wins,
so every line of the user's own keeps precedence over mergekit's (`package-lock.json -merge`
below the block still applies). Lines outside the block are never changed, and a glob the user
already gives a merge attribute is left out of the block. Running install twice changes
nothing; uninstall removes exactly the block (and the file, if nothing else is left in it) and
the two config keys.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from mergekit.engine.gitcli import GitResult, run_git
from mergekit.errors import MergekitError
from mergekit.state.atomic import write_atomically

BEGIN = "# >>> mergekit >>>"
"""First line of the managed block in an attributes file."""
END = "# <<< mergekit <<<"
"""Last line of the managed block."""
NOTE = "# Managed by `mergekit install`; `mergekit install --uninstall` removes this block."
"""Second line of the block, for people reading the file."""
DRIVER = "mergekit"
"""The merge driver's name: `merge=mergekit` in attributes, `[merge "mergekit"]` in config."""
DRIVER_NAME = "mergekit: syntax-aware union of append-only conflicts"
"""The `merge.mergekit.name` value (git shows it in messages)."""
DRIVER_ARGS = "merge-file --path=%P --marker-size=%L --label=%X --label=%S --label=%Y -- %O %A %B"
"""The driver's arguments. git substitutes %O %A %B (base, ours, theirs temporary files), %L
(conflict-marker-size), %P (the path in the repository, for the language) and, since git 2.44,
%X %S %Y (the ours, base and theirs labels); an older git passes `%X` as it is, which
`merge-file` treats as "no label given". Each value is attached to its option (`--path=%P`)
and the files follow `--`, so a path or label that begins with `-` is never read as an option.
Re-running `mergekit install` replaces a line written in the older `--path %P` form."""
_MERGE_ATTRS = ("merge", "-merge", "!merge", "binary")


@dataclass(frozen=True)
class InstallReport:
    """What `install` (or `--uninstall`) did."""

    scope: str
    """`repository` or `global`."""
    uninstall: bool
    """True for `--uninstall`."""
    driver: str
    """The `merge.mergekit.driver` command line installed (or removed)."""
    attributes_file: Path
    """The attributes file edited."""
    config_changed: bool
    """True when the git config was written."""
    attributes_changed: bool
    """True when the attributes file was written (or deleted)."""
    globs: tuple[str, ...]
    """Globs routed to the driver by the managed block (empty after uninstall)."""
    kept_user_globs: tuple[str, ...] = ()
    """Profile globs left out because the user's own lines already set their merge attribute."""

    @property
    def changed(self) -> bool:
        """True when anything was written."""
        return self.config_changed or self.attributes_changed


def _git(cwd: Path, *args: str) -> GitResult:
    return run_git(args, cwd, check=False)


def driver_program() -> str:
    """How git should start mergekit: `mergekit` when that is this installation, else `python -m`.

    git runs the driver through the shell with the user's PATH, which may lack a virtualenv's
    `bin`; when the `mergekit` found on PATH is not this installation's, the driver line names
    this interpreter explicitly.
    """
    found = shutil.which("mergekit")
    if found and _is_this_installation(Path(found)):
        return "mergekit"
    return f"{shlex.quote(str(Path(sys.executable).absolute()))} -m mergekit"


def _is_this_installation(script: Path) -> bool:
    """True when `script` (a console script) runs this interpreter: its shebang or its folder."""
    here = Path(sys.executable).absolute()
    try:
        with script.open("rb") as fh:
            first = fh.readline(500)
        if first.startswith(b"#!"):
            interpreter = first[2:].strip().split(b" ")[0].decode("utf-8", "replace")
            if interpreter and Path(interpreter).exists() and Path(interpreter).samefile(here):
                return True
        return script.resolve().parent.samefile(here.parent)
    except OSError:
        return False


def driver_line(program: str | None = None) -> str:
    """The `merge.mergekit.driver` value."""
    return f"{program or driver_program()} {DRIVER_ARGS}"


def profile_globs() -> tuple[str, ...]:
    """Every glob of every shipped profile, in profile order, without duplicates."""
    from mergekit.resolve.profiles import all_profiles

    seen: dict[str, None] = {}
    for profile in all_profiles():
        for glob in profile.globs:
            if glob.strip() and not any(c.isspace() for c in glob):
                seen.setdefault(glob, None)
    return tuple(seen)


def repository_root(cwd: Path) -> Path:
    """The top of the work tree containing `cwd`."""
    proc = _git(cwd, "rev-parse", "--show-toplevel")
    top = proc.text.strip()
    if proc.returncode != 0 or not top:
        raise MergekitError(
            f"{cwd} is not inside a git work tree: run `mergekit install` in a repository "
            "(or pass -C DIR), or use --global"
        )
    return Path(top)


def global_attributes_file(cwd: Path) -> Path:
    """The global attributes file: `core.attributesFile`, else `$XDG_CONFIG_HOME/git/attributes`."""
    proc = _git(cwd, "config", "--global", "--path", "--get", "core.attributesFile")
    if proc.returncode == 0 and proc.text.strip():
        return Path(proc.text.strip()).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "git" / "attributes"


# --- the managed block -------------------------------------------------------------------------


def split_block(text: str, where: Path) -> tuple[str, str | None, str]:
    """`text` as (before, block, after); block is None when there is no managed block."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == END]
    if not starts and not ends:
        return text, None, ""
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise MergekitError(
            f"{where} has a damaged mergekit block (expected one {BEGIN!r} line and one {END!r} "
            "line after it): fix or delete those lines by hand, then run `mergekit install` again"
        )
    start, end = starts[0], ends[0]
    return "".join(lines[:start]), "".join(lines[start : end + 1]), "".join(lines[end + 1 :])


def user_merge_patterns(text: str) -> set[str]:
    """Patterns that the user's own lines (outside the block) give a merge attribute."""
    found: set[str] = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2 or parts[0].startswith("#"):
            continue
        if any(a in _MERGE_ATTRS or a.startswith("merge=") for a in parts[1:]):
            found.add(parts[0])
    return found


def render_block(globs: tuple[str, ...], newline: str) -> str:
    """The managed block routing `globs` to the driver."""
    lines = [BEGIN, NOTE, *(f"{glob} merge={DRIVER}" for glob in globs), END]
    return "".join(line + newline for line in lines)


def with_block(
    text: str, globs: tuple[str, ...], where: Path
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """`text` with the managed block for `globs`; also the globs used and those the user keeps."""
    before, block, after = split_block(text, where)
    user = user_merge_patterns(before + after)
    used = tuple(g for g in globs if g not in user)
    kept = tuple(g for g in globs if g in user)
    newline = "\r\n" if "\r\n" in text else "\n"
    new_block = render_block(used, newline)
    if block is None:
        return new_block + text, used, kept
    return before + new_block + after, used, kept


def without_block(text: str, where: Path) -> str:
    """`text` with the managed block removed (the user's lines exactly as they were)."""
    before, _block, after = split_block(text, where)
    return before + after


# --- config ------------------------------------------------------------------------------------


def _config_get(cwd: Path, scope: str, key: str) -> str | None:
    proc = _git(cwd, "config", scope, "--get", key)
    return proc.text.rstrip("\n") if proc.returncode == 0 else None


def _config_set(cwd: Path, scope: str, key: str, value: str) -> bool:
    if _config_get(cwd, scope, key) == value:
        return False
    proc = _git(cwd, "config", scope, key, value)
    if proc.returncode != 0:
        raise MergekitError(f"git config {scope} {key} failed: {proc.error} — check the config file")
    return True


def _config_unset(cwd: Path, scope: str) -> bool:
    changed = False
    for key in (f"merge.{DRIVER}.driver", f"merge.{DRIVER}.name"):
        if _config_get(cwd, scope, key) is not None:
            proc = _git(cwd, "config", scope, "--unset-all", key)
            if proc.returncode != 0:
                raise MergekitError(f"git config --unset {key} failed: {proc.error}")
            changed = True
    rest = _git(cwd, "config", scope, "--get-regexp", rf"^merge\.{DRIVER}\.")
    if rest.returncode != 0 or not rest.text.strip():
        # git leaves an empty `[merge "mergekit"]` header behind; drop it when nothing else is there.
        _git(cwd, "config", scope, "--remove-section", f"merge.{DRIVER}")
    return changed


# --- the use case ------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError as exc:
        raise MergekitError(
            f"{path} is not UTF-8: fix its encoding, then run `mergekit install` again"
        ) from exc
    except OSError as exc:
        raise MergekitError(f"cannot read {path}: {exc.strerror}") from exc


def _write_text(path: Path, text: str) -> None:
    try:
        if not text:
            path.unlink(missing_ok=True)
            return
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise MergekitError(f"cannot write {path}: {exc.strerror} — check its permissions") from exc


def install(cwd: Path, *, global_: bool = False, uninstall: bool = False) -> InstallReport:
    """Register (or with `uninstall`, remove) the driver for the repository at `cwd` or globally."""
    if global_:
        scope, flag = "global", "--global"
        if not cwd.is_dir():
            raise MergekitError(f"{cwd} is not a directory: pass an existing directory to -C")
        attributes = global_attributes_file(cwd)
    else:
        scope, flag = "repository", "--local"
        attributes = repository_root(cwd) / ".gitattributes"
    line = driver_line()
    text = _read_text(attributes)
    # The attributes edit is computed first: a damaged block stops the run before anything is written.
    if uninstall:
        new_text = without_block(text, attributes)
        used: tuple[str, ...] = ()
        kept: tuple[str, ...] = ()
        config_changed = _config_unset(cwd, flag)
    else:
        new_text, used, kept = with_block(text, profile_globs(), attributes)
        config_changed = _config_set(cwd, flag, f"merge.{DRIVER}.name", DRIVER_NAME)
        config_changed = _config_set(cwd, flag, f"merge.{DRIVER}.driver", line) or config_changed
    attributes_changed = new_text != text
    if attributes_changed:
        _write_text(attributes, new_text)
    return InstallReport(
        scope=scope,
        uninstall=uninstall,
        driver=line,
        attributes_file=attributes,
        config_changed=config_changed,
        attributes_changed=attributes_changed,
        globs=used,
        kept_user_globs=kept,
    )
