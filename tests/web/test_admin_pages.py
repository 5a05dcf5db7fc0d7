"""Staff management pages (owner only) and the users API's licensed_pharmacist flag."""
from __future__ import annotations

from .test_backoffice_pages import signed_in


def test_owner_creates_edits_and_deactivates_a_pharmacist(app, books):
    store = books.store("CH01")
    books.store("CH02")
    books.user("owner", role="owner")
    client = signed_in(app, "owner")
    assert "Nhân viên" in client.get("/admin/users").get_data(as_text=True)
    response = client.post("/admin/users", data={
        "csrf_token": client.csrf, "username": "ds_moi", "full_name": "Nguyễn Thị Lan", "password": "mat-khau-123",
        "role": "pharmacist", "store_ids": [str(store)], "licensed_pharmacist": "on"})
    assert response.status_code == 302
    users = books.api("owner").get("/api/v1/users?per_page=200").json["items"]
    created = next(u for u in users if u["username"] == "ds_moi")
    assert created["store_ids"] == [store] and created["licensed_pharmacist"] is True
    assert books.token("ds_moi", "mat-khau-123")

    edit = client.post(f"/admin/users/{created['id']}", data={
        "csrf_token": client.csrf, "full_name": "Nguyễn Thị Lan", "role": "pharmacist", "store_ids": [str(store)],
        "password": "mat-khau-moi-1"})
    assert edit.status_code == 302
    after = books.api("owner").get(f"/api/v1/users/{created['id']}").json
    assert after["active"] is False and after["licensed_pharmacist"] is False
    assert app.test_client().post("/api/v1/auth/token", json={"username": "ds_moi",
                                                               "password": "mat-khau-moi-1"}).status_code == 401


def test_bad_input_is_shown_next_to_the_field(app, books):
    books.store("CH01")
    books.user("owner", role="owner")
    client = signed_in(app, "owner")
    short = client.post("/admin/users", data={"csrf_token": client.csrf, "username": "x1", "password": "short",
                                              "role": "pharmacist"})
    assert short.status_code == 422 and "Mật khẩu cần ít nhất 8 ký tự." in short.get_data(as_text=True)
    no_store = client.post("/admin/users", data={"csrf_token": client.csrf, "username": "x2",
                                                 "password": "long-enough-1", "role": "pharmacist"})
    assert "Dược sĩ cần được gán ít nhất một cửa hàng." in no_store.get_data(as_text=True)
    owner_id = books.api("owner").get("/api/v1/users").json["items"][0]["id"]
    self_lock = client.post(f"/admin/users/{owner_id}", data={"csrf_token": client.csrf, "role": "owner"})
    assert self_lock.status_code == 422 and "Không thể tự khóa" in self_lock.get_data(as_text=True)
    assert books.api("owner").patch(f"/api/v1/users/{owner_id}", json={"role": "pharmacist"}).status_code == 422


def test_pharmacists_cannot_manage_staff(app, books):
    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    client = signed_in(app, "ds1")
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={"csrf_token": client.csrf, "username": "hacker",
                                             "password": "long-enough-1", "role": "owner"}).status_code == 403
    assert client.get("/admin/users/1").status_code == 403


def test_owner_creates_and_edits_a_store_and_lets_its_pharmacists_see_cost(app, books):
    books.user("owner", role="owner")
    client = signed_in(app, "owner")
    created = client.post("/admin/stores", data={
        "csrf_token": client.csrf, "code": "CH09", "name": "Nhà thuốc Số 9", "address": "9 Hai Bà Trưng",
        "national_facility_code": "CS-09", "national_username": "u09", "national_password": "bi-mat",
        "national_api": "legacy"})
    assert created.status_code == 302
    api = books.api("owner")
    store = next(s for s in api.get("/api/v1/stores?per_page=200").json["items"] if s["code"] == "CH09")
    assert store["has_national_password"] is True and store["pharmacists_see_cost"] is False
    page = client.get(f"/admin/stores/{store['id']}").get_data(as_text=True)
    assert "bi-mat" not in page and 'value="CS-09"' in page
    edited = client.post(f"/admin/stores/{store['id']}", data={
        "csrf_token": client.csrf, "code": "CH09", "name": "Nhà thuốc Số 9", "national_api": "legacy",
        "pharmacists_see_cost": "on"})
    assert edited.status_code == 302
    after = api.get(f"/api/v1/stores/{store['id']}").json
    assert after["pharmacists_see_cost"] is True and after["has_national_password"] is True  # kept
    bad = client.post("/admin/stores", data={"csrf_token": client.csrf, "code": "CH 10!", "name": "",
                                             "national_api": "legacy"})
    assert bad.status_code == 422 and "Mã cửa hàng: chỉ gồm chữ, số, - và _." in bad.get_data(as_text=True)
    duplicate = client.post("/admin/stores", data={"csrf_token": client.csrf, "code": "CH09", "name": "X",
                                                   "national_api": "legacy"})
    assert duplicate.status_code == 422 and "CH09 đã tồn tại" in duplicate.get_data(as_text=True)
