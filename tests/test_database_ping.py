"""Pooled connections that rested are pinged before use: a database restarted (or a connection cut) meanwhile costs
a reconnect, not the counter's request; connections in steady use are not pinged on every request (issue 18)."""
from __future__ import annotations

import psycopg
from sqlalchemy import text

from tests.conftest import PG_URL, requires_postgresql


def _cut_the_apps_connections() -> int:
    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        return admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]


def _count_pings(app, monkeypatch) -> list:
    """The connections the app's engine pings from now on."""
    from pharmacy.extensions import db

    with app.app_context():
        dialect = db.engine.dialect
    seen: list = []
    original = dialect.do_ping

    def counted(dbapi_connection):
        seen.append(dbapi_connection)
        return original(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return seen


def _pharmacist(books):
    store = books.store("CH01")
    books.user("ds1", stores=[store])
    return books.api("ds1")


@requires_postgresql
def test_a_connection_cut_while_it_rested_is_replaced_before_the_request_uses_it(app, books, monkeypatch):
    from pharmacy import database

    api = _pharmacist(books)
    assert api.get("/api/v1/stores").status_code == 200
    assert _cut_the_apps_connections() >= 1  # as a database restart would
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # every pooled connection has rested enough
    pings = _count_pings(app, monkeypatch)
    response = api.get("/api/v1/stores")
    assert response.status_code == 200, response.json
    assert pings


@requires_postgresql
def test_without_the_rest_a_cut_connection_would_have_failed_the_request(app, books, monkeypatch):
    """The other side of the test above: the ping is what saves that request."""
    from pharmacy import database

    api = _pharmacist(books)
    assert api.get("/api/v1/stores").status_code == 200
    _cut_the_apps_connections()
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    failed = api.get("/api/v1/stores")
    assert failed.status_code == 503, failed.json
    assert api.get("/api/v1/stores").status_code == 200  # the pool threw the dead connections away


def test_connections_in_steady_use_are_not_pinged_and_rested_ones_are(app, books, monkeypatch):
    from pharmacy import database
    from pharmacy.extensions import db

    api = _pharmacist(books)
    assert api.get("/api/v1/stores").status_code == 200
    pings = _count_pings(app, monkeypatch)
    for _ in range(5):
        assert api.get("/api/v1/stores").status_code == 200
    assert pings == []
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.remove()
    assert len(pings) == 1
