"""The `[derived]` table of `.mergekit.toml`: defaults, turning recipes off and on, commands, declared
files, and every mistake reported with the file and the line."""

from __future__ import annotations

import pytest

from mergekit.derived.config import command_tool, default_config, parse_config
from mergekit.derived.recipes import BUILTIN, KIND_FILES
from mergekit.errors import MergekitError


def names(text: str | None) -> list[str]:
    return [r.name for r in parse_config(text).recipes]


def test_defaults_are_every_builtin_but_django() -> None:
    assert names(None) == [n for n in BUILTIN if n != "django"]
    assert names("[other]\nx = 1\n") == names(None)
    assert default_config().recipe("django") is None
    assert default_config().recipe("npm") is BUILTIN["npm"]


def test_turn_off_turn_on_and_replace_a_command() -> None:
    config = parse_config(
        '[derived]\nnpm = false\ndjango = true\ncargo = "cargo update --workspace --locked"\n'
        '[derived.uv]\ncommand = ["uv lock --offline", "uv lock --upgrade-package x"]\n'
        "[derived.poetry]\nenabled = false\n"
    )
    got = [r.name for r in config.recipes]
    assert "npm" not in got and "poetry" not in got and "django" in got
    cargo = config.recipe("cargo")
    assert cargo is not None and cargo.commands == ("cargo update --workspace --locked",)
    uv = config.recipe("uv")
    assert uv is not None and uv.commands == ("uv lock --offline", "uv lock --upgrade-package x")
    assert uv.command == "uv lock --upgrade-package x"


def test_declared_files_short_and_long_form() -> None:
    config = parse_config(
        "[derived.files]\n"
        '"src/api/client.ts" = "npm run gen:client"\n'
        '[derived.files."docs/schema.graphql"]\n'
        'command = "python manage.py graphql_schema"\n'
        'inputs = ["*/schema.py"]\n'
    )
    files = [r for r in config.recipes if r.kind == KIND_FILES]
    assert [(r.outputs, r.inputs, r.commands) for r in files] == [
        (("src/api/client.ts",), (), ("npm run gen:client",)),
        (("docs/schema.graphql",), ("*/schema.py",), ("python manage.py graphql_schema",)),
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[derived]\nnpm = true\nnpmm = false\n", 3, "unknown key 'npmm' in [derived]"),
        (
            "# c\n\n[derived.cargo]\nenabled = true\ncomand = 'x'\n",
            5,
            "unknown key 'comand' in [derived.cargo]",
        ),
        ("[derived]\ncargo = { command = 'x', bogus = 1 }\n", 2, "unknown key 'bogus'"),
        ("[derived]\nnpm = 3\n", 2, "npm must be true, false, a command or a table"),
        ("[derived.npm]\nenabled = 'yes'\n", 2, "enabled must be true or false"),
        ("[derived.npm]\ncommand = ''\n", 2, "command must be a command"),
        ("[derived.files]\n'a.txt' = 1\n", 2, "must be a command"),
        ('[derived.files."gen/x"]\ninputs = ["a"]\n', 1, "needs a command"),
        ('[derived.files."gen/x"]\ncommand = "make x"\nfrom = ["a"]\n', 3, "unknown key 'from'"),
        ('[derived.files."gen/x"]\ncommand = "make x"\ninputs = "a"\n', 3, "must be a list of path globs"),
        ("[derived.files]\n'../x' = 'make'\n", 2, "must be a path inside the repository"),
        ("[derived]\nfiles = 'make'\n", 2, "must be a table"),
        ("derived = 1\n", 1, "must be a table"),
    ],
)
def test_mistakes_name_the_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(MergekitError) as caught:
        parse_config(text)
    message = str(caught.value)
    assert message.startswith(f".mergekit.toml:{line}: "), message
    assert words in message


def test_broken_toml_and_encoding_are_user_errors() -> None:
    with pytest.raises(MergekitError, match=r"\.mergekit\.toml: .* fix the TOML syntax"):
        parse_config("[derived\n")
    with pytest.raises(MergekitError, match="not UTF-8"):
        parse_config(b"\xff\xfe[derived]\n")


def test_command_tool_skips_assignments() -> None:
    assert command_tool("GOFLAGS=-mod=mod GOPROXY=off go mod tidy") == "go"
    assert command_tool("npm install") == "npm"
    assert command_tool("'my tool' --x") == "my tool"
