"""Open a repository and answer questions about it: revisions, branches, ancestry, objects, refs.

`Repo` wraps a pygit2 repository and speaks only plain values (hex ids, names, paths). It
writes objects (blobs, trees, commits) and moves refs with compare-and-swap; it never touches
a work tree or an index on disk. A `scratch` repository sends every object it writes to a
temporary directory, so dry runs and predictions leave the object store untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pygit2

from mergekit.engine.fastmerge import apply_edits
from mergekit.engine.fastmerge import changed_paths as tree_changes
from mergekit.engine.scratch import process_dir
from mergekit.engine.types import MODE_EXEC, MODE_FILE, Identity, WorktreeInfo
from mergekit.errors import MergekitError

_LOCAL = "refs/heads/"
_REMOTE = "refs/remotes/"


_DOT_GIT = re.compile(r"(\.git[. ]*|git~1)", re.IGNORECASE)
"""`.git` in any case, also as Windows spells it (`.git.`, `.git `, `GIT~1`)."""


def invalid_path(path: str) -> bool:
    """True for a path git refuses in a work tree: an empty, `.` or `..` part, or a `.git` part."""
    return any(part in ("", ".", "..") or _DOT_GIT.fullmatch(part) for part in path.split("/"))


def first_invalid_path(paths: Iterable[str]) -> str | None:
    """The first (sorted) of `paths` that git refuses, None when all are fine."""
    return next((p for p in sorted(paths) if invalid_path(p)), None)


class InvalidEntry(MergekitError):
    """A branch's tree holds a path git refuses to check out (hostile or damaged history)."""

    def __init__(self, branch: str, path: str) -> None:
        super().__init__(
            f"branch {branch!r} holds {path!r}, a path git refuses to check out — rewrite its commits "
            "without that entry, or leave the branch out"
        )


def open_repo(path: str | os.PathLike[str], *, verify_objects: bool = False) -> Repo:
    """Open the repository containing `path` (any directory inside a repository or linked worktree).

    `verify_objects` turns on libgit2's check that every object a new tree or commit names
    exists. mergekit writes trees and commits only from objects it has just read or written, so
    the check only costs time; it is a process-wide libgit2 option, set here on every open.
    """
    pygit2.settings.enable_strict_object_creation(verify_objects)
    start = Path(path).resolve()
    if not start.exists():
        raise MergekitError(f"{start} does not exist — pass a directory inside a git repository")
    found = pygit2.discover_repository(str(start))
    if found is None:
        raise MergekitError(f"{start} is not a git repository — run mergekit inside a repository")
    try:
        raw = pygit2.Repository(found)
    except pygit2.GitError as exc:
        raise _open_error(Path(found), exc) from exc
    return Repo(raw)


def _open_error(git_dir: Path, exc: pygit2.GitError) -> MergekitError:
    """Why libgit2 cannot open `git_dir`, as one line that says what to do."""
    if "object format" in str(exc):
        return MergekitError(
            f"{git_dir} uses SHA-256 object ids, which mergekit cannot read yet (libgit2 "
            f"{pygit2.LIBGIT2_VERSION} reads SHA-1 repositories only) — use plain git here; the merge "
            "driver (`mergekit install`) works in SHA-256 repositories"
        )
    return MergekitError(f"cannot open the repository at {git_dir} ({exc}) — check it with `git fsck`")


class RefMoved(MergekitError):
    """A compare-and-swap ref update found the ref somewhere other than expected."""


class RefLocked(MergekitError):
    """Another git process holds the lock of a ref (or of packed-refs) mergekit must write."""


_LOCK_FAILURE = re.compile(r"failed to lock file '([^']+)'")


def _ref_write_error(refname: str, exc: Exception) -> MergekitError:
    """What a failed ref write means for the user: a held lock (retry), or a moved ref."""
    held = _LOCK_FAILURE.search(str(exc))
    if held is not None:
        return RefLocked(
            f"another git process holds {held.group(1)}; retry when it has finished "
            "(if no git process is running, delete that file)"
        )
    return RefMoved(f"{refname} moved while mergekit was working — run again")


FETCH_MORE = (
    "fetch more history (`git fetch --unshallow`, or `git fetch --deepen=200`; in GitHub Actions "
    "set `fetch-depth: 0` on actions/checkout)"
)
"""What to do about a merge base a shallow clone cut off."""


