"""A new store's first sales, all at once: none is refused for racing to create the store's number counter."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import requests
from sqlalchemy import select


def test_a_new_stores_first_concurrent_sales_all_succeed_with_gap_free_numbers(app, books, server_process):
    store = books.store("CH09")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "PLENTY", date.today() + timedelta(days=200), 1000)
    token = books.token("owner")
    url = server_process(threads=8)
    results: list[int] = []
    barrier = threading.Barrier(8)

    def buy():
        barrier.wait(timeout=20)
        response = requests.post(
            f"{url}/api/v1/sales", timeout=30, headers={"Authorization": f"Bearer {token}"},
            json={"store_id": store, "lines": [{"product_id": product, "unit": "Viên", "quantity": 1}]},
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=buy) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == [201] * 8
    from pharmacy.extensions import db
    from pharmacy.models import Sale

    with app.app_context():
        assert sorted(db.session.scalars(select(Sale.number))) == [f"HD-CH09-{n:06d}" for n in range(1, 9)]
