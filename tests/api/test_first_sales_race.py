"""A new store's first sales, all at once: none is refused for racing to create the store's number counter."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import requests
from sqlalchemy import select

STORES, CLIENTS = 3, 8


def test_new_stores_first_concurrent_sales_all_succeed_with_gap_free_numbers(app, books, server_process):
    books.user("owner", role="owner")
    products = [books.product(f"Thuốc {index}", national_code=f"TQG90000{index}") for index in range(CLIENTS)]
    stores = [books.store(f"CH9{index}") for index in range(STORES)]
    for store in stores:
        for product in products:  # each client sells another product: no shared lot serialises the sales
            books.receive(store, product, "PLENTY", date.today() + timedelta(days=200), 1000)
    token = books.token("owner")
    url = server_process(threads=CLIENTS)
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    assert session.get(f"{url}/api/v1/stores", headers=headers, timeout=30).status_code == 200  # warm the server
    results: list[int] = []

    for store in stores:
        barrier = threading.Barrier(CLIENTS)

        def buy(product, store=store, barrier=barrier):
            barrier.wait(timeout=20)
            response = requests.post(
                f"{url}/api/v1/sales", timeout=30, headers=headers,
                json={"store_id": store, "lines": [{"product_id": product, "unit": "Viên", "quantity": 1}]},
            )
            results.append(response.status_code)

        threads = [threading.Thread(target=buy, args=(product,)) for product in products]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert results == [201] * STORES * CLIENTS
    from pharmacy.extensions import db
    from pharmacy.models import Sale

    with app.app_context():
        numbers = sorted(db.session.scalars(select(Sale.number)))
    assert numbers == sorted(f"HD-CH9{s}-{n:06d}" for s in range(STORES) for n in range(1, CLIENTS + 1))
