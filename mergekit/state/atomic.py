"""The one atomic file write: a temporary file beside the target, fsynced, then renamed over it.

Readers (git, an editor, the next mergekit command, a crash) see either the old content or the
whole new content, never a part. `create_atomically` makes a file that must not exist yet the
same way (hard-linked into place instead of renamed), so it is never seen empty either.

The temporary file is named `.<target>.<pid>-<random>.mergekit-tmp`: a process killed between
writing and renaming it (the driver next to OURS, a command writing run.json) leaves it behind,
and `sweep_leftovers` removes such files once the process that wrote them is gone. Each process
sweeps every folder it writes into, once, and the run's state folder on every load.

Standard library only, and only `os` at import time: the merge driver writes OURS through it
once per file, so it must not pay for pathlib, re, secrets or json.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

TMP_SUFFIX = ".mergekit-tmp"
"""How every temporary file of an atomic write ends."""
_NO_LINKS = (1, 95, 18, 31)
"""`link()` failures (EPERM, EOPNOTSUPP/ENOTSUP, EXDEV, EMLINK) that mean the filesystem makes no
hard links, not that the target exists; numbers so that the driver does without `errno`."""
_swept: set[str] = set()
"""Folders this process has swept already."""


def _temporary(real: str, mode: int) -> tuple[str, int]:
    """A new temporary file beside `real` (its name carries this process's id) and its descriptor."""
    folder, name = os.path.split(real)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{os.urandom(4).hex()}{TMP_SUFFIX}")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue


def _fill(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _unlink_quietly(path: str) -> None:
    try:  # noqa: SIM105 - contextlib is one import more for the driver
        os.unlink(path)
    except OSError:
        pass


def write_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    """Replace `target` with `data` in one rename, keeping its permission bits.

    A new file gets the usual mode (0o666 less the umask); a symbolic link is followed (the
    link stays, the file it points at is replaced). Missing parent directories are created.
    """
    real = os.path.realpath(target)
    folder = os.path.dirname(real)
    os.makedirs(folder, exist_ok=True)
    sweep_leftovers(folder, once=True)
    try:
        mode: int | None = os.stat(real).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp, fd = _temporary(real, 0o666 if mode is None else 0o600)
    try:
        _fill(fd, data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def create_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    """Create `target` holding `data`; `FileExistsError` when it exists (even one made right now).

    The data is written to a temporary file (fsynced) that is then hard-linked as `target`, so
    nobody — another mergekit, a crash — ever sees `target` empty or partly written. On a
    filesystem without hard links it is created exclusively and filled in place.
    """
    path = os.fspath(target)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    sweep_leftovers(folder, once=True)
    tmp, fd = _temporary(os.path.abspath(path), 0o666)
    try:
        _fill(fd, data)
        try:
            os.link(tmp, path)
            return
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
    finally:
        _unlink_quietly(tmp)
    _fill(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), data)


def write_json(target: str | os.PathLike[str], data: Any) -> None:
    """Write `data` as indented UTF-8 JSON (one trailing newline), atomically.

    A path that is not UTF-8 (a surrogate escape) is written as its bytes, and read back so with
    `errors="surrogateescape"`.
    """
    write_atomically(target, json_bytes(data))


def json_bytes(data: Any) -> bytes:
    """`data` as the bytes `write_json` writes."""
    import json

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
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat_line = handle.read()
    except OSError:
        return ""
    # the command name (2nd field) is in parentheses and may hold spaces: split after its end
    fields = stat_line[stat_line.rfind(b")") + 2 :].split()
    return fields[19].decode("ascii", "replace") if len(fields) > 19 else ""


def _writer(name: str) -> int | None:
    """The process id in a temporary file's name (`.<target>.<pid>-<8 hex>.mergekit-tmp`), or None
    when the name is not one `write_atomically` makes."""
    if not (name.startswith(".") and name.endswith(TMP_SUFFIX)):
        return None
    stem = name[: -len(TMP_SUFFIX)]
    dot = stem.rfind(".")
    if dot <= 1:
        return None
    pid, dash, token = stem[dot + 1 :].partition("-")
    if not (dash and pid.isdigit() and pid.isascii() and len(token) == 8):
        return None
    if any(c not in "0123456789abcdef" for c in token):
        return None
    return int(pid)


def sweep_leftovers(folder: str | os.PathLike[str], *, once: bool = False) -> list[Path]:
    """Remove the temporary files of atomic writes in `folder` whose process is gone; return them.

    Only this user's regular files named as `write_atomically` names them are looked at, and
    one whose process still runs is left alone (it may be renaming it right now). With `once`,
    a folder this process swept already is not looked at again (writes sweep so).
    """
    key = os.fspath(folder)
    removed: list[str] = []
    if not (once and key in _swept):
        _swept.add(key)
        try:
            entries = list(os.scandir(key))
        except OSError:
            entries = []
        for entry in entries:
            pid = _writer(entry.name) if entry.name.endswith(TMP_SUFFIX) else None
            if pid is None or process_alive(pid):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if (info.st_mode & 0o170000) == 0o100000 and info.st_uid == os.getuid():
                    os.unlink(entry.path)
                    removed.append(entry.path)
            except OSError:
                pass
    if not removed:
        return []
    from pathlib import Path

    return [Path(path) for path in removed]
