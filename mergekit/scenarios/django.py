"""The Django scenario: three branches that each add an app to a Django-style project.

Each branch adds its own app package and one entry each to `INSTALLED_APPS` in
`config/settings.py`, to `urlpatterns` in `config/urls.py`, to the re-exports and `__all__` of
`core/services/__init__.py`, and a line to `requirements.txt`. Every pair conflicts in plain git;
nothing is genuinely contradictory, so a structural resolver can integrate all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mergekit.scenarios.gitcli import ScenarioRepo
from mergekit.scenarios.model import Scenario

BASE = "main"
SETTINGS_PATH = "config/settings.py"
URLS_PATH = "config/urls.py"
SERVICES_PATH = "core/services/__init__.py"
REQUIREMENTS_PATH = "requirements.txt"


@dataclass(frozen=True)
class App:
    """A Django app and the entries it adds to the shared files."""

    name: str
    """Package name (`billing`)."""
    service: str
    """The service class re-exported from core.services (`BillingService`)."""
    requirement: str | None
    """A requirements.txt line it adds, if any."""

    def files(self) -> dict[str, str]:
        """The app's own files."""
        cls = self.name.capitalize()
        return {
            f"{self.name}/__init__.py": "",
            f"{self.name}/apps.py": (
                "from django.apps import AppConfig\n\n\n"
                f"class {cls}Config(AppConfig):\n"
                '    default_auto_field = "django.db.models.BigAutoField"\n'
                f'    name = "{self.name}"\n'
            ),
            f"{self.name}/models.py": (
                "from django.conf import settings\nfrom django.db import models\n\n\n"
                f"class {cls}Record(models.Model):\n"
                "    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n"
                "    created_at = models.DateTimeField(auto_now_add=True)\n"
            ),
            f"{self.name}/views.py": (
                "from django.http import JsonResponse\n\n"
                f"from core.services import {self.service}\n\n\n"
                "def index(request):\n"
                f'    return JsonResponse({{"items": {self.service}().list(request.user)}})\n'
            ),
            f"{self.name}/urls.py": (
                "from django.urls import path\n\nfrom . import views\n\n"
                f'app_name = "{self.name}"\n\n'
                'urlpatterns = [\n    path("", views.index, name="index"),\n]\n'
            ),
            f"{self.name}/tests.py": (
                "from django.test import TestCase\n\n\n"
                f"class {cls}ViewTests(TestCase):\n"
                "    def test_index_requires_login(self):\n"
                f'        self.assertEqual(self.client.get("/{self.name}/").status_code, 302)\n'
            ),
            f"core/services/{self.name}.py": (
                f"class {self.service}:\n"
                f'    """Business logic of the {self.name} app."""\n\n'
                "    def list(self, user):\n"
                "        return []\n"
            ),
        }


EXISTING = [App("accounts", "AccountService", None), App("catalog", "CatalogService", None)]
"""The apps on main."""

APPS: dict[str, App] = {
    "feature/billing": App("billing", "BillingService", "stripe==9.12.0"),
    "feature/notifications": App("notifications", "NotificationService", "celery==5.4.0"),
    "feature/reports": App("reports", "ReportService", "openpyxl==3.1.5"),
}
"""The three branches and the app each one adds."""


def render_settings(apps: list[App]) -> str:
    """`config/settings.py` with one `INSTALLED_APPS` entry per app."""
    local = "".join(f'    "{a.name}",\n' for a in apps)
    return (
        '"""Settings of the shop project."""\n\n'
        "from pathlib import Path\n\n"
        "BASE_DIR = Path(__file__).resolve().parent.parent\n"
        'SECRET_KEY = "dev-only-not-secret"\n'
        "DEBUG = True\n"
        "ALLOWED_HOSTS: list[str] = []\n\n"
        "INSTALLED_APPS = [\n"
        '    "django.contrib.admin",\n'
        '    "django.contrib.auth",\n'
        '    "django.contrib.contenttypes",\n'
        '    "django.contrib.sessions",\n'
        '    "django.contrib.messages",\n'
        '    "django.contrib.staticfiles",\n'
        f"{local}"
        "]\n\n"
        "MIDDLEWARE = [\n"
        '    "django.middleware.security.SecurityMiddleware",\n'
        '    "django.contrib.sessions.middleware.SessionMiddleware",\n'
        '    "django.middleware.common.CommonMiddleware",\n'
        '    "django.middleware.csrf.CsrfViewMiddleware",\n'
        '    "django.contrib.auth.middleware.AuthenticationMiddleware",\n'
        "]\n\n"
        'ROOT_URLCONF = "config.urls"\n'
        "DATABASES = {\n"
        '    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"},\n'
        "}\n"
        "PAGINATE_BY = 25\n"
    )


