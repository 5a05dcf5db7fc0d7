"""What the README promises about starting the app holds for the package as declared."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_postgresql_start_needs_no_extra_install():
    """10.22: `DATABASE_URL=postgresql://… python app.py` crashed with "No module named 'psycopg'"."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(dep.replace(" ", "").startswith("psycopg[binary]==") for dep in project["dependencies"])
    assert "DATABASE_URL=postgresql://" in (ROOT / "README.md").read_text()


def test_postgresql_urls_use_psycopg_3():
    from pharmacy.config import normalize_database_url

    assert normalize_database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    import psycopg  # noqa: F401 - the driver is installed with the app
