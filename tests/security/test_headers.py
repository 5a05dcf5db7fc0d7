"""Security headers on pages and API answers; HTTPS settings (secure cookie, trusted proxies) from the environment."""
from __future__ import annotations

import re

from flask import request


def policy(response) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";")]
    return {name: value for name, value in parts}


def test_pages_and_api_answers_carry_the_security_headers(app, shop):
    client = app.test_client()
    for response in (client.get("/login"), shop["owner"].get("/api/v1/stores"), client.get("/nowhere")):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        csp = policy(response)
        assert "'unsafe-inline'" not in csp["script-src"] and csp["frame-ancestors"] == "'none'"
        assert csp["object-src"] == "'none'"


def test_only_the_api_docs_may_run_their_inline_script(app):
    docs = app.test_client().get("/api/docs")
    assert docs.status_code == 200
    assert "'unsafe-inline'" in policy(docs)["script-src"] and policy(docs)["frame-ancestors"] == "'none'"


def test_secure_cookie_and_trusted_proxy_are_settings(monkeypatch, database_url, tmp_path):
    from tests.conftest import make_app

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = make_app(database_url, tmp_path / "instance")
    app.add_url_rule("/_probe", "probe", lambda: f"{request.scheme} {request.remote_addr}")
    client = app.test_client()
    page = client.get("/login", follow_redirects=True)  # a new database: the first owner's setup page
    cookie = page.headers.get("Set-Cookie", "")
    assert "Secure" in cookie, cookie
    probe = client.get("/_probe", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert probe.get_data(as_text=True) == "https 203.0.113.9"
    assert re.search(r"default-src 'self'", page.headers["Content-Security-Policy"])


def test_without_the_settings_forwarded_headers_are_not_trusted(app):
    app.add_url_rule("/_probe", "probe", lambda: f"{request.scheme} {request.remote_addr}")
    probe = app.test_client().get("/_probe", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert probe.get_data(as_text=True) == "http 127.0.0.1"
