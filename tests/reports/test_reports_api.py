"""The reports API: the hand-computed figures over HTTP, downloads read back, isolation, bad input."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

PERIOD = {"date_from": "2026-11-10", "date_to": "2026-11-11"}


def test_sales_by_day_json(chain):
    body = chain["owner"].get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "day"}).json
    assert body["rows"] == [
        {"key": "2026-11-10", "label": "2026-11-10", "quantity": 135, "gross": 75500, "discount": 0,
         "revenue": 75500, "cost": 75450, "gross_margin": 50, "sales_count": 3},
        {"key": "2026-11-11", "label": "2026-11-11", "quantity": -110, "gross": -53000, "discount": 0,
         "revenue": -53000, "cost": -59200, "gross_margin": 6200, "sales_count": -1},
    ]
    assert body["totals"] == {"quantity": 25, "gross": 22500, "discount": 0, "revenue": 22500, "cost": 16250,
                              "gross_margin": 6250, "sales_count": 2}
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 50)


def test_sales_by_product_labels_and_paging(chain):
    api = chain["owner"]
    body = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "product", "per_page": 1}).json
    assert [row["label"] for row in body["rows"]] == ["Khẩu trang y tế"]  # best revenue first
    second = api.get("/api/v1/reports/sales",
                     query_string={**PERIOD, "group_by": "product", "per_page": 1, "page": 2}).json
    assert [row["label"] for row in second["rows"]] == ["Paracetamol 500mg"] and second["total"] == 2
    past = api.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "product", "page": 3})
    assert past.status_code == 422 and "page" in past.json["errors"]


def test_sales_xlsx_has_typed_cells_header_and_totals(chain):
    response = chain["owner"].get("/api/v1/reports/sales",
                                  query_string={**PERIOD, "group_by": "day", "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="doanh-thu-theo-day_2026-11-10_2026-11-11.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data), data_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Ngày", "Số lượng (đơn vị cơ bản)", "Tổng tiền hàng", "Chiết khấu", "Doanh thu thuần", "Giá vốn",
                       "Lãi gộp", "Số hóa đơn")
    assert rows[1][0].date().isoformat() == "2026-11-10" and rows[1][1:] == (135, 75500, 0, 75500, 75450, 50, 3)
    assert rows[-1] == ("Tổng cộng", 25, 22500, 0, 22500, 16250, 6250, 2)
    assert sheet.cell(row=2, column=5).number_format == '#,##0 "₫"'


def test_overview_json_and_csv(chain):
    api = chain["owner"]
    body = api.get("/api/v1/reports/overview", query_string=PERIOD).json
    assert [s["code"] for s in body["stores"]] == ["CH01", "CH02"]
    assert body["stores"][0]["revenue"] == 20000 and body["stores"][0]["gross_margin"] == 6000
    assert body["totals"]["revenue"] == 22500 and body["totals"]["average_basket"] == 11250
    assert set(body["stores"][0]["sync"]) == {"pending", "held", "rejected", "oldest_pending_seconds"}
    response = api.get("/api/v1/reports/overview", query_string={**PERIOD, "format": "csv"})
    assert response.headers["Content-Disposition"].endswith('tong-quan_2026-11-10_2026-11-11.csv"')
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã cửa hàng", "Cửa hàng", "Doanh thu"]
    assert rows[1][:3] == ["CH01", "Nhà thuốc CH01", "20000"] and rows[-1][0] == "Tổng cộng"
    assert rows[-1][2] == "22500"


def test_stock_movements_json_and_xlsx(chain):
    api = chain["owner"]
    query = {**PERIOD, "store_id": chain["b"]}
    body = api.get("/api/v1/reports/stock-movements", query_string=query).json
    l2 = next(row for row in body["rows"] if row["lot"] == "L2")
    assert {k: l2[k] for k in ("opening", "sold", "voided", "transferred_out", "adjusted", "closing")} == {
        "opening": 500, "sold": 8, "voided": 3, "transferred_out": 20, "adjusted": 2, "closing": 477}
    assert l2["expiry"] == "2026-12-15" and body["totals"]["closing"] == 487
    response = api.get("/api/v1/reports/stock-movements", query_string={**query, "format": "xlsx"})
    assert 'filename="xnt_CH02_2026-11-10_2026-11-11.xlsx"' in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Sản phẩm" and rows[-1][0] == "Tổng cộng" and rows[-1][-1] == 487


def test_matrix_and_rebalancing(chain):
    api = chain["owner"]
    body = api.get("/api/v1/stock/matrix", query_string={"product_id": chain["p"]}).json
    assert [s["code"] for s in body["stores"]] == ["CH01", "CH02"]
    assert body["rows"] == [{"product_id": chain["p"], "name": "Paracetamol 500mg", "base_unit": "Viên",
                             "per_store": {str(chain["a"]): 1990, str(chain["b"]): 487}, "total": 2477}]
    searched = api.get("/api/v1/stock/matrix", query_string={"q": "khau trang"}).json
    assert searched["rows"][0]["per_store"] == {str(chain["a"]): 185, str(chain["b"]): 0}
    suggestions = api.get("/api/v1/reports/rebalancing").json
    assert set(suggestions) == {"suggestions", "total", "page", "per_page"}
    response = api.get("/api/v1/reports/rebalancing", query_string={"format": "csv"})
    assert response.status_code == 200 and response.data.decode("utf-8-sig").startswith("Sản phẩm,Lô,")


def test_pharmacist_sees_only_their_stores_and_no_cost_unless_allowed(chain):
    ds_b = chain["ds_b"]
    overview = ds_b.get("/api/v1/reports/overview", query_string=PERIOD).json
    assert [s["code"] for s in overview["stores"]] == ["CH02"]
    assert overview["stores"][0]["revenue"] == 2500 and overview["stores"][0]["cost"] is None
    assert overview["stores"][0]["stock_value"] is None and overview["totals"]["gross_margin"] is None
    sales = ds_b.get("/api/v1/reports/sales", query_string={**PERIOD, "group_by": "store"}).json
    assert [(r["label"], r["revenue"], r["cost"]) for r in sales["rows"]] == [("CH02 · Nhà thuốc CH02", 2500, None)]
    for path, extra in [("/api/v1/reports/overview", {}), ("/api/v1/reports/sales", {"group_by": "day"}),
                        ("/api/v1/reports/stock-movements", {})]:
        response = ds_b.get(path, query_string={**PERIOD, **extra, "store_id": chain["a"]})
        assert response.status_code == 403, path
    matrix = ds_b.get("/api/v1/stock/matrix", query_string={"product_id": chain["p"]}).json
    assert [s["code"] for s in matrix["stores"]] == ["CH02"] and list(matrix["rows"][0]["per_store"]) == [
        str(chain["b"])]
    assert ds_b.get("/api/v1/reports/rebalancing").json["suggestions"] == []  # B alone: nobody to move to
    xlsx = ds_b.get("/api/v1/reports/overview", query_string={**PERIOD, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0] == "CH02" and rows[1][5] is None  # no cost in the file either

    owner = chain["owner"]
    assert owner.patch(f"/api/v1/stores/{chain['b']}", json={"pharmacists_see_cost": True}).status_code == 200
    allowed = ds_b.get("/api/v1/reports/overview", query_string=PERIOD).json
    assert allowed["stores"][0]["cost"] == 2250 and allowed["totals"]["stock_value"] == 217650


@pytest.mark.parametrize("query, field", [
    ({"group_by": "day"}, "date_from"),
    ({**PERIOD, "group_by": "week"}, "group_by"),
    ({**PERIOD}, "group_by"),
    ({"date_from": "2026-11-12", "date_to": "2026-11-10", "group_by": "day"}, "date_to"),
    ({"date_from": "2020-01-01", "date_to": "2026-11-10", "group_by": "day"}, "date_to"),
    ({"date_from": "10/11/2026", "date_to": "2026-11-10", "group_by": "day"}, "date_from"),
    ({**PERIOD, "group_by": "day", "per_page": 500}, "per_page"),
    ({**PERIOD, "group_by": "day", "format": "pdf"}, "format"),
    ({**PERIOD, "group_by": "day", "store_id": "x"}, "store_id"),
])
def test_bad_report_queries_name_the_field(chain, query, field):
    response = chain["owner"].get("/api/v1/reports/sales", query_string=query)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_other_bad_queries(chain):
    api = chain["owner"]
    assert api.get("/api/v1/reports/stock-movements", query_string=PERIOD).json["errors"].keys() == {"store_id"}
    assert api.get("/api/v1/reports/stock-movements",
                   query_string={**PERIOD, "store_id": 999}).status_code == 404
    assert "q" in api.get("/api/v1/stock/matrix").json["errors"]
    assert api.get("/api/v1/stock/matrix", query_string={"product_id": 99999}).status_code == 404
    assert "within_days" in api.get("/api/v1/reports/rebalancing?within_days=0").json["errors"]
    assert api.client.get("/api/v1/reports/overview", query_string=PERIOD).status_code == 401


def test_slow_movers_json_file_and_hidden_cost(chain):
    body = chain["owner"].get("/api/v1/reports/slow-movers?days=1").json
    assert [(r["product_name"], r["quantity"]) for r in body["rows"]][0] == ("Khẩu trang y tế", 185)
    assert body["total"] == 3 and body["rows"][0]["last_sold"].startswith("2026-11-10T02:00:00")
    assert chain["owner"].get("/api/v1/reports/slow-movers?days=3650").json["rows"] == []
    response = chain["owner"].get("/api/v1/reports/slow-movers?days=1&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng cộng" and rows[-1][3] == 185 + 1990 + 487
    mine = chain["ds_b"].get("/api/v1/reports/slow-movers?days=1").json["rows"]
    assert [(r["store_id"], r["stock_value"]) for r in mine] == [(chain["b"], None)]
    assert chain["ds_b"].get(f"/api/v1/reports/slow-movers?store_id={chain['a']}").status_code == 403
    assert "days" in chain["owner"].get("/api/v1/reports/slow-movers?days=0").json["errors"]
