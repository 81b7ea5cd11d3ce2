"""The long-lived `git check-attr` reader answers as one batch `git check-attr` does, path by path."""

from __future__ import annotations

from mergekit.engine.gitcli import AttributeReader, check_attr
from tests.helpers.gitrepo import GitRepo

ATTRS = ("merge", "mergekit-language", "linguist-generated")


def test_the_reader_gives_each_path_what_a_batch_run_gives(repo: GitRepo) -> None:
    """Hundreds of questions in a row (answers arrive several per pipe read), names with spaces and
    non-ASCII letters, attributes set, unset, valued and unspecified."""
    (repo.path / ".gitattributes").write_text(
        "*.ts merge=mergekit\n"
        "gen/** linguist-generated\n"
        "*.lock -merge\n"
        "docs/*.md mergekit-language=markdown\n"
    )
    paths = [f"src/m{i}.ts" for i in range(300)] + [f"gen/g{i}.py" for i in range(100)]
    paths += ["a.lock", "docs/read me.md", "docs/é.md", "plain.txt", "gen/deep/x.ts"]
    expected = {
        path: {k: v for k, v in found.items() if v != "unspecified"}
        for path, found in check_attr(repo.path, paths, *ATTRS).items()
    }
    reader = AttributeReader(repo.path, ATTRS)
    try:
        answers = {path: reader.get(path) for path in paths}
        assert answers == expected
        assert answers["a.lock"] == {"merge": "unset"}
        assert answers["gen/deep/x.ts"] == {"merge": "mergekit", "linguist-generated": "set"}
        assert answers["docs/é.md"] == {"mergekit-language": "markdown"}
        reader.close()
        assert reader.get("src/m0.ts") == {"merge": "mergekit"}  # cached
        assert reader.get("src/new.ts") == {"merge": "mergekit"}  # a new process after close
    finally:
        reader.close()
