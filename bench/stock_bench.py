"""Stock listing speed: GET /api/v1/stock?store_id=… (a page of products with their lots) and the owner's
GET /api/v1/stock/summary, over stores holding thousands of lots each.

    .venv/bin/python bench/stock_bench.py                    # SQLite file: 5,000 lots per store, 20 stores
    .venv/bin/python bench/stock_bench.py --database-url postgresql://u:p@127.0.0.1/pharmacy_bench --reset
    .venv/bin/python bench/stock_bench.py --quick            # small sizes, for CI (no thresholds)

Target (issue 18): GET /api/v1/stock?store_id=… with 5,000 lots <= 100 ms (p50, in-process test client).
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text

from bench.catalog_bench import make_app, percentile, prepare


def build(session, *, stores: int, lots_per_store: int, rng: random.Random) -> None:
    """Products with a base unit; every store holds `lots_per_store` lots (5 per product), some expired."""
    from pharmacy.catalog.models import Product, ProductUnit
    from pharmacy.stock.models import StockLot, StockSetting
    from pharmacy.stores.models import Store
    from pharmacy.text import fold

    products = lots_per_store // 5
    today = date.today()
    session.execute(insert(Store), [{"id": s, "code": f"CH{s:03d}", "name": f"Nhà thuốc {s}"}
                                    for s in range(1, stores + 1)])
    session.execute(insert(Product), [{"id": n, "name": f"Thuốc {n:05d}", "active_ingredient": "Hoạt chất",
                                       "search_text": fold(f"Thuốc {n:05d} hoat chat")}
                                      for n in range(1, products + 1)])
    session.execute(insert(ProductUnit), [{"product_id": n, "name": "Viên", "factor": 1, "is_base": True,
                                           "price": 500} for n in range(1, products + 1)])
    for store in range(1, stores + 1):
        session.execute(insert(StockLot), [
            {"store_id": store, "product_id": n, "lot": f"L{n}-{k}", "expiry": today + timedelta(days=rng.randint(-30, 700)),
             "quantity": rng.randint(1, 500)}
            for n in range(1, products + 1) for k in range(5)])
        session.execute(insert(StockSetting), [{"store_id": store, "product_id": n, "min_quantity": 1000}
                                               for n in range(1, products + 1, 7)])
    session.commit()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--reset", action="store_true", help="drop the PostgreSQL public schema first")
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--lots", type=int, default=5000, help="lots per store")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    args = parser.parse_args(argv)
    if args.quick:
        args.stores, args.lots, args.repeat = 3, 500, 5
    workdir = Path(tempfile.mkdtemp(prefix="stock-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    app = make_app(url, workdir)
    prepare(app, args.reset)
    from pharmacy.extensions import db
    from pharmacy.stores.services import create_user

    with app.app_context():
        started = time.perf_counter()
        build(db.session, stores=args.stores, lots_per_store=args.lots, rng=random.Random(7))
        create_user(db.session, username="owner", password="bench-pass-1", role="owner", store_ids=[])
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"built {args.stores} stores x {args.lots} lots in {time.perf_counter() - started:.1f} s "
              f"({db.engine.dialect.name})")
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "owner", "password": "bench-pass-1"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    cases = [
        ("stock, one store, page 1 (50)", "/api/v1/stock?store_id=1"),
        ("stock, one store, 200/page", "/api/v1/stock?store_id=1&per_page=200"),
        ("stock, one store, last page", f"/api/v1/stock?store_id=1&page={max(1, args.lots // 5 // 50)}"),
        ("stock, expiring 30 days", "/api/v1/stock?store_id=1&expiring_within_days=30"),
        ("stock, below minimum", "/api/v1/stock?store_id=1&below_minimum=true"),
        ("stock, every store, page 1", "/api/v1/stock"),
        ("summary, every store", "/api/v1/stock/summary"),
    ]
    print(f"  {'request':<32} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>7}  rows")
    for label, path in cases:
        samples, size, rows = [], 0, 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.json
            body = response.json
            size = len(response.data)
            rows = len(body["items"]) if isinstance(body, dict) else len(body)
        print(f"  {label:<32} {percentile(samples, .5):8.1f} {percentile(samples, .95):8.1f} {size / 1024:7.1f}"
              f"  {rows}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
