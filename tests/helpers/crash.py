"""Crash injection for tests: run a mergekit command in a child process that kills itself (SIGKILL) at
one named call, or that records which of those calls it makes, in order.

Nothing in mergekit knows about this: the child patches the calls from the outside (`POINTS`:
every state, ref, commit and worktree call of `integrate`, `continue` and `abort`), so there is
no hook to pay for when unset and none a repository could reach. A kill happens *before* the
n-th call of a point, or *during* a ref write: the lock file libgit2 writes first is left holding
the new id, as when a process dies between writing the lock and renaming it over the ref.

The children are forked from a small server (`python -m tests.helpers.crash`) that has imported
mergekit once, so a sweep over every injection point does not pay for an interpreter and its
imports each time. The server is single-threaded: forking it is safe.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

Target = tuple[str, str]
"""(module, attribute) of a patched call; `Class.method` for a method."""
POINTS: dict[str, Target] = {
    "state.create": ("mergekit.state.run", "create"),
    "state.save": ("mergekit.state.run", "save"),
    "state.clear": ("mergekit.state.run", "clear"),
    "state.remember_result": ("mergekit.state.run", "remember_result"),
    "ref.update": ("mergekit.engine.repo", "Repo.update_ref"),
    "ref.delete": ("mergekit.engine.repo", "Repo.delete_ref"),
    "commit": ("mergekit.engine.repo", "Repo.create_commit"),
    "worktree.add": ("mergekit.engine.worktree", "add_worktree"),
    "worktree.remove": ("mergekit.engine.worktree", "remove_worktree"),
    "worktree.checkout": ("mergekit.engine.worktree", "checkout_commit"),
    "worktree.materialize": ("mergekit.engine.worktree", "materialize_merge"),
    "worktree.git": ("mergekit.engine.worktree", "_git"),
    "worktree.checkout_tree": ("mergekit.engine.worktree", "checkout_tree"),
}
"""The calls a kill can precede (`worktree.checkout_tree`: the scratch copy derived files are
regenerated in; the culprit search and the resolution memory use the ref, commit and worktree
calls). Besides these, `atomic.rename` and `atomic.link`: the moment a
state file's temporary copy is written and fsynced but not yet renamed (or linked) into place."""
REF_WRITES = ("ref.update", "ref.delete")
"""Points that can also be killed *during* the call (a lock file left behind)."""

Kill = tuple[str, int, str]
"""(point, n: the n-th call, counting from 1, "before" or "during")."""


# -- the child ------------------------------------------------------------------------------------


class _Injector:
    """Counts the calls of every point; records them, or kills this process at one of them."""

    def __init__(self, kill: Kill | None, record: Path | None) -> None:
        self.kill = kill
        self.record = record
        self.counts: dict[str, int] = {}

    def reached(self, point: str, args: tuple[Any, ...]) -> None:
        """Called before each call of `point` (with the call's arguments)."""
        n = self.counts[point] = self.counts.get(point, 0) + 1
        if self.record is not None:
            ref = f"\t{args[1]}" if point in REF_WRITES else ""  # which ref a write moves
            with self.record.open("a", encoding="utf-8") as handle:
                handle.write(point + ref + "\n")
        if self.kill is None or self.kill[:2] != (point, n):
            return
        if self.kill[2] == "during":
            _leave_lock(point, args)
        os.kill(os.getpid(), signal.SIGKILL)

    def wrap(self, point: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.reached(point, args)
            return original(*args, **kwargs)

        return wrapper


def _leave_lock(point: str, args: tuple[Any, ...]) -> None:
    """What libgit2 leaves when killed inside a ref write: `<ref>.lock` holding the new id (a
    delete writes nothing into it)."""
    repo, refname = args[0], args[1]
    lock = Path(repo.common_dir) / (refname + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(f"{args[2]}\n" if point == "ref.update" else "", encoding="ascii")


def _install(injector: _Injector) -> None:
    """Patch every point wherever mergekit holds a reference to it (names imported with `from`)."""
    import importlib

    for point, (module_name, attribute) in POINTS.items():
        module = importlib.import_module(module_name)
        if "." in attribute:
            cls_name, method = attribute.split(".")
            cls = getattr(module, cls_name)
            setattr(cls, method, injector.wrap(point, getattr(cls, method)))
            continue
        original = getattr(module, attribute)
        wrapper = injector.wrap(point, original)
        for loaded in list(sys.modules.values()):
            if loaded is not None and loaded.__name__.startswith("mergekit"):
                for name, value in list(vars(loaded).items()):
                    if value is original:
                        setattr(loaded, name, wrapper)
    atomic = importlib.import_module("mergekit.state.atomic")
    real_os = os

    def replace(src: Any, dst: Any) -> None:
        injector.reached("atomic.rename", (src, dst))
        real_os.replace(src, dst)

    def link(src: Any, dst: Any) -> None:
        injector.reached("atomic.link", (src, dst))
        real_os.link(src, dst)

    proxy = types.SimpleNamespace(**{k: getattr(real_os, k) for k in dir(real_os) if not k.startswith("__")})
    proxy.replace, proxy.link = replace, link
    vars(atomic)["os"] = proxy  # the module's own `os`, for its calls only


def _child(request: dict[str, Any]) -> int:
    """In the forked child: the request's environment and output, the patches, then mergekit."""
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    kill = request.get("kill")
    record = request.get("record")
    injector = _Injector(
        (str(kill[0]), int(kill[1]), str(kill[2])) if kill else None, Path(record) if record else None
    )
    _install(injector)
    from mergekit.entry import main

    return main(list(request["args"]))


def serve() -> None:
    """Answer one JSON request per line on stdin with the child's exit (a negative signal number)."""
    import mergekit.app.integrate.abort
    import mergekit.app.integrate.resume
    import mergekit.app.integrate.run
    import mergekit.cli.abort
    import mergekit.cli.continue_
    import mergekit.cli.group
    import mergekit.cli.integrate
    import mergekit.engine.linemerge
    import mergekit.resolve.resolver  # noqa: F401  (imported once, here, for every child)

    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                code = _child(request)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        sys.stdout.write(json.dumps({"exit": code}) + "\n")
        sys.stdout.flush()


# -- the test's side ------------------------------------------------------------------------------


class CrashServer:
    """The forking server, from the test's side."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crash"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self,
        args: list[str],
        env: dict[str, str],
        log: Path,
        kill: Kill | None = None,
        record: Path | None = None,
    ) -> int:
        """Run `mergekit ARGS`; its exit code, or minus the signal that ended it (-9 for a kill)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"args": args, "env": env, "log": str(log), "kill": kill, "record": str(record or "")}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, "the crash server died"
        code: int = json.loads(answer)["exit"]
        return code

    def calls(self, args: list[str], env: dict[str, str], log: Path, record: Path) -> list[tuple[str, int]]:
        """The injection points a run of `mergekit ARGS` reaches, in order, each with its count."""
        record.unlink(missing_ok=True)
        self.run(args, env, log, record=record)
        seen: dict[str, int] = {}
        found: list[tuple[str, int]] = []
        for line in record.read_text(encoding="utf-8").splitlines():
            point = line.split("\t", 1)[0]
            seen[point] = seen.get(point, 0) + 1
            found.append((point, seen[point]))
        return found

    @staticmethod
    def written_refs(record: Path) -> list[str]:
        """The refs the run recorded by `calls` wrote (or deleted), in order."""
        lines = record.read_text(encoding="utf-8").splitlines()
        return [line.split("\t", 1)[1] for line in lines if "\t" in line]

    def close(self) -> None:
        """Stop the server."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


if __name__ == "__main__":
    serve()
