"""The categories and store prices pages through the test client, and the category filter on the list pages."""
from __future__ import annotations

from ..reports.conftest import chain  # noqa: F401 - the hand-computed two-store history
from .test_backoffice_pages import signed_in


def test_owner_manages_categories_on_their_page(app, chain):  # noqa: F811
    client = signed_in(app, "owner")
    assert "Nhóm hàng" in client.get("/categories").get_data(as_text=True)
    made = client.post("/categories", data={"name": "Vật tư y tế", "csrf_token": client.csrf})
    assert made.status_code == 302
    html = client.get("/categories").get_data(as_text=True)
    assert "Đã tạo nhóm hàng Vật tư y tế." in html and 'value="Vật tư y tế"' in html
    again = client.post("/categories", data={"name": "vật tư Y TẾ", "csrf_token": client.csrf})
    assert again.status_code == 422 and "Đã có nhóm hàng" in again.get_data(as_text=True)
    from pharmacy.catalog.models import Category
    from pharmacy.extensions import db

    with app.app_context():
        category_id = db.session.query(Category).one().id
    renamed = client.post(f"/categories/{category_id}", data={"name": "Thiết bị y tế", "csrf_token": client.csrf})
    assert renamed.status_code == 302
    assert "Đã đổi tên nhóm hàng thành Thiết bị y tế." in client.get("/categories").get_data(as_text=True)
    edit = client.post(f"/products/{chain['q']}", data={
        "name": "Khẩu trang y tế", "category_id": str(category_id), "active": "on", "unit_name": "Viên",
        "unit_factor": "1", "unit_price": "1500", "unit_barcodes": "", "csrf_token": client.csrf})
    assert edit.status_code == 302, edit.get_data(as_text=True)
    listed = client.get(f"/products/?category_id={category_id}").get_data(as_text=True)
    assert "Khẩu trang y tế" in listed and "Paracetamol 500mg" not in listed
    across = client.get(f"/stock/across?category_id={category_id}").get_data(as_text=True)
    assert 'id="matrix-table"' in across and "Khẩu trang y tế" in across and "Paracetamol 500mg" not in across
    report = client.get(f"/reports?kind=sales_product&date_from=2026-11-10&date_to=2026-11-11"
                        f"&category_id={category_id}").get_data(as_text=True)
    assert "Khẩu trang y tế" in report and "Paracetamol 500mg" not in report.split('id="report-table"')[1]
    assert client.get(f"/dashboard?category_id={category_id}").status_code == 200
    removed = client.post(f"/categories/{category_id}", data={"action": "delete", "csrf_token": client.csrf})
    assert removed.status_code == 302
    assert "Chưa có nhóm hàng nào." in client.get("/categories").get_data(as_text=True)
    assert signed_in(app, "ds_a").get("/categories").status_code == 403


def test_owner_sets_a_store_price_and_the_page_shows_it(app, chain):  # noqa: F811
    client = signed_in(app, "owner")
    page = client.get(f"/admin/prices?store_id={chain['a']}&q=para").get_data(as_text=True)
    assert "Giá tại cửa hàng này" in page and "Paracetamol 500mg" in page
    from pharmacy.catalog.models import ProductUnit
    from pharmacy.extensions import db

    with app.app_context():
        units = {u.name: u.id for u in db.session.query(ProductUnit).filter_by(product_id=chain["p"])}
    form = {"unit_id": [str(units["Viên"]), str(units["Vỉ"]), str(units["Hộp"])], "price": ["", "4.500", ""],
            "csrf_token": client.csrf}
    saved = client.post(f"/admin/prices?store_id={chain['a']}&q=para", data=form)
    assert saved.status_code == 302
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu giá của cửa hàng CH01." in html and 'value="4500"' in html
    assert "Cửa hàng này có 1 giá riêng." in client.get(f"/admin/prices?store_id={chain['a']}").get_data(
        as_text=True)
    bad = client.post(f"/admin/prices?store_id={chain['a']}&q=para",
                      data={**form, "price": ["", "abc", ""]})
    assert bad.status_code == 422 and "Nhập số nguyên." in bad.get_data(as_text=True)
    preview = chain["ds_a"].post("/api/v1/counter/preview", json={
        "store_id": chain["a"], "lines": [{"product_id": chain["p"], "unit": "Vỉ", "quantity": 1}]}).json
    assert preview["total"] == 4500
    assert signed_in(app, "ds_a").get("/admin/prices").status_code == 403
