"""Passwords over the API: one's own change returns a new token; an owner's reset forces a change (issue 12.3)."""
from __future__ import annotations

from .conftest import signed_in


def _id_of(shop, username):
    return next(user["id"] for user in shop["owner"].get("/api/v1/users?per_page=200").json["items"] if user["username"] == username)


def test_own_password_change_returns_a_new_token_and_voids_the_old(shop, books):
    api = shop["pharmacist"]
    changed = api.post("/api/v1/auth/password", json={"current_password": "secret-pass-1",
                                                      "new_password": "brand-new-pass-2"})
    assert changed.status_code == 200
    assert api.get("/api/v1/stores").status_code == 401
    api.headers = {"Authorization": f"Bearer {changed.json['token']}"}
    assert api.get("/api/v1/stores").status_code == 200


def test_own_password_change_names_the_bad_field(shop):
    api = shop["pharmacist"]
    wrong = api.post("/api/v1/auth/password", json={"current_password": "nope-nope-1", "new_password": "long-enough-2"})
    assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["current_password"]
    short = api.post("/api/v1/auth/password", json={"current_password": "secret-pass-1", "new_password": "short"})
    assert short.status_code == 422 and list(short.json["errors"]) == ["new_password"]
    missing = api.post("/api/v1/auth/password", json={"current_password": "secret-pass-1"})
    assert missing.status_code == 422 and "new_password" in missing.json["errors"]
    assert api.get("/api/v1/stores").status_code == 200


def test_owner_reset_forces_a_change_before_anything_else(shop, books):
    ds1 = _id_of(shop, "ds1")
    reset = shop["owner"].post(f"/api/v1/users/{ds1}/password", json={"password": "temporary-pass-9"})
    assert reset.status_code == 204
    assert shop["pharmacist"].get("/api/v1/stores").status_code == 401
    api = books.api("ds1", "temporary-pass-9")
    blocked = api.get("/api/v1/stores")
    assert blocked.status_code == 403 and "password" in blocked.json["errors"]
    changed = api.post("/api/v1/auth/password", json={"current_password": "temporary-pass-9",
                                                      "new_password": "my-own-pass-3"})
    assert changed.status_code == 200
    assert books.api("ds1", "my-own-pass-3").get("/api/v1/stores").status_code == 200


def test_reset_is_for_owners_and_only_of_pharmacists(shop, app):
    owner_id, ds1 = _id_of(shop, "owner"), _id_of(shop, "ds1")
    assert shop["pharmacist"].post(f"/api/v1/users/{ds1}/password",
                                   json={"password": "temporary-pass-9"}).status_code == 403
    assert shop["owner"].post(f"/api/v1/users/{owner_id}/password",
                              json={"password": "temporary-pass-9"}).status_code == 403
    assert shop["owner"].post("/api/v1/users/99999/password", json={"password": "temporary-pass-9"}).status_code == 404
    short = shop["owner"].post(f"/api/v1/users/{ds1}/password", json={"password": "short"})
    assert short.status_code == 422 and "password" in short.json["errors"]
    assert signed_in(app, "ds1").login_response.status_code == 302  # nothing changed


def test_odd_characters_in_passwords_are_field_errors_not_server_errors(shop):
    import json

    api = shop["pharmacist"]
    for current, new in (("secret-pass-1", "new-pass\x00-2"), ("secret-pass-1", "new-pass-\ud800-2"),
                         ("secret-pass-1\ud800", "new-pass-2-ok")):
        body = json.dumps({"current_password": current, "new_password": new})
        response = api.client.post("/api/v1/auth/password", data=body, content_type="application/json",
                                   headers=api.headers)
        assert response.status_code == 422, (new, response.status_code)
    assert api.get("/api/v1/stores").status_code == 200


def test_setup_refuses_a_username_with_control_characters(app):
    from .conftest import csrf_of

    client = app.test_client()
    token = csrf_of(client, "/setup")
    refused = client.post("/setup", data={"username": "ch\x00u", "password": "long-enough-1",
                                          "confirm_password": "long-enough-1", "csrf_token": token})
    # NUL never reaches a form handler: every page refuses it with an HTML 400 (tests/security/test_unusual_input.py)
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert client.get("/setup").status_code == 200  # still no user: the setup page stays open


def test_console_sets_a_forgotten_owner_password(shop, app, books):
    runner = app.test_cli_runner()
    done = runner.invoke(args=["users", "password", "owner"], input="recovered-pass-7\nrecovered-pass-7\n")
    assert done.exit_code == 0, done.output
    assert shop["owner"].get("/api/v1/stores").status_code == 401
    assert books.api("owner", "recovered-pass-7").get("/api/v1/stores").status_code == 200
    unknown = runner.invoke(args=["users", "password", "nobody", "--password", "long-enough-1"])
    assert unknown.exit_code != 0 and "username" in unknown.output
    short = runner.invoke(args=["users", "password", "owner", "--password", "short"])
    assert short.exit_code != 0 and "password" in short.output