def render_urls(apps: list[App]) -> str:
    """`config/urls.py` with one `path(...)` per app in `urlpatterns`."""
    routes = "".join(f'    path("{a.name}/", include("{a.name}.urls")),\n' for a in apps)
    return (
        "from django.contrib import admin\n"
        "from django.urls import include, path\n\n"
        "urlpatterns = [\n"
        '    path("admin/", admin.site.urls),\n'
        f"{routes}"
        "]\n"
    )


def render_services(apps: list[App]) -> str:
    """`core/services/__init__.py`: one import and one `__all__` entry per app."""
    imports = "".join(f"from .{a.name} import {a.service}\n" for a in apps)
    names = "".join(f'    "{a.service}",\n' for a in apps)
    return f'"""Service layer re-exports."""\n\n{imports}\n__all__ = [\n{names}]\n'


def render_requirements(apps: list[App]) -> str:
    """`requirements.txt`, one pinned package per line, sorted."""
    lines = ["Django==5.0.7", "gunicorn==22.0.0", "psycopg==3.2.1"]
    lines += [a.requirement for a in apps if a.requirement]
    return "".join(f"{line}\n" for line in sorted(lines, key=str.lower))


def _shared(apps: list[App]) -> dict[str, str]:
    return {
        SETTINGS_PATH: render_settings(apps),
        URLS_PATH: render_urls(apps),
        SERVICES_PATH: render_services(apps),
        REQUIREMENTS_PATH: render_requirements(apps),
    }


def build_django(path: Path) -> Scenario:
    """Build the Django scenario at `path`: a project on main and three branches adding an app each."""
    repo = ScenarioRepo.create(path, BASE)
    skeleton = {
        "manage.py": (
            "#!/usr/bin/env python\nimport os\nimport sys\n\n"
            'if __name__ == "__main__":\n'
            '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n'
            "    from django.core.management import execute_from_command_line\n\n"
            "    execute_from_command_line(sys.argv)\n"
        ),
        "config/__init__.py": "",
        "core/__init__.py": "",
        ".gitignore": "__pycache__/\n*.pyc\ndb.sqlite3\n",
    }
    first = EXISTING[:1]
    repo.commit("Start the shop project", {**skeleton, **first[0].files(), **_shared(first)})
    repo.commit("Add the catalog app", {**EXISTING[1].files(), **_shared(EXISTING)})
    for branch, app in APPS.items():
        repo.switch(branch, BASE)
        apps = [*EXISTING, app]
        repo.commit(f"Add the {app.name} app", app.files())
        repo.commit(f"Register the {app.name} app", _shared(apps))
    repo.switch(BASE)
    branches = list(APPS)
    return Scenario(
        path=path,
        base=BASE,
        branches=branches,
        description=(
            "A Django shop project and three branches (billing, notifications, reports), each adding "
            "an app and registering it in INSTALLED_APPS, urlpatterns, the core.services re-exports "
            "and __all__, and requirements.txt. Every merge after the first conflicts in plain git; "
            "all of it is append-only."
        ),
        expected_conflicts={},
        shared_files={
            p: list(branches) for p in (SETTINGS_PATH, URLS_PATH, SERVICES_PATH, REQUIREMENTS_PATH)
        },
        dependencies={},
        added_files={b: sorted(a.files()) for b, a in APPS.items()},
    )
