"""Excel and CSV downloads speak the reader's language: headers, the sheet's name and the totals row come from the
translation catalogue (Vietnamese by default, English for a user who chose English), never hard-coded."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

PERIOD = {"date_from": "2026-11-10", "date_to": "2026-11-11"}


@pytest.mark.parametrize(("locale", "sheet", "header", "total"), [
    (None, "XNT CH01", ("Sản phẩm", "Đơn vị", "Lô", "Hạn dùng", "Tồn đầu", "Nhập"), "Tổng cộng"),
    ("en", "Stock movements CH01", ("Product", "Unit", "Lot", "Expiry", "Units at the start", "Units received"),
     "Total"),
])
def test_xnt_workbook_in_the_readers_language(chain, locale, sheet, header, total):
    api = chain["owner"]
    if locale:
        api.client.set_cookie("locale", locale)
    response = api.get("/api/v1/reports/stock-movements",
                       query_string={**PERIOD, "store_id": chain["a"], "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [sheet]
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:6] == header and rows[-1][0] == total


@pytest.mark.parametrize(("locale", "first_line", "total"), [
    (None, "Ngày,Số lượng (đơn vị cơ bản),Doanh thu,Giá vốn,Lãi gộp,Số hóa đơn", "Tổng cộng"),
    ("en", "Day,Quantity (base units),Revenue,Cost,Gross margin,Number of sales", "Total"),
])
def test_sales_csv_in_the_readers_language(chain, locale, first_line, total):
    api = chain["owner"]
    if locale:
        api.client.set_cookie("locale", locale)
    response = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "day", "format": "csv"})
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == first_line and lines[-1].startswith(total + ",")


def test_matrix_and_overview_headers_follow_the_language(chain):
    api = chain["owner"]
    api.client.set_cookie("locale", "en")
    matrix = api.get("/api/v1/stock/matrix", query_string={"product_id": chain["p"], "format": "csv"})
    assert matrix.data.decode("utf-8-sig").splitlines()[0] == "Product,Unit,CH01,CH02,Total units"
    overview = api.get("/api/v1/reports/overview", query_string={**PERIOD, "format": "xlsx"})
    book = load_workbook(io.BytesIO(overview.data))
    assert book.sheetnames == ["Overview"]
    assert next(book.active.iter_rows(values_only=True))[:3] == ("Store code", "Store", "Revenue")


def test_a_sheet_name_excel_refuses_is_cleaned():
    from pharmacy.reports.export import sheet_title

    assert sheet_title("XNT CH/01: [a]*?") == "XNT CH 01   a" and len(sheet_title("x" * 40)) == 31
