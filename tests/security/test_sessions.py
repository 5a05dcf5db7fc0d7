"""Logout and password changes end sessions on the server, not only in the browser (issue 12.6)."""
from __future__ import annotations

from .conftest import csrf_of, signed_in


def _copy_cookie(source, target_app):
    clone = target_app.test_client()
    cookie = source.get_cookie("session")
    clone.set_cookie("session", cookie.value)
    return clone


def test_a_cookie_copied_before_logout_no_longer_works(shop, app):
    client = signed_in(app, "ds1")
    thief = _copy_cookie(client, app)
    assert thief.get("/counter").status_code == 200
    client.post("/logout", data={"csrf_token": client.csrf})
    page = thief.get("/counter")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert thief.get("/api/v1/stores").status_code == 401


def test_logout_on_one_computer_leaves_the_other_signed_in(shop, app):
    first, second = signed_in(app, "ds1"), signed_in(app, "ds1")
    first.post("/logout", data={"csrf_token": first.csrf})
    assert second.get("/counter").status_code == 200


def test_a_password_change_ends_other_sessions_and_tokens(shop, app, books):
    here, elsewhere = signed_in(app, "ds1"), signed_in(app, "ds1")
    token_api = shop["pharmacist"]
    response = here.post("/account/password", data={
        "current_password": "secret-pass-1", "new_password": "brand-new-pass-2", "confirm_password": "brand-new-pass-2",
        "csrf_token": here.csrf})
    assert response.status_code == 302
    assert here.get("/counter").status_code == 200  # this browser is signed in again
    assert elsewhere.get("/counter").status_code == 302
    assert token_api.get("/api/v1/stores").status_code == 401
    assert books.api("ds1", "brand-new-pass-2").get("/api/v1/stores").status_code == 200


def test_password_change_form_names_the_wrong_field_and_changes_nothing(shop, app, books):
    client = signed_in(app, "ds1")
    wrong = client.post("/account/password", data={
        "current_password": "not-my-pass", "new_password": "brand-new-pass-2", "confirm_password": "brand-new-pass-2",
        "csrf_token": client.csrf})
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    short = client.post("/account/password", data={
        "current_password": "secret-pass-1", "new_password": "short", "confirm_password": "short",
        "csrf_token": client.csrf})
    assert short.status_code == 422 and 'aria-invalid="true"' in short.get_data(as_text=True)
    assert books.api("ds1").get("/api/v1/stores").status_code == 200  # the old password still works


def test_owner_reset_forces_the_pharmacist_to_choose_a_password(shop, app, books):
    owner = signed_in(app, "owner")
    ds1_id = shop["owner"].get("/api/v1/users?per_page=200").json["items"]
    ds1_id = next(user["id"] for user in ds1_id if user["username"] == "ds1")
    page = owner.get("/account/staff")
    assert page.status_code == 200 and "ds1" in page.get_data(as_text=True)
    done = owner.post(f"/account/staff/{ds1_id}/password", data={"password": "temporary-pass-9",
                                                                  "csrf_token": owner.csrf})
    assert done.status_code == 302
    assert shop["pharmacist"].get("/api/v1/stores").status_code == 401  # old token ended
    pharmacist = signed_in(app, "ds1", "temporary-pass-9")
    assert pharmacist.get("/counter").headers["Location"].endswith("/account/password")
    pharmacist.post("/account/password", data={
        "current_password": "temporary-pass-9", "new_password": "my-own-pass-3", "confirm_password": "my-own-pass-3",
        "csrf_token": csrf_of(pharmacist, "/account/password")})
    assert pharmacist.get("/counter").status_code == 200


def test_pharmacist_cannot_reset_anyone(shop, app):
    client = signed_in(app, "ds1")
    assert client.get("/account/staff").status_code == 403
    assert client.post("/account/staff/1/password", data={"password": "x" * 10,
                                                          "csrf_token": client.csrf}).status_code == 403
