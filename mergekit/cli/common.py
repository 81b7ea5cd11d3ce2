"""`--quiet`, `--verbose` and `--color`, added to every command of the group in one place.

`with_common_options(command)` appends the three options (they set `mergekit.console`'s
settings and are not passed to the command's function) and, with `--quiet`, runs the command
with its human-readable stdout swallowed — machine formats (`--json`, `--format json|github|
junit|mermaid`) still print, and so does everything on stderr. Every command also runs with the
repository's own language setup active (`mergekit.languages.active`: `.mergekit/grammars/`,
gitattributes overrides, `never_resolve`), read only if a profile is looked up.
"""

from __future__ import annotations

import contextlib
import functools
import io
from pathlib import Path
from typing import Any

import click

from mergekit import console

_MACHINE_FORMATS = ("json", "github", "junit", "mermaid")

EXAMPLES: dict[str, tuple[str, ...]] = {
    "continue": ("cd <the run's worktree> && git add -A && mergekit continue", "mergekit continue --json"),
    "abort": ("mergekit abort",),
    "status": ("mergekit status", "mergekit status --json"),
    "demo": ("mergekit demo", "mergekit demo --keep"),
    "install": ("mergekit install", "mergekit install --global", "mergekit install --uninstall"),
    "resolve": ("git merge feature/x; mergekit resolve --add", "mergekit resolve src/index.ts --explain"),
    "replay": ("mergekit replay --max-merges 200", "mergekit replay origin/main~500..origin/main --json"),
}
"""Examples shown at the end of `--help` for commands whose own text has none."""
_MARK = "_mergekit_common_options"


def _set(option: str) -> Any:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if option == "quiet" and value:
            console.configure(quiet=True)
        elif option == "verbose" and value:
            console.configure(verbose=True)
        elif option == "color" and value is not None:
            console.configure(color=value)

    return callback


def common_params() -> list[click.Parameter]:
    """Fresh `-q/--quiet`, `--verbose` and `--color` options."""
    return [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set("quiet"),
            help="No human-readable output on stdout (the exit code tells); --json still prints.",
        ),
        click.Option(
            ["--verbose"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set("verbose"),
            help="Say on stderr what is happening, step by step.",
        ),
        click.Option(
            ["--color"],
            type=click.Choice(console.COLOR_MODES),
            default=None,
            expose_value=False,
            is_eager=True,
            callback=_set("color"),
            help="Colour the output: auto (a terminal, unless NO_COLOR or git's color.ui says no), "
            "always or never.",
        ),
    ]


def with_common_options(command: click.Command) -> click.Command:
    """`command` with the common options (once; idempotent) and --quiet honoured."""
    if getattr(command, _MARK, False):
        return command
    setattr(command, _MARK, True)
    taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
    command.params.extend(p for p in common_params() if not set(getattr(p, "opts", [])) & taken)
    examples = EXAMPLES.get(command.name or "")
    if examples and not command.epilog:
        command.epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
    original = command.callback
    if original is None:
        return command

    @functools.wraps(original)
    def run(*args: Any, **kwargs: Any) -> Any:
        from mergekit.languages import active

        machine = bool(kwargs.get("as_json")) or kwargs.get("fmt") in _MACHINE_FORMATS
        cwd = kwargs.get("cwd")
        with contextlib.ExitStack() as stack:
            # the repository's own profiles, attributes and never_resolve apply to everything it runs
            stack.enter_context(active(cwd if isinstance(cwd, Path) else Path(".")))
            if console.ui().quiet and not machine:
                stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
            return original(*args, **kwargs)

    command.callback = run
    return command
