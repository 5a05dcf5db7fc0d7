"""Racing sales against transfers (and receipts against cancels) for the same stock, through a real server
process: the last units go to exactly one of them, never both, and the books balance."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import requests
from sqlalchemy import func, select


def _race(calls, rounds=1):
    """Run each (method, url, token, body) from its own thread at once; the status codes in call order."""
    results = [[] for _ in calls]
    barrier = threading.Barrier(len(calls))

    def run(index, url, token, body):
        session = requests.Session()
        barrier.wait(timeout=20)
        for _ in range(rounds):
            response = session.post(url, json=body, timeout=30, headers={"Authorization": f"Bearer {token}"})
            results[index].append(response.status_code)
        session.close()

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_sales_and_transfers_racing_for_the_last_units_never_oversell(app, books, server_process):
    source, destination = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(source, product, "ONLY", date.today() + timedelta(days=200), 10)
    token = books.token("owner")
    url = server_process(threads=8)
    line = [{"product_id": product, "unit": "Viên", "quantity": 1}]
    sale = (f"{url}/api/v1/sales", token, {"store_id": source, "lines": line})
    transfer = (f"{url}/api/v1/transfers", token, {"from_store_id": source, "to_store_id": destination,
                                                    "lines": line})
    results = _race([sale, transfer] * 4, rounds=3)  # 24 attempts for 10 units

    flat = [code for codes in results for code in codes]
    assert len(flat) == 24 and set(flat) == {201, 409}
    assert flat.count(201) == 10

    from pharmacy.extensions import db
    from pharmacy.models import SaleAllocation, StockLot, TransferAllocation
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        assert db.session.scalar(select(StockLot.quantity).where(StockLot.store_id == source)) == 0
        sold = db.session.scalar(select(func.coalesce(func.sum(SaleAllocation.quantity), 0)))
        sent = db.session.scalar(select(func.coalesce(func.sum(TransferAllocation.quantity), 0)))
        assert sold + sent == 10
        assert ledger_mismatches(db.session) == []


def test_a_receipt_racing_a_cancel_lets_exactly_one_win(app, books, server_process):
    source, destination = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(source, product, "ONLY", date.today() + timedelta(days=200), 10)
    api = books.api("owner")
    body = {"from_store_id": source, "to_store_id": destination,
            "lines": [{"product_id": product, "unit": "Viên", "quantity": 10}]}
    created = api.post("/api/v1/transfers", json=body).json
    line_id = created["lines"][0]["id"]
    url, token = server_process(threads=8), books.token("owner")
    receive = (f"{url}/api/v1/transfers/{created['id']}/receive", token,
               {"lines": [{"transfer_line_id": line_id, "lot": "ONLY", "quantity": 10}]})
    cancel = (f"{url}/api/v1/transfers/{created['id']}/cancel", token, {})
    results = _race([receive, cancel, receive, cancel])
    flat = [code for codes in results for code in codes]
    assert sorted(flat) == [200, 409, 409, 409]

    from pharmacy.extensions import db
    from pharmacy.models import StockLot
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        on_hand = dict(db.session.execute(select(StockLot.store_id, StockLot.quantity)).all())
        assert on_hand in ({source: 0, destination: 10}, {source: 10})
        assert ledger_mismatches(db.session) == []
