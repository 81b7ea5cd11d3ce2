"""The one way mergekit runs the git command line (standard library only: no pygit2).

Most git work goes through pygit2 (`mergekit.engine.repo`); the git CLI is used where git's own
code is the point (`git merge-file`, worktree checkout, `git add`, config edits) or where
importing pygit2 would cost more than a process (the merge driver, `mergekit resolve`,
`mergekit install`). Every such call goes through `run_git`, so a missing git, a missing
directory and a failing command read the same everywhere; the one long-lived git process, the
gitattributes reader (`AttributeReader`), lives here too.
"""

from __future__ import annotations

import os

from mergekit.errors import MergekitError

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import IO

GIT_MISSING = "git is not installed or not on PATH: install git 2.39 or newer"
"""The message when there is no `git` to run."""
CONFLICT_STYLES = ("merge", "diff3", "zdiff3")
"""The conflict styles git knows (`merge.conflictStyle`)."""


class GitResult:
    """What a git command did.

    A plain class, not a dataclass: the merge driver imports this module at start-up, where a
    dataclass costs more than the whole class does here.
    """

    __slots__ = ("returncode", "stderr", "stdout")

    def __init__(self, returncode: int, stdout: bytes, stderr: bytes) -> None:
        self.returncode = returncode
        """Its exit status."""
        self.stdout = stdout
        """What it printed on stdout."""
        self.stderr = stderr
        """What it printed on stderr."""

    def __repr__(self) -> str:
        return f"GitResult(returncode={self.returncode!r}, stdout={self.stdout!r}, stderr={self.stderr!r})"

    @property
    def text(self) -> str:
        """stdout as text (UTF-8, undecodable bytes replaced)."""
        return self.stdout.decode("utf-8", "replace")

    @property
    def error(self) -> str:
        """stderr as one trimmed string."""
        return self.stderr.decode("utf-8", "replace").strip()


def run_git(
    args: Sequence[str],
    cwd: Path | None = None,
    *,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    hooks: bool = True,
    light: bool = False,
) -> GitResult:
    """Run `git ARGS` in `cwd`; with `check`, a failure raises `MergekitError` carrying git's message.

    `hooks=False` runs with hooks disabled (mergekit's own checkouts must not run the user's
    hooks); `env` replaces the environment (None: inherit it). `light` spawns git without
    importing `subprocess` (which loads `threading`, `selectors`, `signal` and `locale`: milliseconds
    the merge driver pays once per file), where the platform allows it and neither `cwd` nor
    `stdin` is given; the result is the same.
    """
    cmd = ["git", *(["-c", "core.hooksPath=" + os.devnull] if not hooks else []), *args]
    spawned = _spawned(cmd, env) if light and cwd is None and stdin is None else None
    if spawned is not None:
        result = GitResult(*spawned)
        if check and result.returncode != 0:
            raise MergekitError(f"git {' '.join(args[:2])} failed: {result.error}")
        return result
    import subprocess  # here: importing mergekit.engine.gitcli must stay cheap for the driver

    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            input=stdin,
            env=None if env is None else dict(env),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as exc:
        if cwd is not None and not os.path.exists(cwd):
            raise MergekitError(f"{cwd} does not exist: pass an existing directory to -C") from exc
        raise MergekitError(GIT_MISSING) from exc
    except NotADirectoryError as exc:
        raise MergekitError(f"{cwd} is not a directory: pass an existing directory to -C") from exc
    result = GitResult(proc.returncode, proc.stdout, proc.stderr)
    if check and proc.returncode != 0:
        where = f" in {cwd}" if cwd is not None else ""
        raise MergekitError(f"git {' '.join(args[:2])} failed{where}: {result.error}")
    return result


def _spawned(cmd: list[str], env: Mapping[str, str] | None) -> tuple[int, bytes, bytes] | None:
    """(exit status, stdout, stderr) of `cmd` started with `os.posix_spawn`, its output read from
    two pipes; None where that cannot be done the way `subprocess` would (no `posix_spawn`, or a
    pipe that got one of the standard descriptors because this process has it closed). Like
    `subprocess.run`, stdin is inherited and a signal gives a negative status."""
    if not hasattr(os, "posix_spawn"):
        return None
    environ = os.environ if env is None else env
    # the program is looked for on the PATH of `env`, as `subprocess` does (not this process's)
    found = (os.path.join(folder, cmd[0]) for folder in os.get_exec_path(environ))
    program = next((p for p in found if os.path.isfile(p) and os.access(p, os.X_OK)), None)
    if program is None:
        raise MergekitError(GIT_MISSING)
    import select

    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        if min(out_r, out_w, err_r, err_w) < 3:
            return None
        actions = [(os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
        try:
            pid = os.posix_spawn(program, cmd, environ, file_actions=actions)
        finally:
            os.close(out_w)
            os.close(err_w)
            out_w = err_w = -1
        chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
        poller = select.poll()
        for fd in chunks:
            poller.register(fd, select.POLLIN)
        pending = len(chunks)
        while pending:
            for fd, _event in poller.poll():
                data = os.read(fd, 1 << 16)
                if data:
                    chunks[fd].append(data)
                else:
                    poller.unregister(fd)
                    pending -= 1
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), b"".join(chunks[out_r]), b"".join(chunks[err_r])
    finally:
        for fd in (out_r, out_w, err_r, err_w):
            if fd >= 0:
                os.close(fd)


def toplevel(cwd: Path) -> Path | None:
    """The top of the work tree containing `cwd`, None when `cwd` is not inside one."""
    if not cwd.is_dir():
        raise MergekitError(f"{cwd} is not a directory: pass an existing directory to -C")
    from pathlib import Path

    result = run_git(["rev-parse", "--show-toplevel"], cwd, check=False)
    top = result.text.strip()
    return Path(top) if result.returncode == 0 and top else None


def conflict_style(cwd: Path | None = None) -> str:
    """The `merge.conflictStyle` git would use in `cwd` (`git merge-file` honours it too), else `merge`."""
    try:
        value = run_git(["config", "--get", "merge.conflictStyle"], cwd, check=False).text.strip().lower()
    except MergekitError:
        return "merge"
    return value if value in CONFLICT_STYLES else "merge"


def git_path(cwd: Path, name: str) -> Path:
    """The absolute path of `name` inside the git dir (`info/attributes`, `hooks`...), as git resolves
    it: shared paths live in the common git dir, so every linked worktree gets the same file."""
    from pathlib import Path

    result = run_git(["rev-parse", "--path-format=absolute", "--git-path", name], cwd)
    return Path(result.text.strip())


def check_attr(cwd: Path, paths: Sequence[str], *attributes: str) -> dict[str, dict[str, str]]:
    """`git check-attr` for `paths` (relative to the top of the work tree): path → attribute →
    value (`unspecified`, `set`, `unset`, or the value given)."""
    found: dict[str, dict[str, str]] = {p: {} for p in paths}
    if not paths or not attributes:
        return found
    result = run_git(
        ["check-attr", "-z", "--stdin", *attributes],
        cwd,
        stdin=b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths),
    )
    for path, table in _attribute_tables(result.stdout).items():
        found.setdefault(path, {}).update(table)
    return found


