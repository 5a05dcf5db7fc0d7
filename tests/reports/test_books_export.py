"""`flask books export`: the ZIP opens, every file parses, the manifest's row counts are the files' and the raw
ledger (documents/movements.csv) reconciles with the XNT book in the same ZIP, on the hand-computed chain."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict

from openpyxl import load_workbook


def test_export_zip_opens_and_every_file_parses(chain, app, tmp_path):
    target = tmp_path / "so-sach.zip"
    result = app.test_cli_runner().invoke(args=["books", "export", "--store", "CH02", "--from", "2026-11-10",
                                                "--to", "2026-11-11", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json"))
        assert set(manifest["files"]) == set(archive.namelist()) - {"manifest.json"}
        parsed = {}
        for name in manifest["files"]:
            data = archive.read(name)
            if name.endswith(".xlsx"):
                rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
                has_totals = rows and rows[-1][0] == "Tổng cộng"
                assert len(rows) - 1 - bool(has_totals) == manifest["files"][name], name
            else:
                rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
                assert len(rows) == manifest["files"][name], name
            parsed[name] = rows
    assert len([n for n in parsed if n.startswith("books/")]) == 9  # the GPP books and the two controlled-drug books
    assert {"documents/sales.csv", "documents/sale_lines.csv", "documents/receipts.csv", "documents/goods_issues.csv",
            "documents/transfers.csv", "documents/stock_counts.csv", "documents/movements.csv"} <= set(parsed)
    # store B on 10–11/11 by hand: sales s4 (voided) and s3, the void, 3 + 5 + 3 + 20 + 2 ledger rows
    assert len(parsed["documents/sales.csv"]) == 2 and len(parsed["documents/sale_voids.csv"]) == 1
    moved = defaultdict(int)
    for row in parsed["documents/movements.csv"]:
        moved[int(row["stock_lot_id"])] += int(row["quantity"])
    xnt = parsed["books/so-xnt-theo-lo_CH02_2026-11-10_2026-11-11.xlsx"]
    header = xnt[0]
    l2 = dict(zip(header, next(row for row in xnt if row[header.index("Lô")] == "L2"), strict=True))
    assert l2["Tồn cuối"] - l2["Tồn đầu"] == sum(moved.values()) == 477 - 500


def test_export_refuses_an_unknown_store_and_a_backwards_period(chain, app, tmp_path):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["books", "export", "--store", "XX", "--from", "2026-11-10", "--to", "2026-11-11",
                                  str(tmp_path / "a.zip")])
    assert unknown.exit_code != 0 and "XX" in unknown.output
    backwards = runner.invoke(args=["books", "export", "--store", "CH02", "--from", "2026-11-11", "--to",
                                    "2026-11-10", str(tmp_path / "b.zip")])
    assert backwards.exit_code != 0 and not (tmp_path / "b.zip").exists()


# The books' sheets and header rows as the inspector reads them (TT 20/2017 Annex VIII and XXI for the controlled
# drugs): the code writes English msgids, the export (outside any request) writes the pharmacy's Vietnamese.
EXPECTED_SHEETS = {
    "so-xnt-theo-lo": ("Sổ XNT theo lô", [
        "Sản phẩm", "Số đăng ký", "Nhà sản xuất", "Đơn vị", "Lô", "Hạn dùng", "Tồn đầu", "Nhập", "Bán", "Khách trả",
        "Hủy hóa đơn", "Xuất", "Chuyển đến", "Chuyển đi", "Điều chỉnh", "Tồn cuối"]),
    "so-ban-thuoc-theo-don": ("Sổ bán thuốc theo đơn", [
        "Số hóa đơn", "Thời gian", "Trạng thái", "Mã đơn thuốc", "Người bệnh", "Người kê đơn", "Cơ sở khám chữa bệnh",
        "Thuốc bán", "Số lượng", "Đơn vị", "Lô / hạn dùng", "Thay thế", "Người bán"]),
    "so-kiem-soat-chat-luong": ("Sổ kiểm soát chất lượng", [
        "Ngày", "Tên thuốc", "Đơn vị", "Lô", "Hạn dùng", "Số lượng", "Chất lượng cảm quan", "Kết luận", "Lý do",
        "Biện pháp xử lý", "Đã biệt trữ", "Người ghi", "Đảo / ghi chú", "Số dòng"]),
    "so-nhiet-do-do-am": ("Sổ theo dõi nhiệt độ, độ ẩm", [
        "Ngày", "Khu bảo quản", "Giờ quy định", "Giờ đo", "Nhiệt độ (°C)", "Độ ẩm (%RH)", "Thiết bị", "Đánh giá",
        "Biện pháp khắc phục", "Người ghi", "Số dòng"]),
    "so-thu-hoi": ("Sổ theo dõi thu hồi", [
        "Quyết định số", "Ngày quyết định", "Mức độ", "Hạn hoàn thành", "Thuốc", "Số đăng ký", "Lô", "Tồn kho",
        "Biệt trữ", "Đã trả", "Trả cho", "Ngày trả", "Số hóa đơn cần liên hệ"]),
    "so-khieu-nai": ("Sổ theo dõi khiếu nại", [
        "Ngày", "Khách hàng", "Điện thoại", "Thuốc", "Lô", "Nội dung khiếu nại", "Cách xử lý", "Người ghi",
        "Đảo / ghi chú", "Số dòng"]),
    "so-phan-ung-co-hai": ("Sổ theo dõi phản ứng có hại", [
        "Ngày", "Khách hàng", "Điện thoại", "Thuốc", "Lô", "Phản ứng có hại", "Cách xử lý", "Người ghi",
        "Đảo / ghi chú", "Số dòng"]),
    "so-xnt-thuoc-kiem-soat": ("Sổ XNT thuốc kiểm soát đặc biệt", [
        "Thuốc", "Số đăng ký", "Đơn vị", "Lô", "Hạn dùng", "Ngày", "Số chứng từ", "Nhập từ / xuất cho", "Nhập",
        "Xuất", "Tồn"]),
    # the sheet name is the title cut to Excel's 31 characters: "Sổ theo dõi người mua thuốc kiểm soát đặc biệt"
    "so-khach-mua-thuoc-kiem-soat": ("Sổ theo dõi người mua thuốc kiể", [
        "Ngày bán", "Số hóa đơn", "Thuốc", "Lô", "Số lượng", "Người mua", "Địa chỉ", "Số giấy tờ tùy thân",
        "Đơn thuốc", "Bác sĩ kê đơn"]),
}


def test_the_exported_books_have_their_vietnamese_sheet_names_and_headers(chain, app, tmp_path):
    target = tmp_path / "so-sach.zip"
    result = app.test_cli_runner().invoke(args=["books", "export", "--store", "CH02", "--from", "2026-11-10",
                                                "--to", "2026-11-11", str(target)])
    assert result.exit_code == 0, result.output
    found = {}
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            if name.startswith("books/"):
                workbook = load_workbook(io.BytesIO(archive.read(name)), read_only=True)
                book = name.removeprefix("books/").removesuffix("_CH02_2026-11-10_2026-11-11.xlsx")
                found[book] = (workbook.sheetnames[0], list(next(workbook.active.iter_rows(values_only=True))))
    assert found == EXPECTED_SHEETS
