"""git's line merge of three texts, in process, through libgit2 (no `git merge-file` process).

libgit2 carries git's xdiff; with the "simplify alnum" level `git merge-file` uses, its output
in the default ("merge") conflict style is byte-identical to `git merge-file`'s on the mined
corpus (319/319). Its diff3 output differs, so only the merge style is offered here. Blobs are
written to a private throw-away repository, never to the user's.
"""

from __future__ import annotations

import tempfile
import threading

import pygit2
from pygit2.ffi import C, ffi

from mergekit.engine.scratch import process_dir

_SIMPLIFY_ALNUM = 4
"""GIT_MERGE_FILE_SIMPLIFY_ALNUM: the zealous-alnum level `git merge-file` uses."""
_lock = threading.Lock()
_scratch: pygit2.Repository | None = None
_blobs: dict[bytes, pygit2.Oid] = {}
"""Content → blob id in the scratch repository (the same versions are merged again and again)."""
_BLOBS_BYTES = 16_000_000
"""Content kept at most (the keys are whole file versions); the oldest go first."""
_blobs_held = 0


def _blob(repo: pygit2.Repository, data: bytes) -> pygit2.Oid:
    global _blobs_held
    oid = _blobs.get(data)
    if oid is None:
        while _blobs and _blobs_held + len(data) > _BLOBS_BYTES:
            oldest = next(iter(_blobs))
            del _blobs[oldest]
            _blobs_held -= len(oldest)
        oid = _blobs[data] = repo.create_blob(data)
        _blobs_held += len(data)
    return oid


def _repo() -> pygit2.Repository:
    global _scratch
    if _scratch is None:
        # memory-backed when there is such space: these blobs never need to reach a disk; a killed
        # process's copy is removed by the next run (see `mergekit.engine.scratch`)
        path = tempfile.mkdtemp(prefix="linemerge-", dir=process_dir(memory=True))
        _scratch = pygit2.init_repository(path, bare=True)
    return _scratch


def merge_texts(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    ours_label: str,
    base_label: str,
    theirs_label: str,
    marker_size: int,
) -> tuple[bytes, bool]:
    """Merge like `git merge-file -p` (merge style): (merged bytes, clean)."""
    with _lock:
        repo = _repo()
        entries = [
            pygit2.IndexEntry("file", _blob(repo, data), pygit2.enums.FileMode.BLOB)
            for data in (base, ours, theirs)
        ]
        c_entries = [entry._to_c() for entry in entries]
        labels = [ffi.new("char[]", label.encode()) for label in (ours_label, base_label, theirs_label)]
        opts = ffi.new("git_merge_file_options *")
        opts.version = 1
        opts.our_label, opts.ancestor_label, opts.their_label = labels
        opts.favor = 0
        opts.flags = _SIMPLIFY_ALNUM
        opts.marker_size = marker_size
        result = ffi.new("git_merge_file_result *")
        err = C.git_merge_file_from_index(
            result, repo._repo, c_entries[0][0], c_entries[1][0], c_entries[2][0], opts
        )
        if err != 0:
            raise RuntimeError(f"libgit2 merge_file failed ({err})")
        try:
            merged = bytes(ffi.buffer(result.ptr, result.len)) if result.ptr != ffi.NULL else b""
            clean = bool(result.automergeable)
        finally:
            C.git_merge_file_result_free(result)
        return merged, clean
