"""The `einvoice` lane against the sandbox provider: one invoice per sale in sale order, MTT codes recorded,
corrections linked to their originals, unknown outcomes looked up by key, rejections held without blocking."""
from __future__ import annotations

import re

from sqlalchemy import select

from pharmacy.einvoices.models import EInvoice
from pharmacy.outbox.models import OutboxMessage

from .conftest import EINVOICE_ON, drain, set_einvoice

MTT = re.compile(r"^M[1-6]-\d{2}-[0-9A-Z]{5}-\d{11}$")


def invoices(app) -> list[EInvoice]:
    from pharmacy.extensions import db

    with app.app_context():
        rows = db.session.execute(select(EInvoice).order_by(EInvoice.id)).scalars().all()
        db.session.expunge_all()
        return rows


def messages(app, target="einvoice") -> list[OutboxMessage]:
    from pharmacy.extensions import db

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage).where(OutboxMessage.target == target)
                                  .order_by(OutboxMessage.id)).scalars().all()
        db.session.expunge_all()
        return rows


def test_each_sale_becomes_one_invoice_in_sale_order_with_its_mtt_code(app, einvoice_world, docs, make_runner,
                                                                       clock, einvoice_sandbox):
    world = einvoice_world
    sales = [docs.sale(world["store"], [(world["drug"], "Viên", 2), (world["device"], "Viên", 1)])
             for _ in range(3)]
    docs.sale(world["store"], [(world["device"], "Hộp", 1)])  # no drug: no national message, still an invoice
    drain(app, make_runner(), clock)
    issued = einvoice_sandbox.simulator.state.invoices()
    assert [inv.sequence for inv in issued] == [1, 2, 3, 4]
    rows = invoices(app)
    assert [row.sale_id for row in rows] == [*sales, sales[-1] + 1]
    assert [row.number for row in rows] == [inv.number for inv in issued]
    assert all(MTT.match(row.mtt_code) and row.lookup_code for row in rows)
    assert all(einvoice_sandbox.simulator.state.count(row.client_key) == 1 for row in rows)
    assert {m.status for m in messages(app)} == {"sent"}
    first = issued[0].payload
    assert first["generalInvoiceInfo"]["transactionUuid"] == rows[0].client_key
    assert first["buyerInfo"]["buyerNotGetInvoice"] == 1
    drug_line = first["itemInfo"][0]
    assert drug_line["taxPercentage"] == 5
    assert drug_line["itemTotalAmountWithoutTax"] + drug_line["taxAmount"] == drug_line["itemTotalAmountWithTax"]


def test_void_becomes_an_adjustment_to_zero_and_a_return_a_decrease_linked_to_the_original(
        app, einvoice_world, docs, make_runner, clock, einvoice_sandbox, books):
    from pharmacy.extensions import db
    from pharmacy.sales.corrections import record_return, void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    world = einvoice_world
    returned_sale = docs.sale(world["store"], [(world["drug"], "Vỉ", 2)])
    voided_sale = docs.sale(world["store"], [(world["drug"], "Viên", 4)])
    drain(app, make_runner(), clock)
    with app.app_context():
        owner = db.session.execute(select(User).filter_by(username="owner")).scalar_one()
        sale = db.session.get(Sale, returned_sale)
        record_return(db.session, sale=sale, lines=[{"sale_line_id": sale.lines[0].id, "quantity": 5,
                                                     "unit": "Viên"}], actor=owner, now=clock())
        void_sale(db.session, sale=db.session.get(Sale, voided_sale), reason="Khách đổi ý", actor=owner,
                  now=clock())
        db.session.commit()
    drain(app, make_runner(), clock)
    state = einvoice_sandbox.simulator.state
    originals = {inv.number: inv for inv in state.invoices() if inv.adjustment_type == "1"}
    decrease, adjustment = [inv for inv in state.invoices() if inv.adjustment_type != "1"]
    rows = {row.kind: row for row in invoices(app)}
    assert decrease.adjustment_type == "5" and decrease.total == -2500
    assert originals[decrease.original_number].key == invoices(app)[0].client_key
    assert all(item["isIncreaseItem"] is False for item in decrease.payload["itemInfo"])
    assert adjustment.adjustment_type == "5" and adjustment.total == -2000
    assert adjustment.original_number == rows["original"].number or adjustment.original_number in originals
    assert rows["decrease"].original_id is not None and rows["adjustment"].original_id is not None
    assert len(state.invoices()) == 4
    shown = books.api("owner").get(f"/api/v1/sales/{voided_sale}").json["einvoice"]
    assert shown["status"] == "sent" and MTT.match(shown["mtt_code"]) and shown["number"].startswith("C26MAA")
    [correction] = shown["corrections"]
    assert correction["kind"] == "adjustment" and correction["status"] == "sent" and correction["amount"] == -2000
    assert MTT.match(correction["mtt_code"])


