"""Shared fixtures: an app on a fresh migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
API clients with tokens, builders for stores, users, products and stock, and a real server process."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
TEST_CREDENTIALS_KEY = "pcZnYl3mX4Pz5m2yVb2Cq7o0bO1l9jQ6eW8s0oYv3Nk="

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=40)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

requires_postgresql = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL lane: set TEST_DATABASE_URL to run (see .ci/run)"
)
requires_sqlite = pytest.mark.skipif(bool(PG_URL), reason="SQLite-only behaviour; this run uses PostgreSQL")


def _base_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "CREDENTIALS_KEY": TEST_CREDENTIALS_KEY,
        "LOGIN_MAX_FAILURES": 5,
        "FAST_PASSWORD_HASHING": True,
    }


def make_app(database_url: str, instance: Path):
    os.environ["INSTANCE_PATH"] = str(instance)
    from pharmacy import create_app

    return create_app(_base_config(database_url, instance))


def _migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        from pharmacy.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """A migrated schema made once per run: a SQLite file to copy, or the PostgreSQL test database."""
    base = tmp_path_factory.mktemp("template")
    if PG_URL:
        from pharmacy.config import normalize_database_url

        url = normalize_database_url(PG_URL)
        app = make_app(url, base)
        with app.app_context():
            from pharmacy.extensions import db

            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            db.engine.dispose()
        _migrate(app)
        return url
    path = base / "template.db"
    _migrate(make_app(f"sqlite:///{path}", base))
    return path


def _truncate_all(app) -> None:
    from pharmacy.extensions import db

    with app.app_context():
        names = ", ".join(table.name for table in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(template_database, tmp_path):
    if PG_URL:
        return template_database
    target = tmp_path / "pharmacy.db"
    shutil.copyfile(template_database, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance")
    if PG_URL:
        _truncate_all(app)
    yield app
    from pharmacy.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    from pharmacy.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


class Api:
    """A test client that sends JSON with a Bearer token."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(path, json=json, headers=self.headers, **kwargs)

    def patch(self, path, json=None):
        return self.client.patch(path, json=json, headers=self.headers)

    def put(self, path, json=None):
        return self.client.put(path, json=json, headers=self.headers)


