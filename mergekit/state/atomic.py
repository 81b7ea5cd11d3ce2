"""The one atomic file write: a temporary file beside the target, fsynced, then renamed over it.

Readers (git, an editor, the next mergekit command, a crash) see either the old content or the
whole new content, never a part. Standard library only, so the merge driver can use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one rename, keeping its permission bits.

    A new file gets the usual mode (0o666 less the umask); a symbolic link is followed (the
    link stays, the file it points at is replaced). Missing parent directories are created.
    """
    real = Path(os.path.realpath(target))
    real.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(real.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = real.parent / f".{real.name}.{secrets.token_hex(4)}.mergekit-tmp"
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
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_json(target: Path, data: Any) -> None:
    """Write `data` as indented UTF-8 JSON (one trailing newline), atomically.

    A path that is not UTF-8 (a surrogate escape) is written as its bytes, and read back so with
    `errors="surrogateescape"`.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_atomically(target, text.encode("utf-8", "surrogateescape"))
