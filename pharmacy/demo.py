"""Demo data for a new install: a store, two users, the sample catalogue and a few living weeks of stock."""
from __future__ import annotations

import ipaddress
import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .catalog.importer import import_catalog
from .catalog.models import Product
from .clock import local_date, utcnow
from .errors import DomainError
from .receipts.services import record_receipt
from .sales.corrections import record_return, void_sale
from .sales.models import Sale
from .sales.services import record_sale
from .stores.models import User
from .stores.services import create_user, save_store

CATALOG_PATH = Path(__file__).parent / "data" / "catalog-sample.csv"
DEMO_STORE = {
    "code": "CH01", "name": "Nhà thuốc An Khang (demo)", "address": "12 Nguyễn Trãi, Phường Bến Thành, TP. Hồ Chí Minh",
    "phone": "028 3822 0000", "national_facility_code": "DEMO-79-0001", "national_username": "demo_ch01",
    "bank_bin": "970436", "bank_account": "0071000123456", "bank_account_name": "NHA THUOC AN KHANG",
    "pharmacist_max_discount_percent": 10,
}
DEMO_NATIONAL_PASSWORD = "demo-pass-01"
DEMO_LOGINS = (("owner", "owner1234", "owner", "Chủ nhà thuốc (demo)"),
               ("duocsi", "duocsi1234", "pharmacist", "DS. Nguyễn Thị Lan (demo)"))


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if not self.created:
            return "database already has users: demo data not added"
        lines = [f"demo login: {username} / {password} ({role})" for username, password, role in self.logins]
        return "\n".join(lines + self.notes)


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def first_start(session: Session, *, host: str, port: int, demo: bool, vault=None, config: dict | None = None) -> str:
    """What `python app.py` does to an empty database: demo data and logins only on loopback (and unless DEMO=0);
    otherwise no user at all, and the way to make the first owner. The setup page asks callers from other computers
    for a one-time code printed here, so nobody else on the shop network can claim the owner account first."""
    if demo and is_loopback(host):
        result = seed_demo(session, vault=vault)
        if not result.created:
            return result.describe()
        rule = "=" * 72
        return "\n".join([rule, "DEMO MODE: sample store, catalogue and logins (reachable from this computer only)",
                          result.describe(), "Set DEMO=0 (or another HOST) for a real install without demo logins.",
                          rule])
    if session.execute(select(func.count(User.id))).scalar():
        return "database has users: no demo data"
    code = secrets.token_hex(4)
    if config is not None:
        config["SETUP_CODE"] = code
    return (f"no user yet: open http://{host}:{port}/setup to choose the owner's password (setup code {code}), "
            "or run: flask --app app users create NAME --role owner --password …")


def seed_demo(session: Session, *, vault=None, now: datetime | None = None, seed: int = 7) -> DemoResult:
    """Fill an empty database; does nothing when users exist."""
    if session.execute(select(func.count(User.id))).scalar():
        return DemoResult(created=False)
    now = now or utcnow()
    store = save_store(session, {**DEMO_STORE, "national_password": DEMO_NATIONAL_PASSWORD if vault else ""}, vault,
                       now=now)
    users = {}
    for username, password, role, full_name in DEMO_LOGINS:
        users[role] = create_user(session, username=username, password=password, role=role, full_name=full_name,
                                  store_ids=[store.id])
    with CATALOG_PATH.open(encoding="utf-8-sig", newline="") as stream:
        report = import_catalog(session, stream)
    products = list(session.execute(select(Product).order_by(Product.id)).scalars())
    rng = random.Random(seed)
    _stock_up(session, store, products, users["owner"], now, rng)
    sales = _past_sales(session, store, products, users["pharmacist"], now, rng)
    result = DemoResult(created=True, logins=[(u, p, r) for u, p, r, _n in DEMO_LOGINS])
    result.notes.append(f"catalogue: {report.summary()}; demo sales: {sales}")
    result.notes.extend(_corrections(session, store, users["pharmacist"]))
    return result


def _stock_up(session, store, products, actor, now, rng) -> None:
    """Opening stock 40 days ago: two or three lots per product; one expired lot and one expiring soon."""
    opening_at = now - timedelta(days=40)
    today = local_date(now)
    lines = []
    for index, product in enumerate(products):
        big = max(product.units, key=lambda unit: unit.factor)
        for lot_index in range(2 + index % 2):
            expiry = today + timedelta(days=200 + 150 * lot_index + rng.randint(0, 120))
            lines.append(_line(product, big, f"L{product.id:03d}{lot_index + 1}", expiry, 3 + rng.randint(0, 4)))
    # The ones a newcomer should notice on the stock page.
    hapacol, amox = products[0], products[4]
    lines.append(_line(hapacol, hapacol.base_unit, "HAP2401X", today - timedelta(days=20), 40))
    lines.append(_line(amox, amox.units[-1], "AMX2405S", today + timedelta(days=45), 2))
    record_receipt(session, store=store, kind="opening", lines=lines, actor=actor, now=opening_at,
                   note="Tồn đầu kỳ (dữ liệu mẫu)")


def _line(product, unit, lot, expiry, quantity) -> dict:
    return {"product_id": product.id, "unit": unit.name, "quantity": quantity, "lot": lot, "expiry": expiry,
            "manufactured": expiry - timedelta(days=900), "unit_price": unit.price * 7 // 10}


def _past_sales(session, store, products, actor, now, rng) -> int:
    """A few sales a day over the last five days; prescription drugs with a manual prescription."""
    count = 0
    customers = ["", "", "Trần Văn Minh", "Lê Thị Hoa", ""]
    for days_ago in range(5, 0, -1):
        for hour in (2, 4, 7, 9):  # UTC hours: 09:00–16:00 in Ho Chi Minh City
            moment = (now - timedelta(days=days_ago)).replace(hour=hour, minute=rng.randint(0, 59))
            picked = rng.sample(products, 2)
            lines = [{"product_id": p.id, "unit": p.base_unit.name, "quantity": rng.randint(1, 6)} for p in picked]
            prescription = None
            if any(p.prescription_only for p in picked):
                prescription = {"doctor_name": "BS. Phạm Quốc Huy", "facility_name": "Phòng khám Đa khoa Sài Gòn",
                                "patient_name": "Nguyễn Văn An", "issued_on": local_date(moment)}
            try:
                with session.begin_nested():
                    record_sale(session, store=store, lines=lines, actor=actor, now=moment,
                                customer_name=rng.choice(customers), prescription=prescription)
            except DomainError:
                continue
            count += 1
    return count


def _corrections(session, store, actor) -> list[str]:
    """The two latest demo sales corrected twenty minutes later: one voided, one with a unit brought back."""
    latest = list(session.execute(
        select(Sale).where(Sale.store_id == store.id).order_by(Sale.id.desc()).limit(2)).scalars())
    if len(latest) < 2:
        return []
    voided, returned = latest
    void = void_sale(session, sale=voided, reason="Khách đổi ý, hủy hóa đơn (dữ liệu mẫu)", actor=actor,
                     now=voided.created_at + timedelta(minutes=20))
    line = returned.lines[0]
    document = record_return(
        session, sale=returned, lines=[{"sale_line_id": line.id, "quantity": 1}],
        reason="Khách mua thừa (dữ liệu mẫu)", actor=actor, now=returned.created_at + timedelta(minutes=20),
    )
    return [f"demo void: {void.number} of {voided.number}; demo return: {document.number} from {returned.number}"]