class Books:
    """Builders for the things tests need, written through the services and committed."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def _run(self, fn):
        from pharmacy.extensions import db

        with self.app.app_context():
            result = fn(db.session)
            db.session.commit()
            return result

    def store(self, code="CH01", **values):
        from pharmacy.stores.services import save_store

        values = {"code": code, "name": f"Nhà thuốc {code}", "address": "1 Lê Lợi, Quận 1",
                  "national_facility_code": f"CS-{code}", "national_username": f"user_{code.lower()}", **values}
        vault = self.app.extensions["pharmacy.vault"]()
        return self._run(lambda s: save_store(s, values, vault).id)

    def user(self, username, role="pharmacist", stores=(), password="secret-pass-1"):
        from pharmacy.stores.services import create_user

        return self._run(lambda s: create_user(s, username=username, password=password, role=role,
                                               store_ids=list(stores)).id)

    def token(self, username, password="secret-pass-1") -> str:
        response = self.client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        return response.json["token"]

    def api(self, username, password="secret-pass-1") -> Api:
        return Api(self.app.test_client(), self.token(username, password))

    def product(self, name="Paracetamol 500mg", *, national_code=None, prescription_only=False,
                active_ingredient="Paracetamol", units=None, **values):
        from pharmacy.catalog.services import UnitSpec, create_product

        units = units or [UnitSpec("Viên", 1, 500), UnitSpec("Vỉ", 10, 5000), UnitSpec("Hộp", 100, 48000)]
        values = {"name": name, "national_code": national_code, "prescription_only": prescription_only,
                  "active_ingredient": active_ingredient, "strength": "500mg", "route": "Uống",
                  "dosage": "1 viên/lần", "registration_no": "VD-1-23", **values}
        return self._run(lambda s: create_product(s, values, units).id)

    def boxed_lot(self, store_id, name, payload12: str, lot: str, quantity: int, *, days: int = 90):
        """A product sold in Viên and in boxes of 10 (EAN-13 from `payload12`), `quantity` Viên of `lot` on hand,
        and the GS1 DataMatrix of one box of that lot: (product id, scanned text)."""
        from biip.checksums import gs1_standard_check_digit

        from pharmacy.catalog.services import UnitSpec

        box = payload12 + str(gs1_standard_check_digit(payload12))
        product = self.product(name, active_ingredient=name.split()[0],
                               units=[UnitSpec("Viên", 1, 900), UnitSpec("Hộp", 10, 8500, [box])])
        expiry = date.today() + timedelta(days=days)
        self.receive(store_id, product, lot, expiry, quantity)
        return product, f"]d201{box.zfill(14)}17{expiry:%y%m%d}10{lot}"

    def receive(self, store_id, product_id, lot, expiry: date, quantity, unit="Viên", kind="opening", actor="owner"):
        from pharmacy.clock import utcnow
        from pharmacy.receipts.services import record_receipt
        from pharmacy.stores.models import Store, User

        def run(s):
            user = s.query(User).filter_by(username=actor).one()
            line = {"product_id": product_id, "unit": unit, "quantity": quantity, "lot": lot, "expiry": expiry,
                    "unit_price": 400}
            return record_receipt(s, store=s.get(Store, store_id), kind=kind, lines=[line], actor=user,
                                  now=utcnow(), supplier_name="NCC").id

        return self._run(run)


@pytest.fixture
def books(app):
    return Books(app)


@pytest.fixture
def shop(books):
    """One store with an owner and a pharmacist, a product with three lots (one expired)."""
    store = books.store("CH01")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    product = books.product(national_code="TQG900001")
    today = date.today()
    books.receive(store, product, "OLD", today - timedelta(days=3), 50)
    books.receive(store, product, "SOON", today + timedelta(days=30), 20)
    books.receive(store, product, "LATE", today + timedelta(days=400), 100)
    return {"store": store, "product": product, "owner": books.api("owner"), "pharmacist": books.api("ds1")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_together(clients: int, work) -> None:
    """`work(index)` in `clients` threads released at once (a barrier), each joined within a minute: a race."""
    import threading

    barrier = threading.Barrier(clients)

    def run(index: int) -> None:
        barrier.wait(timeout=20)
        work(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.fixture
def server_process(database_url, tmp_path):
    """Start the app in a real waitress server process on loopback against the test database."""
    started = []

    def start(threads: int = 8) -> str:
        port = free_port()
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
               "CREDENTIALS_KEY": TEST_CREDENTIALS_KEY, "INSTANCE_PATH": str(tmp_path / "server-instance")}
        log = tmp_path / f"server-{port}.log"
        with log.open("wb") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", f"--threads={threads}", "app:app"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
            )
        started.append(proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return f"http://127.0.0.1:{port}"
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(log.read_text(errors="replace"))
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(timeout=10)


# Browser fixtures live here, once: a second session-wide sync_playwright() (a copy imported into another test
# folder) would find the first one's event loop running and fail every browser test after it.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def live_server(app):
    """The test app on 127.0.0.1:<free port>, sharing the test's database file. Stopped from inside its own loop
    (closing it from outside raced a request still in flight: EBADF in the server thread)."""
    from connectors.sandboxes.kit import ServedApp

    served = ServedApp(app, threads=4)
    yield served.url
    served.stop()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the run; skipped cleanly where Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    # Playwright's wait_for_function evaluates strings, which our CSP (no 'unsafe-eval') forbids: the harness
    # bypasses the policy; tests/security/test_headers.py checks the policy itself.
    context = chromium.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class DatabaseProbe:
    """Reads of the test database for API-level fixtures (`self.app`): row counts and the ledger check."""

    app = None

    def count(self, model, *where) -> int:
        from sqlalchemy import func, select

        from pharmacy.extensions import db

        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(model).where(*where))

    def lot_quantities(self, *where, state=None) -> dict[str, int]:
        """On hand per lot number among the stock lots matching `where`: both states summed, or only `state`."""
        from sqlalchemy import select

        from pharmacy.extensions import db
        from pharmacy.models import StockLot

        stmt = select(StockLot).where(*where)
        if state is not None:
            stmt = stmt.where(StockLot.state == state)
        with self.app.app_context():
            found: dict[str, int] = {}
            for lot in db.session.execute(stmt).scalars():
                found[lot.lot] = found.get(lot.lot, 0) + lot.quantity
            return found

    def mismatches(self):
        from pharmacy.extensions import db
        from pharmacy.stock.services import ledger_mismatches

        with self.app.app_context():
            return ledger_mismatches(db.session)
