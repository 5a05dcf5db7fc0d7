"""Browser tests: the app served by waitress in a thread (file SQLite), driven by Debian's Chromium via Playwright."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from biip.checksums import gs1_standard_check_digit


def sign_in(page, base_url: str, username: str, password: str = "secret-pass-1") -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base_url}/")


def scan(page, text: str) -> None:
    """Type into the (empty) scan box like a wedge scanner; fill("") would press Delete, which removes a line."""
    page.type("#scan", text)
    page.press("#scan", "Enter")


def ean13(payload12: str) -> str:
    return payload12 + str(gs1_standard_check_digit(payload12))


PARA_BOX = ean13("893450000001")
SYRUP_BOTTLE = ean13("893450000002")
EXPIRED_BOX = ean13("893450000003")
RX_BOX = ean13("893450000004")


@pytest.fixture
def counter_shop(books):
    from pharmacy.catalog.services import UnitSpec

    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    today = date.today()
    para = books.product("Paracetamol 500mg", units=[
        UnitSpec("Viên", 1, 500), UnitSpec("Vỉ", 10, 5000), UnitSpec("Hộp", 100, 48000, [PARA_BOX])])
    books.receive(store, para, "PARA-SOON", today + timedelta(days=40), 150)
    books.receive(store, para, "PARA-LATE", today + timedelta(days=500), 300)
    syrup = books.product("Thuốc ho Bảo Thanh", active_ingredient="Cao dược liệu", units=[
        UnitSpec("Chai", 1, 42000, [SYRUP_BOTTLE])])
    books.receive(store, syrup, "BT2401", today + timedelta(days=200), 10, unit="Chai")
    books.receive(store, syrup, "BT2409", today + timedelta(days=600), 10, unit="Chai")
    old = books.product("Vitamin C 500mg", active_ingredient="Acid ascorbic", units=[
        UnitSpec("Viên", 1, 300), UnitSpec("Hộp", 100, 25000, [EXPIRED_BOX])])
    books.receive(store, old, "VC-OLD", today - timedelta(days=5), 100)
    rx = books.product("Amoxicillin 500mg", active_ingredient="Amoxicillin", prescription_only=True, units=[
        UnitSpec("Viên", 1, 900), UnitSpec("Hộp", 100, 85000, [RX_BOX])])
    books.receive(store, rx, "AMX01", today + timedelta(days=300), 200)
    return {"late_expiry": today + timedelta(days=600)}


def open_counter(page, base_url: str, username: str = "ds1") -> None:
    sign_in(page, base_url, username)
    page.goto(f"{base_url}/counter")


def attach_customer(page, typed_phone: str, name: str) -> None:
    """F10, the phone as the pharmacist types it, Enter: the known customer is on the sale."""
    page.keyboard.press("F10")
    page.locator("#customer-dialog[open]").wait_for()
    page.type("#customer-phone", typed_phone)
    page.press("#customer-phone", "Enter")
    page.locator("#customer-state").filter(has_text=name).wait_for()


def pay_by_transfer(page) -> None:
    """In the open payment dialog: 2 (bank transfer), Enter: the sale is recorded and its VietQR shown."""
    page.locator('#pay-form input[value="cash"]').focus()
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    page.locator("#pay-qr:not([hidden])").wait_for()
