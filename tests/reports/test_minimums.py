"""Minimums in bulk: the page's edit form, a spreadsheet import (.xlsx and CSV), and refusals naming the row."""
from __future__ import annotations

import io

from openpyxl import Workbook

from ..web.test_backoffice_pages import signed_in


def minimums(app, store_id) -> dict:
    from pharmacy.extensions import db
    from pharmacy.stock.models import StockSetting

    with app.app_context():
        return {s.product_id: s.min_quantity for s in db.session.query(StockSetting).filter_by(store_id=store_id)}


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_edit_many_minimums_at_once(app, chain):
    client = signed_in(app, "owner")
    page = client.get(f"/stock/minimums?store_id={chain['a']}").get_data(as_text=True)
    assert f'name="min_{chain["q"]}"' in page and 'value="200"' in page
    response = client.post("/stock/minimums", data={"csrf_token": client.csrf, "store_id": chain["a"],
                                                    "action": "save", f"min_{chain['p']}": "150",
                                                    f"min_{chain['q']}": "250"})
    assert response.status_code == 302
    assert minimums(app, chain["a"]) == {chain["p"]: 150, chain["q"]: 250}
    bad = client.post("/stock/minimums", data={"csrf_token": client.csrf, "store_id": chain["a"],
                                               "action": "save", f"min_{chain['p']}": "-3"})
    assert bad.status_code == 422 and f"min_{chain['p']}" in bad.get_data(as_text=True)
    assert minimums(app, chain["a"])[chain["p"]] == 150


def test_import_xlsx_by_national_code_and_csv_by_id(app, chain):
    client = signed_in(app, "owner")
    book = xlsx([["national_code", "min_quantity"], ["TQG900001", 300]])
    response = client.post("/stock/minimums", content_type="multipart/form-data", data={
        "csrf_token": client.csrf, "store_id": chain["b"], "action": "import",
        "file": (io.BytesIO(book), "toi-thieu.xlsx")})
    assert response.status_code == 302
    assert minimums(app, chain["b"]) == {chain["p"]: 300, chain["q"]: 5}
    text = f"\ufeffproduct_id,min_quantity\r\n{chain['q']},12\r\n".encode()
    assert client.post("/stock/minimums", content_type="multipart/form-data", data={
        "csrf_token": client.csrf, "store_id": chain["b"], "action": "import",
        "file": (io.BytesIO(text), "min.csv")}).status_code == 302
    assert minimums(app, chain["b"])[chain["q"]] == 12


def test_import_refusals_name_the_row_and_change_nothing(app, chain):
    client = signed_in(app, "owner")
    cases = [
        (xlsx([["national_code", "min_quantity"], ["TQG900001", 10], ["KHONG-CO", 5]]), "x.xlsx",
         "rows[3].national_code"),
        (xlsx([["product_id", "min_quantity"], [chain["p"], "nhiều"]]), "x.xlsx", "rows[2].min_quantity"),
        (xlsx([["ten", "so"]]), "x.xlsx", "Dòng tiêu đề"),
        (b"not a workbook", "x.xlsx", "Tệp Excel không đọc được."),
        (b"product_id,min_quantity\n1,2\n", "x.txt", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ]
    for data, name, expected in cases:
        response = client.post("/stock/minimums", content_type="multipart/form-data", data={
            "csrf_token": client.csrf, "store_id": chain["b"], "action": "import", "file": (io.BytesIO(data), name)})
        assert response.status_code == 422 and expected in response.get_data(as_text=True), name
    assert minimums(app, chain["b"]) == {chain["q"]: 5}


def test_pharmacist_edits_only_their_store(app, chain):
    client = signed_in(app, "ds_b")
    assert client.get(f"/stock/minimums?store_id={chain['a']}").status_code == 403
    assert client.post("/stock/minimums", data={"csrf_token": client.csrf, "store_id": chain["a"], "action": "save",
                                                 f"min_{chain['p']}": "1"}).status_code == 403
    assert minimums(app, chain["a"]) == {chain["p"]: 100, chain["q"]: 200}


def test_put_minimums_takes_a_bulk_form(app, chain):
    api = chain["owner"]
    response = api.put("/api/v1/stock/minimums", json={"store_id": chain["b"], "items": [
        {"product_id": chain["p"], "min_quantity": 40}, {"product_id": chain["q"], "min_quantity": 7}]})
    assert response.status_code == 200 and response.json == {"store_id": chain["b"], "count": 2}
    assert minimums(app, chain["b"]) == {chain["p"]: 40, chain["q"]: 7}
    unknown = api.put("/api/v1/stock/minimums", json={"store_id": chain["b"], "items": [
        {"product_id": chain["p"], "min_quantity": 1}, {"product_id": 9999, "min_quantity": 1}]})
    assert unknown.status_code == 422 and "items[1].product_id" in unknown.json["errors"]
    assert minimums(app, chain["b"]) == {chain["p"]: 40, chain["q"]: 7}  # all or nothing
    neither = api.put("/api/v1/stock/minimums", json={"store_id": chain["b"]})
    assert neither.status_code == 422 and "product_id" in neither.json["errors"]
    single = api.put("/api/v1/stock/minimums", json={"store_id": chain["b"], "product_id": chain["p"],
                                                     "min_quantity": 3})
    assert single.json == {"store_id": chain["b"], "product_id": chain["p"], "min_quantity": 3}
    assert chain["ds_b"].put("/api/v1/stock/minimums", json={"store_id": chain["a"], "items": [
        {"product_id": chain["p"], "min_quantity": 1}]}).status_code == 403
