"""Racing sales for the last units never oversell: concurrent requests against a real server process."""
from __future__ import annotations

from datetime import date, timedelta

import requests
from sqlalchemy import func, select

from ..conftest import run_together


def test_racing_sales_for_the_last_units_never_oversell(app, books, server_process):
    store = books.store("CH01")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "ONLY", date.today() + timedelta(days=200), 10)
    token = books.token("owner")
    url = server_process(threads=8)

    results: list[int] = []

    def buy(_index):
        session = requests.Session()
        for _ in range(2):
            response = session.post(
                f"{url}/api/v1/sales", timeout=30, headers={"Authorization": f"Bearer {token}"},
                json={"store_id": store, "lines": [{"product_id": product, "unit": "Viên", "quantity": 1}]},
            )
            results.append(response.status_code)

    run_together(12, buy)

    assert len(results) == 24
    assert results.count(201) == 10
    assert set(results) == {201, 409}

    from pharmacy.extensions import db
    from pharmacy.models import Sale, SaleAllocation, StockLot
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        assert db.session.scalar(select(StockLot.quantity).where(StockLot.lot == "ONLY")) == 0
        assert db.session.scalar(select(func.sum(SaleAllocation.quantity))) == 10
        numbers = sorted(db.session.scalars(select(Sale.number)))
        assert numbers == [f"HD-CH01-{n:06d}" for n in range(1, 11)]
        assert ledger_mismatches(db.session) == []
