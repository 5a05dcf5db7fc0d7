"""SQLite transactions: reads (GET requests, `read_only()`) never wait for a writer, and writers never wait for reads;
writers still queue one at a time (the sale race tests prove no update is lost)."""
from __future__ import annotations

import threading

from sqlalchemy import text

from tests.conftest import requires_sqlite

WAIT = 3.0  # seconds: far below SQLite's 15 s busy timeout, far above a request on this machine


def _in_thread(fn) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _hold_transaction(app, *, write: bool, started: threading.Event, release: threading.Event):
    """Open a transaction (a long report, or a writer mid-sale) and keep it open until told."""
    from pharmacy.database import read_only
    from pharmacy.extensions import db

    def run():
        with app.app_context():
            if write:
                db.session.execute(text("UPDATE stock_settings SET min_quantity = min_quantity"))
                db.session.execute(text("SELECT count(*) FROM stock_lots")).scalar()
            else:
                with read_only():
                    db.session.execute(text("SELECT count(*) FROM stock_lots")).scalar()
            started.set()
            release.wait(30)
            db.session.rollback()

    return _in_thread(run)


def _finishes_while_held(app, request, *, holder_writes: bool):
    """Run `request` in a thread while another transaction stays open: did it finish in time, and with what?"""
    started, release = threading.Event(), threading.Event()
    holder, _ = _hold_transaction(app, write=holder_writes, started=started, release=release)
    assert started.wait(WAIT)
    worker, outcome = _in_thread(request)
    worker.join(WAIT)
    finished = not worker.is_alive()
    release.set()
    worker.join(30)
    holder.join(30)
    return finished, outcome.get("value", outcome.get("error"))


@requires_sqlite
def test_a_long_read_does_not_block_a_write(app, shop):
    body = {"store_id": shop["store"], "product_id": shop["product"], "min_quantity": 7}
    finished, status = _finishes_while_held(
        app, lambda: shop["pharmacist"].put("/api/v1/stock/minimums", json=body).status_code, holder_writes=False)
    assert finished, "the write waited for a read transaction"
    assert status == 200


@requires_sqlite
def test_a_write_in_progress_does_not_block_a_read(app, shop):
    finished, status = _finishes_while_held(
        app, lambda: shop["pharmacist"].get(f"/api/v1/stock?store_id={shop['store']}").status_code,
        holder_writes=True)
    assert finished, "a GET request waited for the writer"
    assert status == 200


@requires_sqlite
def test_the_counter_cart_preview_only_reads_so_it_never_waits_for_a_writer(app, shop):
    cart = {"store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": 2}]}
    finished, status = _finishes_while_held(
        app, lambda: shop["pharmacist"].post("/api/v1/counter/preview", json=cart).status_code, holder_writes=True)
    assert finished, "the preview waited for the writer"
    assert status == 200


@requires_sqlite
def test_writers_still_take_turns_and_release_the_lock(app, shop):
    """Two writers in a row in one thread, and a writer after a failed one: the in-process lock never leaks."""
    from pharmacy.extensions import db

    with app.app_context():
        for _ in range(3):
            db.session.execute(text("UPDATE stock_settings SET min_quantity = min_quantity"))
            db.session.commit()
        db.session.execute(text("UPDATE stock_settings SET min_quantity = min_quantity"))
        db.session.rollback()
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE stock_settings SET min_quantity = min_quantity"))
    writer, outcome = _in_thread(lambda: shop["pharmacist"].put(
        "/api/v1/stock/minimums", json={"store_id": shop["store"], "product_id": shop["product"], "min_quantity": 3}
    ).status_code)
    writer.join(WAIT)
    assert not writer.is_alive() and outcome.get("value") == 200, outcome
