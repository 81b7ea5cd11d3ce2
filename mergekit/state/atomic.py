"""The one atomic file write: a temporary file beside the target, fsynced, then renamed over it.

Readers (git, an editor, the next mergekit command, a crash) see either the old content or the
whole new content, never a part. `create_atomically` makes a file that must not exist yet the
same way (hard-linked into place instead of renamed), so it is never seen empty either.

The temporary file is named `.<target>.<pid>-<random>.mergekit-tmp`: a process killed between
writing and renaming it (the driver next to OURS, a command writing run.json) leaves it behind,
and `sweep_leftovers` removes such files once the process that wrote them is gone. Each process
sweeps every folder it writes into, once, and the run's state folder on every load. Standard
library only, so the merge driver can use it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any

TMP_SUFFIX = ".mergekit-tmp"
"""How every temporary file of an atomic write ends."""
_LEFTOVER = re.compile(r"\..+\.(\d+)-[0-9a-f]{8}" + re.escape(TMP_SUFFIX))
"""A temporary file's name; group 1 is the process id that wrote it."""
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)
"""`link()` failures that mean the filesystem makes no hard links (not that the target exists)."""
_swept: set[Path] = set()
"""Folders this process has swept already."""


def _temporary(real: Path, mode: int) -> tuple[Path, int]:
    """A new temporary file beside `real` (its name carries this process's id) and its descriptor."""
    while True:
        tmp = real.parent / f".{real.name}.{os.getpid()}-{secrets.token_hex(4)}{TMP_SUFFIX}"
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue


def _fill(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one rename, keeping its permission bits.

    A new file gets the usual mode (0o666 less the umask); a symbolic link is followed (the
    link stays, the file it points at is replaced). Missing parent directories are created.
    """
    real = Path(os.path.realpath(target))
    real.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(real.parent, once=True)
    try:
        mode: int | None = stat.S_IMODE(real.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp, fd = _temporary(real, 0o666 if mode is None else 0o600)
    try:
        _fill(fd, data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def create_atomically(target: Path, data: bytes) -> None:
    """Create `target` holding `data`; `FileExistsError` when it exists (even one made right now).

    The data is written to a temporary file (fsynced) that is then hard-linked as `target`, so
    nobody — another mergekit, a crash — ever sees `target` empty or partly written. On a
    filesystem without hard links it is created exclusively and filled in place.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(target.parent, once=True)
    tmp, fd = _temporary(target, 0o666)
    try:
        _fill(fd, data)
        try:
            os.link(tmp, target)
            return
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _fill(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), data)


def write_json(target: Path, data: Any) -> None:
    """Write `data` as indented UTF-8 JSON (one trailing newline), atomically.

    A path that is not UTF-8 (a surrogate escape) is written as its bytes, and read back so with
    `errors="surrogateescape"`.
    """
    write_atomically(target, json_bytes(data))


def json_bytes(data: Any) -> bytes:
    """`data` as the bytes `write_json` writes."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "surrogateescape")


def process_alive(pid: int, started: str = "") -> bool:
    """True while process `pid` runs (on this host), whoever owns it.

    With `started` (what `process_started` said of it), a process that got the same id since
    — ids are reused — is not taken for it.
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process
    return not started or process_started(pid) in ("", started)


def process_started(pid: int) -> str:
    """When process `pid` started, in the kernel's clock ticks since boot ("" where unknown)."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return ""
    # the command name (2nd field) is in parentheses and may hold spaces: split after its end
    fields = stat_line[stat_line.rfind(b")") + 2 :].split()
    return fields[19].decode("ascii", "replace") if len(fields) > 19 else ""


def sweep_leftovers(folder: Path, *, once: bool = False) -> list[Path]:
    """Remove the temporary files of atomic writes in `folder` whose process is gone; return them.

    Only this user's regular files named as `write_atomically` names them are looked at, and
    one whose process still runs is left alone (it may be renaming it right now). With `once`,
    a folder this process swept already is not looked at again (writes sweep so).
    """
    removed: list[Path] = []
    if once and folder in _swept:
        return removed
    _swept.add(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _LEFTOVER.fullmatch(entry.name) if entry.name.endswith(TMP_SUFFIX) else None
        if found is None or process_alive(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
