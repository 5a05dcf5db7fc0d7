"""Sync fixtures: the legacy sandbox on loopback, a store whose account it knows, document builders, a fake clock."""
from __future__ import annotations

import random
import threading
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from connectors.sandboxes.kit import FaultPlan, ServedApp
from connectors.sandboxes.nationaldb.simulator import create_sandbox

NATIONAL_PASSWORD = "nat-pass-01"
READ_TIMEOUT = 0.3
HANG_SECONDS = 0.45


class FakeClock:
    """A UTC clock that moves only when told (thread-safe), so backoff waits cost no real time."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime.now(timezone.utc) + timedelta(seconds=5)  # after fixture documents
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


@pytest.fixture
def faults():
    return FaultPlan(seed=11, hang_seconds=HANG_SECONDS, retry_after=2)


@pytest.fixture
def sandbox(faults):
    """The simulator with the CH01 test account (user_ch01 / nat-pass-01 / CS-CH01), served on 127.0.0.1."""
    from connectors.sandboxes.demo import LatencyMiddleware

    simulator = create_sandbox({"user_ch01": (NATIONAL_PASSWORD, "CS-CH01")}, faults)
    middleware = LatencyMiddleware(simulator)
    served = ServedApp(middleware, threads=8)
    served.simulator, served.latency = simulator, middleware
    yield served
    served.stop()


@pytest.fixture
def clock():
    return FakeClock()


class Docs:
    """Builders of documents with their outbox rows, written through the services where they exist."""

    def __init__(self, app, clock):
        self.app, self.clock = app, clock

    def _run(self, fn):
        from pharmacy.extensions import db

        with self.app.app_context():
            result = fn(db.session)
            db.session.commit()
            return result

    def _actor(self, session, username="owner"):
        from pharmacy.stores.models import User

        return session.query(User).filter_by(username=username).one()

    def sale(self, store_id, lines, customer_name="", prescription=None) -> int:
        from pharmacy.sales.services import record_sale
        from pharmacy.stores.models import Store

        lines = [{"product_id": p, "unit": u, "quantity": q} for p, u, q in lines]
        return self._run(lambda s: record_sale(
            s, store=s.get(Store, store_id), lines=lines, actor=self._actor(s), now=self.clock(),
            customer_name=customer_name, prescription=prescription).id)

    def receipt(self, store_id, kind, lines, supplier_name="Công ty Dược Trung ương 1", note="") -> int:
        from pharmacy.receipts.services import record_receipt
        from pharmacy.stores.models import Store

        lines = [{"product_id": p, "unit": u, "quantity": q, "lot": lot, "expiry": exp, "unit_price": price,
                  "manufactured": exp - timedelta(days=1500)} for p, u, q, lot, exp, price in lines]
        return self._run(lambda s: record_receipt(
            s, store=s.get(Store, store_id), kind=kind, lines=lines, actor=self._actor(s), now=self.clock(),
            supplier_name=supplier_name, note=note).id)

    def void(self, sale_id, reason="Khách đổi ý") -> int:
        from pharmacy.numbering import next_number
        from pharmacy.outbox.services import NATIONAL_DRUG_DB, enqueue, message_for
        from pharmacy.sales.models import Sale, SaleVoid

        def run(s):
            sale = s.get(Sale, sale_id)
            number = next_number(s, store_id=sale.store_id, store_code="CH01", series="void")
            void = SaleVoid(sale_id=sale.id, store_id=sale.store_id, number=number, reason=reason,
                            user_id=sale.user_id, created_at=self.clock())
            s.add(void)
            s.flush()
            original = message_for(s, target=NATIONAL_DRUG_DB, document_type="sale", document_id=sale.id)
            if original is not None:
                enqueue(s, target=NATIONAL_DRUG_DB, kind="sale_void", store_id=sale.store_id,
                        document_type="sale_void", document_id=void.id, document_number=number, now=self.clock(),
                        depends_on=original)
            return void.id

        return self._run(run)

    def customer_return(self, sale_id, base_quantity, reason="Khách trả lại") -> int:
        from pharmacy.numbering import next_number
        from pharmacy.outbox.services import NATIONAL_DRUG_DB, enqueue
        from pharmacy.sales.models import CustomerReturn, ReturnLine, Sale

        def run(s):
            sale = s.get(Sale, sale_id)
            line = sale.lines[0]
            allocation = line.allocations[0]
            number = next_number(s, store_id=sale.store_id, store_code="CH01", series="return")
            returned = CustomerReturn(sale_id=sale.id, store_id=sale.store_id, number=number, reason=reason,
                                      user_id=sale.user_id, created_at=self.clock())
            returned.lines.append(ReturnLine(sale_line_id=line.id, sale_allocation_id=allocation.id,
                                             stock_lot_id=allocation.stock_lot_id, lot=allocation.lot,
                                             expiry=allocation.expiry, base_quantity=base_quantity))
            s.add(returned)
            s.flush()
            enqueue(s, target=NATIONAL_DRUG_DB, kind="receipt", store_id=sale.store_id,
                    document_type="customer_return", document_id=returned.id, document_number=number,
                    now=self.clock())
            return returned.id

        return self._run(run)

    def issue(self, store_id, kind, lots, receiver_name="", note="Hủy thuốc hết hạn") -> int:
        """`lots`: (stock_lot_id, base quantity, unit cost per base unit)."""
        from pharmacy.issues.models import GoodsIssue, IssueLine
        from pharmacy.numbering import next_number
        from pharmacy.outbox.services import NATIONAL_DRUG_DB, enqueue
        from pharmacy.stock.models import StockLot

        def run(s):
            number = next_number(s, store_id=store_id, store_code="CH01", series="issue")
            issue = GoodsIssue(store_id=store_id, number=number, kind=kind, receiver_name=receiver_name, note=note,
                               user_id=self._actor(s).id, created_at=self.clock())
            for lot_id, quantity, cost in lots:
                lot = s.get(StockLot, lot_id)
                issue.lines.append(IssueLine(product_id=lot.product_id, stock_lot_id=lot.id, unit_name="Viên",
                                             unit_factor=1, quantity=quantity, base_quantity=quantity, lot=lot.lot,
                                             expiry=lot.expiry, unit_cost=cost))
            s.add(issue)
            s.flush()
            enqueue(s, target=NATIONAL_DRUG_DB, kind="issue", store_id=store_id, document_type="issue",
                    document_id=issue.id, document_number=number, now=self.clock())
            return issue.id

        return self._run(run)

    def lots(self, product_id) -> list[int]:
        from pharmacy.stock.models import StockLot

        return self._run(lambda s: [lot.id for lot in s.query(StockLot).filter_by(product_id=product_id)
                                    .order_by(StockLot.expiry)])


@pytest.fixture
def docs(app, clock):
    return Docs(app, clock)


@pytest.fixture
def world(books, docs):
    """Store CH01 with the sandbox's account, users, a drug with two lots, a device, and a drug without a code."""
    store = books.store("CH01", national_password=NATIONAL_PASSWORD)
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    drug = books.product("Paracetamol 500mg", national_code="TQG900001")
    device = books.product("Khẩu trang y tế", active_ingredient="", strength="", dosage="")
    uncoded = books.product("Berberin 100mg", national_code=None, active_ingredient="Berberin", strength="100mg")
    today = date.today()
    for product in (drug, device, uncoded):
        books.receive(store, product, "LOT-A", today + timedelta(days=200), 5000)
        books.receive(store, product, "LOT-B", today + timedelta(days=400), 5000)
    return {"store": store, "drug": drug, "device": device, "uncoded": uncoded}


