"""A backup taken while 8 sellers keep selling through a real server process is consistent: restored, it holds
every sale confirmed before the backup began, only whole sales, and the ledger sums to on-hand (issue 12.11)."""
from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import requests
from sqlalchemy import func, select

SELLERS = 8


def test_backup_during_eight_sellers_restores_every_confirmed_sale(app, books, server_process, tmp_path):
    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "BIG", date.today() + timedelta(days=400), 1_000_000)
    token = books.token("ds1")
    url = server_process(threads=SELLERS)

    confirmed: list[str] = []
    lock, stop, errors, conflicts = threading.Lock(), threading.Event(), [], []

    def seller():
        http = requests.Session()
        while not stop.is_set():
            response = http.post(f"{url}/api/v1/sales", timeout=30, headers={"Authorization": f"Bearer {token}"},
                                 json={"store_id": store, "lines": [{"product_id": product, "unit": "Viên",
                                                                     "quantity": 3}]})
            if response.status_code == 409:  # "changed at the same time, try again": not sold, nothing written
                with lock:
                    conflicts.append(response.status_code)
                continue
            if response.status_code != 201:
                errors.append((response.status_code, response.text[:200]))
                continue
            with lock:
                confirmed.append(response.json()["number"])

    threads = [threading.Thread(target=seller) for _ in range(SELLERS)]
    for thread in threads:
        thread.start()
    try:
        while len(confirmed) < 40:  # selling is in full swing
            time.sleep(0.05)
            assert all(thread.is_alive() for thread in threads) and not errors, errors
        with lock:
            before_backup = set(confirmed)
        backup = tmp_path / "while-selling"
        result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
        assert result.exit_code == 0, result.output
        time.sleep(0.5)  # and selling goes on after it
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors[:3]
    sold_in_all = set(confirmed)
    assert len(sold_in_all) > len(before_backup)

    restored = app.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--force"])
    assert restored.exit_code == 0, restored.output

    from pharmacy.extensions import db
    from pharmacy.models import Sale, SaleLine, StockLot
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        numbers = set(db.session.scalars(select(Sale.number)))
        assert before_backup <= numbers <= sold_in_all
        assert db.session.scalar(select(func.count(SaleLine.id))) == len(numbers)  # whole sales only
        on_hand = db.session.scalar(select(StockLot.quantity).where(StockLot.lot == "BIG"))
        assert on_hand == 1_000_000 - 3 * len(numbers)
        assert ledger_mismatches(db.session) == []
    print(f"\nsales confirmed before the backup: {len(before_backup)}; in the backup: {len(numbers)}; "
          f"confirmed in all: {len(sold_in_all)}; refused as concurrent (409): {len(conflicts)}")
