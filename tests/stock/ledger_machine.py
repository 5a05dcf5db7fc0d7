"""The shared ground of the ledger state machines: fixed lots and units, a fresh database per example, and a store
with a drug and a device."""
from __future__ import annotations

import shutil
from datetime import timedelta

from hypothesis.stateful import RuleBasedStateMachine
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from pharmacy.catalog.services import UnitSpec, create_product
from pharmacy.clock import local_date, utcnow
from pharmacy.database import configure_engine
from pharmacy.errors import DomainError
from pharmacy.stores.models import Store, User

NOW = utcnow()
TODAY = local_date(NOW)
LOTS = {"A": TODAY + timedelta(days=10), "B": TODAY + timedelta(days=100), "C": TODAY + timedelta(days=400),
        "X": TODAY - timedelta(days=5)}
UNITS = {"Viên": 1, "Hộp": 10}


def fresh_engine(template, tmp_path, serial: list[int]):
    """A new SQLite copy of the migrated template per example, or the PostgreSQL test database emptied."""
    if isinstance(template, str):
        engine = create_engine(template)
        names = ", ".join(name for name in _table_names(engine))
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return engine
    serial.append(len(serial))
    target = tmp_path / f"ledger-{len(serial)}.db"
    shutil.copyfile(template, target)
    engine = create_engine(f"sqlite:///{target}")
    configure_engine(engine)
    return engine


def _table_names(engine):
    from pharmacy.extensions import db

    return [table.name for table in db.metadata.sorted_tables]


def seed(session: Session):
    store = Store(code="CH01", name="Nhà thuốc thử", national_facility_code="CS-1")
    actor = User(username="ds", role="owner", password_hash="-")
    session.add_all([store, actor])
    session.flush()
    units = [UnitSpec(name, factor, 500 * factor + 7) for name, factor in UNITS.items()]
    drug = create_product(session, {"name": "Paracetamol 500mg", "active_ingredient": "Paracetamol"}, units)
    device = create_product(session, {"name": "Băng cá nhân", "active_ingredient": ""}, units)
    session.commit()
    return store, actor, [drug.id, device.id]


class LedgerMachine(RuleBasedStateMachine):
    """What both ledger machines share: one session per example, and documents written as the edge writes them."""

    session: Session

    def teardown(self):
        self.session.close()
        self.engine.dispose()

    def attempt(self, write):
        """One document in its own transaction, as the edge runs it: commit, or roll back a refusal."""
        try:
            result = write()
        except DomainError as error:
            self.session.rollback()
            return error
        self.session.commit()
        return result
