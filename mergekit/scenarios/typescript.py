"""The TypeScript app scenarios: five parallel features, and an epic built on a foundation branch.

The app is a small Express + Drizzle service. Its shared files are rendered from the list of
features present on a branch (`render_app`), so main, each branch and the fully integrated result
are all the same function of a feature list: a branch's version of `src/routes/index.ts` is the
main version plus that branch's import and `router.use(...)` lines, and so on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mergekit.scenarios.gitcli import ScenarioRepo
from mergekit.scenarios.model import Scenario

BASE = "main"
"""The base branch of every TypeScript scenario."""
PAGE_SIZE = 50
"""The value of `PAGE_SIZE` in `src/config.ts` on main."""
CONFIG_PATH = "src/config.ts"
ROUTES_PATH = "src/routes/index.ts"
BARREL_PATH = "src/lib/db/schema/index.ts"
CHANGELOG_PATH = "CHANGELOG.md"
PACKAGE_PATH = "package.json"


@dataclass(frozen=True)
class Feature:
    """One feature of the app: its files and the entries it adds to the shared files."""

    slug: str
    """File stem of its route, service and test (`billing-dashboard`)."""
    ident: str
    """camelCase identifier stem (`billingDashboard` → `billingDashboardRouter`)."""
    title: str
    """Human name used in comments and the changelog (`Billing dashboard`)."""
    mount: str
    """Path the router is mounted at (`/billing`)."""
    table: str
    """Schema module and SQL table (`invoices`)."""
    dependency: tuple[str, str] | None
    """The npm package (name, version range) it adds, if any."""
    changelog: str
    """Its bullet under `## Unreleased`."""

    @property
    def router(self) -> str:
        """The exported router variable (`billingDashboardRouter`)."""
        return f"{self.ident}Router"

    @property
    def service(self) -> str:
        """The exported service class (`BillingDashboardService`)."""
        return self.ident[0].upper() + self.ident[1:] + "Service"

    @property
    def table_ident(self) -> str:
        """The exported Drizzle table variable (`invoices`)."""
        parts = self.table.split("-")
        return parts[0] + "".join(p.capitalize() for p in parts[1:])

    def files(self) -> dict[str, str]:
        """The feature's own files: schema, service, route and test."""
        return {
            f"src/lib/db/schema/{self.table}.ts": _schema_file(self),
            f"src/services/{self.slug}.ts": _service_file(self),
            f"src/routes/{self.slug}.ts": _route_file(self),
            f"tests/{self.slug}.test.ts": _test_file(self),
        }


USERS = Feature(
    "users", "users", "Users", "/users", "users", None, "Users: sign-up, sign-in and profile pages."
)
PROJECTS = Feature(
    "projects", "projects", "Projects", "/projects", "projects", None, "Projects: group work into projects."
)

FIVE_FEATURES: dict[str, Feature] = {
    "feature/notification-preferences": Feature(
        "notification-preferences",
        "notificationPreferences",
        "Notification preferences",
        "/notifications/preferences",
        "notification-preferences",
        ("nodemailer", "^6.9.14"),
        "Notification preferences: users choose which emails they receive.",
    ),
    "feature/billing-dashboard": Feature(
        "billing-dashboard",
        "billingDashboard",
        "Billing dashboard",
        "/billing",
        "invoices",
        ("stripe", "^16.2.0"),
        "Billing dashboard: invoices, payment methods and usage per project.",
    ),
    "feature/user-export": Feature(
        "user-export",
        "userExport",
        "User export",
        "/exports",
        "export-jobs",
        ("csv-stringify", "^6.5.0"),
        "User export: download all of a user's data as CSV.",
    ),
    "feature/admin-audit-log": Feature(
        "admin-audit-log",
        "adminAuditLog",
        "Admin audit log",
        "/admin/audit-log",
        "audit-events",
        ("pino", "^9.2.0"),
        "Admin audit log: every administrative action is recorded and searchable.",
    ),
    "feature/public-api": Feature(
        "public-api",
        "publicApi",
        "Public API",
        "/api/v1",
        "api-keys",
        ("zod", "^3.23.8"),
        "Public API: versioned REST endpoints with per-key rate limits.",
    ),
}
"""The five parallel features, by branch name, in creation order."""

