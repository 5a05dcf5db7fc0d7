"""The runner sends each document kind once, records attempts, and settles voids and holds locally."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from pharmacy.outbox.models import OutboxAttempt, OutboxMessage


def _messages(app):
    from pharmacy.extensions import db

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
        result = {m.document_number: (m.status, m.remote_id, m.last_error, m.problems) for m in rows}
        db.session.rollback()
        return result


def test_every_document_kind_arrives_once_with_its_national_id(app, world, docs, sandbox, make_runner,
                                                               sync_helpers, clock):
    sale = docs.sale(world["store"], [(world["drug"], "Hộp", 1), (world["device"], "Viên", 2)])
    docs.customer_return(sale, 10)
    lots = docs.lots(world["drug"])
    docs.issue(world["store"], "destruction", [(lots[0], 5, 400)])
    docs.issue(world["store"], "return_to_supplier", [(lots[1], 5, 400)], receiver_name="Công ty Dược A",
               note="Trả hàng lỗi")
    runner = make_runner()
    sync_helpers["drain"](app, runner, clock)
    state = sandbox.simulator.state
    assert [d.number for d in state.documents("hoa_don")] == ["HD-CH01-000001"]
    messages = _messages(app)
    sent = {number for number, (status, *_rest) in messages.items() if status == "sent"}
    held = {number for number, (status, *_rest) in messages.items() if status == "held"}
    assert held == {"PN-CH01-000005", "PN-CH01-000006"}  # the drug without a national code
    assert sent == {"HD-CH01-000001", "PN-CH01-000001", "PN-CH01-000002", "TH-CH01-000001", "PX-CH01-000001",
                    "PX-CH01-000002"}
    recorded = [d.number for d in state.documents(include_deleted=True)]
    assert sorted(recorded) == sorted(sent)
    assert all(messages[number][1] for number in sent)
    with app.app_context():
        from pharmacy.extensions import db

        assert db.session.query(OutboxAttempt).filter_by(outcome="sent").count() == len(sent)


def test_void_of_unsent_sale_sends_nothing_and_void_of_sent_sale_deletes(app, world, docs, sandbox, make_runner,
                                                                          sync_helpers, clock):
    runner = make_runner()
    early = docs.sale(world["store"], [(world["drug"], "Viên", 3)])
    docs.void(early)
    sync_helpers["drain"](app, runner, clock)
    late = docs.sale(world["store"], [(world["drug"], "Viên", 4)])
    sync_helpers["drain"](app, runner, clock)
    docs.void(late)
    sync_helpers["drain"](app, runner, clock)
    state = sandbox.simulator.state
    posted = [call for call in state.calls if call[0] == "POST" and "hoa_don" in call[1]]
    assert len(posted) == 1
    assert state.count("hoa_don", "HD-CH01-000002", include_deleted=True) == 1
    assert state.count("hoa_don", "HD-CH01-000002") == 0
    messages = _messages(app)
    assert messages["HD-CH01-000001"][0] == "cancelled" and messages["HUY-CH01-000001"][0] == "cancelled"
    assert messages["HD-CH01-000002"][0] == "sent" and messages["HUY-CH01-000002"][0] == "sent"


def test_product_without_national_code_holds_until_fixed(app, world, docs, sandbox, make_runner, sync_helpers,
                                                         clock):
    docs.sale(world["store"], [(world["uncoded"], "Viên", 2), (world["drug"], "Viên", 1)])
    runner = make_runner()
    runner.run_once()
    status, _remote, error, problems = _messages(app)["HD-CH01-000001"]
    assert status == "held" and "ma_thuoc" in error
    assert problems == [{"product": "Berberin 100mg", "field": "ma_thuoc", "reason": "is missing",
                         "product_id": world["uncoded"]}]
    assert sandbox.simulator.state.documents("hoa_don") == []
    from pharmacy.catalog.models import Product
    from pharmacy.catalog.services import update_product
    from pharmacy.extensions import db

    with app.app_context():
        update_product(db.session, db.session.get(Product, world["uncoded"]), {"national_code": "TQG900777"}, None)
        db.session.commit()
    sync_helpers["drain"](app, runner, clock)
    assert _messages(app)["HD-CH01-000001"][0] == "sent"
    assert sandbox.simulator.state.count("hoa_don", "HD-CH01-000001") == 1


def test_non_drug_only_receipt_is_not_enqueued_and_expired_today(app, world, docs):
    docs.receipt(world["store"], "supplier", [(world["device"], "Viên", 5, "M1", date.today() + timedelta(days=90),
                                               1000)])
    assert "PN-CH01-000007" not in _messages(app)
