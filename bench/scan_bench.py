"""Scan-box speed: p50/p95 of resolve_scan (EAN-13, GS1 DataMatrix, free text) over 60,000 products.

    .venv/bin/python bench/scan_bench.py [--products 60000] [--repeat 500]

Targets (server side, SQLite file): scan p50 <= 2 ms, text search p50 <= 10 ms.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from biip.checksums import gs1_standard_check_digit  # noqa: E402
from sqlalchemy import insert  # noqa: E402

WORDS = ("Paracetamol", "Amoxicillin", "Thuốc ho", "Siro", "Vitamin C", "Losartan", "Cao", "Khẩu trang", "Berberin",
         "Omeprazol", "Metformin", "Cefuroxim", "Ibuprofen", "Loratadin", "Bổ phế", "Dầu gió", "Men tiêu hóa")
STRENGTHS = ("50", "100", "250", "500", "850", "1000")
QUERIES = ("para", "thuoc ho", "amox 500", "vitamin c", "siro", "khau trang", "losartan 50", "bo phe", "xyzzy")


def ean13(number: int) -> str:
    payload = f"893{number:09d}"
    return payload + str(gs1_standard_check_digit(payload))


def build(session, count: int, today: date) -> None:
    """Products with a base unit and a barcoded box, in bulk; a store with lots for every 10th product."""
    from pharmacy.catalog.models import Barcode, Product, ProductUnit
    from pharmacy.stock.models import StockLot
    from pharmacy.stores.models import Store
    from pharmacy.text import fold

    session.execute(insert(Store), [{"id": 1, "code": "CH01", "name": "Bench"}])
    products, units, barcodes, lots = [], [], [], []
    for n in range(1, count + 1):
        name = f"{WORDS[n % len(WORDS)]} {STRENGTHS[n % len(STRENGTHS)]}mg {n}"
        ingredient = WORDS[(n * 7) % len(WORDS)]
        products.append({"id": n, "name": name, "active_ingredient": ingredient, "national_code": f"TQG{n:07d}",
                         "search_text": fold(f"{name} {ingredient} TQG{n:07d}")})
        units.append({"id": 2 * n - 1, "product_id": n, "name": "Viên", "factor": 1, "is_base": True, "price": 500})
        units.append({"id": 2 * n, "product_id": n, "name": "Hộp", "factor": 100, "is_base": False, "price": 45000})
        barcodes.append({"code": ean13(n), "unit_id": 2 * n})
        if n % 10 == 0:
            lots += [{"store_id": 1, "product_id": n, "lot": f"L{n}A", "expiry": today + timedelta(days=200),
                      "quantity": 500},
                     {"store_id": 1, "product_id": n, "lot": f"L{n}B", "expiry": today + timedelta(days=400),
                      "quantity": 500}]
    for model, rows in ((Product, products), (ProductUnit, units), (Barcode, barcodes), (StockLot, lots)):
        session.execute(insert(model), rows)
    session.commit()


def measure(fn, inputs: list[str]) -> tuple[float, float]:
    samples = []
    for value in inputs:
        started = time.perf_counter()
        fn(value)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI (no thresholds)")
    args = parser.parse_args()
    if args.quick:
        args.products, args.repeat = 3000, 50
    workdir = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    os.environ["INSTANCE_PATH"] = str(workdir)
    from flask_migrate import upgrade

    from pharmacy import create_app
    from pharmacy.extensions import db
    from pharmacy.scanning.resolve import resolve_scan

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}", "SECRET_KEY": "bench"})
    today = date.today()
    rng = random.Random(4)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        build(db.session, args.products, today)
        print(f"built {args.products} products in {time.perf_counter() - started:.1f} s")

        def resolve(raw: str):
            result = resolve_scan(db.session, raw, store_id=1, today=today)
            db.session.rollback()  # a request's session ends; nothing is cached between scans
            return result

        picks = [rng.randrange(10, args.products + 1, 10) for _ in range(args.repeat)]
        cases = {
            "scan EAN-13": [ean13(n) for n in picks],
            "scan DataMatrix (GS)": [f"]d2010{ean13(n)}17{today + timedelta(days=400):%y%m%d}10L{n}B\x1d21SN{n}"
                                     for n in picks],
            "scan DataMatrix, no GS": [f"]d2010{ean13(n)}17{today + timedelta(days=400):%y%m%d}10L{n}B21SN{n}"
                                       for n in picks],
            "text search": [QUERIES[i % len(QUERIES)] for i in range(args.repeat)],
        }
        assert resolve(cases["scan DataMatrix (GS)"][0]).lot == f"L{picks[0]}B"
        for label, inputs in cases.items():
            resolve(inputs[0])  # warm the caches a real server would have warm
            p50, p95 = measure(resolve, inputs)
            target = 10.0 if label == "text search" else 2.0
            verdict = "ok" if p50 <= target else "OVER TARGET"
            print(f"{label:24s} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  (target p50 <= {target:g} ms: {verdict})")


if __name__ == "__main__":
    main()
