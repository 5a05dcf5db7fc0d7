"""A sale voided after a customer return: the national invoice and the return's receipt both go, exactly once."""
from __future__ import annotations

from pharmacy.clock import utcnow


def test_void_after_a_sent_return_deletes_the_invoice_and_the_return_receipt(app, world, docs, sandbox, make_runner,
                                                                              sync_helpers, clock, books):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage
    from pharmacy.sales.corrections import record_return, void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    runner = make_runner()
    sync_helpers["drain"](app, runner, clock)  # the world's opening receipts
    sale_id = docs.sale(world["store"], [(world["drug"], "Viên", 6)])
    with app.app_context():
        sale = db.session.get(Sale, sale_id)
        owner = db.session.query(User).filter_by(username="owner").one()
        record_return(db.session, sale=sale, lines=[{"sale_line_id": sale.lines[0].id, "quantity": 2}],
                      actor=owner, now=clock())
        db.session.commit()
    sync_helpers["drain"](app, runner, clock)
    state = sandbox.simulator.state
    assert state.count("hoa_don", "HD-CH01-000001") == 1 and state.count("phieu_nhap", "TH-CH01-000001") == 1

    with app.app_context():
        sale = db.session.get(Sale, sale_id)
        owner = db.session.query(User).filter_by(username="owner").one()
        void_sale(db.session, sale=sale, reason="Nhập nhầm hóa đơn", actor=owner, now=utcnow())
        db.session.commit()
        kinds = sorted(m.document_type for m in db.session.query(OutboxMessage) if m.document_type != "receipt")
        assert kinds == ["customer_return", "receipt_void", "sale", "sale_void"]
    sync_helpers["drain"](app, runner, clock)
    assert state.count("hoa_don", "HD-CH01-000001") == 0
    assert state.count("phieu_nhap", "TH-CH01-000001") == 0
    assert state.count("phieu_nhap", "TH-CH01-000001", include_deleted=True) == 1
    with app.app_context():
        assert {m.status for m in db.session.query(OutboxMessage) if m.document_type != "receipt"} == {"sent"}


def test_void_after_an_unsent_return_cancels_it_and_sends_nothing(app, world, docs, sandbox, make_runner,
                                                                  sync_helpers, clock):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage
    from pharmacy.sales.corrections import record_return, void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    runner = make_runner()
    sync_helpers["drain"](app, runner, clock)  # the world's opening receipts
    calls_before = len(sandbox.simulator.state.calls)
    sale_id = docs.sale(world["store"], [(world["drug"], "Viên", 6)])
    with app.app_context():
        sale = db.session.get(Sale, sale_id)
        owner = db.session.query(User).filter_by(username="owner").one()
        record_return(db.session, sale=sale, lines=[{"sale_line_id": sale.lines[0].id, "quantity": 1}],
                      actor=owner, now=clock())
        void_sale(db.session, sale=sale, reason="Khách không lấy", actor=owner, now=clock())
        db.session.commit()
    sync_helpers["drain"](app, runner, clock)
    assert not [call for call in sandbox.simulator.state.calls[calls_before:] if call[0] in ("POST", "DELETE")]
    with app.app_context():
        statuses = {m.status for m in db.session.query(OutboxMessage) if m.document_type != "receipt"}
        assert statuses == {"cancelled"}
