"""A counter desk over the `shop` fixture: sell, void, take back and issue through the API, and read the lots."""
from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from ..conftest import DatabaseProbe


class Desk(DatabaseProbe):
    def __init__(self, app, shop):
        self.app, self.shop = app, shop
        self.store, self.product = shop["store"], shop["product"]
        self.api = shop["pharmacist"]

    def sell(self, lines=None, *, product=None, api=None) -> dict:
        lines = lines or [{"product_id": product or self.product, "unit": "Vỉ", "quantity": 3}]
        response = (api or self.api).post("/api/v1/sales", json={"store_id": self.store, "lines": lines})
        assert response.status_code == 201, response.json
        return response.json

    def void(self, sale_id, reason="Bán nhầm thuốc", api=None):
        return (api or self.api).post(f"/api/v1/sales/{sale_id}/void", json={"reason": reason})

    def give_back(self, sale_id, lines, api=None, **extra):
        return (api or self.api).post(f"/api/v1/sales/{sale_id}/returns", json={"lines": lines, **extra})

    def issue(self, lines, kind="destruction", note="Hủy thuốc hết hạn", api=None, **extra):
        body = {"store_id": self.store, "kind": kind, "note": note, "lines": lines, **extra}
        return (api or self.api).post("/api/v1/issues", json=body)

    def lots(self, product=None, *, state=None) -> dict[str, int]:
        """On hand per lot number: both states summed, or only `state` (sellable / quarantine)."""
        from pharmacy.models import StockLot

        return self.lot_quantities(StockLot.product_id == (product or self.product), state=state)

    def outbox(self):
        """(kind, document_type, document_number, depends_on document_number) of every outbox row."""
        from pharmacy.extensions import db
        from pharmacy.models import OutboxMessage

        with self.app.app_context():
            rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
            return [(r.kind, r.document_type, r.document_number, r.depends_on and r.depends_on.document_number)
                    for r in rows]


@pytest.fixture
def desk(app, shop):
    return Desk(app, shop)


@pytest.fixture
def server(server_process, monkeypatch):
    """`server_process`, but its processes' stderr pipes are closed afterwards (else a ResourceWarning fails a
    later test under filterwarnings=error; the shared fixture in tests/conftest.py leaves them open)."""
    started = []

    class Recording(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(subprocess, "Popen", Recording)
    yield server_process
    for proc in started:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()