def path_attributes(root: str, path: str, *attributes: str) -> dict[str, str]:
    """The `attributes` gitattributes specify on `path` in the work tree at `root`: attribute →
    `set`, `unset` or the value (unspecified ones left out). One `git check-attr`, started without
    `subprocess` where it can be (the merge driver asks this once per file)."""
    result = run_git(["-C", root, "check-attr", "-z", *attributes, "--", path], light=True)
    # one path asked: its answers, however git spelled the path back
    tables = _attribute_tables(result.stdout).values()
    return {name: value for table in tables for name, value in table.items() if value != "unspecified"}


def _attribute_tables(output: bytes) -> dict[str, dict[str, str]]:
    """`git check-attr -z` output (path NUL attribute NUL value NUL, per attribute) as path →
    attribute → value."""
    found: dict[str, dict[str, str]] = {}
    fields = output.split(b"\0")
    for i in range(0, len(fields) - 2, 3):
        path = fields[i].decode("utf-8", "surrogateescape")
        found.setdefault(path, {})[fields[i + 1].decode()] = fields[i + 2].decode("utf-8", "replace")
    return found


class AttributeReader:
    """`git check-attr --stdin -z` kept open: the attributes of many paths for the price of one process.

    Started on the first question; a forked worker (`replay --jobs`) starts its own instead of
    sharing the parent's pipes. `close()` ends the process.
    """

    def __init__(self, cwd: Path, attributes: Sequence[str]) -> None:
        self.cwd = cwd
        self.attributes = tuple(attributes)
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid = os.getpid()
        self._cache: dict[str, dict[str, str]] = {}
        self._pending = b""
        """What was read from git past the last answer (answers come in whole pipe reads)."""

    def get(self, path: str) -> dict[str, str]:
        """Attribute → `set`, `unset` or the value, for the attributes specified on `path`."""
        found = self._cache.get(path)
        if found is None:
            found = self._cache[path] = self._ask(path) if "\0" not in path else {}
        return found

    def _ask(self, path: str) -> dict[str, str]:
        if self._pid != os.getpid():
            self._proc, self._pid, self._pending = None, os.getpid(), b""
        if self._proc is None:
            import subprocess

            try:
                self._proc = subprocess.Popen(
                    ["git", "check-attr", "--stdin", "-z", *self.attributes],
                    cwd=self.cwd,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except FileNotFoundError as exc:
                raise MergekitError(GIT_MISSING) from exc
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(path.encode("utf-8", "surrogateescape") + b"\0")
            proc.stdin.flush()
            # per attribute: path NUL attribute NUL info NUL
            fields = self._fields(proc.stdout, 3 * len(self.attributes))
        except (OSError, EOFError) as exc:
            raise MergekitError(
                f"git check-attr failed on {path!r} — run `git check-attr -a {path}`"
            ) from exc
        return {
            fields[i + 1]: fields[i + 2] for i in range(0, len(fields), 3) if fields[i + 2] != "unspecified"
        }

    def _fields(self, stream: IO[bytes], count: int) -> list[str]:
        """The next `count` NUL-terminated fields git wrote, read a pipe-full at a time (not byte by
        byte: a check of many branches asks about thousands of paths)."""
        data = self._pending
        while data.count(b"\0") < count:
            chunk = stream.read1(65536)  # type: ignore[attr-defined]
            if not chunk:
                raise EOFError("git check-attr ended")
            data += chunk
        parts = data.split(b"\0", count)
        self._pending = parts[count] if len(parts) > count else b""
        return [part.decode("utf-8", "surrogateescape") for part in parts[:count]]

    def close(self) -> None:
        """End the `git check-attr` process (a later question starts a new one)."""
        proc, self._proc = self._proc, None
        self._pending = b""
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
