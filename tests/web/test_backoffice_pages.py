"""Server-rendered pages through the test client: stock filters, products form and labels, sales, cart preview, i18n."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "pharmacy" / "translations"


def signed_in(app, username, password="secret-pass-1"):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302
    client.csrf = token
    return client


def test_committed_mo_matches_the_po_and_every_ui_string_is_translated():
    po_path = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as stream:
        po = {m.id: m.string for m in read_po(stream, locale="vi") if m.id}
    with po_path.with_suffix(".mo").open("rb") as stream:
        mo = {m.id: m.string for m in read_mo(stream) if m.id}
    assert mo == po, "run: pybabel compile -d pharmacy/translations"
    # Every screen's strings: the web code and every template.
    method_map = [("pharmacy/**.py", "python"), ("templates/**.html", "jinja2")]
    used = {message for _f, _l, message, *_ in extract_from_dir(str(ROOT), method_map) if isinstance(message, str)}
    assert len(used) > 200
    missing = sorted(msgid for msgid in used if not po.get(msgid))
    assert not missing, f"untranslated UI strings (pybabel extract/update): {missing}"


def test_filters_format_vnd_and_local_dates():
    from pharmacy.web.filters import day, moment, money

    assert money(12500) == "12.500\u00a0₫"
    assert day(date(2027, 6, 30)) == "30/06/2027"
    assert moment(datetime(2026, 1, 31, 17, 30, tzinfo=timezone.utc)) == "01/02/2026 00:30"


def test_pages_speak_vietnamese_and_switch_to_english(shop, app):
    client = signed_in(app, "ds1")
    assert "Quét mã hoặc gõ" in client.get("/counter").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "csrf_token": client.csrf})
    assert "Scan or type a name" in client.get("/counter").get_data(as_text=True)


def test_stock_page_filters_expired_and_expiring_lots(shop, app):
    client = signed_in(app, "ds1")
    expired = client.get("/stock?show=expired").get_data(as_text=True)
    assert "OLD" in expired and "SOON" not in expired and 'class="destroy-form"' in expired
    soon = client.get("/stock?show=30").get_data(as_text=True)
    assert "SOON" in soon and "OLD" not in soon and "LATE" not in soon
    everything = client.get("/stock?q=para").get_data(as_text=True)
    assert all(lot in everything for lot in ("OLD", "SOON", "LATE"))


def _product_total(page: str) -> str:
    return re.search(r'class="num product-total">([^<]+)<', page).group(1)


def test_stock_page_groups_lots_under_the_product_whose_total_ignores_the_filter(shop, app):
    client = signed_in(app, "ds1")
    for show in ("all", "expired", "30", "90"):
        page = client.get(f"/stock?show={show}").get_data(as_text=True)
        assert page.count('class="product-row"') == 1, show  # one row per product, its lots folded under it
        assert _product_total(page) == "170 Viên", show     # OLD 50 + SOON 20 + LATE 100, whatever is shown
    page = client.get("/stock").get_data(as_text=True)
    assert page.count('class="lot-row') == 3 and "100 Viên" in page and "120 Viên" in page  # lot; sellable


def test_stock_page_reads_the_users_stores_once_however_many_there_are(books, shop, app):
    from sqlalchemy import event

    from pharmacy.extensions import db

    client = signed_in(app, "owner")
    counts = []
    for extra in (1, 9):
        for n in range(extra):
            books.store(f"X{len(counts)}{n}")
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/stock").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def test_products_form_creates_edits_and_reports_field_errors(shop, app):
    client = signed_in(app, "owner")
    form = {"csrf_token": client.csrf, "name": "Siro ho Prospan", "active_ingredient": "Cao lá thường xuân",
            "prescription_only": "on", "unit_name": ["Chai", ""], "unit_factor": ["1", ""], "unit_price": ["85.000", ""],
            "unit_barcodes": ["4009233003136", ""]}
    created = client.post("/products/new", data=form)
    assert created.status_code == 302
    edit_page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Siro ho Prospan" in edit_page and "85000" in edit_page and "checked" in edit_page
    bad = client.post("/products/new", data={**form, "name": "Khác", "unit_factor": ["abc", ""]})
    assert bad.status_code == 422 and "Nhập số nguyên." in bad.get_data(as_text=True)
    duplicate = client.post("/products/new", data={**form, "name": "Khác"})
    assert duplicate.status_code == 422 and "4009233003136" in duplicate.get_data(as_text=True)
    pharmacist = signed_in(app, "ds1")
    assert pharmacist.post(created.headers["Location"], data={**form, "csrf_token": pharmacist.csrf}).status_code == 403


def test_house_code_and_printable_labels(shop, app):
    from pharmacy.scanning.labels import internal_code

    client = signed_in(app, "owner")
    product = shop["product"]
    response = client.post(f"/products/{product}/house-code", data={"unit": "Hộp", "csrf_token": client.csrf})
    assert response.status_code == 302
    labels = client.get(f"/products/{product}/labels?copies=2").get_data(as_text=True)
    assert labels.count(f'data-code="{internal_code(product)}"') == 2 and "<svg" in labels
    found = shop["owner"].get("/api/v1/scan", query_string={"code": internal_code(product), "store_id": shop["store"]})
    assert found.json["unit"] == "Hộp"


def test_sales_list_and_detail_show_allocations_and_sync_state(shop, app):
    sale = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Vỉ", "quantity": 3}]}).json
    client = signed_in(app, "ds1")
    listing = client.get(f"/sales?date_from={date.today():%Y-%m-%d}&store_id={shop['store']}").get_data(as_text=True)
    assert sale["number"] in listing and 'data-sync="pending"' in listing
    assert sale["number"] not in client.get("/sales?date_to=2000-01-01").get_data(as_text=True)
    detail = client.get(f"/sales/{sale['id']}").get_data(as_text=True)
    assert "Lô SOON" in detail and "Lô LATE" in detail and "Chờ gửi" in detail and 'id="void-form"' in detail
    receipt = client.get(f"/sales/{sale['id']}/receipt").get_data(as_text=True)
    assert "15.000\u00a0₫" in receipt and "@page" in (ROOT / "static" / "receipt.css").read_text()


def test_cart_preview_takes_lots_across_lines_and_says_why_not(shop, books):
    from pharmacy.catalog.services import UnitSpec

    expired_only = books.product("Vitamin C", units=[UnitSpec("Viên", 1, 300)])
    books.receive(shop["store"], expired_only, "VC-OLD", date.today() - timedelta(days=1), 10)
    nothing = books.product("Băng cá nhân", active_ingredient="", units=[UnitSpec("Miếng", 1, 1000)])
    lines = [{"product_id": shop["product"], "unit": "Viên", "quantity": 15},
             {"product_id": shop["product"], "unit": "Viên", "quantity": 10},
             {"product_id": expired_only, "unit": "Viên", "quantity": 1},
             {"product_id": nothing, "unit": "Miếng", "quantity": 1},
             {"product_id": shop["product"], "unit": "Viên", "quantity": 1, "lot": "OLD"}]
    body = shop["pharmacist"].post("/api/v1/counter/preview", json={"store_id": shop["store"], "lines": lines}).json
    first, second, expired, empty, named = body["lines"]
    assert [(a["lot"], a["quantity"], a["near_expiry"]) for a in first["allocations"]] == [("SOON", 15, True)]
    assert [(a["lot"], a["quantity"]) for a in second["allocations"]] == [("SOON", 5), ("LATE", 5)]
    assert (expired["problem"], empty["problem"], named["problem"]) == ("only_expired", "no_stock", "lot_expired")
    assert body["can_pay"] is False and body["total"] == 25 * 500 + 300 + 1000 + 500
