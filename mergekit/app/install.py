"""`mergekit install`: register the merge driver in git config and route the profiles' files to it.

Two edits, both reversible with `--uninstall`:

- git config (the repository's, or the global one with `--global`), through the git CLI:
  `merge.mergekit.name` and `merge.mergekit.driver` (see `driver_line`);
- an attributes file: one `<glob> merge=mergekit` line per profile glob, inside a managed block
  between `BEGIN` and `END`. Where (`InstallScope`):
  - by default this clone's `info/attributes`, in the common git dir (`git rev-parse --git-path`),
    so every linked worktree shares it; git never commits it, and checkout, reset and stash
    never touch it — the routing cannot silently disappear;
  - `--shared`: the committed `.gitattributes`, for the whole team (each clone still needs the
    config, which plain `mergekit install` writes);
  - `--global`: the global attributes file named by `core.attributesFile`, default
    `$XDG_CONFIG_HOME/git/attributes`.

The managed block goes at the *top* of the file: in gitattributes the last matching line wins,
so every line of the user's own in that file keeps precedence over mergekit's
(`package-lock.json -merge` below the block still applies). `info/attributes` is read after every
`.gitattributes`, so there the block also repeats the merge attributes the work tree's
`.gitattributes` files set (`mergekit.app.gitattributes`), and the user's choices still win.
Lines outside the block are never changed, and a glob the user already gives a merge attribute
is left out of the block. Running install twice changes nothing; uninstall removes exactly the
block (and the file, if nothing else is left in it) and the two config keys. A block that an
earlier version wrote into `.gitattributes` by default keeps working, and plain `--uninstall`
removes it too unless it was committed (then it is the team's: `--uninstall --shared`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from mergekit.app.gitattributes import FILE_NAME, attributes_files, merge_lines
from mergekit.engine.gitcli import GitResult, git_path, run_git
from mergekit.errors import MergekitError
from mergekit.model import InstallScope
from mergekit.state.atomic import write_atomically

BEGIN = "# >>> mergekit >>>"
"""First line of the managed block in an attributes file."""
END = "# <<< mergekit <<<"
"""Last line of the managed block."""
NOTE = "# Managed by `mergekit install`; `mergekit install --uninstall` removes this block."
"""Second line of the block, for people reading the file."""
OWN_LINES_NOTE = (
    "# Your own merge attributes from .gitattributes, repeated here so that they keep precedence:"
)
"""Introduces, inside an `info/attributes` block, the merge attributes repeated from `.gitattributes`."""
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

    scope: InstallScope
    """`clone` (the default), `shared` or `global`."""
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
    own_lines: tuple[str, ...] = ()
    """`clone`: the merge attributes of the work tree's `.gitattributes`, repeated after the routing."""
    gitattributes_block: Path | None = None
    """`clone`: the `.gitattributes` holding a mergekit block too (a shared or an earlier install)."""
    gitattributes_block_committed: bool = False
    """True when the `.gitattributes` block is committed (at HEAD): the team's, left alone by plain
    `--uninstall` (for `shared`: whether HEAD has it)."""
    also_removed: tuple[Path, ...] = ()
    """`--uninstall`: other files whose block went too (an earlier install's uncommitted block)."""
    config_kept: bool = False
    """`--uninstall --shared`: the config stays, because this clone's own install still uses it."""

    @property
    def changed(self) -> bool:
        """True when anything was written."""
        return self.config_changed or self.attributes_changed or bool(self.also_removed)


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


def profile_globs(root: Path | None = None) -> tuple[str, ...]:
    """Every glob of every shipped profile (and of the repository's own profiles in
    `<root>/.mergekit/grammars/`), in profile order, without duplicates."""
    from mergekit.resolve.repository import every_profile

    seen: dict[str, None] = {}
    for profile in (s.profile for s in every_profile(root)):
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


def clone_attributes_file(cwd: Path) -> Path:
    """This clone's `info/attributes`: in the common git dir, so every linked worktree reads it."""
    return git_path(cwd, "info/attributes")


def own_merge_lines(root: Path) -> tuple[str, ...]:
    """The merge attributes the work tree's `.gitattributes` files set outside mergekit's block,
    as lines that read from the top (what `info/attributes` repeats so that they keep precedence)."""
    files = []
    for name in attributes_files(root):
        path = root / name
        before, _block, after = split_block(_read_text(path), path)
        files.append((name, before + after))
    return merge_lines(files)


