"""Sync throughput against the sandbox with injected latency, and peak memory for a 1k vs 5k backlog.

    .venv/bin/python bench/sync_bench.py [--messages 1000] [--latency 0.05] [--concurrency 4] [--quick]

`--quick` measures throughput only, on 300 messages (no memory runs): a check that takes seconds.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEY = "pcZnYl3mX4Pz5m2yVb2Cq7o0bO1l9jQ6eW8s0oYv3Nk="


def make_app(workdir: Path):
    os.environ["INSTANCE_PATH"] = str(workdir)
    from flask_migrate import upgrade

    from pharmacy import create_app

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "CREDENTIALS_KEY": KEY,
                      "FAST_PASSWORD_HASHING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def seed(app, count: int) -> None:
    """One store and drug, then `count` one-line sales with their outbox rows, inserted in chunks."""
    from pharmacy.catalog.services import UnitSpec, create_product
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage
    from pharmacy.receipts.services import record_receipt
    from pharmacy.sales.models import Sale, SaleAllocation, SaleLine
    from pharmacy.stores.services import create_user, save_store

    now = datetime.now(timezone.utc) - timedelta(seconds=5)
    with app.app_context():
        s = db.session
        store = save_store(s, {"code": "CH01", "name": "Bench", "national_facility_code": "CS-CH01",
                               "national_username": "bench", "national_password": "bench-pass"},
                           app.extensions["pharmacy.vault"]())
        user = create_user(s, username="owner", password="owner-pass-1", role="owner")
        drug = create_product(s, {"name": "Paracetamol 500mg", "national_code": "TQG1", "active_ingredient": "P",
                                  "strength": "500mg", "dosage": "1 viên", "route": "Uống"},
                              [UnitSpec("Viên", 1, 500)])
        receipt = record_receipt(s, store=store, kind="opening", actor=user, now=now, lines=[
            {"product_id": drug.id, "unit": "Viên", "quantity": count, "lot": "L1",
             "expiry": date.today() + timedelta(days=365), "unit_price": 300}])
        lot_id, store_id, user_id, drug_id = receipt.lines[0].stock_lot_id, store.id, user.id, drug.id
        s.commit()
        for start in range(0, count, 500):
            for i in range(start, min(count, start + 500)):
                number = f"HD-CH01-{i + 1:06d}"
                sale = Sale(store_id=store_id, number=number, total=500, user_id=user_id, created_at=now)
                line = SaleLine(product_id=drug_id, unit_name="Viên", unit_factor=1, quantity=1, unit_price=500,
                                amount=500)
                line.allocations.append(SaleAllocation(stock_lot_id=lot_id, lot="L1",
                                                       expiry=date.today() + timedelta(days=365), quantity=1))
                sale.lines.append(line)
                s.add(sale)
                s.flush()
                s.add(OutboxMessage(target="national_drug_db", kind="sale", store_id=store_id, document_type="sale",
                                    document_id=sale.id, document_number=number,
                                    idempotency_key=f"national_drug_db:sale:{number}", status="pending",
                                    next_attempt_at=now, created_at=now, updated_at=now))
            s.commit()
            s.expunge_all()


def serve_sandbox(latency: float, threads: int, pipe) -> None:
    """The simulator in its own process (so its memory and GIL are not the runner's); answers its count on request."""
    from connectors.sandboxes.demo import LatencyMiddleware
    from connectors.sandboxes.kit import ServedApp
    from connectors.sandboxes.nationaldb.simulator import create_sandbox

    simulator = create_sandbox({"bench": ("bench-pass", "CS-CH01")})
    served = ServedApp(LatencyMiddleware(simulator, latency), threads=threads)
    pipe.send(served.url)
    pipe.recv()
    pipe.send(len(simulator.state.documents("hoa_don")))
    served.stop()


def run(count: int, latency: float, concurrency: int, *, measure_memory: bool) -> dict:
    from connectors.sync.runner import SyncRunner

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        seed(app, count)
        parent, child = multiprocessing.Pipe()
        sandbox = multiprocessing.Process(target=serve_sandbox, args=(latency, max(8, 2 * concurrency), child))
        sandbox.start()
        runner = SyncRunner.from_app(app, base_url=parent.recv(), concurrency=concurrency, timeout=(3.05, 30))
        try:
            if measure_memory:
                tracemalloc.start()
            started = time.perf_counter()
            summary = runner.run_once()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
            if measure_memory:
                tracemalloc.stop()
        finally:
            runner.close()
            parent.send("count")
            stored = parent.recv()
            sandbox.join(timeout=10)
            from pharmacy.extensions import db

            with app.app_context():
                db.engine.dispose()
        sent = summary.counts.get("sent", 0) - 1  # less the opening receipt
        return {"count": count, "sent": sent, "stored": stored, "seconds": elapsed, "rate": sent / elapsed,
                "peak_mib": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--memory-latency", type=float, default=0.002)
    parser.add_argument("--quick", action="store_true", help="small backlogs, for CI (no thresholds)")
    args = parser.parse_args()
    if args.quick:
        args.messages = 100
    result = run(args.messages, args.latency, args.concurrency, measure_memory=False)
    bound = args.concurrency / args.latency
    print(f"throughput: {result['sent']} invoices in {result['seconds']:.1f}s = {result['rate']:.1f}/s "
          f"(latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency}); bound {bound:.0f}/s; "
          f"ratio {result['rate'] / bound:.0%} (target >= 60%); sandbox holds {result['stored']}")
    if args.quick:  # the memory passes need large backlogs to say anything
        return
    small = run(1000, args.memory_latency, args.concurrency, measure_memory=True)
    large = run(5000, args.memory_latency, args.concurrency, measure_memory=True)
    print(f"memory (tracemalloc peak during the pass): 1k backlog {small['peak_mib']:.1f} MiB, "
          f"5k backlog {large['peak_mib']:.1f} MiB (ratio {large['peak_mib'] / small['peak_mib']:.2f})")


if __name__ == "__main__":
    main()
