"""Retention with fixed dates: register entries go only when their lot expired at least 1 year ago (2 years for a
controlled drug); reversal pairs go together; the CLI archives to the export ZIP format first."""
from __future__ import annotations

import zipfile
from datetime import date, datetime, time, timezone

import pytest

from pharmacy.clock import LOCAL_TZ


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(timezone.utc)


@pytest.fixture
def history(app, books):
    """Entries of January 2025: a check of an ordinary lot expired 30/06/2025, one of a lot expired 31/01/2026, one
    of a psychotropic (type 2) lot expired 31/12/2024; a complaint without lot and one reversed in March 2025; a
    climate reading."""
    store = books.store("CH01")
    books.user("owner", role="owner")
    plain = books.product("Paracetamol 500mg")
    controlled = books.product("Diazepam 5mg", special_control_type=2)
    from pharmacy.books.climate import record_reading
    from pharmacy.books.entries import reverse
    from pharmacy.books.models import CustomerReport
    from pharmacy.books.quality import record_quality_check
    from pharmacy.books.reports import record_report
    from pharmacy.books.rules import BookRules
    from pharmacy.extensions import db
    from pharmacy.stores.models import User

    rules = BookRules()
    with app.app_context():
        s = db.session
        owner = s.query(User).filter_by(username="owner").one()
        ids = {}

        def check(name, product, lot, expiry):
            ids[name] = record_quality_check(s, store_id=store, actor=owner, now=at(date(2025, 1, 10)), rules=rules,
                                             data={"entry_date": date(2025, 1, 10), "product_id": product, "lot": lot,
                                                   "expiry": expiry, "unit": "Viên", "quantity_checked": 5,
                                                   "sensory": "Đạt", "conclusion": "pass"}).id

        check("old", plain, "A1", date(2025, 6, 30))
        check("recent", plain, "A2", date(2026, 1, 31))
        check("controlled", controlled, "D1", date(2024, 12, 31))

        def complaint(day):
            return record_report(s, kind="complaint", store_id=store, actor=owner, now=at(day), rules=rules,
                                 data={"entry_date": day, "customer_name": "Chị Lan", "description": "Hộp móp"})

        ids["complaint"] = complaint(date(2025, 1, 12)).id
        reversed_one = complaint(date(2025, 1, 13))
        ids["reversed"] = reversed_one.id
        ids["reversal"] = reverse(s, CustomerReport, reversed_one.id, reason="Ghi nhầm", actor=owner,
                                  now=at(date(2025, 3, 2))).id
        ids["reading"] = record_reading(s, store_id=store, actor=owner, now=at(date(2025, 1, 10), 9), rules=rules,
                                        data={"area": "Kho chính", "read_at": at(date(2025, 1, 10), 9),
                                              "temperature": "25", "humidity": "60", "device": "TH-01"}).id
        s.commit()
    return ids


def test_the_plan_keeps_young_lots_controlled_drugs_and_split_reversal_pairs(app, history):
    from pharmacy.books.retention import plan_purge
    from pharmacy.extensions import db

    with app.app_context():
        plan = plan_purge(db.session, before=date(2025, 2, 1), today=date(2026, 7, 1))
    assert plan.delete == {"quality_checks": [history["old"]], "climate_readings": [history["reading"]],
                           "customer_reports": [history["complaint"]]}
    kept = {table: dict(rows) for table, rows in plan.kept.items()}
    assert kept["quality_checks"] == {
        history["recent"]: "lot A2 (expiry 2026-01-31) kept until 2027-01-31",
        history["controlled"]: "lot D1 (expiry 2024-12-31) kept until 2026-12-31"}
    assert kept["customer_reports"] == {history["reversed"]: f"its reversal pair #{history['reversal']} stays"}
    with app.app_context():  # a day earlier the ordinary lot is not a year past its expiry yet
        assert plan_purge(db.session, before=date(2025, 2, 1), today=date(2026, 6, 29)).delete[
            "quality_checks"] == []
        later = plan_purge(db.session, before=date(2025, 4, 1), today=date(2027, 1, 1))
    assert later.delete["customer_reports"] == [history["complaint"], history["reversed"], history["reversal"]]
    assert later.delete["quality_checks"] == [history["old"], history["controlled"]]


def test_purge_cli_archives_then_deletes(app, history, tmp_path, monkeypatch):
    import pharmacy.cli_books
    from pharmacy.books.models import ClimateReading, CustomerReport, QualityCheck
    from pharmacy.extensions import db

    monkeypatch.setattr(pharmacy.cli_books, "local_today", lambda: date(2026, 7, 1))
    result = app.test_cli_runner().invoke(args=["retention", "purge", "--before", "2025-04-01",
                                                "--archive-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    archives = list(tmp_path.glob("*.zip"))
    assert [a.name for a in archives] == ["luu-tru_CH01_2025-01-10_2025-03-31.zip"]
    with zipfile.ZipFile(archives[0]) as archive:
        csv_text = archive.read("documents/customer_reports.csv").decode("utf-8-sig")
    assert csv_text.count("Hộp móp") == 3  # every row deleted is in the archive
    from pharmacy.audit.models import Purge

    with app.app_context():
        (record,) = db.session.query(Purge).all()
        assert record.before == date(2025, 4, 1) and record.documents == 0
        assert [entry["file"] for entry in record.archives] == [archives[0].name]
    with app.app_context():
        remaining = {model.__tablename__: {row.id for row in db.session.query(model)}
                     for model in (QualityCheck, ClimateReading, CustomerReport)}
    assert remaining == {"quality_checks": {history["recent"], history["controlled"]}, "climate_readings": set(),
                         "customer_reports": set()}
    dry = app.test_cli_runner().invoke(args=["retention", "purge", "--before", "2025-04-01", "--dry-run"])
    assert "kept quality_checks" in dry.output and "0 entries would be deleted" in dry.output
    young = app.test_cli_runner().invoke(args=["retention", "purge", "--before", "2025-07-02"])
    assert young.exit_code != 0 and "--before" in young.output and "2025-07-01 or earlier" in young.output
    bad = app.test_cli_runner().invoke(args=["retention", "purge", "--before", "01/04/2025"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    monkeypatch.setattr(pharmacy.cli_books, "local_today", lambda: date(2027, 1, 1))  # the controlled check's turn
    again = app.test_cli_runner().invoke(args=["retention", "purge", "--before", "2025-04-01",
                                               "--archive-dir", str(tmp_path)])
    assert again.exit_code == 0 and "1 entries deleted" in again.output, again.output
    assert sorted(a.name for a in tmp_path.glob("*.zip")) == [  # same period: the first archive is not overwritten
        "luu-tru_CH01_2025-01-10_2025-03-31-2.zip", "luu-tru_CH01_2025-01-10_2025-03-31.zip"]
