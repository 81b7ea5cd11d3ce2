"""The one atomic file write: a temporary file beside the target, fsynced, then renamed over it.

Readers (git, an editor, the next mergekit command, a crash) see either the old content or the
whole new content, never a part. Standard library only, and only `os` at import time: the merge
driver writes OURS through it once per file, so it must not pay for pathlib, secrets or json.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from typing import Any


def write_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    """Replace `target` with `data` in one rename, keeping its permission bits.

    A new file gets the usual mode (0o666 less the umask); a symbolic link is followed (the
    link stays, the file it points at is replaced). Missing parent directories are created.
    """
    real = os.path.realpath(target)
    folder, name = os.path.split(real)
    os.makedirs(folder, exist_ok=True)
    try:
        mode: int | None = os.stat(real).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.mergekit-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:  # noqa: SIM105 - contextlib is one import more for the driver
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_json(target: str | os.PathLike[str], data: Any) -> None:
    """Write `data` as indented UTF-8 JSON (one trailing newline), atomically."""
    import json

    write_atomically(target, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
