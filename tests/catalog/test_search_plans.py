"""PostgreSQL search plans stay fast on every run of a connection: psycopg prepares a statement after 5 runs and
PostgreSQL may then switch to a generic plan (from about the 11th run); a generic plan that cannot see the LIMIT
or the patterns scans the whole table. Checked with EXPLAIN (the plan), not with a clock."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import event, insert, text

from tests.conftest import requires_postgresql

WORDS = ("Paracetamol", "Amoxicillin", "Thuốc ho", "Siro", "Vitamin C", "Losartan", "Cao", "Khẩu trang", "Berberin",
         "Omeprazol", "Metformin", "Cefuroxim", "Ibuprofen", "Loratadin", "Bổ phế", "Dầu gió", "Men tiêu hóa")
PRODUCTS = 30_000


def _catalogue(session) -> None:
    from pharmacy.catalog.models import Product
    from pharmacy.catalog.search import analyze_catalogue
    from pharmacy.text import fold

    rows = []
    for n in range(1, PRODUCTS + 1):
        name = f"{WORDS[n % len(WORDS)]} {n % 7 * 100 + 50}mg {n}"
        ingredient = WORDS[(n * 7) % len(WORDS)]
        rows.append({"name": name, "active_ingredient": ingredient, "national_code": f"TQG{n:07d}",
                     "search_text": fold(f"{name} {ingredient} TQG{n:07d}")})
    session.execute(insert(Product), rows)
    session.commit()
    analyze_catalogue(session)  # what every catalogue import does after committing


def _plan(conn, statement: str, params: dict) -> dict:
    """The plan this connection runs `statement` with: the prepared one psycopg made, if any, else a fresh one."""
    names = re.findall(r"%\((\w+)\)s", statement)
    order = list(dict.fromkeys(names))
    sent = re.sub(r"%\((\w+)\)s", lambda m: f"${order.index(m.group(1)) + 1}", statement).replace("%%", "%")
    prepared = conn.exec_driver_sql(
        "SELECT name FROM pg_prepared_statements WHERE statement = %(s)s", {"s": sent}).scalar()
    if prepared:
        args = f"({', '.join(repr(params[name]) for name in order)})" if order else ""
        query = f"EXPLAIN (FORMAT JSON) EXECUTE {prepared}{args}"
        return conn.exec_driver_sql(query).scalar()[0]["Plan"]
    explained = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, params).scalar()
    return (explained if isinstance(explained, list) else json.loads(explained))[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


@requires_postgresql
@pytest.mark.parametrize("query", ["para", "cao", "xyzzy"])
def test_the_20th_search_on_a_connection_plans_as_well_as_the_2nd(app, query):
    from pharmacy.catalog.search import search_products
    from pharmacy.extensions import db

    with app.app_context():
        _catalogue(db.session)
        seen: list[tuple[str, dict]] = []
        conn = db.session.connection()  # one transaction: every run below uses this one connection

        def record(_conn, _cursor, statement, parameters, _context, _many):
            if "search_text LIKE" in statement and not statement.startswith("EXPLAIN"):
                seen.append((statement, dict(parameters or {})))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            plans = {}
            for run in range(1, 21):
                del seen[:]
                search_products(db.session, query)
                if run in (2, 20):
                    plans[run] = [_plan(conn, statement, params) for statement, params in seen]
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert plans[2] and len(plans[20]) == len(plans[2])
        for second, twentieth in zip(plans[2], plans[20]):
            shape = [node["Node Type"] for node in _nodes(second)]
            assert [node["Node Type"] for node in _nodes(twentieth)] == shape, (query, shape)
            assert twentieth["Total Cost"] <= 2 * second["Total Cost"], (query, second["Total Cost"], twentieth["Total Cost"])
            if "Seq Scan" in shape:  # only worth it when the LIMIT stops it early: bounded, as the plan says
                assert second["Total Cost"] < 0.1 * next(n for n in _nodes(second) if n["Node Type"] == "Seq Scan")["Total Cost"]
        # Nothing left for a generic plan to guess: psycopg's prepared search statements carry no parameters (a
        # generic plan of `LIMIT $1` assumes 10 % of the rows and may scan the table once PostgreSQL switches to it).
        prepared = conn.exec_driver_sql(
            "SELECT statement, parameter_types::text FROM pg_prepared_statements WHERE strpos(statement, 'search_text LIKE') > 0"
        ).all()
        assert all(types == "{}" for _statement, types in prepared), prepared
        if query == "xyzzy":  # nothing matches: only an index can say so without reading the table
            assert not any(node["Node Type"] == "Seq Scan" for plan in plans[20] for node in _nodes(plan))
        db.session.rollback()
        assert db.session.execute(text("SELECT count(*) FROM products")).scalar() == PRODUCTS


@requires_postgresql
def test_a_catalogue_import_leaves_fresh_planner_statistics(app):
    from pharmacy.demo import CATALOG_PATH
    from pharmacy.extensions import db

    with app.app_context():
        started = db.session.execute(text("SELECT now()")).scalar()
        db.session.rollback()
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(CATALOG_PATH)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        vacuumed, analyzed = db.session.execute(text(
            "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = 'products'")).one()
        assert vacuumed and analyzed and vacuumed >= started and analyzed >= started
