"""Semantic collisions: every rule with a positive and a negative case, on real repositories.

Each case is a base version and two branches (`a`, `b`) that each write some files; the check
must report the rule's collision in the positive case and not in the negative one.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from mergekit.app.check import CheckOptions, check_branches
from mergekit.collisions.manifests import manifest_dependencies
from mergekit.collisions.rules import load_rules
from mergekit.output.collisions import collision_message
from mergekit.resolve.profiles import all_profiles
from tests.helpers.check import branch, run
from tests.helpers.gitrepo import GitRepo

Files = dict[str, str]

ROUTES = (
    "import { Router } from 'express';\nexport const router = Router();\n\nrouter.use('/users', users);\n"
)
URLS = 'from django.urls import path\n\nurlpatterns = [\n    path("users/", views.users),\n]\n'
GO_BASE = 'package api\n\nfunc Register(mux *http.ServeMux) {\n\tmux.HandleFunc("/users", users)\n}\n'
BARREL = "export { User } from './users';\n"
INIT = 'from .users import User\n\n__all__ = ["User"]\n'
SETTINGS = 'CONFIG = {\n    "DEBUG": False,\n    "NAME": "app",\n    "ZONE": "utc",\n}\n'
PKG = '{\n  "name": "app",\n  "dependencies": {\n    "express": "^4.19.2"\n  }\n}\n'
CARGO = '[package]\nname = "app"\n\n[dependencies]\nserde = "1"\n'
PYPROJECT = '[project]\nname = "app"\ndependencies = [\n    "click>=8",\n]\n'
GOMOD = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\n"
JOURNAL = '{\n  "entries": [\n    {\n      "idx": 0,\n      "tag": "0000_init"\n    }\n  ]\n}\n'


def _go(package: str, handler: str) -> str:
    return (
        f'package {package}\n\nfunc r(mux *http.ServeMux) {{\n\tmux.HandleFunc("/billing", {handler})\n}}\n'
    )


def _journal(tag: str, idx: int) -> str:
    return JOURNAL.replace("  ]", f'    ,{{\n      "idx": {idx},\n      "tag": "{tag}"\n    }}\n  ]')


def _alembic(rev: str, down: str) -> str:
    return f'"""{rev}"""\nrevision = "{rev}"\ndown_revision = "{down}"\n'


LARAVEL = "<?php\nuse Illuminate\\Support\\Facades\\Route;\n\nRoute::get('/users', [Users::class, 'list']);\n"
RAILS = "Rails.application.routes.draw do\n  resources :users\nend\n"
PHOENIX = (
    'defmodule AppWeb.Router do\n  scope "/", AppWeb do\n    get "/", PageController, :home\n  end\nend\n'
)
ASPNET = 'var app = WebApplication.Create(args);\napp.MapGet("/users", () => "users");\napp.Run();\n'
TF = 'resource "aws_lambda_function" "api" {\n  function_name = "api"\n}\n'
VIEWS = "def index(request):\n    return render(request, 'users.html')\n"


def _after(text: str, anchor: str, line: str) -> str:
    """`text` with `line` inserted after the first line holding `anchor`."""
    at = text.index("\n", text.index(anchor)) + 1
    return text[:at] + line + text[at:]


# (id, rule, base files, a's files, b's files, collides)
CASES: list[tuple[str, str, Files, Files, Files, bool]] = [
    (
        "express-same-path",
        "express-route",
        {"src/routes.ts": ROUTES},
        {"src/routes.ts": "router.use('/billing', billingRouter);\n" + ROUTES},
        {"src/routes.ts": ROUTES + "router.use('/billing', invoicesRouter);\n"},
        True,
    ),
    (
        "express-other-path",
        "express-route",
        {"src/routes.ts": ROUTES},
        {"src/routes.ts": "router.use('/billing', billingRouter);\n" + ROUTES},
        {"src/routes.ts": ROUTES + "router.get('/billing', invoicesRouter);\n"},
        False,
    ),
    (
        "django-same-path",
        "django-route",
        {"app/urls.py": URLS},
        {
            "app/urls.py": URLS.replace(
                "urlpatterns = [\n", 'urlpatterns = [\n    path("billing/", views.a),\n'
            )
        },
        {"app/urls.py": URLS.replace("]\n", '    path("billing/", billing.index),\n]\n')},
        True,
    ),
    (
        "django-other-path",
        "django-route",
        {"app/urls.py": URLS},
        {
            "app/urls.py": URLS.replace(
                "urlpatterns = [\n", 'urlpatterns = [\n    path("billing/", views.a),\n'
            )
        },
        {"app/urls.py": URLS.replace("]\n", '    path("invoices/", billing.index),\n]\n')},
        False,
    ),
    (
        "go-same-package",
        "go-route",
        {"api/routes.go": GO_BASE},
        {"api/billing.go": _go("api", "billing")},
        {"api/invoices.go": _go("api", "inv")},
        True,
    ),
    (
        "go-other-package",
        "go-route",
        {"api/routes.go": GO_BASE},
        {"api/billing.go": _go("api", "billing")},
        {"admin/inv.go": _go("admin", "inv")},
        False,
    ),
    (
        "reexport-two-modules",
        "ts-reexport",
        {"src/index.ts": BARREL},
        {"src/index.ts": "export { Invoice } from './billing';\n" + BARREL},
        {"src/index.ts": BARREL + "export { Money, Invoice } from './invoices';\n"},
        True,
    ),
    (
        "reexport-other-names",
        "ts-reexport",
        {"src/index.ts": BARREL},
        {"src/index.ts": "export { Invoice } from './billing';\n" + BARREL},
        {"src/index.ts": BARREL + "export { Money } from './invoices';\n"},
        False,
    ),
    (
        "export-declared-twice",
        "ts-export",
        {"src/config.ts": "export const A = 1;\n\nexport const B = 2;\n"},
        {"src/config.ts": "export const LIMIT = 10;\nexport const A = 1;\n\nexport const B = 2;\n"},
        {"src/config.ts": "export const A = 1;\n\nexport const B = 2;\nexport const LIMIT = 20;\n"},
        True,
    ),
    (
        "export-same-declaration",
        "ts-export",
        {"src/config.ts": "export const A = 1;\n"},
        {"src/config.ts": "export const A = 1;\nexport const LIMIT = 10;\n"},
        {"src/config.ts": "export const A = 1;\nexport const LIMIT = 10;\n"},
        False,
    ),
    (
        "python-import-two-modules",
        "python-import",
        {"pkg/__init__.py": INIT},
        {"pkg/__init__.py": "from .billing import Invoice\n" + INIT},
        {"pkg/__init__.py": INIT.replace("\n\n", "\nfrom .invoices import Invoice as Invoice\n\n")},
        True,
    ),
    (
        "python-import-other-names",
        "python-import",
        {"pkg/__init__.py": INIT},
        {"pkg/__init__.py": "from .billing import Invoice\n" + INIT},
        {"pkg/__init__.py": INIT.replace("\n\n", "\nfrom .invoices import Money\n\n")},
        False,
    ),
    (
        "all-entry-different-targets",
        "python-all",
        {"pkg/__init__.py": INIT},
        {"pkg/__init__.py": "from .billing import Invoice\n" + INIT.replace('"User"]', '"User", "Invoice"]')},
        {
            "pkg/__init__.py": INIT.replace("\n\n", "\nfrom .invoices import Invoice\n\n").replace(
                '["User"]', '[\n    "Invoice",\n    "User",\n]'
            )
        },
        True,
    ),
    (
        "all-entry-same-target",
        "python-all",
        {"pkg/__init__.py": INIT},
        {"pkg/__init__.py": "from .billing import Invoice\n" + INIT.replace('"User"]', '"User", "Invoice"]')},
        {"pkg/__init__.py": "from .billing import Invoice\n" + INIT.replace('"User"]', '"User", "Invoice"]')},
        False,
    ),
    (
        "django-migration-same-number",
        "django-migration",
        {"shop/migrations/0001_initial.py": "# initial\n"},
        {"shop/migrations/0002_invoice.py": "# a\n"},
        {"shop/migrations/0002_refund.py": "# b\n"},
        True,
    ),
    (
        "django-migration-other-app",
        "django-migration",
        {"shop/migrations/0001_initial.py": "# initial\n", "crm/migrations/0001_initial.py": "# initial\n"},
        {"shop/migrations/0002_invoice.py": "# a\n"},
        {"crm/migrations/0002_refund.py": "# b\n"},
        False,
    ),
    (
        "drizzle-sql-same-number",
        "sql-migration",
        {"drizzle/0000_init.sql": "create table a();\n"},
        {"drizzle/0001_invoices.sql": "create table invoices();\n"},
        {"drizzle/0001_refunds.sql": "create table refunds();\n"},
        True,
    ),
    (
        "drizzle-sql-next-numbers",
        "sql-migration",
        {"drizzle/0000_init.sql": "create table a();\n"},
        {"drizzle/0001_invoices.sql": "create table invoices();\n"},
        {"drizzle/0002_refunds.sql": "create table refunds();\n"},
        False,
    ),
    (
        "drizzle-journal-same-idx",
        "drizzle-journal",
        {"drizzle/meta/_journal.json": JOURNAL},
        {"drizzle/meta/_journal.json": _journal("0001_invoices", 1)},
        {"drizzle/meta/_journal.json": _journal("0001_refunds", 1)},
        True,
    ),
    (
        "drizzle-journal-other-idx",
        "drizzle-journal",
        {"drizzle/meta/_journal.json": JOURNAL},
        {"drizzle/meta/_journal.json": _journal("0001_invoices", 1)},
        {"drizzle/meta/_journal.json": _journal("0001_invoices", 1)},
        False,
    ),
    (
        "alembic-two-heads",
        "alembic-revision",
        {"alembic/versions/aaa_init.py": _alembic("aaa", "None")},
        {"alembic/versions/bbb_invoices.py": _alembic("bbb", "aaa")},
        {"alembic/versions/ccc_refunds.py": _alembic("ccc", "aaa")},
        True,
    ),
    (
        "alembic-different-parents",
        "alembic-revision",
        {
            "alembic/versions/aaa_init.py": _alembic("aaa", "None"),
            "alembic/versions/z.py": _alembic("z", "aaa"),
        },
        {"alembic/versions/bbb_invoices.py": _alembic("bbb", "aaa2")},
        {"alembic/versions/ccc_refunds.py": _alembic("ccc", "z")},
        False,
    ),
    (
        "dict-key-two-values",
        "object-key",
        {"app/settings.py": SETTINGS},
        {"app/settings.py": SETTINGS.replace('    "DEBUG"', '    "TIMEOUT": 30,\n    "DEBUG"')},
        {
            "app/settings.py": SETTINGS.replace(
                '    "ZONE": "utc",\n', '    "ZONE": "utc",\n    "TIMEOUT": 60,\n'
            )
        },
        True,
    ),
    (
        "dict-other-keys",
        "object-key",
        {"app/settings.py": SETTINGS},
        {"app/settings.py": SETTINGS.replace('    "DEBUG"', '    "TIMEOUT": 30,\n    "DEBUG"')},
        {
            "app/settings.py": SETTINGS.replace(
                '    "ZONE": "utc",\n', '    "ZONE": "utc",\n    "RETRIES": 3,\n'
            )
        },
        False,
    ),
    (
        "npm-two-versions",
        "npm-dependency",
        {"package.json": PKG},
        {"package.json": PKG.replace('"express"', '"lodash": "^4.17.0",\n    "express"')},
        {"package.json": PKG.replace('"^4.19.2"\n', '"^4.19.2",\n    "lodash": "^4.18.0"\n')},
        True,
    ),
    (
        "npm-same-version",
        "npm-dependency",
        {"package.json": PKG},
        {"package.json": PKG.replace('"express"', '"lodash": "^4.17.0",\n    "express"')},
        {"package.json": PKG.replace('"^4.19.2"\n', '"^4.19.2",\n    "lodash": "^4.17.0"\n')},
        False,
    ),
    (
        "cargo-two-versions",
        "cargo-dependency",
        {"Cargo.toml": CARGO},
        {"Cargo.toml": CARGO.replace("[dependencies]\n", '[dependencies]\nanyhow = "1.0"\n')},
        {"Cargo.toml": CARGO + 'anyhow = { version = "1.1" }\n'},
        True,
    ),
    (
        "cargo-other-crates",
        "cargo-dependency",
        {"Cargo.toml": CARGO},
        {"Cargo.toml": CARGO.replace("[dependencies]\n", '[dependencies]\nanyhow = "1.0"\n')},
        {"Cargo.toml": CARGO + 'thiserror = "1"\n'},
        False,
    ),
    (
        "pyproject-two-versions",
        "pyproject-dependency",
        {"pyproject.toml": PYPROJECT},
        {"pyproject.toml": PYPROJECT.replace('    "click', '    "httpx>=0.27",\n    "click')},
        {"pyproject.toml": PYPROJECT.replace('>=8",\n', '>=8",\n    "HTTPX>=0.28",\n')},
        True,
    ),
    (
        "pyproject-same-version",
        "pyproject-dependency",
        {"pyproject.toml": PYPROJECT},
        {"pyproject.toml": PYPROJECT.replace('    "click', '    "httpx>=0.27",\n    "click')},
        {"pyproject.toml": PYPROJECT.replace('>=8",\n', '>=8",\n    "httpx>=0.27",\n')},
        False,
    ),
    (
        "requirements-two-versions",
        "requirements-dependency",
        {"requirements.txt": "click==8.1.7\nflask==3.0.0\n"},
        {"requirements.txt": "click==8.1.7\nflask==3.0.0\nrequests==2.31.0\n"},
        {"requirements.txt": "Requests==2.32.0\nclick==8.1.7\nflask==3.0.0\n"},
        True,
    ),
    (
        "requirements-other-packages",
        "requirements-dependency",
        {"requirements.txt": "click==8.1.7\nflask==3.0.0\n"},
        {"requirements.txt": "click==8.1.7\nflask==3.0.0\nrequests==2.31.0\n"},
        {"requirements.txt": "attrs==23.1.0\nclick==8.1.7\nflask==3.0.0\n"},
        False,
    ),
    (
        "gomod-two-versions",
        "go-dependency",
        {"go.mod": GOMOD},
        {"go.mod": GOMOD.replace("require (\n", "require (\n\tgithub.com/x/y v1.2.0\n")},
        {"go.mod": GOMOD.replace("v1.0.0\n", "v1.0.0\n\tgithub.com/x/y v1.3.0\n")},
        True,
    ),
    (
        "gomod-other-modules",
        "go-dependency",
        {"go.mod": GOMOD},
        {"go.mod": GOMOD.replace("require (\n", "require (\n\tgithub.com/x/y v1.2.0\n")},
        {"go.mod": GOMOD.replace("v1.0.0\n", "v1.0.0\n\tgithub.com/z/w v1.3.0\n")},
        False,
    ),
    (
        "laravel-same-path",
        "laravel-route",
        {"routes/web.php": LARAVEL},
        {"routes/web.php": LARAVEL + "Route::get('/reports', [ReportController::class, 'index']);\n"},
        {"routes/web.php": _after(LARAVEL, "use ", "Route::get('/reports', fn () => view('reports'));\n")},
        True,
    ),
    (
        "laravel-other-path",
        "laravel-route",
        {"routes/web.php": LARAVEL},
        {"routes/web.php": LARAVEL + "Route::get('/reports', [ReportController::class, 'index']);\n"},
        {"routes/web.php": _after(LARAVEL, "use ", "Route::get('/exports', fn () => view('exports'));\n")},
        False,
    ),
    (
        "rails-same-path",
        "rails-route",
        {"config/routes.rb": RAILS},
        {"config/routes.rb": _after(RAILS, "draw do", '  get "/health", to: "health#show"\n')},
        {"config/routes.rb": _after(RAILS, "resources", '  get "/health", to: "status#index"\n')},
        True,
    ),
    (
        "rails-other-path",
        "rails-route",
        {"config/routes.rb": RAILS},
        {"config/routes.rb": _after(RAILS, "draw do", '  get "/health", to: "health#show"\n')},
        {"config/routes.rb": _after(RAILS, "resources", '  get "/status", to: "status#index"\n')},
        False,
    ),
    (
        "phoenix-same-path",
        "phoenix-route",
        {"lib/app_web/router.ex": PHOENIX},
        {"lib/app_web/router.ex": _after(PHOENIX, "scope", '    get "/status", StatusController, :show\n')},
        {
            "lib/app_web/router.ex": _after(
                PHOENIX, "PageController", '    get "/status", HealthController, :index\n'
            )
        },
        True,
    ),
    (
        "phoenix-other-path",
        "phoenix-route",
        {"lib/app_web/router.ex": PHOENIX},
        {"lib/app_web/router.ex": _after(PHOENIX, "scope", '    get "/status", StatusController, :show\n')},
        {
            "lib/app_web/router.ex": _after(
                PHOENIX, "PageController", '    get "/health", HealthController, :index\n'
            )
        },
        False,
    ),
    (
        "aspnet-same-path",
        "aspnet-route",
        {"src/Api/Program.cs": ASPNET},
        {"src/Api/Program.cs": _after(ASPNET, "Create(", 'app.MapGet("/health", () => "ok");\n')},
        {"src/Api/Program.cs": _after(ASPNET, "MapGet", 'app.MapGet("/health", () => Results.Ok());\n')},
        True,
    ),
    (
        "aspnet-other-path",
        "aspnet-route",
        {"src/Api/Program.cs": ASPNET},
        {"src/Api/Program.cs": _after(ASPNET, "Create(", 'app.MapGet("/health", () => "ok");\n')},
        {"src/Api/Program.cs": _after(ASPNET, "MapGet", 'app.MapGet("/status", () => Results.Ok());\n')},
        False,
    ),
    (
        "terraform-attribute-same-block",
        "object-key",
        {"infra/main.tf": TF},
        {"infra/main.tf": _after(TF, "resource", "  timeout = 30\n")},
        {"infra/main.tf": _after(TF, "function_name", "  timeout = 60\n")},
        True,
    ),
    # one function, class or test name added by two branches in two files of one package
    (
        "python-same-function-two-modules",
        "same-declaration",
        {"app/views/__init__.py": "", "app/views/users.py": VIEWS},
        {"app/views/billing.py": "import csv\n\n\ndef export_csv(request):\n    return csv.writer(x)\n"},
        {"app/views/invoices.py": "def export_csv(request):\n    return render(request, 'x.csv')\n"},
        True,
    ),
    (
        "python-same-test-two-files",
        "same-declaration",
        {"tests/test_users.py": "def test_list():\n    assert True\n"},
        {"tests/test_billing.py": "def test_export_csv():\n    assert export() == 'csv'\n"},
        {"tests/test_users.py": "def test_list():\n    assert 1\n\n\ndef test_export_csv():\n    assert 1\n"},
        True,
    ),
    (
        "go-same-function-one-package",
        "same-declaration",
        {"store/store.go": "package store\n\nfunc Open() error {\n\treturn nil\n}\n"},
        {"store/export.go": 'package store\n\nfunc Export() string {\n\treturn "csv"\n}\n'},
        {"store/dump.go": 'package store\n\n// Export dumps it.\nfunc Export() string {\n\treturn ""\n}\n'},
        True,
    ),
    (
        "ts-same-export-one-folder",
        "same-export",
        {"src/lib/index.ts": "export * from './users';\n", "src/lib/users.ts": "export const a = 1;\n"},
        {"src/lib/money.ts": "export function formatMoney(c: number) {\n  return `${c / 100}`;\n}\n"},
        {
            "src/lib/format.ts": (
                "export function formatMoney(c: number): string {\n  return c.toFixed(2);\n}\n"
            )
        },
        True,
    ),
    (
        "ts-helpers-and-default-exports",
        "same-export",
        {"src/lib/users.ts": "export const a = 1;\n"},
        {
            "src/lib/money.ts": (
                "function round(c: number) {\n  return c;\n}\nexport default function Page() {}\n"
            )
        },
        {
            "src/lib/format.ts": (
                "function round(c: number) {\n  return 1;\n}\nexport default function Page() {}\n"
            )
        },
        False,
    ),
    (
        "c-same-function-two-files",
        "same-c-function",
        {"src/users.c": "int users_count(void) {\n    return 0;\n}\n"},
        {"src/export.c": "int users_export(void) {\n    return 1;\n}\n"},
        {"src/dump.c": "#include <stdio.h>\n\nint users_export(void) {\n    return 2;\n}\n"},
        True,
    ),
    (
        "c-static-functions-two-files",
        "same-c-function",
        {"src/users.c": "int users_count(void) {\n    return 0;\n}\n"},
        {"src/export.c": "static int helper(void) {\n    return 1;\n}\n"},
        {"src/dump.c": "static int helper(void) {\n    return 2;\n}\n"},
        False,
    ),
    (
        "python-same-function-two-packages",
        "same-declaration",
        {"app/views/users.py": VIEWS},
        {"app/billing/views.py": "def export_csv(request):\n    return 1\n"},
        {"app/invoices/views.py": "def export_csv(request):\n    return 2\n"},
        False,
    ),
    (
        "python-same-function-one-module",
        "same-declaration",
        {"app/views/users.py": VIEWS},
        {"app/views/users.py": VIEWS + "\n\ndef export_csv(request):\n    return 1\n"},
        {"app/views/users.py": VIEWS + "\n\ndef export_csv(request):\n    return 2\n"},
        False,
    ),
    (
        "python-other-names-assignments-private-helpers",
        "same-declaration",
        {"app/views/users.py": VIEWS},
        {
            "app/views/billing.py": (
                "PAGE_SIZE = 50\n\n\ndef _rows():\n    return 1\n\n\ndef export_csv(r):\n    return 1\n"
            )
        },
        {
            "app/views/invoices.py": (
                "PAGE_SIZE = 20\n\n\ndef _rows():\n    return 2\n\n\ndef export_json(r):\n    return 2\n"
            )
        },
        False,
    ),
]


def _merge_files(base: Files, extra: Files) -> Files:
    merged = dict(base)
    merged.update(extra)
    return merged


@pytest.mark.parametrize(
    ("rule", "base", "ours", "theirs", "collides"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule(repo: GitRepo, rule: str, base: Files, ours: Files, theirs: Files, collides: bool) -> None:
    repo.commit("base", _merge_files({"README.md": "x\n"}, base))
    branch(repo, "a", ours)
    branch(repo, "b", theirs)
    report = check_branches(CheckOptions(cwd=repo.path, into="main", branches=("a", "b")))
    found = [c for c in report.collisions if c.rule == rule]
    if collides:
        assert found, [collision_message(c) for c in report.collisions]
        c = found[0]
        assert (c.ours, c.theirs) == ("a", "b")
        assert c.ours_site.line >= 1 and c.theirs_site.line >= 1
        assert c.key and c.description in collision_message(c)
    else:
        assert not found, [collision_message(c) for c in found]


def test_every_rule_has_both_cases() -> None:
    rules = set(load_rules().names)
    positive = {c[1] for c in CASES if c[5]}
    negative = {c[1] for c in CASES if not c[5]}
    assert rules == positive == negative


def test_rules_name_profiles_instead_of_repeating_their_globs() -> None:
    """A rule whose own globs hold every glob of a profile names the profile (`profiles = [...]`)
    instead, so that it reads the same files as the resolver when the profile's globs change."""
    text = (resources.files("mergekit.grammars") / "collisions" / "rules.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    rules = [*raw.get("keyed", []), *raw.get("manifest", [])]
    assert rules
    for rule in rules:
        own = set(rule.get("globs", []))
        for profile in all_profiles():
            assert not own >= set(profile.globs), f"{rule['name']}: write profiles = [{profile.name!r}]"


def test_strict_fails_on_collisions_and_warnings_pass(
    capsys: pytest.CaptureFixture[str], repo: GitRepo
) -> None:
    # two files of one Go package: git merges cleanly, the resolver never sees it; only the rule does
    repo.commit("base", {"api/routes.go": GO_BASE})
    branch(
        repo,
        "a",
        {"api/billing.go": 'package api\n\nfunc b(m *http.ServeMux) {\n\tm.HandleFunc("/billing", b)\n}\n'},
    )
    branch(
        repo,
        "b",
        {"api/inv.go": 'package api\n\nfunc i(m *http.ServeMux) {\n\n\tm.HandleFunc("/billing", i)\n}\n'},
    )
    args = ["check", "a", "b", "--into", "main", "--format", "github", "-C", str(repo.path)]
    code, out, _ = run(capsys, *args)
    assert code == 0
    warnings = [ln for ln in out.splitlines() if ln.startswith("::warning ")]
    assert len(warnings) == 1
    assert warnings[0].startswith("::warning file=api/inv.go,line=5,title=mergekit%3A route collision::")
    assert "'/billing'" in warnings[0]
    code, out, _ = run(capsys, *args, "--strict")
    assert code == 1 and any(ln.startswith("::error file=api/inv.go,line=5,") for ln in out.splitlines())
    code, _, _ = run(capsys, *args, "--strict", "--no-collisions")
    assert code == 0
    code, out, _ = run(
        capsys, "check", "a", "b", "--into", "main", "--format", "junit", "--strict", "-C", str(repo.path)
    )
    assert code == 1 and 'type="collision"' in out


def test_built_on_one_another_is_no_collision(repo: GitRepo) -> None:
    repo.commit("base", {"shop/migrations/0001_initial.py": "# initial\n"})
    branch(repo, "a", {"shop/migrations/0002_invoice.py": "# a\n"})
    branch(repo, "b", {"shop/migrations/0003_more.py": "# b\n"}, start="a")
    report = check_branches(CheckOptions(cwd=repo.path, into="main", branches=("a", "b")))
    assert report.collisions == []


def test_manifest_parsers_ignore_broken_files() -> None:
    rules = {r.name: r for r in load_rules().manifests}
    assert manifest_dependencies(rules["npm-dependency"], "{ not json") == {}
    assert manifest_dependencies(rules["cargo-dependency"], "[dependencies\n") == {}
    deps = manifest_dependencies(
        rules["go-dependency"], "module m\n\nrequire github.com/a/b v1.2.3 // indirect\n"
    )
    assert deps == {"github.com/a/b": "v1.2.3"}


def test_rules_name_containers_the_profiles_have() -> None:
    """Every `<profile>:<container>` of a container-key or declaration rule is a shipped container
    (a typo would read nothing), and a declaration rule's containers have declaration kinds."""
    rules = load_rules()
    containers = {f"{p.name}:{c.name}": c for p in all_profiles() for c in p.containers}
    named = [(r.name, r.containers) for r in rules.containers] + [
        (r.name, r.containers) for r in rules.declarations
    ]
    for rule_name, names in named:
        unknown = sorted(set(names) - set(containers))
        assert not unknown, f"{rule_name}: {unknown}"
    for declared in rules.declarations:
        for name in declared.containers:
            assert containers[name].declarations, f"{declared.name}: {name} has no declaration kinds"
