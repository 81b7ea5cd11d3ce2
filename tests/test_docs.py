"""Every documented command works (the convention is in docs/documented-commands.md).

Each fenced shell block of README.md and docs/*.md is checked: it parses (`bash -n`), and every
`mergekit` command in it names a real subcommand and real options. A block whose info string says
`runnable` (```` ```sh runnable ````) is also run, one command after the other, in a sandbox
repository; each command must exit 0, or the status its comment gives as `(exit N)`. The GitHub
workflow example and the pre-push hook are checked the same way (their scripts parse, their
mergekit commands exist), and the workflow installs mergekit from its repository, not from the
package index where no release exists.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from mergekit.cli import COMMANDS
from mergekit.scenarios.typescript import build_five_features

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELLS = ("sh", "bash", "shell", "console")
"""Info-string languages of shell blocks."""
CONSOLE = "console"
"""The info-string language of a transcript: commands after `$ `, output lines in between."""
RUNNABLE = "runnable"
"""The info-string word that makes a shell block run in the sandbox."""
WORKFLOW = ROOT / "docs" / "mergekit-check.yml"
CLONE_OF_MERGEKIT = "src/mergekit"
"""Where the documentation assumes the reader cloned mergekit, below their home directory."""
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+)\s*(?P<info>[^`]*)$")
_EXIT = re.compile(r"#.*\(exit (\d+)\)\s*$")
_OPERATORS = {"&&", "||", ";", "|", "&", "(", ")", ";;", "|&"}
_REDIRECTS = {">", ">>", "<", "<<", "<<<", ">&", "<&", ">|", "&>"}


@dataclass(frozen=True)
class Block:
    """A fenced shell block of a document."""

    document: Path
    """The Markdown file."""
    line: int
    """The line of its opening fence (1-based)."""
    info: tuple[str, ...]
    """The words of its info string (`sh`, `runnable`)."""
    text: str
    """Its content."""

    @property
    def id(self) -> str:
        """`README.md:12`."""
        return f"{self.document.relative_to(ROOT).as_posix()}:{self.line}"

    @property
    def runnable(self) -> bool:
        """True when the sandbox runs it."""
        return RUNNABLE in self.info[1:]


def shell_blocks(document: Path) -> list[Block]:
    """The fenced shell blocks of a Markdown file."""
    blocks: list[Block] = []
    lines = document.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence, info = opening.group("fence"), tuple(opening.group("info").split())
        end = next(
            (j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(fence[0] * len(fence))),
            len(lines),
        )
        if info and info[0] in SHELLS:
            body = lines[i + 1 : end]
            if info[0] == CONSOLE:  # a transcript: the commands are the `$ ` lines, the rest is output
                body = [line[2:] if line.startswith("$ ") else "" for line in body]
            blocks.append(Block(document, i + 1, info, "\n".join(body) + "\n"))
        i = end + 1
    return blocks


ALL_BLOCKS = [block for document in DOCUMENTS for block in shell_blocks(document)]


def commands(text: str) -> list[tuple[int, str]]:
    """The logical command lines of a script (continuations joined), with their first line number;
    blank and comment-only lines left out."""
    found: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        if whole and not whole.startswith("#"):
            found.append((start, whole))
    return found


# --- checking: mergekit's subcommands and options ---------------------------------------------------


def _options(subcommand: str) -> set[str]:
    """Every option string the subcommand accepts."""
    if subcommand == "merge-file":
        from mergekit.cli.merge_file import _parser

        parser: argparse.ArgumentParser = _parser()
        return set(parser._option_string_actions)
    command: click.Command = importlib.import_module(f"mergekit.cli.{COMMANDS[subcommand]}").command
    found = {"--help", "-h"}
    for param in command.params:
        if isinstance(param, click.Option):
            found |= {*param.opts, *param.secondary_opts}
    return found


def _simple_commands(line: str) -> list[list[str]]:
    """The words of each simple command of one shell line (operators split them; redirections and
    `VAR=value` prefixes are left out)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    found: list[list[str]] = [[]]
    skip = False
    for token in lexer:
        if skip:
            skip = False
        elif token in _OPERATORS:
            found.append([])
        elif token in _REDIRECTS:
            skip = True
        elif not found[-1] and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", token):
            continue
        else:
            found[-1].append(token)
    return [words for words in found if words]


