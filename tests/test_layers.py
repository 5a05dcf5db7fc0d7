"""The import directions of style.md: domain code imports no Flask, connectors never import pharmacy."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DELIVERY = {"api", "web", "cli.py", "cli_sync.py", "cli_backup.py", "__init__.py", "demo.py"}
WEB_FRAMEWORKS = ("flask", "flask_smorest", "flask_login", "flask_wtf", "flask_babel", "werkzeug")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join(base + ([node.module] if node.module else [])))
            else:
                names.add(node.module or "")
    return names


def domain_modules():
    for path in sorted((ROOT / "pharmacy").rglob("*.py")):
        parts = path.relative_to(ROOT / "pharmacy").parts
        if parts[0] in DELIVERY or path.name in {"extensions.py"}:
            continue
        yield path


def test_there_are_domain_modules_to_check():
    assert len(list(domain_modules())) > 10


@pytest.mark.parametrize("path", list(domain_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_imports_no_web_framework(path):
    offending = {name for name in imports_of(path) if name.split(".")[0] in WEB_FRAMEWORKS}
    assert not offending, f"{path} imports {offending}"


def connector_modules():
    for path in sorted((ROOT / "connectors").rglob("*.py")):
        if path.relative_to(ROOT / "connectors").parts[0] != "sync":
            yield path


@pytest.mark.parametrize("path", list(connector_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_connectors_never_import_pharmacy(path):
    offending = {name for name in imports_of(path) if name.split(".")[0] == "pharmacy"}
    assert not offending, f"{path} imports {offending}"


def test_domain_services_never_commit():
    for path in domain_modules():
        source = path.read_text(encoding="utf-8")
        assert ".commit()" not in source, f"{path} commits; services flush and the edge commits"