PAGE_SIZE_CHANGES: dict[str, int] = {
    "feature/user-export": 500,
    "feature/admin-audit-log": 100,
}
"""The two branches that change `PAGE_SIZE` in src/config.ts, and the value each one wants."""

BASE_DEPENDENCIES = {
    "dotenv": "^16.4.5",
    "drizzle-orm": "^0.31.2",
    "express": "^4.19.2",
    "pg": "^8.12.0",
}
DEV_DEPENDENCIES = {
    "@types/express": "^4.17.21",
    "@types/node": "^20.14.9",
    "drizzle-kit": "^0.22.8",
    "typescript": "^5.5.3",
    "vitest": "^1.6.0",
}


# --- rendering -------------------------------------------------------------------------------


def render_routes(features: list[Feature]) -> str:
    """`src/routes/index.ts`: one import and one `router.use(...)` per feature, in list order."""
    imports = "".join(f"import {{ {f.router} }} from './{f.slug}';\n" for f in features)
    uses = "".join(f"router.use('{f.mount}', {f.router});\n" for f in features)
    return (
        "import { Router } from 'express';\n\n"
        f"{imports}\n"
        "export const router = Router();\n\n"
        "router.get('/health', (_req, res) => {\n"
        "  res.json({ ok: true });\n"
        "});\n\n"
        f"{uses}"
    )


def render_barrel(features: list[Feature]) -> str:
    """`src/lib/db/schema/index.ts`: the schema barrel, one re-export per feature."""
    return "".join(f"export * from './{f.table}';\n" for f in features)


def render_changelog(features: list[Feature], released: list[Feature]) -> str:
    """`CHANGELOG.md`: an `## Unreleased` bullet per feature, then the released versions."""
    unreleased = "".join(f"- {f.changelog}\n" for f in features)
    old = "".join(f"- {f.changelog}\n" for f in released)
    return (
        "# Changelog\n\n"
        "All notable changes to this project are documented here.\n\n"
        "## Unreleased\n\n"
        f"{unreleased}\n"
        "## 0.3.0 - 2025-12-01\n\n"
        f"{old}"
    )


def render_package(features: list[Feature], extra: dict[str, str] | None = None) -> str:
    """`package.json`, with each feature's dependency inserted in sorted order (as npm does)."""
    deps = dict(BASE_DEPENDENCIES)
    for f in features:
        if f.dependency is not None:
            deps[f.dependency[0]] = f.dependency[1]
    deps.update(extra or {})
    manifest = {
        "name": "acme-app",
        "version": "0.3.0",
        "private": True,
        "type": "module",
        "scripts": {
            "build": "tsc -p .",
            "dev": "tsx watch src/index.ts",
            "test": "vitest run",
            "db:generate": "drizzle-kit generate",
        },
        "dependencies": dict(sorted(deps.items())),
        "devDependencies": DEV_DEPENDENCIES,
    }
    return json.dumps(manifest, indent=2) + "\n"


def render_config(page_size: int = PAGE_SIZE) -> str:
    """`src/config.ts`: the app's constants."""
    return (
        "// Application settings. Values that differ per environment come from process.env.\n\n"
        "export const PORT = Number(process.env.PORT ?? 3000);\n"
        "export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://localhost:5432/acme';\n\n"
        "// Default number of rows per page in list endpoints.\n"
        f"export const PAGE_SIZE = {page_size};\n\n"
        "export const MAX_UPLOAD_MB = 25;\n"
        "export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 14;\n"
    )


def _schema_file(f: Feature) -> str:
    return (
        "import { pgTable, serial, text, timestamp, integer } from 'drizzle-orm/pg-core';\n\n"
        f"// {f.title}: one row per record.\n"
        f"export const {f.table_ident} = pgTable('{f.table.replace('-', '_')}', {{\n"
        "  id: serial('id').primaryKey(),\n"
        "  ownerId: integer('owner_id').notNull(),\n"
        "  name: text('name').notNull(),\n"
        "  createdAt: timestamp('created_at').defaultNow().notNull(),\n"
        "});\n"
    )


