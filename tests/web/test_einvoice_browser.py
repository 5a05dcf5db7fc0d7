"""Chromium: the end-of-day reconciliation page, in Vietnamese, from 768 to 1920 px: an invoice not issued yet is
listed in red with its sale, and the national documents of the day are counted."""
from __future__ import annotations

from ..sync.conftest import clock, docs, faults, make_runner, sandbox, world  # noqa: F401 - sandbox, fixed clock
from .conftest import sign_in

ON = {"einvoice_provider": "sandbox", "seller_tax_code": "0312345678", "einvoice_template": "1",
      "einvoice_symbol": "C26MAA", "einvoice_authority_code": "43836"}


def test_reconciliation_page_lists_the_invoice_still_missing(page, live_server, shop):
    assert shop["owner"].patch(f"/api/v1/stores/{shop['store']}", json=ON).status_code == 200
    sold = shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 2}]}).json
    sign_in(page, live_server, "owner")
    for width in (768, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/reconciliation/day")
        page.locator("h1").filter(has_text="Đối soát cuối ngày").wait_for()
        row = page.locator("#einvoice-missing tr.danger")
        assert sold["number"] in row.inner_text() and "Đang chờ phát hành" in row.inner_text()
        assert "Có chênh lệch" in page.locator("#einvoice-summary").inner_text()
        assert "Chứng từ trong ngày" in page.locator("#national-summary").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("a[href$='/reconciliation/day']").count() >= 1  # linked from the navigation
    for width in (768, 1920):  # asking the national side now: the answer is said in Vietnamese, the page fits
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/reconciliation/day")
        page.click("#national-verify")
        page.locator("#national-summary").filter(has_text="vừa hỏi trực tiếp hệ thống quốc gia").wait_for()
        assert page.locator("#national-verify").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert not any(word in page.inner_text("main") for word in ("unreachable", "not_verifiable", "absent"))


def test_reconciliation_page_prints_the_journal_head_in_full_on_a4(page, live_server, shop):
    import io
    import re

    from PIL import Image

    shop["pharmacist"].post("/api/v1/sales", json={"store_id": shop["store"], "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": 1}]})
    from pharmacy.clock import local_today

    head = shop["owner"].get(f"/api/v1/reconciliation?store_id={shop['store']}&date={local_today().isoformat()}").json
    full = head["journal_head"]["head"]
    sign_in(page, live_server, "owner")
    page.set_viewport_size({"width": 768, "height": 900})
    page.goto(f"{live_server}/reconciliation/day")
    assert "Mục nhật ký cuối của ngày: số" in page.locator("#journal-head").inner_text()
    assert page.locator("#journal-head-short").is_visible() and page.locator("#journal-head-full").is_hidden()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all((round(float(w)), round(float(h))) == (842, 595) for w, h in boxes), boxes  # A4 landscape
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 px per inch
    page.emulate_media(media="print")
    assert page.locator("#journal-head-full").is_visible() and page.locator("#journal-head-short").is_hidden()
    assert page.locator("#journal-head-full code").inner_text() == full
    box = page.locator("#journal-head-full code").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1123  # the whole line stays inside the page
    picture = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")
    inked = picture.point(lambda value: 255 if value < 200 else 0).getbbox()
    assert inked is not None and inked[2] <= 1123
    picture.save("/tmp/reconciliation-print.png")


def test_a_document_the_national_side_lost_is_sent_again_with_one_click(page, live_server, app, world, docs, books,
                                                                         sandbox, make_runner, clock):
    """The reconciliation asks the national side now: a sale it no longer has is listed with "Gửi lại" at 768 and
    1920 px; one click asks again, sends it again and says so in Vietnamese."""
    from pharmacy.clock import local_date

    from ..sync.conftest import drain

    sale_id = docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    owner = books.api("owner")
    number = owner.get(f"/api/v1/sales/{sale_id}").json["number"]
    drain(app, make_runner(timeout=(1.0, 5.0)), clock)
    assert sandbox.simulator.state.delete("hoa_don", "CS-CH01", number)
    app.config["NATIONAL_DRUG_DB_URL"] = sandbox.url
    day = local_date(clock()).isoformat()
    sign_in(page, live_server, "owner")
    for width in (768, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/reconciliation/day?date={day}&verify=1")
        row = page.locator("#national-missing tr.danger").filter(has_text=number)
        assert "không còn ghi nhận" in row.inner_text()
        assert row.locator("button.resend").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row.locator("button.resend").click()
    page.locator("h1").filter(has_text="Đối soát cuối ngày").wait_for()
    assert f"{number} sẽ được gửi lại" in page.inner_text("body")
    assert not any(word in page.inner_text("main") for word in ("absent", "resend", "pending", "status"))
    sent = owner.get("/api/v1/sync/messages?status=pending").json["items"]
    assert [m["document_number"] for m in sent if m["kind"] == "sale"] == [number]
