"""The transactional outbox for corrections: the right rows per document, with dependencies, and never alone."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select


@pytest.fixture
def mask(books, desk):
    """A non-drug product (no active ingredient) in stock."""
    product = books.product("Khẩu trang y tế", active_ingredient="")
    books.receive(desk.store, product, "KT1", date.today() + timedelta(days=900), 50)
    return product


def test_each_document_kind_writes_its_national_row(desk):
    sale = desk.sell()
    returned = desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 1}]).json
    void = desk.void(sale["id"]).json["void"]
    issue = desk.issue([{"product_id": desk.product, "unit": "Viên", "quantity": 50, "lot": "OLD"}]).json
    assert desk.outbox()[-5:] == [
        ("sale", "sale", sale["number"], None),
        ("receipt", "customer_return", returned["number"], None),
        ("sale_void", "sale_void", void["number"], sale["number"]),
        # the void erases the whole sale nationally, so the earlier return's receipt goes too
        ("receipt_void", "receipt_void", f"{void['number']}/{returned['number']}", returned["number"]),
        ("issue", "issue", issue["number"], None),
    ]


def test_non_drug_documents_write_no_national_rows(desk, mask):
    sale = desk.sell([{"product_id": mask, "unit": "Viên", "quantity": 4}])
    before = desk.outbox()
    assert desk.give_back(sale["id"], [{"sale_line_id": sale["lines"][0]["id"], "quantity": 1}]).status_code == 201
    assert desk.void(sale["id"]).status_code == 201
    assert desk.issue([{"product_id": mask, "unit": "Viên", "quantity": 1, "lot": "KT1"}]).status_code == 201
    assert desk.outbox() == before


def test_a_mixed_return_writes_one_row_for_the_drug(desk, mask):
    sale = desk.sell([{"product_id": mask, "unit": "Viên", "quantity": 2},
                      {"product_id": desk.product, "unit": "Viên", "quantity": 2}])
    lines = [{"sale_line_id": line["id"], "quantity": 1} for line in sale["lines"]]
    returned = desk.give_back(sale["id"], lines).json
    assert desk.outbox()[-1] == ("receipt", "customer_return", returned["number"], None)
    mask_only = desk.give_back(sale["id"], [lines[0]]).json
    assert mask_only["number"] not in [row[2] for row in desk.outbox()]


def test_failing_documents_leave_no_outbox_rows(desk):
    sale = desk.sell()
    before = desk.outbox()
    line = sale["lines"][0]["id"]
    assert desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 1},
                                       {"sale_line_id": line, "quantity": 5}]).status_code == 409
    assert desk.issue([{"product_id": desk.product, "unit": "Viên", "quantity": 1, "lot": "SOON"},
                       {"product_id": desk.product, "unit": "Hộp", "quantity": 9, "lot": "LATE"}]).status_code == 409
    assert desk.void(sale["id"], reason="").status_code == 422
    assert desk.outbox() == before
    assert desk.lots() == {"OLD": 50, "SOON": 0, "LATE": 90}
    assert desk.give_back(sale["id"], [{"sale_line_id": line, "quantity": 1}]).json["number"] == "TH-CH01-000001"


@pytest.mark.parametrize("document", ["void", "return", "issue"])
def test_a_document_whose_outbox_write_fails_is_not_written_either(app, desk, monkeypatch, document):
    """Atomic both ways: if the outbox row cannot be written, the document and its stock moves roll back."""
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db
    from pharmacy.issues import services as issue_services
    from pharmacy.models import CustomerReturn, GoodsIssue, Movement, OutboxMessage, Sale, SaleVoid, Store, User
    from pharmacy.sales import corrections

    sale_id = desk.sell()["id"]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(corrections, "enqueue", broken)
    monkeypatch.setattr(issue_services, "enqueue", broken)
    with app.app_context():
        session = db.session
        actor = session.execute(select(User).where(User.username == "ds1")).scalar_one()
        sale = session.get(Sale, sale_id)
        counts = {model: session.scalar(select(func.count()).select_from(model))
                  for model in (SaleVoid, CustomerReturn, GoodsIssue, Movement, OutboxMessage)}
        with pytest.raises(RuntimeError):
            if document == "void":
                corrections.void_sale(session, sale=sale, reason="x", actor=actor, now=utcnow())
            elif document == "return":
                corrections.record_return(session, sale=sale, actor=actor, now=utcnow(),
                                          lines=[{"sale_line_id": sale.lines[0].id, "quantity": 1}])
            else:
                issue_services.record_issue(
                    session, store=session.get(Store, sale.store_id), kind="destruction", note="x", actor=actor,
                    now=utcnow(),
                    lines=[{"product_id": desk.product, "unit": "Viên", "quantity": 1, "lot": "OLD"}])
        session.rollback()
        assert counts == {model: session.scalar(select(func.count()).select_from(model)) for model in counts}
    assert desk.lots() == {"OLD": 50, "SOON": 0, "LATE": 90}
