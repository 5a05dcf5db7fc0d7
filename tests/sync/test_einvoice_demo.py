"""`python app.py` serves the sandbox provider and turns e-invoices on for the demo store; a store set to
"sandbox" while it runs issues at once."""
from __future__ import annotations

from .conftest import EINVOICE_ON, drain, set_einvoice


def test_app_start_serves_the_sandbox_provider_and_turns_einvoices_on_for_the_demo_store(app, world, books, docs,
                                                                                           make_runner, clock):
    from connectors.sync.demo_einvoice import start_einvoice_sandbox
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store

    app.config["DEMO"] = True
    lines = start_einvoice_sandbox(app)
    assert any("sandbox e-invoice provider" in line for line in lines)
    with app.app_context():
        assert db.session.get(Store, world["store"]).einvoice_provider == "sandbox"
        db.session.rollback()
    other = books.store("CH02")
    set_einvoice(app, other, {**EINVOICE_ON, "einvoice_symbol": "C26MBB"})
    books.receive(other, world["drug"], "LOT-C", world_expiry(), 100)
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    docs.sale(other, [(world["drug"], "Viên", 1)])
    drain(app, make_runner(), clock)
    from sqlalchemy import select

    from pharmacy.einvoices.models import EInvoice

    with app.app_context():
        rows = db.session.execute(select(EInvoice)).scalars().all()
        assert {(row.store_id, row.symbol) for row in rows if row.number} == {(world["store"], "C26MAA"),
                                                                             (other, "C26MBB")}
        db.session.rollback()
    assert start_einvoice_sandbox(app) == []  # started once, and an owner's settings are never overwritten


def world_expiry():
    from datetime import date, timedelta

    return date.today() + timedelta(days=300)
