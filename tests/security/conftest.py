"""Helpers for the attack tests: a signed-in cookie client, and raw HTTP from a chosen loopback address."""
from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit


def csrf_of(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def signed_in(app, username, password="secret-pass-1", next_path=""):
    client = app.test_client()
    token = csrf_of(client)
    response = client.post(f"/login{next_path}", data={"username": username, "password": password,
                                                       "csrf_token": token})
    client.csrf = token
    client.login_response = response
    return client


def post_json(base_url: str, path: str, body: dict, *, source: str = "127.0.0.1", timeout: float = 60):
    """POST JSON from a given loopback source address (Linux routes all of 127/8 to lo); → (status, headers, body)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), json.loads(data) if data else None
    finally:
        connection.close()
