"""The login page throttles like the token endpoint, in Vietnamese, and by address (issue 12.1)."""
from __future__ import annotations

from .conftest import csrf_of


def _attempt(client, token, password):
    return client.post("/login", data={"username": "owner", "password": password, "csrf_token": token})


def test_login_page_makes_a_guessing_computer_wait_but_not_the_owner_elsewhere(shop, app):
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.168.1.66"
    token = csrf_of(guesser)
    for n in range(5):
        wrong = _attempt(guesser, token, f"guess-{n}")
        assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.get_data(as_text=True)
    held = _attempt(guesser, token, "secret-pass-1")
    assert held.status_code == 429 and "thử lại sau 1 phút" in held.get_data(as_text=True)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.168.1.10"
    assert _attempt(owner, csrf_of(owner), "secret-pass-1").status_code == 302


def test_nul_and_lone_surrogates_are_wrong_credentials_not_server_errors(shop, app):
    import json

    client = app.test_client()
    for username, password in (("own\x00er", "secret-pass-1"), ("\ud800", "x"), ("owner", "secret-pass-1\ud800"),
                               ("owner", "secret\x00-pass-1")):
        body = json.dumps({"username": username, "password": password})
        response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
        assert response.status_code in (401, 422), (username, response.status_code)
    token = csrf_of(client)
    page = client.post("/login", data={"username": "own\x00er", "password": "secret-pass-1", "csrf_token": token})
    assert page.status_code == 400 and page.mimetype == "text/html"  # NUL is refused before any handler
