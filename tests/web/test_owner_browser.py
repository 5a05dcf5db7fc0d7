"""The owner's flow in real Chromium: log in → dashboard (charts drawn offline) → export to Excel → drill into a
store's expired stock → reports page download → the store matrix → edit minimums → create a pharmacist."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from ..reports.conftest import chain  # noqa: F401 - the hand-computed two-store history
from .conftest import sign_in


def test_owner_dashboard_drill_down_and_excel_export(page, live_server, chain):  # noqa: F811
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/dashboard?period=custom&date_from=2026-11-10&date_to=2026-11-11")
    row = page.locator(f'#overview-table tr[data-store-id="{chain["a"]}"]')
    assert "20.000" in row.locator("td").first.inner_text()
    assert "22.500" in page.locator("#overview-table tfoot").inner_text()
    drawn = page.evaluate("() => ['chart-revenue', 'chart-products', 'chart-expiry'].map("
                          "id => !!Chart.getChart(document.getElementById(id)))")
    assert drawn == [True, True, True]

    with page.expect_download() as info:
        page.click("#export-xlsx")
    download = info.value
    assert download.suggested_filename == "tong-quan_2026-11-10_2026-11-11.xlsx"
    with open(download.path(), "rb") as stream:
        sheet = load_workbook(io.BytesIO(stream.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã cửa hàng", "Cửa hàng", "Doanh thu")
    assert rows[1][:3] == ("CH01", "Nhà thuốc CH01", 20000) and rows[-1][0] == "Tổng cộng" and rows[-1][2] == 22500

    page.locator(f'#overview-table tr[data-store-id="{chain["b"]}"] td.expired-value a').click()
    page.wait_for_url(f"{live_server}/stock?show=expired")
    assert "OLD" in page.locator("#stock-table").inner_text()  # CH02's lot that expired on 1 Nov 2026

    page.goto(f"{live_server}/reports?kind=sales_product&date_from=2026-11-10&date_to=2026-11-11")
    assert "Khẩu trang y tế" in page.locator("#report-table").inner_text()
    with page.expect_download() as info:
        page.click("#download-xlsx")
    assert info.value.suggested_filename == "doanh-thu-theo-product_2026-11-10_2026-11-11.xlsx"

    page.goto(f"{live_server}/stock/across")
    page.fill("input[name=q]", "para")
    page.press("input[name=q]", "Enter")
    page.click("#matrix-table >> text=Paracetamol 500mg")
    assert "19 Hộp + 9 Vỉ" in page.locator("#across-table").inner_text()

    page.goto(f"{live_server}/stock/minimums?store_id={chain['a']}")
    page.fill(f'input[name="min_{chain["q"]}"]', "220")
    page.click("#minimums-form button[type=submit]")
    page.wait_for_url(f"{live_server}/stock/minimums?store_id={chain['a']}")
    assert page.locator(f'input[name="min_{chain["q"]}"]').input_value() == "220"

    page.goto(f"{live_server}/admin/users")
    page.fill("#new-user input[name=username]", "ds_moi")
    page.fill("#new-user input[name=full_name]", "Trần Văn Minh")
    page.fill("#new-user input[name=password]", "mat-khau-123")
    page.check(f'#new-user input[name=store_ids][value="{chain["b"]}"]')
    page.check("#new-user input[name=licensed_pharmacist]")
    page.click("#new-user button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/users")
    assert "CH02" in page.locator('#users-table tr[data-username="ds_moi"]').inner_text()
    assert all(url.startswith(live_server) for url in requests), [u for u in requests if not u.startswith(live_server)]
