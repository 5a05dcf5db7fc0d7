"""The checkout's database budget: a 5-line sale over HTTP is a count of statements, not a time (issue 18).

Budget 20 for the whole POST /api/v1/sales (the caller's token, the store, products with units, one locked read
of the lots, the number, the sale with lines and allocations, one guarded update per lot taken, the ledger and
the outbox row). A feature that adds writes to a sale raises this budget by what it needs and says so here.

Issue 16 adds none: discounts and the payment columns ride on the sale's and lines' inserts, a bank transfer
writes one statement fewer (its outbox row waits for the payment), and a `customer_id` adds one read (the
customer's name) to sales that name one, which this cart does not.

Issue 13 adds one read: the store's own prices of the cart's units (catalog/store_prices.py), one statement for
the whole cart whatever its length (19 → 20).
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

BUDGET = 20


@contextmanager
def statements(app):
    """Every statement the app's engine sends, and how many were sent before the first commit."""
    from pharmacy.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []
    commits: list[int] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    def on_commit(_conn):
        commits.append(len(seen))

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield seen, commits
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


def five_line_cart(books):
    store = books.store("CH01")
    books.user("ds1", stores=[store])
    soon, late = date.today() + timedelta(days=40), date.today() + timedelta(days=400)
    lines = []
    for index in range(5):
        product = books.product(f"Thuốc {index}", national_code=f"TQG90000{index}")
        books.receive(store, product, f"A{index}", soon, 10, actor="ds1")
        books.receive(store, product, f"B{index}", late, 100, actor="ds1")
        lines.append({"product_id": product, "unit": "Viên", "quantity": 15 if index == 0 else 2})
    return store, lines


def sell_five_lines(app, books):
    """POST a 5-line sale while counting statements: (response, statements, statement counts at each commit)."""
    store, lines = five_line_cart(books)
    api = books.api("ds1")
    with statements(app) as (seen, commits):
        response = api.post("/api/v1/sales", json={"store_id": store, "lines": lines})
    assert response.status_code == 201, response.json
    return api, response.json, seen, commits


def test_a_five_line_sale_stays_within_its_statement_budget(app, books):
    _api, sale, seen, _commits = sell_five_lines(app, books)
    assert [len(line["allocations"]) for line in sale["lines"]] == [2, 1, 1, 1, 1]
    assert len(seen) <= BUDGET, "\n".join(seen)


def test_the_answer_is_built_from_the_sale_in_memory(app, books):
    api, sale, seen, commits = sell_five_lines(app, books)
    assert sale["seller"] == "ds1" and sale["void"] is None and sale["returns"] == []
    assert commits and seen[commits[-1]:] == [], "read back after commit:\n" + "\n".join(seen[commits[-1]:])
    assert sale == api.get(f"/api/v1/sales/{sale['id']}").json
