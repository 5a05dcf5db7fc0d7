"""The house's import directions (style.md), followed transitively over the project's own modules.

Every module gets a layer; an AST walk resolves relative imports and `from x import y` where y is a submodule
(imports inside functions count too), then each rule checks everything a module reaches, not only what it names.
Importing `pharmacy.sales` runs `pharmacy/__init__.py` (the factory); that implicit parent-package step is not
followed, so the rules speak about the code a module depends on, not about where the factory happens to live.
The last tests inject known violations into virtual copies of the sources and assert each one is reported.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pharmacy", "connectors")
WEB_FRAMEWORKS = ("flask", "flask_smorest", "flask_login", "flask_wtf", "flask_babel", "flask_migrate",
                  "flask_sqlalchemy", "werkzeug", "wtforms")
# Folders of connectors/ that join the national systems to the pharmacy: the sync bridge (runner, lanes, claims)
# and the demo sandboxes, which seed a demo store's credentials. Every other folder is one external system.
BRIDGES = {"sync", "sandboxes"}
CLOCK_CALLS = {("utcnow",), ("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("time", "time")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_sources() -> dict[str, tuple[str, bool]]:
    """name -> (source, is_package) for every module of the project's own packages."""
    sources = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            sources[module_name(path)] = (path.read_text(encoding="utf-8"), path.name == "__init__.py")
    return sources


