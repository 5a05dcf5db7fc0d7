"""Concurrent sales, voids and returns of one seller in one store, through a real server process: the daily totals
row they all update ends equal to a recomputation from the documents (no lost update, no deadlock)."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import requests


def test_concurrent_documents_keep_the_daily_totals_exact(app, books, server_process):
    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "A", date.today() + timedelta(days=200), 500)
    books.receive(store, product, "B", date.today() + timedelta(days=300), 500)
    url = server_process(threads=8)
    seller, owner = books.token("ds1"), books.token("owner")
    # A store's first sale, return and void make its document counters; racing to create those is another
    # matter (the numbering's), so one of each goes first.
    first = requests.post(f"{url}/api/v1/sales", timeout=30, headers={"Authorization": f"Bearer {seller}"},
                          json={"store_id": store, "lines": [{"product_id": product, "unit": "Vỉ", "quantity": 2}]})
    first_id, first_line = first.json()["id"], first.json()["lines"][0]["id"]
    assert requests.post(f"{url}/api/v1/sales/{first_id}/returns", timeout=30,
                         headers={"Authorization": f"Bearer {owner}"},
                         json={"lines": [{"sale_line_id": first_line, "quantity": 1}]}).status_code == 201
    assert requests.post(f"{url}/api/v1/sales/{first_id}/void", timeout=30,
                         headers={"Authorization": f"Bearer {owner}"}, json={"reason": "Thử"}).status_code == 201
    statuses: list[int] = []
    bodies: list[str] = []
    barrier = threading.Barrier(6)

    def work(index: int):
        http = requests.Session()
        barrier.wait(timeout=20)
        for round_ in range(4):
            sale = http.post(f"{url}/api/v1/sales", timeout=30, headers={"Authorization": f"Bearer {seller}"},
                             json={"store_id": store, "lines": [{"product_id": product, "unit": "Vỉ",
                                                                  "quantity": 1 + index % 3}]})
            statuses.append(sale.status_code)
            if sale.status_code != 201:
                bodies.append(sale.text)
                return
            sale_id = sale.json()["id"]
            headers = {"Authorization": f"Bearer {owner}"}
            if round_ % 2:
                line_id = sale.json()["lines"][0]["id"]
                statuses.append(http.post(f"{url}/api/v1/sales/{sale_id}/returns", timeout=30, headers=headers,
                                          json={"lines": [{"sale_line_id": line_id, "quantity": 1}]}).status_code)
            if index % 2:
                statuses.append(http.post(f"{url}/api/v1/sales/{sale_id}/void", timeout=30, headers=headers,
                                          json={"reason": "Thử"}).status_code)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == 6 * 4 + 6 * 2 + 3 * 4 and set(statuses) == {201}, (statuses, bodies)

    from pharmacy.extensions import db
    from pharmacy.reports.sales import document_figures
    from pharmacy.sales.daily import SalesDaily
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        kept = {(r.store_id, r.day, r.user_id): (r.quantity, r.revenue, r.cost, r.sales_count)
                for r in db.session.query(SalesDaily)}
        recomputed = document_figures(db.session, group_by="day_store_user", period=None, store_ids=None)
        assert kept == {(s, d, u): (f.quantity, f.revenue, f.cost, f.sales_count)
                        for (d, s, u), f in recomputed.items()}
        assert sum(row[3] for row in kept.values()) == 25 - 13  # 25 sales, 13 voided
        assert ledger_mismatches(db.session) == []