class ShallowHistory(MergekitError):
    """Two commits have no merge base in a shallow clone: their history is cut, not unrelated."""

    def __init__(self, ours: str, theirs: str) -> None:
        super().__init__(f"{ours} and {theirs} have no merge base in this shallow clone — {FETCH_MORE}")
        self.ours = ours
        self.theirs = theirs


class Repo:
    """A repository, seen through plain values."""

    def __init__(self, raw: pygit2.Repository) -> None:
        self._raw = raw
        self._common_dir = self._find_common_dir()
        self._bases: dict[tuple[str, str], str | None] = {}
        self._trees: dict[str, pygit2.Tree] = {}
        self._changed: dict[tuple[str | None, str], frozenset[str]] = {}

    @property
    def raw(self) -> pygit2.Repository:
        """The pygit2 repository (for the engine's own modules only)."""
        return self._raw

    # -- locations -------------------------------------------------------------------------

    @property
    def git_dir(self) -> Path:
        """This worktree's git dir (`.git`, or `.git/worktrees/<name>` in a linked worktree)."""
        return Path(self._raw.path).resolve()

    @property
    def common_dir(self) -> Path:
        """The git dir shared by all worktrees (where refs, objects and mergekit's state live)."""
        return self._common_dir

    def _find_common_dir(self) -> Path:
        commondir = self.git_dir / "commondir"
        if commondir.is_file():
            target = Path(commondir.read_text(encoding="utf-8").strip())
            return (target if target.is_absolute() else self.git_dir / target).resolve()
        return self.git_dir

    @property
    def workdir(self) -> Path | None:
        """The top of the work tree this repository was opened from, None when bare."""
        wd = self._raw.workdir
        return Path(wd).resolve() if wd else None

    @contextmanager
    def scratch(self) -> Iterator[Repo]:
        """A second view of this repository whose object writes go to a throw-away directory."""
        tmp = tempfile.mkdtemp(prefix="scratch-", dir=process_dir())
        try:
            raw = pygit2.Repository(self._raw.path)
            raw.odb.add_backend(pygit2.OdbBackendLoose(tmp, 1, False), 1_000_000)
            yield Repo(raw)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # -- revisions and branches --------------------------------------------------------------

    def resolve_commit(self, rev: str) -> str | None:
        """The commit `rev` names (branch, remote-tracking branch, tag, id...), None if none."""
        for candidate in (_LOCAL + rev, _REMOTE + rev):
            tip = self.ref_target(candidate)
            if tip is not None:
                return self._peel_commit(tip)
        try:
            obj = self._raw.revparse_single(rev)
        except (KeyError, ValueError, pygit2.GitError):
            return None
        return self._peel_commit(str(obj.id))

    def _peel_commit(self, oid: str) -> str | None:
        try:
            obj = self._raw.get(oid)
            if obj is None:
                return None
            return str(obj.peel(pygit2.Commit).id)
        except (ValueError, pygit2.GitError, pygit2.InvalidSpecError):
            return None

    def branch_names(self) -> tuple[list[str], list[str]]:
        """Local branch names and remote-tracking names (`origin/x`, without `origin/HEAD`)."""
        local: list[str] = []
        remote: list[str] = []
        for name in self._raw.references:
            if name.startswith(_LOCAL):
                local.append(name[len(_LOCAL) :])
            elif name.startswith(_REMOTE) and not name.endswith("/HEAD"):
                remote.append(name[len(_REMOTE) :])
        return sorted(local), sorted(remote)

    def branch_ref(self, name: str) -> str | None:
        """The full ref of branch `name`: a local branch first, then a remote-tracking one."""
        for candidate in (_LOCAL + name, _REMOTE + name):
            if self.ref_target(candidate) is not None:
                return candidate
        return None

    def ref_target(self, refname: str) -> str | None:
        """The object a direct ref points at (symbolic refs are followed), None if absent."""
        try:
            ref = self._raw.references.get(refname)
        except (ValueError, pygit2.InvalidSpecError):
            return None
        if ref is None:
            return None
        try:
            return str(ref.resolve().target)
        except (KeyError, pygit2.GitError):
            return None

    def is_valid_branch_name(self, name: str) -> bool:
        """True when `refs/heads/<name>` is a well-formed ref name."""
        return bool(name) and not name.startswith("-") and pygit2.reference_is_valid_name(_LOCAL + name)

    # -- ancestry ----------------------------------------------------------------------------

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """True when `ancestor` is reachable from `descendant` (a commit is its own ancestor)."""
        if ancestor == descendant:
            return True
        return bool(self._raw.descendant_of(descendant, ancestor))

    @property
    def is_shallow(self) -> bool:
        """True in a shallow clone (history is cut off at the commits listed in `shallow`)."""
        return bool(self._raw.is_shallow)

    def merge_base(self, ours: str, theirs: str) -> str | None:
        """The best common ancestor of two commits, None when they share no history.

        In a shallow clone "no merge base found" means the history between them was cut off,
        not that they are unrelated: that raises `ShallowHistory` (merging against an empty
        base would bring back every file either side deleted). Kept (commits never change):
        `check` and `plan` ask about every pair several times.
        """
        key = (ours, theirs)
        if key not in self._bases:
            base = self._raw.merge_base(ours, theirs)
            if base is None and self.is_shallow:
                raise ShallowHistory(ours[:12], theirs[:12])
            self._bases[key] = str(base) if base is not None else None
        return self._bases[key]

    def commit_tree(self, commit: str) -> str:
        """The tree of a commit."""
        return str(self._commit(commit).tree_id)

    def commit_parents(self, commit: str) -> list[str]:
        """The parent ids of a commit, in order."""
        return [str(p) for p in self._commit(commit).parent_ids]

    def commit_message(self, commit: str) -> str:
        """The full message of a commit (bytes that are not UTF-8 kept as surrogate escapes)."""
        return bytes(self._commit(commit).raw_message).decode("utf-8", "surrogateescape")

    def commit_subjects(self, base: str, tip: str) -> list[str]:
        """Subjects of the commits reachable from `tip` but not from `base`, oldest first."""
        walker = self._raw.walk(tip, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE)
        walker.hide(base)
        return [str(c.message).split("\n", 1)[0] for c in walker]

    def changed_paths(self, old_commit: str | None, new_commit: str) -> frozenset[str]:
        """Paths whose entry differs between two commits' trees (all paths when `old_commit` is None).

        Kept per pair of commits. When the answer for `new_commit`'s first parent is known (an
        integration run asks about BASE and each step's result in turn), only what the commit itself
        changed is looked at again: the cost stays that of one step, however much was merged before.
        """
        key = (old_commit, new_commit)
        found = self._changed.get(key)
        if found is not None:
            return found
        new = self._commit(new_commit)
        parents = new.parent_ids
        prior = self._changed.get((old_commit, str(parents[0]))) if parents and old_commit else None
        if prior is not None and old_commit is not None:
            parent = self._commit(str(parents[0]))
            step = tree_changes(self._raw, parent.tree_id, new.tree_id)
            old_tree, new_tree = self._commit(old_commit).tree, new.tree
            found = (prior - step) | {p for p in step if _leaf_differs(old_tree, new_tree, p)}
        else:
            old_tree_id = self._commit(old_commit).tree_id if old_commit is not None else None
            found = tree_changes(self._raw, old_tree_id, new.tree_id)
        if len(self._changed) >= 1024:
            self._changed.clear()
        self._changed[key] = found
        return found

    def footprint(self, base: str, tip: str) -> frozenset[str]:
        """Paths `tip` changed since its merge base with `base`."""
        return self.changed_paths(self.merge_base(base, tip), tip)

    def is_commit(self, oid: str) -> bool:
        """True when the object store holds commit `oid`."""
        try:
            return isinstance(self._raw.get(oid), pygit2.Commit)
        except (ValueError, pygit2.GitError):
            return False

    def _commit(self, oid: str) -> pygit2.Commit:
        obj = self._raw.get(oid)
        if not isinstance(obj, pygit2.Commit):
            raise MergekitError(f"{oid} is not a commit")
        return obj

    # -- objects -----------------------------------------------------------------------------

    def read_blob(self, oid: str) -> bytes:
        """The bytes of a blob."""
        obj = self._raw.get(oid)
        if not isinstance(obj, pygit2.Blob):
            raise MergekitError(f"{oid} is not a blob")
        return bytes(obj.data)

    def read_path(self, commit: str, path: str) -> bytes | None:
        """The content of `path` in `commit`, None when absent or not a blob."""
        return self.read_tree_path(str(self._commit(commit).tree_id), path)

    def read_tree_path(self, tree_id: str, path: str) -> bytes | None:
        """The content of `path` in tree `tree_id`, None when absent or not a blob."""
        tree = self._raw.get(tree_id)
        if not isinstance(tree, pygit2.Tree):
            raise MergekitError(f"{tree_id} is not a tree")
        try:
            entry = tree[path]
        except KeyError:
            return None
        obj = self._raw.get(entry.id)
        return bytes(obj.data) if isinstance(obj, pygit2.Blob) else None

    def path_ids(self, commit: str, paths: Iterable[str]) -> dict[str, str | None]:
        """The object id of each path in `commit` (None when absent)."""
        tree = self._trees.get(commit)
        if tree is None:  # kept: check and plan look up paths of the same tips for every pair
            if len(self._trees) >= 1024:
                self._trees.clear()
            tree = self._trees[commit] = self._commit(commit).tree
        result: dict[str, str | None] = {}
        for path in paths:
            try:
                result[path] = str(tree[path].id)
            except KeyError:
                result[path] = None
        return result

    def write_blob(self, data: bytes) -> str:
        """Store `data` as a blob; return its id."""
        return str(self._raw.create_blob(data))

    def tree_with_files(self, tree: str, files: Mapping[str, bytes | None]) -> str:
        """Write a copy of `tree` where each path of `files` holds the given bytes (None = removed).

        A path that exists keeps its mode (executable stays executable); a new path is a regular file.
        """
        base = self._raw.get(tree)
        if not isinstance(base, pygit2.Tree):
            raise MergekitError(f"{tree} is not a tree")
        edits: dict[str, tuple[pygit2.Oid, int] | None] = {}
        for path, data in files.items():
            if data is None:
                edits[path] = None
                continue
            try:
                mode = MODE_EXEC if int(base[path].filemode) == MODE_EXEC else MODE_FILE
            except KeyError:
                mode = MODE_FILE
            edits[path] = (self._raw.create_blob(data), mode)
        return str(apply_edits(self._raw, base.id, edits))

    def create_commit(
        self, tree: str, parents: list[str], message: str, author: Identity | None = None
    ) -> str:
        """Write a commit (no ref moves); return its id.

        The committer is the configured identity; so is the author unless `author` is given
        (a patch's or a replayed commit's author).
        """
        if author is None:
            signed = self._signature("AUTHOR")
        else:
            signed = pygit2.Signature(author.name, author.email, author.time, author.offset)
        committer = self._signature("COMMITTER")
        # a message may name paths that are not UTF-8 (surrogate escapes): git keeps their bytes
        raw = message.encode("utf-8", "surrogateescape")
        oid = self._raw.create_commit(None, signed, committer, raw, pygit2.Oid(hex=tree), parents)
        return str(oid)

    def _signature(self, role: str) -> pygit2.Signature:
        """git's identity rules: GIT_<role>_NAME/EMAIL/DATE, then user.name/email, then mergekit."""
        name = os.environ.get(f"GIT_{role}_NAME") or self._config("user.name") or "mergekit"
        email = os.environ.get(f"GIT_{role}_EMAIL") or self._config("user.email") or "mergekit@localhost"
        when = _parse_git_date(os.environ.get(f"GIT_{role}_DATE", ""))
        if when is None:
            return pygit2.Signature(name, email)
        return pygit2.Signature(name, email, when[0], when[1])

    def _config_bool(self, key: str) -> bool:
        try:
            return bool(self._raw.config.get_bool(key))
        except (KeyError, pygit2.GitError):
            return False

    def _config(self, key: str) -> str | None:
        try:
            return str(self._raw.config[key])
        except (KeyError, pygit2.GitError):
            return None

    # -- refs --------------------------------------------------------------------------------

    def update_ref(self, refname: str, new: str, expected: str | None, message: str) -> None:
        """Point `refname` at `new` only if it currently points at `expected` (None = absent)."""
        # the reflog takes text: bytes of a name that is not UTF-8 are written as \xNN there
        message = message.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        current = self.ref_target(refname)
        if current != expected:
            raise RefMoved(
                f"{refname} moved while mergekit was working (expected {expected or 'no ref'}, "
                f"found {current or 'no ref'}) — check who else updates it, then run again"
            )
        if expected is None:
            try:
                self._raw.create_reference_direct(refname, pygit2.Oid(hex=new), False, message=message)
            except (ValueError, pygit2.AlreadyExistsError) as exc:
                raise RefMoved(f"{refname} appeared while mergekit was working — run again") from exc
            except OSError as exc:  # libgit2 reports a held lock as an OSError
                raise _ref_write_error(refname, exc) from exc
            return
        ref = self._raw.references[refname]
        if str(ref.target) != expected:  # the compare; libgit2 swaps against this loaded value
            raise RefMoved(f"{refname} moved while mergekit was working — run again")
        try:
            ref.set_target(new, message)
        except (OSError, pygit2.GitError) as exc:
            raise _ref_write_error(refname, exc) from exc

    def stale_ref_lock(self, refname: str, writing: str | None) -> Path | None:
        """The lock file a killed write of `refname` left, None when there is no such file.

        libgit2 (like git) writes a ref by creating `<ref>.lock`, writing the new id and a line
        end into it, and renaming it over the ref; a delete takes the lock and writes nothing. So
        the lock of a write of `writing` (None: a delete) killed half-way holds a beginning of
        `writing` + `\\n`. A lock holding anything else belongs to someone else's write and is
        never returned. Whether the writer is gone is for the caller to know.
        """
        lock = self.common_dir / (refname + ".lock")
        try:
            held = lock.read_bytes()
        except OSError:
            return None
        expected = (writing + "\n").encode("ascii") if writing is not None else b""
        return lock if expected.startswith(held) else None

    def delete_ref(self, refname: str, expected: str) -> None:
        """Delete `refname` only if it currently points at `expected`."""
        current = self.ref_target(refname)
        if current != expected:
            raise RefMoved(f"{refname} moved (expected {expected}, found {current or 'no ref'}); left alone")
        try:
            self._raw.references.delete(refname)
        except (OSError, pygit2.GitError) as exc:
            raise _ref_write_error(refname, exc) from exc

    # -- worktrees ---------------------------------------------------------------------------

    def worktrees(self) -> list[WorktreeInfo]:
        """Every worktree (the main one first) with the branch and commit it has checked out."""
        common = self.common_dir
        result: list[WorktreeInfo] = []
        if not self._config_bool("core.bare"):
            main_path = common.parent if common.name == ".git" else common
            ref, head = self._read_head(common / "HEAD")
            result.append(WorktreeInfo(path=main_path, branch=ref, head=head, is_main=True))
        admin = common / "worktrees"
        if admin.is_dir():
            for entry in sorted(admin.iterdir()):
                gitdir_file = entry / "gitdir"
                if not gitdir_file.is_file():
                    continue
                path = Path(gitdir_file.read_text(encoding="utf-8").strip()).parent
                ref, head = self._read_head(entry / "HEAD")
                result.append(WorktreeInfo(path=path, branch=ref, head=head, is_main=False))
        return result

    def linked_branches(self) -> list[str]:
        """Short names of the branches checked out in linked worktrees (the agents' branches), in order."""
        return [
            wt.branch[len(_LOCAL) :]
            for wt in self.worktrees()
            if not wt.is_main and wt.branch is not None and wt.branch.startswith(_LOCAL)
        ]

    def _read_head(self, head_file: Path) -> tuple[str | None, str | None]:
        try:
            text = head_file.read_text(encoding="utf-8").strip()
        except OSError:
            return None, None
        if text.startswith("ref:"):
            ref = text[4:].strip()
            return ref, self.ref_target(ref)
        return None, text or None


