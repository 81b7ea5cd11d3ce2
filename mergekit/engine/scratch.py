"""Scratch space that a killed run cannot leak: one directory per process, in a fixed per-user place.

Dry runs, predictions and line merges write throw-away files (objects, file contents). Each
process keeps them in its own directory, `<temp>/mergekit-<uid>/<pid>-<random>/`, holding an
exclusive `flock` on a `.lock` file inside for as long as it lives; the directory is removed at
exit. A process killed with SIGKILL cannot remove it, but the kernel drops its lock, so the next
mergekit process that needs scratch space finds the directory unlocked and removes it. `<temp>`
is `$TMPDIR` (or the system temp folder); line merges ask for memory-backed space, `/dev/shm`,
unless `$TMPDIR` says where temporary files go.

Standard library only, like `mergekit.engine.gitcli`: the resolver's `git merge-file` runs and so
the merge driver use it, and must not load pygit2.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

LOCK = ".lock"
"""The file each live process holds an exclusive lock on, inside its directory."""
STARTING_GRACE = 60.0
"""Seconds a directory without a lock file is left alone (its process may be creating it)."""
LEGACY_PREFIXES = ("mergekit-linemerge-", "mergekit-scratch-")
"""Names older mergekit versions gave their scratch directories, directly in the temp folders."""
LEGACY_AGE = 24 * 3600.0
"""Seconds after which a legacy scratch directory of this user is taken for a killed run's."""

_mine: dict[Path, tuple[Path, int]] = {}
"""Root → (this process's directory in it, the descriptor holding its lock)."""


def root(memory: bool = False) -> Path:
    """Where this user's mergekit processes keep their scratch directories."""
    base = tempfile.gettempdir()
    shm = "/dev/shm"
    if memory and not os.environ.get("TMPDIR") and os.path.isdir(shm) and os.access(shm, os.W_OK):
        base = shm
    return Path(base) / f"mergekit-{os.getuid()}"


def process_dir(memory: bool = False) -> Path:
    """This process's own scratch directory (made on first use, removed at exit).

    Making it also removes what killed processes left behind. When the per-user folder cannot
    be trusted (another user's, a symlink, open to others), a private temporary directory is
    used instead, removed at exit too.
    """
    where = root(memory)
    held = _mine.get(where)
    if held is not None and held[0].is_dir():
        return held[0]
    if not _own_private_dir(where):
        path = Path(tempfile.mkdtemp(prefix="mergekit-", dir=where.parent))
        _mine[where] = (path, -1)
        atexit.register(shutil.rmtree, path, True)
        return path
    sweep(where)
    path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=where))
    fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _mine[where] = (path, fd)
    atexit.register(_release, path, fd)
    return path


def sweep(where: Path) -> list[Path]:
    """Remove the directories in `where` whose process is gone; return them."""
    removed: list[Path] = []
    try:
        children = list(where.iterdir())
    except OSError:
        return removed
    for child in children:
        if child.is_symlink() or not child.is_dir() or any(child == held[0] for held in _mine.values()):
            continue
        if _abandoned(child):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def _abandoned(child: Path) -> bool:
    """True when no live process holds `child`'s lock (or it never got one, long ago)."""
    try:
        fd = os.open(child / LOCK, os.O_RDWR)
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            return time.time() - child.stat().st_mtime > STARTING_GRACE
        return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live process holds it
    finally:
        os.close(fd)
    return True


def _sweep_legacy(folder: Path) -> list[Path]:
    """Remove this user's day-old scratch directories of older mergekit versions in `folder`."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(LEGACY_PREFIXES):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and now - info.st_mtime > LEGACY_AGE:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    return removed


def _own_private_dir(path: Path) -> bool:
    """Make `path` (mode 700) if needed; True when it is a real directory only this user can use.

    The first time it is made, older versions' leftovers next to it are swept too.
    """
    with contextlib.suppress(FileExistsError, OSError):
        path.mkdir(mode=0o700)
        _sweep_legacy(path.parent)
    try:
        info = path.lstat()
    except OSError:
        return False
    private = stat.S_IMODE(info.st_mode) & 0o077 == 0
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and private


def _release(path: Path, fd: int) -> None:
    """At exit: remove this process's directory, then let go of its lock."""
    if os.getpid() != _owner(path):
        return  # a forked child exits; the directory is its parent's
    shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.close(fd)


def _owner(path: Path) -> int:
    """The process id a scratch directory was made for (its name starts with it)."""
    head = path.name.split("-", 1)[0]
    return int(head) if head.isdigit() else -1
