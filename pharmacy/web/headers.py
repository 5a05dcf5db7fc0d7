"""Security headers on every answer, and the HTTPS-deployment settings (secure cookie, trusted proxies)."""
from __future__ import annotations

import re

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Our pages load scripts only from /static (no inline script, no inline handler); styles keep 'unsafe-inline' for
# the few style attributes. Nothing may frame us.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")
# Swagger UI's page starts itself with an inline script: only /api/docs gets that exception.
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def security_headers(response):
    docs = request.path.rstrip("/") == "/api/docs"
    response.headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else PAGE_POLICY)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def refuse_unstorable_form_text():
    """Pages: a query or form value with NUL (PostgreSQL cannot store it) is a 400 page, on both databases alike.
    The API names the field itself (pharmacy/api/schemas.py)."""
    if request.path.startswith("/api/"):
        return
    sources = [request.args] + ([request.form] if request.method == "POST" else [])
    for source in sources:
        if any(_UNSTORABLE.search(value) for _key, value in source.items(multi=True)):
            abort(400)


def register(app: Flask) -> None:
    """Headers on every response; behind a reverse proxy (TRUSTED_PROXIES=n) trust n hops of X-Forwarded-*."""
    app.after_request(security_headers)
    app.before_request(refuse_unstorable_form_text)
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