def layer_of(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "connectors":
        if len(parts) == 1 or parts[1] in BRIDGES:
            return "bridge"
        return "connector"
    if len(parts) == 1:
        return "factory"
    head = parts[1]
    if head in {"api", "web"}:
        return head
    if head in {"presenters", "schemas"}:  # shared by api and web: sentences in the UI language, input schemas
        return "presenter"
    if head.startswith("cli") or head == "demo":  # demo: the one-command start's seed data, beside the CLI
        return "cli"
    if head in {"extensions", "request_limits", "signin", "audit_trail"}:  # Flask-bound helpers shared by api and web
        return "framework"
    if head in {"config", "instance", "logging_setup"}:  # settings, secret files, logging: below every layer
        return "settings"
    # Everything else is domain: the areas (pharmacy/<area>/) and the helpers below them (clock, money, numbering,
    # models_base, database, security, …). A new package starts under the strictest rules until it says otherwise.
    return "domain"


@functools.cache
def parsed(source: str) -> ast.Module:
    return ast.parse(source)


@dataclass
class Graph:
    sources: dict[str, tuple[str, bool]]
    edges: dict[str, set[str]] = field(default_factory=dict)   # project module -> modules it imports (any)
    trees: dict[str, ast.Module] = field(default_factory=dict)

    def resolve(self, module: str, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        is_package = self.sources[module][1]
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        return ".".join(base + ([node.module] if node.module else []))

    def direct_imports(self, module: str) -> set[str]:
        found = set()
        for node in ast.walk(self.trees[module]):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = self.resolve(module, node)
                for alias in node.names:
                    child = f"{target}.{alias.name}"
                    found.add(child if child in self.sources else target)
        return found

    def build(self) -> Graph:
        for name, (source, _package) in self.sources.items():
            self.trees[name] = parsed(source)
        for name in self.sources:
            self.edges[name] = self.direct_imports(name)
        return self

    def reach(self, start: str) -> dict[str, str]:
        """Everything `start` imports, directly or not: imported name -> the project module that imports it."""
        seen: dict[str, str] = {}
        stack = [start]
        while stack:
            current = stack.pop()
            for target in self.edges.get(current, ()):
                if target in seen:
                    continue
                seen[target] = current
                if target in self.sources:
                    stack.append(target)
        return seen


def chain(reached: dict[str, str], start: str, target: str) -> str:
    steps = [target]
    while steps[-1] != start:
        steps.append(reached[steps[-1]])
    return " -> ".join(reversed(steps))


def is_connector_client(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "connectors" and (parts[-1] == "client" or parts[-1].endswith("_clients"))


def forbidden_for(layer: str, name: str) -> str | None:
    """Why a module of `layer` may not depend on `name`, or None."""
    top = name.split(".")[0]
    target = layer_of(name) if top in PACKAGES else None
    if layer == "domain":
        if top in WEB_FRAMEWORKS or top == "requests":
            return f"domain code imports {top}"
        if target in {"api", "web", "presenter", "cli", "factory", "framework", "bridge"}:
            return f"domain code imports the {target} layer"
        if is_connector_client(name):
            return "domain code imports a connector client"
    if layer == "web" and target == "api":
        return "pages import the JSON API (shared helpers live below both)"
    if layer == "api" and target == "web":
        return "the JSON API imports pages (shared helpers live below both)"
    if layer == "connector" and top == "pharmacy":
        return "a connector imports pharmacy (only connectors/sync, the bridge, may)"
    return None


def violations(graph: Graph) -> list[str]:
    found = []
    for name in sorted(graph.sources):
        layer = layer_of(name)
        reached = graph.reach(name)
        for target in sorted(reached):
            reason = forbidden_for(layer, target)
            if reason:
                found.append(f"{name}: {reason}: {chain(reached, name, target)}")
    return found


def dotted(node: ast.expr) -> tuple[str, ...]:
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Attribute):
        return (*dotted(node.value), node.attr)
    return ()


def domain_habits(graph: Graph) -> list[str]:
    """Domain code takes the clock as a parameter and never commits (the edge does)."""
    found = []
    for name, tree in graph.trees.items():
        if layer_of(name) != "domain" or name == "pharmacy.clock":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = dotted(node.func)
            if called[-2:] in CLOCK_CALLS or called[-1:] in CLOCK_CALLS:
                found.append(f"{name}:{node.lineno} reads the clock ({'.'.join(called)}()); take `now` instead")
            if called and called[-1] == "commit":
                found.append(f"{name}:{node.lineno} commits; services flush and the edge commits")
    return found


def graph_with(**changes: str) -> Graph:
    """The project's graph with some modules' sources appended to (or added), as virtual files."""
    sources = project_sources()
    for dotted_name, extra in changes.items():
        name = dotted_name.replace("__", ".")
        source, package = sources.get(name, ("", False))
        sources[name] = (source + "\n" + extra + "\n", package)
    return Graph(sources).build()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(project_sources()).build()


def test_every_layer_has_modules(graph):
    layers = {layer_of(name) for name in graph.sources}
    assert layers == {"factory", "api", "web", "cli", "presenter", "framework", "settings", "domain", "bridge", "connector"}
    assert {"pharmacy.sales.services", "pharmacy.sales.cart", "pharmacy.clock", "pharmacy.numbering"} <= {
        name for name in graph.sources if layer_of(name) == "domain"}


def test_import_directions_hold(graph):
    assert violations(graph) == []


def test_domain_code_neither_reads_the_clock_nor_commits(graph):
    assert domain_habits(graph) == []


# Tests of the test: each known violation, injected into a virtual copy of the sources, is reported.
SALES = "pharmacy__sales__services"


@pytest.mark.parametrize(("module", "line", "expected"), [
    (SALES, "import requests", "pharmacy.sales.services: domain code imports requests"),
    (SALES, "from ..api.sales import SaleSchema", "domain code imports the api layer"),
    (SALES, "from connectors.nationaldb.client import LegacyClient", "domain code imports a connector client"),
    ("pharmacy__sales__cart", "from flask import g", "pharmacy.sales.cart: domain code imports flask"),
    ("pharmacy__web__cart", "from flask import g", None),  # the web layer may use Flask
    ("pharmacy__backups", "from flask import g", "pharmacy.backups: domain code imports flask"),  # a new module
    ("pharmacy__sales__models", "from ..extensions import db", "domain code imports the framework layer"),
    ("pharmacy__web__views", "from ..api.auth import actor", "pages import the JSON API"),
    ("pharmacy__api__stock", "from ..web import context", "the JSON API imports pages"),
    ("connectors__nationaldb__payloads", "from pharmacy.money import round_vnd", "a connector imports pharmacy"),
])
def test_an_injected_violation_is_reported(graph, module, line, expected):
    found = sorted(set(violations(graph_with(**{module: line}))) - set(violations(graph)))
    if expected is None:
        assert found == []
    else:
        assert any(expected in entry for entry in found), found


def test_a_violation_is_found_through_other_modules():
    found = violations(graph_with(pharmacy__clock="import requests"))
    assert any(entry.startswith("pharmacy.sales.services: domain code imports requests: pharmacy.sales.services")
               and entry.endswith("pharmacy.clock -> requests") for entry in found), found


def test_a_bridge_may_import_pharmacy(graph):
    injected = graph_with(connectors__sync__runner="from pharmacy.outbox.models import OutboxMessage")
    assert set(violations(injected)) == set(violations(graph))


@pytest.mark.parametrize(("line", "expected"), [
    ("def f(session):\n    session.commit()", "commits"),
    ("def f():\n    return utcnow()", "reads the clock (utcnow())"),
    ("def f():\n    return date.today()", "reads the clock (date.today())"),
    ("def f():\n    return datetime.now(timezone.utc)", "reads the clock (datetime.now())"),
])
def test_an_injected_clock_read_or_commit_is_reported(line, expected):
    found = domain_habits(graph_with(**{SALES: line}))
    assert any(entry.startswith("pharmacy.sales.services:") and expected in entry for entry in found), found
