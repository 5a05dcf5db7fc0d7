"""A store on CSDL Dược v2 from day one: its empty opening balance never blocks its documents (issue 10, item 1)."""
from __future__ import annotations

from datetime import date, timedelta

from .conftest import PARA_ID, V2_PASSWORD, V2_USER


def test_a_new_store_on_v2_from_day_one_reports_its_receipt_and_sales_exactly_once(
        app, books, docs, v2_sandbox, make_v2_runner, clock, v2_helpers):
    store = books.store("CH01", national_password=V2_PASSWORD, national_username=V2_USER)
    books.user("owner", role="owner")
    drug = books.product("Paracetamol 500mg", national_code="TQG900001")
    v2_helpers["link"](app, drug, PARA_ID, {"Viên": "VIEN", "Vỉ": "VI", "Hộp": "HOP"})
    v2_helpers["switch"](app, store, clock())  # before any goods came in: nothing on hand
    expiry = date.today() + timedelta(days=300)
    docs.receipt(store, "supplier", [(drug, "Viên", 500, "LOT-N1", expiry, 500)])
    for _ in range(5):
        docs.sale(store, [(drug, "Viên", 2)])

    v2_helpers["drain"](app, make_v2_runner(), clock)

    messages = {m["number"]: m for m in v2_helpers["messages"](app)}
    opening = next(m for m in messages.values() if m["type"] == "opening_balance")
    assert opening["status"] == "cancelled" and "nothing on hand" in opening["last_error"]
    reported = [m for m in messages.values() if m["type"] in ("receipt", "sale")]
    assert len(reported) == 6 and {m["status"] for m in reported} == {"sent"}
    state = v2_sandbox.state
    assert [t.reason for t in state.transactions()] == ["supplier"] + ["sale-retail"] * 5
    assert {t.status for t in state.transactions()} == {"completed"}
    assert all(state.count(m["number"]) == 1 for m in reported)  # exactly once each
    assert state.count(opening["number"]) == 0