@pytest.fixture
def make_runner(app, sandbox, clock):
    """A runner against the sandbox with tiny backoff, a short read timeout and the fake clock."""
    from connectors.sync.claims import Backoff
    from connectors.sync.runner import SyncRunner

    runners = []

    def make(**overrides):
        settings = {"concurrency": 4, "lease_seconds": 300, "clock": clock,
                    "backoff": Backoff(0.5, 5, random.Random(3)), "timeout": (1.0, READ_TIMEOUT)}
        runner = SyncRunner.from_app(app, **{"base_url": sandbox.url, **settings, **overrides})
        runner.sandbox_gate = sandbox.latency  # lets drain() wait for requests the client gave up on
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


def statuses(app) -> dict[str, int]:
    from sqlalchemy import func, select

    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        db.session.rollback()
        return dict(rows)


def drain(app, runner, clock, *, max_passes=40, max_seconds=60.0, step=60.0) -> list:
    """Run passes until nothing is pending or sending, moving the fake clock on between passes (bounded)."""
    summaries, started = [], time.monotonic()
    for _ in range(max_passes):
        summary = runner.run_once(max_seconds=max_seconds)
        summaries.append(summary)
        current = statuses(app)
        if not current.get("pending") and not current.get("sending"):
            return summaries
        if summary.counts.get("unknown") or summary.counts.get("transient"):
            # A hung request the client gave up on still lands: let it, before the runner checks (in production
            # the backoff gives a slow server that time; here the clock is fake).
            gate = getattr(runner, "sandbox_gate", None)
            if gate is None or not gate.wait_idle(timeout=10):
                time.sleep(HANG_SECONDS)
        clock.advance(step)
        assert time.monotonic() - started < max_seconds, "sync did not converge in time"
    raise AssertionError(f"sync did not converge: {statuses(app)}")


@pytest.fixture
def sync_helpers():
    return {"drain": drain, "statuses": statuses}


EINVOICE_ON = {"einvoice_provider": "sandbox", "seller_tax_code": "0312345678", "einvoice_template": "1",
               "einvoice_symbol": "C26MAA", "einvoice_authority_code": "43836", "einvoice_rules": "decree-70-2025"}


@pytest.fixture
def einvoice_faults():
    from connectors.sandboxes.einvoice.simulator import FAULTS

    return FaultPlan(seed=17, hang_seconds=HANG_SECONDS, retry_after=1, random_faults=FAULTS)


@pytest.fixture
def einvoice_sandbox(app, einvoice_faults):
    """The e-invoice provider simulator on loopback; the app (and runners made after this) point at it."""
    from connectors.sandboxes.demo import LatencyMiddleware
    from connectors.sandboxes.einvoice.simulator import create_sandbox as create_provider

    simulator = create_provider({"sandbox-demo": "sandbox-pass"}, einvoice_faults)
    middleware = LatencyMiddleware(simulator)
    served = ServedApp(middleware, threads=8)
    served.simulator, served.latency = simulator, middleware
    app.config.update({"EINVOICE_SANDBOX_URL": served.url, "EINVOICE_SANDBOX_USERNAME": "sandbox-demo",
                       "EINVOICE_SANDBOX_PASSWORD": "sandbox-pass"})
    yield served
    served.stop()


@pytest.fixture
def einvoice_world(app, world, einvoice_sandbox):
    """`world` with e-invoices on for CH01 through the sandbox provider (rules: decree-70-2025)."""
    set_einvoice(app, world["store"], EINVOICE_ON)
    return world


def set_einvoice(app, store_id, values) -> None:
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store
    from pharmacy.stores.services import save_store

    with app.app_context():
        save_store(db.session, values, app.extensions["pharmacy.vault"](), db.session.get(Store, store_id))
        db.session.commit()