def committed_block(root: Path) -> bool:
    """True when the top `.gitattributes` committed at HEAD holds mergekit's block."""
    proc = _git(root, "show", f"HEAD:{FILE_NAME}")
    return proc.returncode == 0 and any(line.rstrip("\r") == BEGIN for line in proc.text.splitlines())


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


def render_block(globs: tuple[str, ...], newline: str, own_lines: tuple[str, ...] = ()) -> str:
    """The managed block routing `globs` to the driver, then repeating `own_lines`."""
    own = [OWN_LINES_NOTE, *own_lines] if own_lines else []
    lines = [BEGIN, NOTE, *(f"{glob} merge={DRIVER}" for glob in globs), *own, END]
    return "".join(line + newline for line in lines)


def with_block(
    text: str, globs: tuple[str, ...], where: Path, own_lines: tuple[str, ...] = ()
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """`text` with the managed block for `globs` (and `own_lines` repeated after them); also the
    globs used and those the user keeps."""
    before, block, after = split_block(text, where)
    user = user_merge_patterns(before + after) | {line.split()[0] for line in own_lines}
    used = tuple(g for g in globs if g not in user)
    kept = tuple(g for g in globs if g in user)
    newline = "\r\n" if "\r\n" in text else "\n"
    new_block = render_block(used, newline, own_lines)
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


def _scope_files(cwd: Path, scope: InstallScope) -> tuple[str, Path, Path | None]:
    """The git config flag, the attributes file and the top of the work tree (None: global)."""
    if scope is InstallScope.GLOBAL:
        if not cwd.is_dir():
            raise MergekitError(f"{cwd} is not a directory: pass an existing directory to -C")
        return "--global", global_attributes_file(cwd), None
    root = repository_root(cwd)
    if scope is InstallScope.SHARED:
        return "--local", root / FILE_NAME, root
    return "--local", clone_attributes_file(cwd), root


def install(cwd: Path, *, scope: InstallScope = InstallScope.CLONE, uninstall: bool = False) -> InstallReport:
    """Register (or with `uninstall`, remove) the driver for this clone, the team, or globally."""
    flag, attributes, root = _scope_files(cwd, scope)
    line = driver_line()
    text = _read_text(attributes)
    shared = root / FILE_NAME if root is not None and scope is InstallScope.CLONE else None
    shared_text = _read_text(shared) if shared is not None else ""
    shared_block = shared is not None and split_block(shared_text, shared)[1] is not None
    in_head = root is not None and committed_block(root)
    shared_committed = shared_block and in_head
    # Every attributes edit is computed first: a damaged block stops the run before anything is written.
    own: tuple[str, ...] = ()
    removed: tuple[Path, ...] = ()
    config_kept = False
    if uninstall:
        new_text = without_block(text, attributes)
        used: tuple[str, ...] = ()
        kept: tuple[str, ...] = ()
        if shared is not None and shared_block and not shared_committed:
            _write_text(shared, without_block(shared_text, shared))  # an earlier default install's block
            removed = (shared,)
        if scope is InstallScope.SHARED and _has_block(clone_attributes_file(cwd)):
            config_kept, config_changed = True, False
        else:
            config_changed = _config_unset(cwd, flag)
    else:
        if scope is InstallScope.CLONE and root is not None:
            own = own_merge_lines(root)
        new_text, used, kept = with_block(text, profile_globs(root), attributes, own)
        config_changed = _config_set(cwd, flag, f"merge.{DRIVER}.name", DRIVER_NAME)
        config_changed = _config_set(cwd, flag, f"merge.{DRIVER}.driver", line) or config_changed
    attributes_changed = new_text != text
    if attributes_changed:
        attributes.parent.mkdir(parents=True, exist_ok=True)
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
        own_lines=own,
        gitattributes_block=shared if shared_block and not removed else None,
        gitattributes_block_committed=in_head if scope is InstallScope.SHARED else shared_committed,
        also_removed=removed,
        config_kept=config_kept,
    )


def _has_block(path: Path) -> bool:
    """True when the attributes file at `path` holds mergekit's block."""
    return split_block(_read_text(path), path)[1] is not None
