"""Back-office papercuts: returns in the line's unit with number, time and refund; a pharmacist's read-only product
page; favicon.ico; no inline script or handler on any page (a CSP without 'unsafe-inline' scripts holds)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .test_backoffice_pages import signed_in


def test_sale_page_shows_returns_in_the_line_unit_with_number_time_and_refund(shop, app):
    sale = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Hộp", "quantity": 1}]}).json
    line_id = sale["lines"][0]["id"]
    returned = shop["pharmacist"].post(f"/api/v1/sales/{sale['id']}/returns", json={
        "lines": [{"sale_line_id": line_id, "quantity": 1}], "reason": "Khách đổi ý"})
    assert returned.status_code == 201, returned.json
    page = signed_in(app, "ds1").get(f"/sales/{sale['id']}").get_data(as_text=True)
    sold_row = re.search(r'<table class="grid" id="sale-lines">.*?</table>', page, re.S).group(0)
    assert "1 Hộp" in sold_row and ">100<" not in sold_row and "100 Viên" not in sold_row
    returns = re.search(r'<table class="grid" id="returns-table">.*?</table>', page, re.S).group(0)
    assert returned.json["number"] in returns and "Paracetamol 500mg: 1 Hộp" in returns
    assert "48.000\u00a0₫" in returns and "Khách đổi ý" in returns
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", returns)
    assert "vào khu cách ly" in returns  # the store's default: returns are checked before they are sold again


def test_a_pharmacist_sees_the_product_read_only(shop, app):
    page = signed_in(app, "ds1").get(f"/products/{shop['product']}").get_data(as_text=True)
    assert "<input" not in page.split('id="product-view"')[1].split("</section>")[0]
    assert 'id="product-form"' not in page and "Paracetamol 500mg" in page and "TQG900001" in page
    assert "48.000\u00a0₫" in page  # the Hộp price, read as money
    owner = signed_in(app, "owner").get(f"/products/{shop['product']}").get_data(as_text=True)
    assert 'id="product-form"' in owner and 'name="unit_price"' in owner


def test_favicon_is_a_real_icon_and_every_page_links_it(shop, app):
    client = signed_in(app, "ds1")
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\0\0\1\0"  # an ICO header
    for path in ("/counter", "/sales", "/stock", "/products/"):
        assert 'rel="icon"' in client.get(path).get_data(as_text=True)
    with client.get("/static/favicon.ico") as static_icon:
        assert static_icon.status_code == 200


class InlineCode(HTMLParser):
    """Collects inline event handlers, javascript: URLs and script blocks that carry code."""

    def __init__(self):
        super().__init__()
        self.found, self._in_code_script = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found += [f"{tag} {name}=" for name in attrs if name.startswith("on")]
        self.found += [f"{tag} javascript:" for value in attrs.values() if (value or "").startswith("javascript:")]
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self._in_code_script = True

    def handle_data(self, data):
        if self._in_code_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_code_script = False


def test_no_page_has_inline_scripts_or_handlers(shop, app):
    sale = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": 1}]}).json
    client = signed_in(app, "owner")
    product = shop["product"]
    paths = ["/", "/counter", "/receipts/new", "/stock", "/products/", f"/products/{product}", "/products/new",
             f"/products/{product}/labels", "/sales", f"/sales/{sale['id']}", f"/sales/{sale['id']}/receipt",
             "/prescriptions/book", "/sync"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        parser = InlineCode()
        parser.feed(response.get_data(as_text=True))
        assert not parser.found, (path, parser.found)
        scripts = re.findall(r"<script[^>]*\bsrc=[^>]*>", response.get_data(as_text=True))
        assert all('type="module"' in tag for tag in scripts), (path, scripts)
    login = app.test_client().get("/login").get_data(as_text=True)
    assert "onchange" not in login and "onclick" not in login


def test_shortcut_list_says_the_quantity_prefix_in_vietnamese(shop, app):
    page = signed_in(app, "ds1").get("/counter").get_data(as_text=True)
    shortcuts = page.split('id="shortcuts"')[1].split("</dl>")[0]
    assert "<dt>3*mã</dt>" in shortcuts and "code" not in shortcuts