def mergekit_problems(line: str) -> list[str]:
    """What is wrong with the mergekit commands of one shell line (unknown subcommands or options)."""
    problems = []
    for words in _simple_commands(line):
        if Path(words[0]).name in ("mergekit", "git-mergekit"):
            args = words[1:]
        elif words[:2] == ["git", "mergekit"]:
            args = words[2:]
        else:
            continue
        if not args or args[0] in ("--version", "--help", "-h"):
            continue
        subcommand, rest = args[0], args[1:]
        if subcommand not in COMMANDS:
            problems.append(f"`mergekit {subcommand}`: no such command")
            continue
        known = _options(subcommand)
        for word in rest:
            if word == "--":
                break
            if word.startswith("-") and word != "-" and word.split("=", 1)[0] not in known:
                problems.append(f"`mergekit {subcommand}`: no option {word.split('=', 1)[0]}")
    return problems


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=lambda b: b.id)
def test_shell_block_parses_and_names_real_options(block: Block) -> None:
    syntax = subprocess.run(["bash", "-n"], input=block.text, capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, f"{block.id}: {syntax.stderr}"
    problems = [f"{block.id}+{n}: {p}" for n, line in commands(block.text) for p in mergekit_problems(line)]
    assert problems == []


def test_the_checker_finds_unknown_commands_and_options() -> None:
    assert mergekit_problems("mergekit check --into main --format github") == []
    assert mergekit_problems("cd x && .venv/bin/mergekit demo --keep > out.txt 2>&1") == []
    assert mergekit_problems("MERGEKIT=0 git mergekit install --global") == []
    assert mergekit_problems("mergekit merge-file --path a.ts -p b o t") == []
    assert mergekit_problems("mergekit instal") == ["`mergekit instal`: no such command"]
    assert mergekit_problems("git fetch && mergekit check --base main") == [
        "`mergekit check`: no option --base"
    ]
    assert mergekit_problems("mergekit merge-file --explainn a b c") == [
        "`mergekit merge-file`: no option --explainn"
    ]


def test_documents_have_runnable_blocks() -> None:
    runnable = {block.document.name for block in ALL_BLOCKS if block.runnable}
    assert {"README.md", "ci.md"} <= runnable


# --- running: the sandbox -----------------------------------------------------------------------------


def _sandbox(tmp_path: Path, git_env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """The repository runnable blocks run in, and their environment (see docs/documented-commands.md)."""
    app = tmp_path / "app"
    build_five_features(app, worktrees=True)
    subprocess.run(["git", "remote", "add", "origin", str(app)], cwd=app, env=git_env, check=True)
    subprocess.run(["git", "fetch", "-q", "origin"], cwd=app, env=git_env, check=True)
    home = Path(git_env["HOME"])
    (home / CLONE_OF_MERGEKIT).parent.mkdir(parents=True, exist_ok=True)
    (home / CLONE_OF_MERGEKIT).symlink_to(ROOT)
    env = dict(git_env)
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    return app, env


def instrumented(block: Block) -> str:
    """The block as a bash script that stops at the first command whose exit status is not the
    documented one."""
    lines = ["set -u"]
    for number, line in commands(block.text):
        expected = _EXIT.search(line)
        status = int(expected.group(1)) if expected else 0
        where = shlex.quote(f"{block.id}+{number}: {line}")
        lines.append(line)
        lines.append(
            f"s=$?; [ $s -eq {status} ] || {{ echo >&2 {where}: exit $s, expected {status}; exit 99; }}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("block", [b for b in ALL_BLOCKS if b.runnable], ids=lambda b: b.id)
def test_runnable_block_runs(block: Block, tmp_path: Path, git_env: dict[str, str]) -> None:
    for number, line in commands(block.text):
        alone = subprocess.run(["bash", "-n"], input=line, capture_output=True, text=True, check=False)
        assert alone.returncode == 0, f"{block.id}+{number}: runnable blocks hold one command per line"
    app, env = _sandbox(tmp_path, git_env)
    proc = subprocess.run(
        ["bash", "-c", instrumented(block)], cwd=app, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:] + proc.stdout[-2000:]


# --- the GitHub workflow and the pre-push hook ----------------------------------------------------------


def workflow_scripts(text: str) -> list[str]:
    """The `run:` scripts of a GitHub workflow (a `run: |` block or a one-line `run:`)."""
    lines = text.splitlines()
    scripts = []
    for i, line in enumerate(lines):
        found = re.match(r"^(\s*)(- )?run:\s*(.*)$", line)
        if found is None:
            continue
        if found.group(3).strip() not in ("|", ">"):
            scripts.append(found.group(3))
            continue
        indent = len(found.group(1)) + (2 if found.group(2) else 0)
        body = []
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        scripts.append("\n".join(body))
    return [re.sub(r"\$\{\{[^}]*\}\}", "EXPR", s) for s in scripts]


def test_workflow_example_installs_mergekit_from_its_repository() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert (ROOT / "examples" / "github-actions" / "mergekit-check.yml").read_text(encoding="utf-8") == text
    scripts = workflow_scripts(text)
    installs = [s for s in scripts if "pip install" in s]
    assert installs, "the workflow installs mergekit"
    for script in installs:
        assert "git+https://" in script and not re.search(r"pip install\s+(-\S+\s+)*git-mergekit\b", script)
    assert "no release" in text  # and it says why


@pytest.mark.parametrize("script", workflow_scripts(WORKFLOW.read_text(encoding="utf-8")))
def test_workflow_scripts_parse_and_name_real_options(script: str) -> None:
    syntax = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stderr
    assert [p for _, line in commands(script) for p in mergekit_problems(line)] == []


def test_pre_push_hook_parses_and_names_real_options() -> None:
    hook = (ROOT / "examples" / "pre-push").read_text(encoding="utf-8")
    syntax = subprocess.run(["sh", "-n"], input=hook, capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stderr
    lines = [line for _, line in commands(hook) if "mergekit check" in line]
    assert lines and [p for line in lines for p in mergekit_problems(line)] == []
