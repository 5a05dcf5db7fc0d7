"""The demo data shows a newcomer a void and a customer return next to the demo sales."""
from __future__ import annotations

from sqlalchemy import select


def test_demo_has_one_void_and_one_customer_return_consistent_with_the_ledger(session):
    from pharmacy.demo import seed_demo
    from pharmacy.models import CustomerReturn, OutboxMessage, Sale, SaleVoid
    from pharmacy.stock.services import ledger_mismatches

    result = seed_demo(session)
    session.commit()
    assert "demo void: HUY-CH01-000001" in result.describe()
    void = session.execute(select(SaleVoid)).scalar_one()
    returned = session.execute(select(CustomerReturn)).scalar_one()
    assert session.get(Sale, void.sale_id).status == "voided"
    assert returned.number == "TH-CH01-000001" and returned.refund_total > 0
    assert returned.sale_id != void.sale_id
    assert ledger_mismatches(session) == []
    kinds = {row.document_type: row for row in session.execute(select(OutboxMessage)).scalars()}
    assert kinds["sale_void"].depends_on.document_id == void.sale_id
    assert kinds["customer_return"].document_id == returned.id