def _service_file(f: Feature) -> str:
    return (
        "import { eq } from 'drizzle-orm';\n\n"
        "import { PAGE_SIZE } from '../config';\n"
        "import { db } from '../lib/db';\n"
        f"import {{ {f.table_ident} }} from '../lib/db/schema';\n\n"
        f"export class {f.service} {{\n"
        "  async list(ownerId: number, page = 0) {\n"
        "    return db\n"
        "      .select()\n"
        f"      .from({f.table_ident})\n"
        f"      .where(eq({f.table_ident}.ownerId, ownerId))\n"
        "      .limit(PAGE_SIZE)\n"
        "      .offset(page * PAGE_SIZE);\n"
        "  }\n\n"
        "  async create(ownerId: number, name: string) {\n"
        f"    const [row] = await db.insert({f.table_ident}).values({{ ownerId, name }}).returning();\n"
        "    return row;\n"
        "  }\n"
        "}\n"
    )


def _route_file(f: Feature) -> str:
    return (
        "import { Router } from 'express';\n\n"
        f"import {{ {f.service} }} from '../services/{f.slug}';\n\n"
        f"const service = new {f.service}();\n\n"
        f"export const {f.router} = Router();\n\n"
        f"{f.router}.get('/', async (req, res) => {{\n"
        "  const page = Number(req.query.page ?? 0);\n"
        "  res.json(await service.list(Number(req.header('x-user-id')), page));\n"
        "});\n\n"
        f"{f.router}.post('/', async (req, res) => {{\n"
        "  res.status(201).json(await service.create(Number(req.header('x-user-id')), req.body.name));\n"
        "});\n"
    )


def _test_file(f: Feature) -> str:
    return (
        "import { describe, expect, it } from 'vitest';\n\n"
        f"import {{ {f.router} }} from '../src/routes/{f.slug}';\n\n"
        f"describe('{f.title}', () => {{\n"
        "  it('registers list and create handlers', () => {\n"
        f"    const methods = {f.router}.stack.map((layer) => Object.keys(layer.route?.methods ?? {{}}));\n"
        "    expect(methods.flat()).toEqual(['get', 'post']);\n"
        "  });\n"
        "});\n"
    )


def _app_skeleton() -> dict[str, str]:
    return {
        "README.md": "# acme-app\n\nThe Acme web service.\n\n```sh\nnpm install\nnpm run dev\n```\n",
        ".gitignore": "node_modules/\ndist/\n.env\n",
        "tsconfig.json": json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "ES2022",
                    "moduleResolution": "bundler",
                    "strict": True,
                    "outDir": "dist",
                },
                "include": ["src", "tests"],
            },
            indent=2,
        )
        + "\n",
        "src/index.ts": (
            "import express from 'express';\n\n"
            "import { PORT } from './config';\n"
            "import { router } from './routes';\n\n"
            "const app = express();\n"
            "app.use(express.json());\n"
            "app.use(router);\n\n"
            "app.listen(PORT, () => {\n"
            "  console.log(`listening on ${PORT}`);\n"
            "});\n"
        ),
        "src/lib/db/index.ts": (
            "import { drizzle } from 'drizzle-orm/node-postgres';\n"
            "import pg from 'pg';\n\n"
            "import { DATABASE_URL } from '../../config';\n"
            "import * as schema from './schema';\n\n"
            "export const db = drizzle(new pg.Pool({ connectionString: DATABASE_URL }), { schema });\n"
        ),
        CONFIG_PATH: render_config(),
    }


def _shared(features: list[Feature], released: list[Feature]) -> dict[str, str]:
    return {
        ROUTES_PATH: render_routes(features),
        BARREL_PATH: render_barrel(features),
        PACKAGE_PATH: render_package(features),
        CHANGELOG_PATH: render_changelog([f for f in features if f not in released], released),
    }


def build_app_main(repo: ScenarioRepo) -> list[Feature]:
    """Commit the app's history on main (users, then projects); return the features on main."""
    first = [USERS]
    repo.commit("Initial app: users", {**_app_skeleton(), **USERS.files(), **_shared(first, first)})
    both = [USERS, PROJECTS]
    repo.commit("Add projects", {**PROJECTS.files(), **_shared(both, [USERS])})
    return both


def _commit_feature(
    repo: ScenarioRepo, feature: Feature, on_main: list[Feature], released: list[Feature]
) -> None:
    """Commit one feature in three steps on the current branch: schema, service + route, changelog."""
    features = [*on_main, feature]
    files = feature.files()
    schema = f"src/lib/db/schema/{feature.table}.ts"
    repo.commit(
        f"Add {feature.table} schema",
        {schema: files[schema], BARREL_PATH: render_barrel(features)},
    )
    rest = {k: v for k, v in files.items() if k != schema}
    repo.commit(
        f"{feature.title}: service, routes and tests",
        {**rest, ROUTES_PATH: render_routes(features), PACKAGE_PATH: render_package(features)},
    )
    unreleased = [f for f in features if f not in released]
    repo.commit(
        f"Changelog: {feature.title.lower()}",
        {CHANGELOG_PATH: render_changelog(unreleased, released)},
    )


