"""Patch files as input: which arguments are patches, and the commits a patch file holds.

An argument is a patch when it is `-` (standard input) or names an existing file ending in
`.patch` or `.diff`. A patch file is either `git format-patch` output — one or many mails
(`From <id> Mon Sep 17 00:00:00 2001` separators), each with an author, a date, a subject and
a message before its diff — or a bare diff (`git diff`), which becomes one commit. Pure: no git.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mergekit.errors import MergekitError

PATCH_SUFFIXES = (".patch", ".diff")
"""File name endings that make an argument a patch input."""
STDIN = "-"
"""The argument that reads a patch from standard input."""
STDIN_NAME = "(stdin)"
"""How a patch read from standard input is named in plans and reports."""

_MBOX = re.compile(rb"^From [0-9a-f]{7,64} Mon Sep 17 00:00:00 2001$", re.MULTILINE)
_DIFF_START = re.compile(rb"^(diff --git |--- |Binary files )", re.MULTILINE)
_SUBJECT_TAG = re.compile(r"^\s*(\[[^\]]*\]\s*)+")


@dataclass(frozen=True)
class PatchSource:
    """One patch input: its name in reports and its raw bytes."""

    name: str
    """The file's name (`task-c.patch`), or `(stdin)`."""
    data: bytes
    """The file's content."""


@dataclass(frozen=True)
class PatchCommit:
    """One commit of a patch file: who wrote it, when, the message, and the diff."""

    message: str
    """The commit message (subject, blank line, body); empty for a bare diff."""
    diff: bytes
    """The diff text of this commit."""
    author_name: str | None = None
    """The author's name from the `From:` header (None for a bare diff)."""
    author_email: str | None = None
    """The author's email."""
    author_time: int | None = None
    """The `Date:` header, seconds since the epoch."""
    author_offset: int = 0
    """The `Date:` header's time zone, minutes east of UTC."""


def is_patch_argument(arg: str, cwd: Path) -> bool:
    """True for `-` or an existing file (relative to `cwd`) whose name ends in .patch or .diff."""
    if arg == STDIN:
        return True
    return arg.endswith(PATCH_SUFFIXES) and (cwd / arg).is_file()


def read_sources(args: Sequence[str], cwd: Path, stdin: bytes | None) -> list[PatchSource]:
    """The patch inputs among `args`, read, with names unique among them (`x.patch`, `x.patch#2`)."""
    sources: list[PatchSource] = []
    taken: set[str] = set()
    for arg in args:
        if arg == STDIN:
            if stdin is None:
                raise MergekitError("`-` reads a patch from standard input, but none was given — pipe one in")
            name, data = STDIN_NAME, stdin
        else:
            path = cwd / arg
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise MergekitError(f"cannot read patch {arg}: {exc.strerror} — check the path") from exc
            name = path.name
        unique, n = name, 1
        while unique in taken:
            n += 1
            unique = f"{name}#{n}"
        taken.add(unique)
        sources.append(PatchSource(name=unique, data=data))
    return sources


def split_commits(source: PatchSource) -> list[PatchCommit]:
    """The commits of a patch file, oldest first (mails of a series, or one bare diff).

    Raises MergekitError when the file holds no diff at all.
    """
    data = source.data
    starts = [m.start() for m in _MBOX.finditer(data)]
    if not starts:
        found = _DIFF_START.search(data)
        if found is None:
            raise MergekitError(f"{source.name} is not a patch: it holds no diff — pass `git diff` output")
        return [PatchCommit(message="", diff=data[found.start() :])]
    commits = []
    for begin, end in zip(starts, [*starts[1:], len(data)], strict=True):
        mail = _mail(data[begin:end])
        if mail is not None:
            commits.append(mail)
    if not commits:
        raise MergekitError(f"{source.name} holds mails but no diff — pass `git format-patch` output")
    return commits


def _mail(chunk: bytes) -> PatchCommit | None:
    """One `git format-patch` mail: headers, message, `---`, diffstat, diff."""
    head, _, rest = chunk.partition(b"\n\n")
    headers = _headers(head.split(b"\n", 1)[1] if b"\n" in head else b"")
    found = _DIFF_START.search(rest)
    if found is None:
        return None
    body = rest[: found.start()].decode("utf-8", "replace")
    # the message ends at the first `---` line (the diffstat follows)
    message_lines: list[str] = []
    for line in body.splitlines():
        if line.rstrip() == "---":
            break
        message_lines.append(line)
    subject = _SUBJECT_TAG.sub("", headers.get("subject", "")).strip()
    text = "\n".join(message_lines).strip()
    message = subject + ("\n\n" + text if text else "") + "\n" if subject or text else ""
    import email.utils  # only a mailbox patch needs the mail modules: not at start-up

    name, address = email.utils.parseaddr(headers.get("from", ""))
    when = _date(headers.get("date", ""))
    return PatchCommit(
        message=message,
        diff=rest[found.start() :],
        author_name=name or None,
        author_email=address or None,
        author_time=when[0] if when else None,
        author_offset=when[1] if when else 0,
    )


def _headers(raw: bytes) -> dict[str, str]:
    """Mail headers (lower-case names), with folded lines joined and RFC 2047 words decoded."""
    from email.header import decode_header, make_header

    joined = re.sub(rb"\r?\n[ \t]+", b" ", raw)
    found: dict[str, str] = {}
    for line in joined.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            try:
                decoded = str(make_header(decode_header(value.strip())))
            except (ValueError, LookupError):
                decoded = value.strip()
            found.setdefault(name.strip().lower(), decoded)
    return found


def _date(text: str) -> tuple[int, int] | None:
    """(epoch seconds, offset minutes) of a mail `Date:` header, None when unreadable."""
    if not text:
        return None
    import email.utils

    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return int(moment.timestamp()), minutes
