"""On PostgreSQL a plain sale is numbered and chained in one statement, PostgreSQL computing the chain's hashes
around the real number (audit/chain.py, number_and_chain): they must be the hashes Python computes and verifies,
whatever the sale's text holds, and the rows riding with it must carry the real number, never the provisional."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import requires_postgresql

from .conftest import verify

ODD_NAME = 'Bà "Tư" \\ Nguyễn\tThị – 50% ✓'  # quotes, a backslash, a tab, diacritics: JSON escapes some of them


def _new_store(books, code: str) -> tuple[int, int]:
    """(store, product): a store whose stock was put straight into a lot, with no receipt, so its chain has no head
    before its first sale; and its pharmacist ds1."""
    from pharmacy.stock.models import StockLot

    store = books.store(code)
    books.user("ds1", stores=[store])
    product = books.product("Paracetamol 500mg", national_code="TQG900001")
    books._run(lambda session: session.add(StockLot(
        store_id=store, product_id=product, lot="L1", expiry=date.today() + timedelta(days=300), quantity=100,
        unit_cost=700)))
    return store, product


def _sell(api, store, product, **extra):
    response = api.post("/api/v1/sales", json={"store_id": store, **extra, "lines": [
        {"product_id": product, "unit": "Viên", "quantity": 2}]})
    assert response.status_code == 201, response.json
    return response.json


def _entries(app, store):
    from pharmacy.audit.models import JournalEntry, JournalHead
    from pharmacy.extensions import db

    with app.app_context():
        entries = db.session.scalars(select(JournalEntry).where(JournalEntry.store_id == store)
                                     .order_by(JournalEntry.seq)).all()
        head = db.session.get(JournalHead, store)
        db.session.expunge_all()
        return entries, head


@requires_postgresql
def test_a_stores_first_document_a_sale_starts_its_chain_with_hashes_python_agrees_with(app, books):
    from pharmacy.audit.canonical import content_hash, entry_hash
    from pharmacy.audit.models import GENESIS
    from pharmacy.extensions import db
    from pharmacy.sales.models import Sale

    store, product = _new_store(books, "CH07")
    assert _entries(app, store) == ([], None)
    api = books.api("ds1")
    sales = [_sell(api, store, product, customer_name=ODD_NAME), _sell(api, store, product)]

    entries, head = _entries(app, store)
    assert [(entry.seq, entry.kind, entry.document_number) for entry in entries] == [
        (1, "sale", sales[0]["number"]), (2, "sale", sales[1]["number"])]
    assert entries[0].prev_hash == GENESIS and entries[1].prev_hash == entries[0].entry_hash
    assert (head.seq, head.hash) == (2, entries[1].entry_hash)
    with app.app_context():
        for entry, sale in zip(entries, sales, strict=True):
            document = db.session.get(Sale, sale["id"])
            assert entry.content_hash == content_hash("sale", document)
            assert entry.entry_hash == entry_hash(store_id=store, seq=entry.seq, kind="sale", document_id=sale["id"],
                                                  number=sale["number"], content=entry.content_hash,
                                                  prev=entry.prev_hash)
    assert sales[0]["customer_name"] == ODD_NAME
    result = verify(app)
    assert result.exit_code == 0, result.output


@requires_postgresql
def test_the_rows_riding_with_the_sale_carry_its_real_number(app, books):
    from pharmacy.audit.models import AuditEntry
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    store, product = _new_store(books, "CH08")
    sale = _sell(books.api("ds1"), store, product)
    assert sale["number"].startswith("HD-CH08-")
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.document_type == "sale",
                                                                 OutboxMessage.document_id == sale["id"])).one()
        assert message.document_number == sale["number"]
        assert message.idempotency_key == f"{message.target}:sale:{sale['number']}"
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "sale",
                                                            AuditEntry.entity_id == str(sale["id"]))).one()
        assert audit.label == sale["number"] and audit.username == "ds1"
        assert "~" not in "".join(db.session.scalars(select(AuditEntry.label)).all())  # no provisional number left
