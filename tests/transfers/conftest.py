"""Two stores of one chain over the `shop` fixture: CH01 (ds1) sends, CH02 (ds2) receives."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from ..conftest import DatabaseProbe


class Chain(DatabaseProbe):
    def __init__(self, app, books, shop):
        self.app, self.books = app, books
        self.source, self.product = shop["store"], shop["product"]
        self.destination = books.store("CH02")
        books.user("ds2", stores=[self.destination])
        self.owner, self.sender, self.receiver = shop["owner"], shop["pharmacist"], books.api("ds2")

    def line(self, quantity, unit="Viên", lot=None, product=None):
        body = {"product_id": product or self.product, "unit": unit, "quantity": quantity}
        return body | ({"lot": lot} if lot else {})

    def send(self, lines, api=None, **extra):
        body = {"from_store_id": self.source, "to_store_id": self.destination, "lines": lines, **extra}
        return (api or self.sender).post("/api/v1/transfers", json=body)

    def sent(self, lines, **extra) -> dict:
        response = self.send(lines, **extra)
        assert response.status_code == 201, response.json
        return response.json

    def receive(self, transfer_id, lines, api=None, **extra):
        return (api or self.receiver).post(f"/api/v1/transfers/{transfer_id}/receive", json={"lines": lines, **extra})

    def all_of(self, transfer: dict) -> list[dict]:
        """Receive lines saying everything sent arrived."""
        return [{"transfer_line_id": line["id"], "lot": a["lot"], "quantity": a["quantity"] // line["unit_factor"]}
                for line in transfer["lines"] for a in line["allocations"]]

    def lots(self, store, *, state=None) -> dict[str, int]:
        """On hand per lot number in a store: both states summed, or only `state` (sellable / quarantine)."""
        from pharmacy.models import StockLot

        return self.lot_quantities(StockLot.store_id == store, StockLot.product_id == self.product, state=state)

    def outbox(self):
        from pharmacy.extensions import db
        from pharmacy.models import OutboxMessage

        with self.app.app_context():
            rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
            return [(r.document_type, r.store_id, r.document_number, r.depends_on and r.depends_on.document_type)
                    for r in rows]


@pytest.fixture
def chain(app, books, shop):
    return Chain(app, books, shop)
