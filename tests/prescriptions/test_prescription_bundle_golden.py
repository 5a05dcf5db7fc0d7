"""The FHIR bundle built from a real sale (lookup stored, sale recorded, snapshot taken at send time) validates
against fhir.resources.R4B and matches a hand-checked golden file."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from connectors.eprescription.models import parse_prescription
from connectors.sandboxes.eprescription.prescriptions import ORDINARY_CODE, demo_prescriptions

GOLDEN = Path(__file__).parent / "golden" / "bundle_from_sale.json"
LOOKED_UP = datetime(2026, 11, 20, 3, 10, tzinfo=timezone.utc)
SOLD = datetime(2026, 11, 20, 3, 15, tzinfo=timezone.utc)


@pytest.fixture
def fixed_sale(app, books):
    """A sale of the whole ordinary demo prescription at fixed times, lots and expiries."""
    from pharmacy.catalog.services import UnitSpec
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage
    from pharmacy.prescriptions.services import store_lookup
    from pharmacy.sales.services import record_sale
    from pharmacy.stores.models import Store, User

    store = books.store("CH01", phone="0281234567")
    books.user("owner", role="owner")
    books.user("ds1", stores=[store])
    amox = books.product("Amoxicillin 500mg", national_code="TQG000005", prescription_only=True,
                         active_ingredient="Amoxicillin", units=[UnitSpec("Viên", 1, 1000),
                                                                 UnitSpec("Hộp", 100, 95000, ["8934500000019"])])
    omep = books.product("Omeprazol 20mg", national_code="TQG000017", prescription_only=True,
                         active_ingredient="Omeprazole", strength="20mg", units=[UnitSpec("Viên", 1, 800)])
    books.receive(store, amox, "AMX-2406", date(2027, 6, 30), 10)   # FEFO: 10 from the first lot, 11 from the next
    books.receive(store, amox, "AMX-2409", date(2027, 9, 30), 50)
    books.receive(store, omep, "OME-2501", date(2028, 1, 31), 50)
    with app.app_context():
        actor = db.session.query(User).filter_by(username="ds1").one()
        found = parse_prescription(demo_prescriptions(date(2026, 11, 20))[ORDINARY_CODE])
        store_lookup(db.session, found, store_id=store, actor=actor, now=LOOKED_UP)
        sale = record_sale(db.session, store=db.session.get(Store, store), actor=actor, now=SOLD,
                           lines=[{"product_id": amox, "unit": "Viên", "quantity": 21},
                                  {"product_id": omep, "unit": "Viên", "quantity": 14}],
                           prescription={"national_code": ORDINARY_CODE})
        db.session.commit()
        message_id = db.session.query(OutboxMessage.id).filter_by(target="health_data", document_id=sale.id).scalar()
    return message_id


def test_bundle_from_a_real_sale_validates_and_matches_the_golden_file(app, fixed_sale):
    from connectors.sync.lanes.prescriptions.plans import plan_report
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        bundle = plan_report(db.session, db.session.get(OutboxMessage, fixed_sale)).job.payload
        db.session.rollback()
    Bundle.model_validate(bundle)
    assert bundle == json.loads(GOLDEN.read_text(encoding="utf-8"))
