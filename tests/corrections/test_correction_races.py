"""Racing corrections against a real server process: returns never exceed what was sold, a sale is voided once."""
from __future__ import annotations

import threading

import requests
from sqlalchemy import select


def race(url: str, headers: dict, bodies: list[tuple[str, dict]]) -> list[int]:
    """POST every (path, body) at once from its own thread; the status codes, in order."""
    results: list[int | None] = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def post(index, path, body):
        with requests.Session() as http:
            barrier.wait(timeout=20)
            results[index] = http.post(f"{url}{path}", json=body, headers=headers, timeout=30).status_code

    threads = [threading.Thread(target=post, args=(i, *pair)) for i, pair in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def returned_so_far(app, sale_line_id: int) -> tuple[int, int]:
    """(returned_base_quantity on the line, sum of what its allocations say came back)."""
    from pharmacy.extensions import db
    from pharmacy.models import SaleAllocation, SaleLine

    with app.app_context():
        line = db.session.get(SaleLine, sale_line_id)
        allocated = db.session.scalars(select(SaleAllocation).where(SaleAllocation.sale_line_id == sale_line_id))
        return line.returned_base_quantity, sum(a.returned_quantity for a in allocated)


def test_concurrent_returns_of_one_line_never_over_return(app, desk, server):
    url = server(threads=8)
    sale = desk.sell()  # 30 base units
    line = sale["lines"][0]["id"]
    body = {"lines": [{"sale_line_id": line, "quantity": 4, "unit": "Viên"}]}
    codes = race(url, desk.api.headers, [(f"/api/v1/sales/{sale['id']}/returns", body)] * 10)
    assert sorted(codes) == [201] * 7 + [409] * 3  # 7 × 4 = 28 of 30 fit; the last 2 units stay with the customer
    assert returned_so_far(app, line) == (28, 28)
    assert sum(desk.lots().values()) == 50 + 20 + 100 - 2
    assert desk.mismatches() == []


def test_concurrent_voids_and_returns_put_back_exactly_what_was_sold(app, desk, server):
    from pharmacy.models import OutboxMessage, SaleVoid

    url = server(threads=8)
    sale = desk.sell()
    line = sale["lines"][0]["id"]
    void = (f"/api/v1/sales/{sale['id']}/void", {"reason": "Bán nhầm"})
    give_back = (f"/api/v1/sales/{sale['id']}/returns", {"lines": [{"sale_line_id": line, "quantity": 1}]})
    codes = race(url, desk.api.headers, [void, give_back, void, give_back, void, give_back])
    assert [codes[i] for i in (0, 2, 4)].count(201) == 1
    assert set(codes) <= {201, 409}
    assert desk.count(SaleVoid) == 1
    assert desk.count(OutboxMessage, OutboxMessage.kind == "sale_void") == 1
    assert desk.lots() == {"OLD": 50, "SOON": 20, "LATE": 100}
    assert desk.mismatches() == []