def test_decree_254_voids_become_replacements(app, einvoice_world, docs, make_runner, clock, einvoice_sandbox):
    from pharmacy.extensions import db
    from pharmacy.sales.corrections import void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    world = einvoice_world
    set_einvoice(app, world["store"], {**EINVOICE_ON, "einvoice_rules": "decree-254-2026"})
    sale_id = docs.sale(world["store"], [(world["drug"], "Viên", 3)])
    drain(app, make_runner(), clock)
    with app.app_context():
        owner = db.session.execute(select(User).filter_by(username="owner")).scalar_one()
        void_sale(db.session, sale=db.session.get(Sale, sale_id), reason="Sai khách", actor=owner, now=clock())
        db.session.commit()
    drain(app, make_runner(), clock)
    original, replacement = einvoice_sandbox.simulator.state.invoices()
    assert replacement.adjustment_type == "3" and replacement.original_number == original.number
    assert replacement.total == 0
    assert [row.kind for row in invoices(app)] == ["original", "replacement"]


def test_a_voided_sale_never_sent_issues_nothing(app, einvoice_world, docs, make_runner, clock, einvoice_sandbox):
    from pharmacy.extensions import db
    from pharmacy.sales.corrections import void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    world = einvoice_world
    sale_id = docs.sale(world["store"], [(world["drug"], "Viên", 3)])
    with app.app_context():
        owner = db.session.execute(select(User).filter_by(username="owner")).scalar_one()
        void_sale(db.session, sale=db.session.get(Sale, sale_id), reason="Sai khách", actor=owner, now=clock())
        db.session.commit()
    drain(app, make_runner(), clock)
    assert einvoice_sandbox.simulator.state.invoices() == []
    assert [m.status for m in messages(app)] == ["cancelled", "cancelled"]


def test_timeout_after_commit_is_looked_up_by_key_and_never_issued_twice(app, einvoice_world, docs, make_runner,
                                                                          clock, einvoice_sandbox):
    world = einvoice_world
    for fault in ("hang", "drop_after_store", "500", "maintenance", "sequence"):
        einvoice_sandbox.simulator.faults.push(fault, route="create")
    sale_ids = [docs.sale(world["store"], [(world["drug"], "Viên", 1)]) for _ in range(4)]
    drain(app, make_runner(), clock)
    state = einvoice_sandbox.simulator.state
    rows = invoices(app)
    assert len(rows) == len(sale_ids) == len(state.invoices())
    assert all(state.count(row.client_key) == 1 and MTT.match(row.mtt_code) for row in rows)
    assert [inv.key for inv in state.invoices()] == [row.client_key for row in rows]  # still in sale order
    assert any(call[2] == "maintenance" for call in state.calls)


def test_a_rejection_is_held_with_the_providers_message_and_does_not_block_the_next(app, einvoice_world, docs,
                                                                                     make_runner, clock,
                                                                                     einvoice_sandbox):
    from pharmacy.extensions import db
    from pharmacy.outbox.services import retry_message

    world = einvoice_world
    einvoice_sandbox.simulator.faults.push("reject", route="create")
    for _ in range(3):
        docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    drain(app, make_runner(), clock)
    first, *others = messages(app)
    assert first.status == "rejected" and "sandbox: lỗi từ chối giả lập" in first.last_error
    assert [m.status for m in others] == ["sent", "sent"]
    with app.app_context():
        retry_message(db.session, db.session.get(OutboxMessage, first.id), clock())
        db.session.commit()
    drain(app, make_runner(), clock)
    state = einvoice_sandbox.simulator.state
    assert len(state.invoices()) == 3 and all(state.count(row.client_key) == 1 for row in invoices(app))
    dates = [inv.issued_ms for inv in state.invoices()]
    assert dates == sorted(dates)  # the late one is dated after the last issued: the series stays chronological