def _leaf_differs(old: pygit2.Tree, new: pygit2.Tree, path: str) -> bool:
    """True when `path` is a changed file, link or submodule between the trees (as `changed_paths`
    reports: entries differ, and they are not both directories)."""
    entries: list[tuple[pygit2.Oid, int] | None] = []
    for tree in (old, new):
        try:
            entry = tree[path]
        except KeyError:
            entries.append(None)
            continue
        entries.append((entry.id, int(entry.filemode)))
    a, b = entries
    if a == b:
        return False
    return not (a is not None and b is not None and a[1] == b[1] == _MODE_TREE)


_MODE_TREE = 0o040000

_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(Z|[+-]\d{2}:?\d{2})?$")
_RAW = re.compile(r"^@?(\d+)(?: ([+-])(\d{2})(\d{2}))?$")


def _parse_git_date(text: str) -> tuple[int, int] | None:
    """(epoch seconds, offset minutes) from git's raw or ISO 8601 date formats; None otherwise."""
    text = text.strip()
    if not text:
        return None
    raw = _RAW.match(text)
    if raw:
        offset = 0
        if raw.group(2):
            offset = int(raw.group(3)) * 60 + int(raw.group(4))
            offset = -offset if raw.group(2) == "-" else offset
        return int(raw.group(1)), offset
    iso = _ISO.match(text)
    if iso:
        zone = iso.group(3) or "+00:00"
        zone = "+00:00" if zone == "Z" else zone
        if ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        moment = datetime.fromisoformat(f"{iso.group(1)}T{iso.group(2)}{zone}")
        offset_td = moment.utcoffset()
        minutes = int(offset_td.total_seconds() // 60) if offset_td is not None else 0
        return int(moment.timestamp()), minutes
    return None
