"""Owner's reports benchmark on PostgreSQL: a chain's year of sales, then the overview, sales by day, the store
matrix and XNT by lot, timed through the same report services the API calls.

    .venv/bin/python bench/owner_bench.py --database-url postgresql://u:p@127.0.0.1/pharmacy_bench --reset --quick
    .venv/bin/python bench/owner_bench.py --database-url ... --reset     # 100 stores × 5,000 lots, 1,000,000 lines

The database must be one you can throw away: `--reset` drops its public schema first. Targets (issue 13):
overview 30 days all stores ≤ 300 ms, sales by day for a year ≤ 500 ms, matrix for one product ≤ 50 ms,
XNT for one store and one month ≤ 1 s (p50).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.catalog_bench import make_app, percentile, prepare, timed  # noqa: E402
from bench.owner_data import build_chain  # noqa: E402

TARGETS_MS = {"overview 30 days, all stores": 300, "sales by day, one year": 500,
              "stock matrix, one product": 50, "XNT one store, one month": 1000}
SIZES = {"quick": dict(stores=10, products=200, lots_per_product=5, sale_lines=100_000),
         "full": dict(stores=100, products=1000, lots_per_product=5, sale_lines=1_000_000)}


def measure(session, store_ids: list[int], repeat: int) -> list[tuple[str, float, float]]:
    from pharmacy.catalog.models import Product
    from pharmacy.clock import local_today, utcnow
    from pharmacy.reports.matrix import stock_matrix
    from pharmacy.reports.movements import stock_movements
    from pharmacy.reports.overview import overview
    from pharmacy.reports.period import Period
    from pharmacy.reports.sales import sales_report
    from pharmacy.stores.models import Store

    today, now = local_today(), utcnow()
    stores = list(session.query(Store).order_by(Store.id))
    everywhere = {store.id for store in stores}
    month, year = Period(today - timedelta(days=29), today), Period(today - timedelta(days=364), today)
    products = session.query(Product).order_by(Product.id).limit(repeat).all()
    cases = {
        "overview 30 days, all stores": lambda i: overview(session, period=month, stores=stores, today=today,
                                                           now=now, cost_visible=everywhere),
        "sales by day, one year": lambda i: sales_report(session, period=year, group_by="day", store_ids=None),
        "stock matrix, one product": lambda i: stock_matrix(session, products=[products[i % len(products)]],
                                                            stores=stores),
        "XNT one store, one month": lambda i: stock_movements(session, period=month,
                                                              store_id=store_ids[i % len(store_ids)]),
    }
    rows = []
    for name, case in cases.items():
        case(0)  # warm the caches once, as a running server has them
        samples = timed(case, repeat)
        rows.append((name, percentile(samples, 0.5), percentile(samples, 0.95)))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"), required=False)
    parser.add_argument("--reset", action="store_true", help="drop the PostgreSQL public schema first")
    parser.add_argument("--quick", action="store_true", help="10 stores × 1,000 lots, 100,000 sale lines")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--measure-only", action="store_true", help="time an already built benchmark database")
    args = parser.parse_args(argv)
    if not args.database_url or not args.database_url.startswith("postgresql"):
        sys.exit("give --database-url postgresql://… (a database you can throw away)")
    size = SIZES["quick" if args.quick else "full"]
    from pharmacy.extensions import db

    with tempfile.TemporaryDirectory() as instance:
        app = make_app(args.database_url, Path(instance))
        if not args.measure_only:
            prepare(app, args.reset)
        with app.app_context():
            started = time.perf_counter()
            if args.measure_only:
                chain = {"store_ids": list(db.session.scalars(text("SELECT id FROM stores ORDER BY id")))}
            else:
                chain = build_chain(db.session, **size)
            built = time.perf_counter() - started
            counts = {table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))
                      for table in ("stores", "stock_lots", "sales", "sale_lines", "movements")}
            rows = measure(db.session, chain["store_ids"], args.repeat)
    print(f"\nOwner's reports on PostgreSQL ({', '.join(f'{k}={v:,}' for k, v in counts.items())}; "
          f"built in {built:.0f} s)")
    print(f"  {'report':<32} {'p50 ms':>9} {'p95 ms':>9} {'target':>8}  ratio")
    for name, p50, p95 in rows:
        target = TARGETS_MS[name]
        print(f"  {name:<32} {p50:9.1f} {p95:9.1f} {target:8d}  {p50 / target:5.2f}")
    print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} cpus; {args.repeat} runs each after one warm-up)")


if __name__ == "__main__":
    main()
