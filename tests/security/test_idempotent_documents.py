"""Idempotency-Key: a retried sale (return, void, receipt) answers with the first document and never makes a twin."""
from __future__ import annotations

import json
import socket
import threading
import time
from datetime import date, timedelta
from urllib.parse import urlsplit

import requests
from sqlalchemy import func, select


def count(app, model):
    from pharmacy.extensions import db

    with app.app_context():
        value = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        return value


def sale_body(shop, quantity=1):
    return {"store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Viên",
                                                  "quantity": quantity}]}


def post(api, path, body, key):
    return api.client.post(path, json=body, headers={**api.headers, "Idempotency-Key": key})


def test_same_key_same_body_answers_the_first_sale(app, shop):
    from pharmacy.models import Movement, Sale

    first = post(shop["owner"], "/api/v1/sales", sale_body(shop, 3), "checkout-1")
    again = post(shop["owner"], "/api/v1/sales", dict(reversed(list(sale_body(shop, 3).items()))), "checkout-1")
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"] and again.json["number"] == first.json["number"]
    assert count(app, Sale) == 1
    from pharmacy.extensions import db

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Movement).where(Movement.kind == "sale")) == 1


def test_same_key_other_body_is_422_and_writes_nothing(app, shop):
    from pharmacy.models import Sale

    assert post(shop["owner"], "/api/v1/sales", sale_body(shop, 1), "k-2").status_code == 201
    other = post(shop["owner"], "/api/v1/sales", sale_body(shop, 2), "k-2")
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"], other.json
    assert count(app, Sale) == 1


def test_keys_belong_to_their_user_and_must_be_printable(app, shop):
    from pharmacy.models import Sale

    assert post(shop["owner"], "/api/v1/sales", sale_body(shop), "shared").status_code == 201
    assert post(shop["pharmacist"], "/api/v1/sales", sale_body(shop), "shared").status_code == 201
    assert count(app, Sale) == 2
    bad = post(shop["owner"], "/api/v1/sales", sale_body(shop), "has space")
    assert bad.status_code == 422 and "Idempotency-Key" in bad.json["errors"]
    assert post(shop["owner"], "/api/v1/sales", sale_body(shop), "x" * 201).status_code == 422
    assert count(app, Sale) == 2


def test_a_refused_request_leaves_its_key_free(app, shop):
    too_many = post(shop["owner"], "/api/v1/sales", sale_body(shop, 10_000), "k-3")
    assert too_many.status_code == 409
    assert post(shop["owner"], "/api/v1/sales", sale_body(shop, 10_000), "k-3").status_code == 409
    assert post(shop["owner"], "/api/v1/sales", sale_body(shop, 1), "k-3").status_code == 201


def test_returns_voids_and_receipts_are_idempotent_too(app, shop):
    from pharmacy.models import CustomerReturn, Receipt, SaleVoid

    api = shop["owner"]
    sale = post(api, "/api/v1/sales", sale_body(shop, 4), "s").json
    give_back = {"lines": [{"sale_line_id": sale["lines"][0]["id"], "quantity": 1}]}
    returned = [post(api, f"/api/v1/sales/{sale['id']}/returns", give_back, "r") for _ in range(2)]
    assert [r.status_code for r in returned] == [201, 201] and returned[0].json["id"] == returned[1].json["id"]
    voided = [post(api, f"/api/v1/sales/{sale['id']}/void", {"reason": "Khách đổi ý"}, "v") for _ in range(2)]
    assert [r.status_code for r in voided] == [201, 201]
    receipt = {"store_id": shop["store"], "kind": "supplier", "supplier_name": "NCC", "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 5, "lot": "NEW1",
         "expiry": (date.today() + timedelta(days=500)).isoformat(), "unit_price": 300}]}
    received = [post(api, "/api/v1/receipts", receipt, "g") for _ in range(2)]
    assert [r.status_code for r in received] == [201, 201] and received[0].json["id"] == received[1].json["id"]
    assert count(app, CustomerReturn) == 1 and count(app, SaleVoid) == 1 and count(app, Receipt) == 4


def _send_and_drop(url: str, token: str, body: dict, key: str) -> None:
    """Send a whole request, then close the socket without reading: the client saw a 'connection error'."""
    parts = urlsplit(url)
    payload = json.dumps(body).encode()
    head = (f"POST /api/v1/sales HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
            f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
            "Connection: close\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head + payload)


def test_retry_after_a_dropped_connection_and_racing_twins_make_one_sale(app, books, shop, server_process):
    from pharmacy.models import Sale

    url = server_process(threads=8)
    token = books.token("owner")
    body = sale_body(shop, 2)
    _send_and_drop(url, token, body, "dropped-1")
    time.sleep(0.2)
    retried = requests.post(f"{url}/api/v1/sales", json=body, timeout=30,
                            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "dropped-1"})
    assert retried.status_code == 201, retried.text

    results, barrier = [], threading.Barrier(8)

    def twin():
        barrier.wait(timeout=20)
        answer = requests.post(f"{url}/api/v1/sales", json=body, timeout=30,
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race-1"})
        results.append((answer.status_code, answer.json().get("id")))

    threads = [threading.Thread(target=twin) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 8 and {status for status, _ in results} == {201}, results
    assert len({sale_id for _, sale_id in results}) == 1
    assert count(app, Sale) == 2
