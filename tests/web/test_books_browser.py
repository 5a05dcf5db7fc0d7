"""Chromium: a pharmacist records a climate reading (an out-of-range one is refused until a corrective note is
written) and a complaint on the books page; the book prints on A4 (the PDF's page size, and the print rendering
as a picture: the table fits the paper, the menus and forms are gone)."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from PIL import Image

from pharmacy.clock import LOCAL_TZ

from .conftest import sign_in

A4_LANDSCAPE_POINTS = (842, 595)  # 297 × 210 mm
A4_LANDSCAPE_CSS_PX = (1123, 794)  # at 96 px per inch


def test_record_a_reading_and_print_the_book_on_a4(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/books/?book=temperature-humidity")
    page.locator("#entry-form").evaluate("form => form.closest('details').open = true")
    at = datetime.now(LOCAL_TZ) - timedelta(minutes=3)
    page.fill("input[name=read_at]", at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=temperature]", "31,5")
    page.fill("input[name=humidity]", "62")
    page.fill("input[name=device]", "Nhiệt ẩm kế TH-01")
    page.click("#entry-form button[type=submit]")
    page.locator('[data-field="corrective_note"]').wait_for()
    page.fill("input[name=corrective_note]", "Bật điều hòa, kiểm tra lại sau 30 phút")
    page.click("#entry-form button[type=submit]")
    page.locator(".flash").filter(has_text="Đã ghi lần đo").wait_for()

    page.goto(f"{live_server}/books/?book=complaints")
    page.locator("#entry-form").evaluate("form => form.closest('details').open = true")
    page.fill("input[name=customer_name]", "Chị Lan")
    page.fill("input[name=description]", "Vỉ thuốc bị ẩm")
    page.click("#entry-form button[type=submit]")
    page.locator("#book-table").filter(has_text="Vỉ thuốc bị ẩm").wait_for()
    assert page.locator("#book-xlsx").get_attribute("href").startswith("/api/v1/books/complaints?")
    page.fill("#book-table input[name=reason]", "Ghi nhầm khách")
    page.click("#book-table .reversal-form button")
    page.locator("#book-table").filter(has_text="Ghi nhầm khách").wait_for()

    page.goto(f"{live_server}/books/?book=stock-movements")
    assert "PARA-LATE" in page.locator("#book-table").inner_text()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all((round(float(w)), round(float(h))) == A4_LANDSCAPE_POINTS for w, h in boxes)

    page.set_viewport_size({"width": A4_LANDSCAPE_CSS_PX[0], "height": A4_LANDSCAPE_CSS_PX[1]})
    page.emulate_media(media="print")
    assert page.locator("#book-filters").is_hidden() and page.locator(".topbar").first.is_hidden()
    table = page.locator("#book-table").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= A4_LANDSCAPE_CSS_PX[0]
    picture = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")
    assert picture.width == A4_LANDSCAPE_CSS_PX[0]
    inked = picture.point(lambda value: 255 if value < 200 else 0).getbbox()
    assert inked is not None and inked[2] <= A4_LANDSCAPE_CSS_PX[0]  # something printed, nothing cut at the edge
    picture.save("/tmp/books-print.png")


def test_books_page_fits_768_to_1920_pixels(chromium, live_server, counter_shop):
    for width in (768, 1920):
        context = chromium.new_context(viewport={"width": width, "height": 900}, locale="vi-VN", bypass_csp=True)
        page = context.new_page()
        try:
            sign_in(page, live_server, "ds1")
            for book in ("stock-movements", "quality-control", "temperature-humidity"):
                page.goto(f"{live_server}/books/?book={book}")
                page.locator("#book-table").wait_for()
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (width, book)
        finally:
            context.close()
