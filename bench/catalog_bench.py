"""Counter-speed benchmark: barcode lookup, name search and a 5-line checkout over a 60,000-product catalogue.

    .venv/bin/python bench/catalog_bench.py                       # SQLite (a temporary file)
    .venv/bin/python bench/catalog_bench.py --database-url postgresql://u:p@127.0.0.1/pharmacy_bench --reset

The PostgreSQL database must be one you can throw away: `--reset` drops its public schema first.
Figures are milliseconds per operation (p50/p95); the checkout is compared with a raw-SQL floor that does the
same inserts and updates in one transaction, so the ratio shows what the ORM and the domain rules cost.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.catalog_data import build_catalogue, stock_up  # noqa: E402
from bench.checkout_floor import raw_checkout  # noqa: E402

QUERIES = ("para", "thuoc ho", "amox 500", "vitamin c", "siro", "khau trang", "losartan 50", "cao", "xyzzy")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for index in range(repeat):
        started = time.perf_counter()
        fn(index)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def make_app(url: str, instance: Path):
    os.environ["INSTANCE_PATH"] = str(instance)
    from pharmacy import create_app
    from pharmacy.config import normalize_database_url

    return create_app({"SQLALCHEMY_DATABASE_URI": normalize_database_url(url), "SECRET_KEY": "bench",
                       "CREDENTIALS_KEY": "pcZnYl3mX4Pz5m2yVb2Cq7o0bO1l9jQ6eW8s0oYv3Nk="})


def prepare(app, reset: bool) -> None:
    from flask_migrate import upgrade

    from pharmacy.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            existing = db.session.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
            if existing and not reset:
                sys.exit("the PostgreSQL database has tables: pass --reset to drop its public schema")
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.session.remove()
        upgrade(directory=str(ROOT / "migrations"))


def run(url: str, *, products: int, reset: bool, rng: random.Random) -> list[tuple[str, float, float, str]]:
    """Build the catalogue in `url` and measure; rows of (what, p50 ms, p95 ms, note)."""
    from pharmacy.api.auth import ONE_QUERY  # the caller as an API request loads it: with their stores, one query
    from pharmacy.catalog.search import search_products
    from pharmacy.catalog.services import find_by_barcode
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db
    from pharmacy.models import Store, User
    from pharmacy.sales.services import record_sale

    with tempfile.TemporaryDirectory() as instance:
        app = make_app(url, Path(instance))
        prepare(app, reset)
        rows = []
        with app.app_context():
            started = time.perf_counter()
            barcodes = build_catalogue(db.session, products, rng)
            rows.append(("build catalogue", (time.perf_counter() - started) * 1000, 0.0, f"{products} products"))
            db.session.commit()
            db.session.execute(text("ANALYZE"))  # planner statistics, as a database in use has them
            db.session.commit()
            sample = rng.sample(barcodes, 500)
            db.session.expunge_all()
            lookups = timed(lambda i: find_by_barcode(db.session, sample[i]) or sys.exit("barcode missing"), 500)
            rows.append(("barcode lookup", percentile(lookups, .5), percentile(lookups, .95), "500 random codes"))
            for query in QUERIES:
                found = len(search_products(db.session, query))
                samples = timed(lambda i: search_products(db.session, query), 40)
                rows.append((f"search \"{query}\"", percentile(samples, .5), percentile(samples, .95),
                             f"{found} shown"))
            store_id, actor_id, lines = stock_up(db.session, rng)
            db.session.commit()
            db.session.remove()

            def checkout(i):
                """As a request runs it: a fresh session, the store and the actor loaded, one sale, commit."""
                store, actor = db.session.get(Store, store_id), db.session.get(User, actor_id, options=ONE_QUERY)
                record_sale(db.session, store=store, lines=rng.sample(lines, 5), actor=actor, now=utcnow())
                db.session.commit()
                db.session.remove()

            with db.engine.connect() as conn:  # interleaved, so a busy machine slows both sides alike
                service, floor = [], []
                for i in range(150):
                    service += timed(lambda _i: checkout(i), 1)
                    floor += timed(lambda _i: raw_checkout(conn, store_id, actor_id, rng.sample(lines, 5), i), 1)
            rows.append(("checkout, 5 lines", percentile(service, .5), percentile(service, .95),
                         "record_sale + commit"))
            ratio = percentile(service, .5) / percentile(floor, .5)
            rows.append(("checkout floor, raw SQL", percentile(floor, .5), percentile(floor, .95),
                         f"service/floor p50 = {ratio:.1f}x"))
            db.session.remove()
            db.engine.dispose()
        return rows


def print_table(title: str, rows) -> None:
    print(f"\n{title}")
    print(f"  {'operation':<28} {'p50 ms':>9} {'p95 ms':>9}  note")
    for what, p50, p95, note in rows:
        p95_text = f"{p95:9.2f}" if p95 else " " * 9
        print(f"  {what:<28} {p50:9.2f} {p95_text}  {note}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="also run on this PostgreSQL database (default: $BENCH_DATABASE_URL)")
    parser.add_argument("--reset", action="store_true", help="drop the PostgreSQL public schema first")
    parser.add_argument("--products", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a small catalogue, for CI (no thresholds)")
    args = parser.parse_args(argv)
    if args.quick:
        args.products = 3000
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        print_table("SQLite", run(url, products=args.products, reset=True, rng=random.Random(args.seed)))
    if args.database_url:
        rows = run(args.database_url, products=args.products, reset=args.reset, rng=random.Random(args.seed))
        print_table("PostgreSQL", rows)
    print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} cpus; p50/p95 over each sample)")


if __name__ == "__main__":
    main()
