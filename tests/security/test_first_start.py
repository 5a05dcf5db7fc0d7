"""No default logins off loopback (issue 12.3): `python app.py` on the shop network creates no user, and the first
page asks for the first owner's password."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from ..conftest import ROOT, free_port, requires_sqlite
from .conftest import csrf_of


def _users(app):
    from pharmacy.extensions import db
    from pharmacy.stores.models import User

    with app.app_context():
        return sorted(db.session.execute(db.select(User.username)).scalars())


@pytest.mark.parametrize("host,demo,expected", [
    ("127.0.0.1", True, ["duocsi", "owner"]), ("localhost", True, ["duocsi", "owner"]),
    ("0.0.0.0", True, []), ("192.168.1.10", True, []), ("127.0.0.1", False, []),
])
def test_demo_logins_only_on_loopback_and_never_with_demo_off(app, host, demo, expected):
    from pharmacy.demo import first_start
    from pharmacy.extensions import db

    with app.app_context():
        banner = first_start(db.session, host=host, port=5000, demo=demo)
        db.session.commit()
    assert _users(app) == expected
    if expected:
        assert "DEMO MODE" in banner and "owner / owner1234" in banner
    else:
        assert f"http://{host}:5000/setup" in banner and "users create" in banner


def test_setup_page_makes_the_first_owner_and_then_closes(app):
    client = app.test_client()
    assert client.get("/").headers["Location"].startswith("/login")
    assert client.get("/login").headers["Location"] == "/setup"
    token = csrf_of(client, "/setup")
    bad = client.post("/setup", data={"username": "chu", "password": "short", "confirm_password": "short",
                                      "csrf_token": token})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True) and _users(app) == []
    differ = client.post("/setup", data={"username": "chu", "password": "long-enough-1",
                                         "confirm_password": "long-enough-2", "csrf_token": token})
    assert differ.status_code == 422 and _users(app) == []
    made = client.post("/setup", data={"username": "chu", "password": "long-enough-1",
                                       "confirm_password": "long-enough-1", "csrf_token": token})
    assert made.status_code == 302 and _users(app) == ["chu"]
    assert client.get("/").status_code == 200
    other = app.test_client()
    assert other.get("/setup").headers["Location"] == "/login"
    late = other.post("/setup", data={"username": "mallory", "password": "long-enough-1",
                                      "confirm_password": "long-enough-1", "csrf_token": csrf_of(other)})
    assert late.status_code == 302 and _users(app) == ["chu"]


@requires_sqlite
def test_python_app_py_on_all_interfaces_has_no_default_logins(tmp_path):
    port = free_port()
    env = {**os.environ, "HOST": "0.0.0.0", "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
           "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "test-secret-key"}
    env.pop("DEMO", None)
    log = tmp_path / "app.log"
    with log.open("wb") as output:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                first = requests.get(f"{base}/", timeout=2, allow_redirects=True)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.3)
        assert first.url.endswith("/setup") and 'name="confirm_password"' in first.text
        for username, password in (("owner", "owner1234"), ("duocsi", "duocsi1234")):
            response = requests.post(f"{base}/api/v1/auth/token", json={"username": username, "password": password},
                                     timeout=10)
            assert response.status_code == 401
        assert f"http://0.0.0.0:{port}/setup" in log.read_text(errors="replace")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_setup_from_another_computer_needs_the_printed_code(app):
    from pharmacy.demo import first_start
    from pharmacy.extensions import db

    with app.app_context():
        banner = first_start(db.session, host="0.0.0.0", port=5000, demo=True, config=app.config)
    code = app.config["SETUP_CODE"]
    assert f"setup code {code}" in banner
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "192.168.1.20"
    token = csrf_of(neighbour, "/setup")
    assert 'name="setup_code"' in neighbour.get("/setup").get_data(as_text=True)
    form = {"username": "mallory", "password": "long-enough-1", "confirm_password": "long-enough-1",
            "csrf_token": token}
    for given in ("", "deadbeef"):
        refused = neighbour.post("/setup", data={**form, "setup_code": given})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert _users(app) == []
    made = neighbour.post("/setup", data={**form, "username": "chu", "setup_code": code})
    assert made.status_code == 302 and _users(app) == ["chu"]


def test_setup_from_another_computer_without_a_code_points_to_the_server(app):
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "192.168.1.20"
    token = csrf_of(neighbour, "/setup")
    refused = neighbour.post("/setup", data={"username": "mallory", "password": "long-enough-1",
                                             "confirm_password": "long-enough-1", "setup_code": "x",
                                             "csrf_token": token})
    assert refused.status_code == 403 and "users create" in refused.get_data(as_text=True)
    assert _users(app) == []
