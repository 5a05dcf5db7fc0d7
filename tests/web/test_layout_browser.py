"""Chromium at 768 px and 1920 px: the newer pages (transfers, stock counts, recalls, quarantine, shifts, suppliers,
customers, payments and their forms) never scroll sideways, keep their controls on screen, and show no English or
technical words. One browser, one sign-in and one set of data for the whole module."""
from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from connectors.sandboxes.kit import ServedApp

from ..conftest import PG_URL, Books, _truncate_all, make_app
from .conftest import sign_in

WIDTHS = (768, 1920)
# Words that mean an untranslated label or a raw value reached the page (whole words, case-sensitive).
ENGLISH = ("Transfer", "Transfers", "Stock", "Count", "Recall", "Recalls", "Supplier", "Suppliers", "Customer",
           "Customers", "Payment", "Payments", "Shift", "Save", "Submit", "Cancel", "Search", "Quantity", "Product",
           "Status", "Total", "Print", "Receive", "Release", "Quarantine", "Reason", "Lot", "Expiry", "None",
           "null", "undefined", "NaN", "True", "False", "in_transit", "received", "received_with_discrepancy",
           "counting", "submitted", "approved", "cancelled", "sellable", "quarantine", "destruction",
           "supplier_return", "bank_transfer", "cash", "open", "closed", "Traceback", "POST", "GET", "API", "api",
           "ID", "all", "JSON", "Choose", "chosen")
PAGES = {
    "transfers": "/transfers",
    "transfer_new": "/transfers/new",
    "transfer_slip": "/transfers/{received}",
    "transfer_verify": "/transfers/{in_transit}/verify",
    "stock_counts": "/stock-counts",
    "stock_count_sheet": "/stock-counts/{count}",
    "recalls": "/recalls/",
    "recall": "/recalls/{recall}",
    "recall_book": "/recalls/book",
    "quarantine": "/stock?show=quarantine",
    "shifts": "/shifts",
    "shift_report": "/shifts/{shift}/report",
    "suppliers": "/suppliers",
    "customers": "/customers",
    "customer": "/customers/{customer}",
    "reconciliation": "/payments/reconciliation",
    "sync": "/sync",
}


def _seed(books: Books) -> dict:
    from pharmacy.catalog.services import UnitSpec

    main, other = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    books.user("ds1", stores=[main])
    books.user("ds2", stores=[other])
    product = books.product("Paracetamol 500mg Stada hộp 10 vỉ x 10 viên nén bao phim", national_code="TQG900001",
                            units=[UnitSpec("Viên", 1, 500), UnitSpec("Vỉ", 10, 5000), UnitSpec("Hộp", 100, 48000)])
    for store in (main, other):
        books.receive(store, product, "PARA-2401-ABCDEF", date.today() + timedelta(days=300), 400)
        books.receive(store, product, "PARA-2409", date.today() + timedelta(days=600), 400)
    owner, ds1, ds2 = books.api("owner"), books.api("ds1"), books.api("ds2")

    def ok(response, status=201):
        assert response.status_code == status, response.json
        return response.json

    line = {"product_id": product, "unit": "Vỉ", "quantity": 3, "lot": "PARA-2409"}
    received = ok(ds1.post("/api/v1/transfers", json={"from_store_id": main, "to_store_id": other,
                                                      "note": "Bổ sung hàng cuối tuần", "lines": [line]}))
    ok(ds2.post(f"/api/v1/transfers/{received['id']}/receive", json={"reason": "Rơi vỡ", "lines": [
        {"transfer_line_id": received["lines"][0]["id"], "lot": "PARA-2409", "quantity": 2}]}), 200)
    in_transit = ok(ds2.post("/api/v1/transfers", json={"from_store_id": other, "to_store_id": main,
                                                        "lines": [dict(line, lot="PARA-2401-ABCDEF")]}))
    count = ok(ds1.post("/api/v1/stock-counts", json={"store_id": main, "scope": "all"}))
    ok(ds1.post("/api/v1/stock/quarantine", json={"store_id": main, "lines": [
        {"product_id": product, "lot": "PARA-2409", "quantity": 20, "reason": "Hộp móp méo, chờ kiểm tra"}]}))
    recall = ok(owner.post("/api/v1/recalls", json={
        "decision_number": "123/QĐ-QLD", "decision_date": date.today().isoformat(), "level": 2,
        "product_id": product, "lots": ["PARA-2401-ABCDEF"], "reason": "Không đạt chỉ tiêu độ hòa tan"}))
    shift = ok(owner.post("/api/v1/shifts", json={"store_id": main, "opening_cash": 1_000_000}))
    ok(owner.post("/api/v1/suppliers", json={"name": "Công ty CP Dược phẩm Trung ương 2 – Chi nhánh TP.HCM",
                                             "tax_code": "0301234567", "phone": "028 3838 3838"}))
    customer = ok(owner.post("/api/v1/customers", json={"phone": "0912345678", "name": "Nguyễn Thị Hồng Nhung",
                                                        "allergies": "Penicillin"}))
    ok(owner.post("/api/v1/sales", json={"store_id": main, "customer_id": customer["id"], "lines": [
        {"product_id": product, "unit": "Vỉ", "quantity": 2}]}))
    return {"received": received["id"], "in_transit": in_transit["id"], "count": count["id"],
            "recall": recall["id"], "shift": shift["id"], "customer": customer["id"]}


@pytest.fixture(scope="module")
def site(template_database, tmp_path_factory, chromium):
    base = tmp_path_factory.mktemp("layout")
    url = template_database
    if not PG_URL:
        shutil.copyfile(template_database, base / "pharmacy.db")
        url = f"sqlite:///{base / 'pharmacy.db'}"
    app = make_app(url, base / "instance")
    if PG_URL:
        _truncate_all(app)
    ids = _seed(Books(app))
    served = ServedApp(app, threads=4)
    base_url = served.url
    context = chromium.new_context(viewport={"width": 1920, "height": 900}, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base_url, "owner")
    yield SimpleNamespace(url=base_url, page=page, ids=ids)
    context.close()
    served.stop()
    from pharmacy.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


MEASURE = """() => {
  const width = window.innerWidth;
  const scrolls = (node) => { for (let n = node.parentElement; n; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (["auto", "scroll"].includes(style.overflowX) && n.scrollWidth > n.clientWidth) return true; }
    return false; };
  const clipped = Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a.button"))
    .filter((el) => el.offsetParent !== null && !scrolls(el))
    .filter((el) => { const r = el.getBoundingClientRect(); return r.right > width + 1 || r.left < -1; })
    .map((el) => el.outerHTML.slice(0, 120));
  // the browser's own file picker says "Choose File / No file chosen" in the browser's language
  const nativeFiles = Array.from(document.querySelectorAll("input[type=file]")).filter((el) => el.offsetWidth > 1).length;
  return {scrollWidth: document.documentElement.scrollWidth, width, clipped, nativeFiles, text: document.body.innerText};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_the_screen_and_speaks_vietnamese(site, name, width):
    page = site.page
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site.url + PAGES[name].format(**site.ids))
    assert response.status == 200, f"{name}: HTTP {response.status}"
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] <= found["width"], \
        f"{name} at {width}px scrolls sideways: {found['scrollWidth']} > {found['width']}"
    assert found["clipped"] == [], f"{name} at {width}px: controls off screen {found['clipped']}"
    assert found["nativeFiles"] == 0, f"{name}: a file input shows the browser's own (English) labels"
    english = sorted({word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", found["text"])})
    assert english == [], f"{name} shows English or technical words: {english}"