def build_five_features(path: Path, *, worktrees: bool = False) -> Scenario:
    """Build the five-feature TypeScript app at `path` (which must not exist or be empty).

    Five branches start from main; each adds its own route, service, schema and test files and
    one entry each to `src/routes/index.ts` (import + `router.use`), `src/lib/db/schema/index.ts`,
    `CHANGELOG.md` and `package.json`. `feature/user-export` and `feature/admin-audit-log` also
    change `PAGE_SIZE` in `src/config.ts` to different values: the one genuine conflict. With
    `worktrees=True` every branch is checked out in its own linked worktree under
    `path/agents/<name>`, the way parallel coding agents work.
    """
    repo = ScenarioRepo.create(path, BASE)
    on_main = build_app_main(repo)
    released = [USERS]
    for branch, feature in FIVE_FEATURES.items():
        repo.switch(branch, BASE)
        _commit_feature(repo, feature, on_main, released)
        if branch in PAGE_SIZE_CHANGES:
            size = PAGE_SIZE_CHANGES[branch]
            repo.commit(
                f"Raise PAGE_SIZE to {size} for {feature.title.lower()}", {CONFIG_PATH: render_config(size)}
            )
    repo.switch(BASE)

    branches = list(FIVE_FEATURES)
    trees: dict[str, Path] = {}
    if worktrees:
        repo.exclude("/agents/")
        for branch in branches:
            where = path / "agents" / branch.rsplit("/", 1)[-1]
            repo.add_worktree(branch, where)
            trees[branch] = where
    return Scenario(
        path=path,
        base=BASE,
        branches=branches,
        description=(
            "acme-app, a small Express + Drizzle TypeScript service, and five feature branches "
            "finished in parallel (notification preferences, billing dashboard, user export, admin "
            "audit log, public API). Each adds its own route, service, schema and test files, and "
            "one line each to the route registry, the schema barrel, the changelog and package.json "
            "- plain git conflicts on every merge after the first. user-export sets PAGE_SIZE to "
            "500 and admin-audit-log sets it to 100: a genuine conflict for a human."
        ),
        expected_conflicts={CONFIG_PATH: list(PAGE_SIZE_CHANGES)},
        shared_files={p: list(branches) for p in (ROUTES_PATH, BARREL_PATH, CHANGELOG_PATH, PACKAGE_PATH)},
        dependencies={},
        added_files={b: sorted(f.files()) for b, f in FIVE_FEATURES.items()},
        worktrees=trees,
    )


# --- the epic --------------------------------------------------------------------------------

ORDERS = Feature(
    "orders",
    "orders",
    "Orders",
    "/orders",
    "orders",
    ("decimal.js", "^10.4.3"),
    "Orders: customers place and track orders.",
)
MIGRATION_PATH = "drizzle/0003_orders.sql"


def _migration_sql() -> str:
    return (
        'CREATE TABLE IF NOT EXISTS "orders" (\n'
        '  "id" serial PRIMARY KEY NOT NULL,\n'
        '  "owner_id" integer NOT NULL,\n'
        '  "name" text NOT NULL,\n'
        '  "created_at" timestamp DEFAULT now() NOT NULL\n'
        ");\n"
        'CREATE INDEX IF NOT EXISTS "orders_owner_idx" ON "orders" ("owner_id");\n'
    )


def _frontend_files() -> dict[str, str]:
    return {
        "web/src/api/orders.ts": (
            "export interface Order {\n  id: number;\n  name: string;\n  createdAt: string;\n}\n\n"
            "export async function listOrders(page = 0): Promise<Order[]> {\n"
            "  const res = await fetch(`/orders?page=${page}`);\n"
            "  return res.json();\n"
            "}\n"
        ),
        "web/src/pages/orders.tsx": (
            "import { useEffect, useState } from 'react';\n\n"
            "import { listOrders, type Order } from '../api/orders';\n\n"
            "export function OrdersPage() {\n"
            "  const [orders, setOrders] = useState<Order[]>([]);\n"
            "  useEffect(() => {\n"
            "    listOrders().then(setOrders);\n"
            "  }, []);\n"
            "  return (\n"
            "    <ul>\n"
            "      {orders.map((o) => (\n"
            "        <li key={o.id}>{o.name}</li>\n"
            "      ))}\n"
            "    </ul>\n"
            "  );\n"
            "}\n"
        ),
    }


