"""Sales of one store at the same moment, through a real server process: the chain never forks (one entry per
sale, sequence gap-free, each entry linked to the one before) and verifies."""
from __future__ import annotations

from datetime import date, timedelta

import requests
from sqlalchemy import select

from ..conftest import run_together


def test_concurrent_sales_extend_one_chain(app, books, server_process):
    store = books.store("CH01")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "LOT", date.today() + timedelta(days=200), 100)
    token = books.token("owner")
    url = server_process(threads=8)
    statuses: list[int] = []

    def buy(_index):
        session = requests.Session()
        for _ in range(3):
            response = session.post(f"{url}/api/v1/sales", timeout=30, headers={"Authorization": f"Bearer {token}"},
                                    json={"store_id": store, "lines": [{"product_id": product, "unit": "Viên",
                                                                        "quantity": 1}]})
            statuses.append(response.status_code)

    run_together(8, buy)
    assert statuses == [201] * 24

    from pharmacy.audit.models import JournalEntry
    from pharmacy.audit.verification import verify_chain
    from pharmacy.extensions import db
    from pharmacy.models import Sale

    with app.app_context():
        entries = db.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
        assert [entry.seq for entry in entries] == list(range(1, 26))  # the receipt, then 24 sales
        assert all(entry.prev_hash == before.entry_hash for before, entry in zip(entries, entries[1:]))
        sale_ids = set(db.session.scalars(select(Sale.id)))
        assert {entry.document_id for entry in entries if entry.kind == "sale"} == sale_ids
        assert verify_chain(db.session, store).finding is None
