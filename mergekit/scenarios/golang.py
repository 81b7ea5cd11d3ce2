"""The Go scenario: three branches that each add an HTTP handler package to a Go service.

Each branch adds its own package under `internal/`, one import to the import block of
`internal/server/routes.go`, one `mux.HandleFunc(...)` registration inside `registerRoutes`, and
one requirement to `go.mod`. `feature/search` and `feature/webhooks` also change the server's
`readTimeout` constant to different values: a genuine conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mergekit.scenarios.gitcli import ScenarioRepo
from mergekit.scenarios.model import Scenario

BASE = "main"
MODULE = "example.com/shop"
ROUTES_PATH = "internal/server/routes.go"
SERVER_PATH = "internal/server/server.go"
GOMOD_PATH = "go.mod"


@dataclass(frozen=True)
class Handler:
    """A handler package and the entries it adds to the shared files."""

    name: str
    """Package name and URL segment (`orders`)."""
    requirement: tuple[str, str] | None
    """A module (path, version) it requires, if any."""

    def files(self) -> dict[str, str]:
        """The package's own files."""
        return {
            f"internal/{self.name}/handler.go": (
                f"package {self.name}\n\n"
                'import (\n\t"encoding/json"\n\t"net/http"\n)\n\n'
                f"// Handler serves /{self.name}.\n"
                "func Handler(w http.ResponseWriter, r *http.Request) {\n"
                '\tw.Header().Set("Content-Type", "application/json")\n'
                f'\t_ = json.NewEncoder(w).Encode(map[string]string{{"resource": "{self.name}"}})\n'
                "}\n"
            ),
            f"internal/{self.name}/handler_test.go": (
                f"package {self.name}\n\n"
                'import (\n\t"net/http"\n\t"net/http/httptest"\n\t"testing"\n)\n\n'
                "func TestHandler(t *testing.T) {\n"
                "\trec := httptest.NewRecorder()\n"
                f'\tHandler(rec, httptest.NewRequest(http.MethodGet, "/{self.name}", nil))\n'
                "\tif rec.Code != http.StatusOK {\n"
                '\t\tt.Fatalf("status %d", rec.Code)\n'
                "\t}\n"
                "}\n"
            ),
        }


EXISTING = [Handler("products", None), Handler("users", None)]
"""The handler packages on main."""

HANDLERS: dict[str, Handler] = {
    "feature/orders": Handler("orders", ("github.com/shopspring/decimal", "v1.4.0")),
    "feature/search": Handler("search", ("github.com/blevesearch/bleve/v2", "v2.4.0")),
    "feature/webhooks": Handler("webhooks", ("github.com/google/uuid", "v1.6.0")),
}
"""The three branches and the handler package each one adds."""

READ_TIMEOUT_CHANGES = {"feature/search": 30, "feature/webhooks": 5}
"""The two branches that change `readTimeout` (seconds; 10 on main), and the value each wants."""


def render_routes(handlers: list[Handler]) -> str:
    """`internal/server/routes.go`: gofmt-sorted imports and one registration per handler."""
    imports = "".join(f'\t"{MODULE}/internal/{h.name}"\n' for h in sorted(handlers, key=lambda h: h.name))
    regs = "".join(f'\tmux.HandleFunc("/{h.name}", {h.name}.Handler)\n' for h in handlers)
    return (
        "package server\n\n"
        "import (\n"
        '\t"net/http"\n\n'
        f"{imports}"
        ")\n\n"
        "// registerRoutes mounts every resource handler on mux.\n"
        "func registerRoutes(mux *http.ServeMux) {\n"
        '\tmux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {\n'
        "\t\tw.WriteHeader(http.StatusNoContent)\n"
        "\t})\n"
        f"{regs}"
        "}\n"
    )


def render_gomod(handlers: list[Handler]) -> str:
    """`go.mod` with a sorted `require` block."""
    reqs = {"github.com/jackc/pgx/v5": "v5.6.0"}
    reqs.update(dict(h.requirement for h in handlers if h.requirement))
    lines = "".join(f"\t{path} {version}\n" for path, version in sorted(reqs.items()))
    return f"module {MODULE}\n\ngo 1.22\n\nrequire (\n{lines})\n"


def render_server(read_timeout: int = 10) -> str:
    """`internal/server/server.go` with the timeouts as constants."""
    return (
        "package server\n\n"
        'import (\n\t"net/http"\n\t"time"\n)\n\n'
        "const (\n"
        f"\treadTimeout  = {read_timeout} * time.Second\n"
        "\twriteTimeout = 30 * time.Second\n"
        ")\n\n"
        "// New returns the HTTP server listening on addr.\n"
        "func New(addr string) *http.Server {\n"
        "\tmux := http.NewServeMux()\n"
        "\tregisterRoutes(mux)\n"
        "\treturn &http.Server{\n"
        "\t\tAddr: addr, Handler: mux, ReadTimeout: readTimeout, WriteTimeout: writeTimeout,\n"
        "\t}\n"
        "}\n"
    )


def build_go(path: Path) -> Scenario:
    """Build the Go scenario at `path`: a service on main and three branches adding a handler each."""
    repo = ScenarioRepo.create(path, BASE)
    main_go = (
        "package main\n\n"
        'import (\n\t"log"\n\n'
        f'\t"{MODULE}/internal/server"\n)\n\n'
        'func main() {\n\tlog.Fatal(server.New(":8080").ListenAndServe())\n}\n'
    )
    first = EXISTING[:1]
    repo.commit(
        "Start the shop service",
        {
            "cmd/shop/main.go": main_go,
            SERVER_PATH: render_server(),
            ROUTES_PATH: render_routes(first),
            GOMOD_PATH: render_gomod(first),
            **first[0].files(),
        },
    )
    repo.commit("Add the users handler", {**EXISTING[1].files(), ROUTES_PATH: render_routes(EXISTING)})
    for branch, handler in HANDLERS.items():
        repo.switch(branch, BASE)
        handlers = [*EXISTING, handler]
        repo.commit(
            f"Add the {handler.name} handler",
            {**handler.files(), ROUTES_PATH: render_routes(handlers), GOMOD_PATH: render_gomod(handlers)},
        )
        if branch in READ_TIMEOUT_CHANGES:
            seconds = READ_TIMEOUT_CHANGES[branch]
            repo.commit(f"Set the read timeout to {seconds}s", {SERVER_PATH: render_server(seconds)})
    repo.switch(BASE)
    branches = list(HANDLERS)
    return Scenario(
        path=path,
        base=BASE,
        branches=branches,
        description=(
            "A Go HTTP service and three branches (orders, search, webhooks), each adding a handler "
            "package, an import in the routes file's import block, a mux.HandleFunc registration and "
            "a go.mod requirement. search sets readTimeout to 30s and webhooks to 5s: a genuine "
            "conflict."
        ),
        expected_conflicts={SERVER_PATH: list(READ_TIMEOUT_CHANGES)},
        shared_files={ROUTES_PATH: list(branches), GOMOD_PATH: list(branches)},
        dependencies={},
        added_files={b: sorted(h.files()) for b, h in HANDLERS.items()},
    )