EPIC_BRANCHES = ["epic/db-migration", "epic/api", "epic/service", "epic/frontend"]
"""The epic's branches in creation order."""


def build_epic(path: Path) -> Scenario:
    """Build the epic scenario at `path`: a foundation branch and branches stacked on it.

    `epic/db-migration` adds the orders table (SQL migration, schema module, barrel export);
    `epic/api` and `epic/service` are built on it; `epic/frontend` is built on `epic/api`.
    main moves on (a docs commit) after the migration branch starts. `epic/api` and
    `epic/service` both add a changelog bullet, a plain-git conflict; nothing is genuinely
    contradictory.
    """
    repo = ScenarioRepo.create(path, BASE)
    on_main = build_app_main(repo)
    released = [USERS]
    files = ORDERS.files()
    schema = "src/lib/db/schema/orders.ts"
    with_orders = [*on_main, ORDERS]

    def changelog(*bullets: str) -> str:
        text = render_changelog([PROJECTS], released)
        extra = "".join(f"- {b}\n" for b in bullets)
        return text.replace(f"- {PROJECTS.changelog}\n", f"- {PROJECTS.changelog}\n{extra}", 1)

    repo.switch("epic/db-migration", BASE)
    repo.commit(
        "Orders: table, migration and schema",
        {MIGRATION_PATH: _migration_sql(), schema: files[schema], BARREL_PATH: render_barrel(with_orders)},
    )
    repo.commit("Changelog: orders table", {CHANGELOG_PATH: changelog("Orders: database table.")})

    repo.switch(BASE)
    repo.commit(
        "Document deployment", {"docs/deploy.md": "# Deploying\n\nRun migrations, then `npm start`.\n"}
    )

    repo.switch("epic/api", "epic/db-migration")
    repo.commit(
        "Orders: REST routes",
        {
            "src/routes/orders.ts": files["src/routes/orders.ts"],
            "tests/orders.test.ts": files["tests/orders.test.ts"],
            ROUTES_PATH: render_routes(with_orders),
        },
    )
    repo.commit(
        "Changelog: orders API",
        {CHANGELOG_PATH: changelog("Orders: database table.", "Orders: REST API.")},
    )

    repo.switch("epic/service", "epic/db-migration")
    repo.commit(
        "Orders: service with decimal totals",
        {
            "src/services/orders.ts": files["src/services/orders.ts"],
            PACKAGE_PATH: render_package(with_orders),
        },
    )
    repo.commit(
        "Changelog: orders service",
        {CHANGELOG_PATH: changelog("Orders: database table.", "Orders: service layer with exact totals.")},
    )

    repo.switch("epic/frontend", "epic/api")
    repo.commit("Orders: page and API client", _frontend_files())
    repo.switch(BASE)

    return Scenario(
        path=path,
        base=BASE,
        branches=list(EPIC_BRANCHES),
        description=(
            "An 'orders' epic on acme-app: epic/db-migration adds the table; epic/api and "
            "epic/service are built on the migration; epic/frontend is built on the API. main has "
            "moved on since. The migration must go first, the frontend after the API."
        ),
        expected_conflicts={},
        shared_files={
            CHANGELOG_PATH: ["epic/db-migration", "epic/api", "epic/service"],
            BARREL_PATH: ["epic/db-migration"],
            ROUTES_PATH: ["epic/api"],
            PACKAGE_PATH: ["epic/service"],
        },
        dependencies={
            "epic/api": ["epic/db-migration"],
            "epic/service": ["epic/db-migration"],
            "epic/frontend": ["epic/db-migration", "epic/api"],
        },
        added_files={
            "epic/db-migration": sorted([MIGRATION_PATH, schema]),
            "epic/api": sorted(["src/routes/orders.ts", "tests/orders.test.ts"]),
            "epic/service": ["src/services/orders.ts"],
            "epic/frontend": sorted(_frontend_files()),
        },
    )
