"""A large realistic catalogue for the benchmarks: variations of the sample catalogue, unique EAN-13 barcodes."""
from __future__ import annotations

import csv
import random
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pharmacy.catalog.models import Barcode, Product, ProductUnit
from pharmacy.catalog.search import search_text_for
from pharmacy.clock import local_date, utcnow
from pharmacy.demo import CATALOG_PATH
from pharmacy.receipts.services import record_receipt
from pharmacy.stores.models import Store, User

MAKERS = ("DHG Pharma", "Stada", "Imexpharm", "Traphaco", "Pymepharco", "Domesco", "Mekophar", "OPC", "Sanofi",
          "Hasan-Dermapharm", "Boston Việt Nam", "Nam Hà", "Agimexpharm", "Savipharm", "Bidiphar")
PACKS = ("hộp 10 vỉ x 10 viên", "hộp 3 vỉ x 10 viên", "chai 100 viên", "lọ 60ml", "hộp 20 gói", "tuýp 15g", "")
FLAVOURS = ("", "", "Forte", "Plus", "Kids", "Extra", "New", "F", "S", "Gold")
CHUNK = 5000


def ean13(serial: int) -> str:
    body = f"893{serial:09d}"
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def sample_rows() -> list[dict]:
    with CATALOG_PATH.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _product(row: dict, index: int, rng: random.Random) -> dict:
    flavour = rng.choice(FLAVOURS)
    name = " ".join(part for part in (row["name"], flavour, f"({rng.choice(MAKERS)})", rng.choice(PACKS)) if part)
    values = {
        "id": index + 1, "national_code": f"BQG{index + 1:07d}", "name": name,
        "active_ingredient": row["active_ingredient"], "strength": row["strength"],
        "dosage_form": row["dosage_form"], "route": row["route"], "registration_no": f"VD-{index + 1}-24",
        "manufacturer": rng.choice(MAKERS), "country": "Việt Nam", "dosage": row["dosage"],
        "prescription_only": row["prescription_only"] == "1", "special_control_type": 0, "active": True,
    }
    values["search_text"] = search_text_for(Product(**{k: values[k] for k in
                                                       ("name", "active_ingredient", "national_code",
                                                        "registration_no")}))
    now = utcnow()
    return {**values, "created_at": now, "updated_at": now}


def build_catalogue(session: Session, count: int, rng: random.Random) -> list[str]:
    """Insert `count` products (base unit + each packaging unit, one barcode per unit); the barcodes."""
    rows = sample_rows()
    products, units, barcodes = [], [], []
    for index in range(count):
        row = rows[index % len(rows)]
        products.append(_product(row, index, rng))
        price = int(row["base_price"] or 1000)
        specs = [(row["base_unit"], 1)] + [
            (name, int(factor)) for name, factor in (item.split(":") for item in filter(None, row["units"].split(";")))
        ]
        for name, factor in specs:
            unit_id = len(units) + 1
            units.append({"id": unit_id, "product_id": index + 1, "name": name, "factor": factor,
                          "is_base": factor == 1, "price": price * factor})
            barcodes.append({"id": len(barcodes) + 1, "code": ean13(len(barcodes) + 1), "unit_id": unit_id,
                             "internal": False})
    for model, values in ((Product, products), (ProductUnit, units), (Barcode, barcodes)):
        for start in range(0, len(values), CHUNK):
            session.execute(insert(model), values[start:start + CHUNK])
    session.commit()
    return [row["code"] for row in barcodes]


def stock_up(session: Session, rng: random.Random, products: int = 40) -> tuple[int, int, list[dict]]:
    """A store, a user and plenty of stock (three lots each) of some over-the-counter drugs; sale lines to pick."""
    store = Store(code="BENCH", name="Nhà thuốc benchmark", national_facility_code="CS-BENCH")
    actor = User(username="bench", role="owner", password_hash="-")
    session.add_all([store, actor])
    session.flush()
    chosen = session.execute(
        select(Product).where(Product.prescription_only.is_(False), Product.active_ingredient != "")
        .order_by(Product.id).limit(products * 50)
    ).scalars().all()
    chosen = rng.sample(list(chosen), products)
    today, lines, sale_lines = local_date(utcnow()), [], []
    for product in chosen:
        base = product.base_unit.name
        for lot in range(3):
            lines.append({"product_id": product.id, "unit": base, "quantity": 100_000, "lot": f"B{product.id}-{lot}",
                          "expiry": today + timedelta(days=100 + 200 * lot), "unit_price": 100})
        sale_lines.append({"product_id": product.id, "unit": base, "quantity": 2})
    record_receipt(session, store=store, kind="opening", lines=lines, actor=actor, now=utcnow())
    session.flush()
    return store.id, actor.id, sale_lines
