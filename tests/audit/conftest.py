"""A shop with a few documents in its chain, and the verification command."""
from __future__ import annotations

import pytest
from sqlalchemy import text


def sell(api, store, product, quantity=1):
    response = api.post("/api/v1/sales", json={"store_id": store, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": quantity}]})
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def chained(shop):
    """The shop (3 receipts chained) and three sales."""
    sales = [sell(shop["pharmacist"], shop["store"], shop["product"], quantity) for quantity in (1, 2, 3)]
    return {**shop, "sales": sales}


def verify(app, *args):
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def raw(app, sql: str, **params) -> None:
    """Tampering behind the application's back: plain SQL on the database."""
    from pharmacy.extensions import db

    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text(sql), params)


def delete_sale(app, sale_id: int) -> None:
    raw(app, "DELETE FROM sale_allocations WHERE sale_line_id IN (SELECT id FROM sale_lines WHERE sale_id = :id)",
        id=sale_id)
    raw(app, "DELETE FROM sale_lines WHERE sale_id = :id", id=sale_id)
    raw(app, "DELETE FROM outbox_messages WHERE document_type = 'sale' AND document_id = :id", id=sale_id)
    raw(app, "DELETE FROM sales WHERE id = :id", id=sale_id)
