"""Retention purge of ledger documents with fixed dates (today 01/07/2026, purge before 01/03/2025): a document of a
plain lot expired 13 months ago goes, a controlled lot of the same age and a plain lot expired 11 months ago stay,
so does a sale whose national message is still pending; books, stock and the chain read the same afterwards."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import func, select

from pharmacy.clock import LOCAL_TZ

from ..audit.conftest import delete_sale, raw, verify

TODAY = date(2026, 7, 1)
BEFORE = "2025-03-01"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(timezone.utc)


@pytest.fixture
def ledger(app, books):
    """January 2025: receipts of lots A (plain, expiry 01/06/2025), B (plain, expiry 01/08/2025) and D (psychotropic,
    expiry 01/06/2025); sales S1 (A), S2 (B), S3 (A and B), S5 (A, its national message still pending); in April
    2025 sale S4 (A). Every other national message is delivered."""
    store = books.store("CH01")
    books.user("owner", role="owner")
    plain = books.product("Paracetamol 500mg")
    controlled = books.product("Diazepam 5mg", special_control_type=2)
    from pharmacy.extensions import db
    from pharmacy.receipts.services import record_receipt
    from pharmacy.sales.services import record_sale
    from pharmacy.stores.models import Store, User

    with app.app_context():
        s = db.session
        owner, shop = s.query(User).filter_by(username="owner").one(), s.get(Store, store)
        docs = {}

        def receive(name, product, lot, expiry, quantity):
            docs[name] = record_receipt(s, store=shop, kind="opening", actor=owner, now=at(date(2025, 1, 5)),
                                        supplier_name="NCC", lines=[{"product_id": product, "unit": "Viên",
                                                                     "quantity": quantity, "lot": lot,
                                                                     "expiry": expiry, "unit_price": 400}])

        def sell(name, day, *lots):
            docs[name] = record_sale(s, store=shop, actor=owner, now=at(day), lines=[
                {"product_id": plain, "unit": "Viên", "quantity": quantity, "lot": lot} for lot, quantity in lots])

        receive("R1", plain, "A", date(2025, 6, 1), 100)
        receive("R2", plain, "B", date(2025, 8, 1), 100)
        receive("R3", controlled, "D", date(2025, 6, 1), 50)
        sell("S1", date(2025, 1, 10), ("A", 10))
        sell("S2", date(2025, 1, 11), ("B", 5))
        sell("S3", date(2025, 1, 12), ("A", 3), ("B", 2))
        s.flush()
        raw_ids = {name: (doc.id, doc.number) for name, doc in docs.items()}
        s.commit()
        raw(app, "UPDATE outbox_messages SET status = 'sent'")
        sell("S5", date(2025, 1, 13), ("A", 4))
        sell("S4", date(2025, 4, 1), ("A", 7))
        s.flush()
        raw_ids.update({name: (docs[name].id, docs[name].number) for name in ("S4", "S5")})
        s.commit()
        raw(app, "UPDATE outbox_messages SET status = 'sent' WHERE NOT (document_type = 'sale' AND document_id = :id)",
            id=raw_ids["S5"][0])
    return {"store": store, "plain": plain, "controlled": controlled, **raw_ids}


def figures(app, store: int, date_from: date, date_to: date) -> dict:
    """The XNT book, the controlled XNT book of the period, and the stock on hand."""
    from pharmacy.controlled.books import xnt_book
    from pharmacy.extensions import db
    from pharmacy.reports.movements import stock_movements
    from pharmacy.reports.period import Period
    from pharmacy.stock.models import StockLot
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        s = db.session
        xnt = sorted((row.lot, sorted(row.figures.items()))
                     for row in stock_movements(s, period=Period.of(date_from, date_to), store_id=store))
        controlled = [(book.product.name, [(lot.lot, lot.opening, lot.received, lot.issued,
                                            [(line.document_number, line.received, line.issued, line.balance)
                                             for line in lot.lines]) for lot in book.lots])
                      for book in xnt_book(s, store_id=store, date_from=date_from, date_to=date_to)]
        stock = sorted(s.execute(select(StockLot.lot, StockLot.state, StockLot.quantity)).all())
        assert ledger_mismatches(s) == []
    return {"xnt": xnt, "controlled": controlled, "stock": stock}


def daily(app, *, rebuild=True) -> list:
    from pharmacy.extensions import db
    from pharmacy.sales.daily import SalesDaily, rebuild_sales_daily

    with app.app_context():
        if rebuild:
            rebuild_sales_daily(db.session)
        table = SalesDaily.__table__
        rows = sorted(tuple(row) for row in db.session.execute(select(table)))
        db.session.rollback()
    return rows


def counts(app) -> dict:
    from pharmacy.audit.models import Purge
    from pharmacy.extensions import db
    from pharmacy.receipts.models import Receipt
    from pharmacy.sales.models import Sale
    from pharmacy.stock.models import Movement

    with app.app_context():
        return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Sale, Receipt, Movement, Purge)}


def purge(app, monkeypatch, *args, today=TODAY):
    import pharmacy.cli_books

    monkeypatch.setattr(pharmacy.cli_books, "local_today", lambda: today)
    return app.test_cli_runner().invoke(args=["retention", "purge", "--before", BEFORE, *args])


def test_the_plan_purges_only_old_plain_lots_with_nothing_outstanding(app, ledger):
    from pharmacy.books.retention import plan_purge
    from pharmacy.extensions import db

    with app.app_context():
        plan = plan_purge(db.session, before=date(2025, 3, 1), today=TODAY).ledger
        later = plan_purge(db.session, before=date(2025, 3, 1), today=date(2027, 6, 1)).ledger
    assert sorted(group.number for group in plan.groups) == sorted([ledger["R1"][1], ledger["S1"][1]])
    kept = dict(plan.kept)
    assert kept[f"receipt {ledger['R2'][1]}"] == "lot B (expiry 2025-08-01) kept until 2026-08-01"  # 11 months
    assert kept[f"receipt {ledger['R3'][1]}"] == "lot D (expiry 2025-06-01) kept until 2027-06-01"  # controlled
    assert kept[f"sale {ledger['S3'][1]}"] == "lot B (expiry 2025-08-01) kept until 2026-08-01"  # one lot is enough
    assert kept[f"sale {ledger['S5'][1]}"].startswith("national message #")
    assert kept[f"sale {ledger['S5'][1]}"].endswith("is pending")
    assert f"sale {ledger['S4'][1]}" not in kept  # after the purge day: not a candidate at all
    assert ledger["R3"][1] in {group.number for group in later.groups}  # two years after its expiry it goes
    from pharmacy.counts.services import approve_count, record_counts, start_count, submit_count
    from pharmacy.shifts.services import open_shift
    from pharmacy.stores.models import Store, User

    with app.app_context():  # a cash shift left open since 09/01/2025 holds S1 back
        s = db.session
        owner, shop = s.query(User).filter_by(username="owner").one(), s.get(Store, ledger["store"])
        count = start_count(s, store=shop, scope="products", product_ids=[ledger["plain"]], actor=owner,
                            now=at(date(2025, 1, 14)))  # counted as expected: no movement, its lines name lot B
        record_counts(s, count, actor=owner, lines=[{"product_id": ledger["plain"], "lot": line.lot, "unit": "Viên",
                                                     "quantity": line.expected} for line in count.lines])
        submit_count(s, count, actor=owner, now=at(date(2025, 1, 14), 11))
        approve_count(s, count, actor=owner, now=at(date(2025, 1, 14), 12))
        open_shift(s, store=s.get(Store, ledger["store"]), opening_cash=0, now=at(date(2025, 1, 9)),
                   actor=s.query(User).filter_by(username="owner").one())
        held, count_number = dict(plan_purge(s, before=date(2025, 3, 1), today=TODAY).ledger.kept), count.number
        s.rollback()
    assert held[f"sale {ledger['S1'][1]}"] == "its cash shift is still open"
    assert held[f"stock_count {count_number}"] == "lot B (expiry 2025-08-01) kept until 2026-08-01"


def test_purge_archives_then_deletes_and_every_later_figure_stays(app, ledger, tmp_path, monkeypatch):
    periods = ((date(2025, 3, 1), date(2025, 6, 30)), (date(2025, 5, 1), date(2026, 6, 30)))
    before = [figures(app, ledger["store"], *period) for period in periods]
    totals = daily(app, rebuild=False)
    assert verify(app).exit_code == 0
    result = purge(app, monkeypatch, "--archive-dir", str(tmp_path / "archives"))
    assert result.exit_code == 0, result.output
    assert "2 entries deleted" in result.output
    assert [figures(app, ledger["store"], *period) for period in periods] == before
    assert counts(app)["sales"] == 4 and counts(app)["receipts"] == 2
    (archive,) = (tmp_path / "archives").glob("*.zip")
    with zipfile.ZipFile(archive) as opened:  # the ZIP opens and every file parses
        names = opened.namelist()
        manifest = json.loads(opened.read("manifest.json"))
        assert set(manifest["files"]) == set(names) - {"manifest.json"}
        from openpyxl import load_workbook

        for name in names:
            if name.endswith(".xlsx"):
                load_workbook(io.BytesIO(opened.read(name)))
            elif name.endswith(".csv"):
                rows = list(csv.reader(io.StringIO(opened.read(name).decode("utf-8-sig"))))
                assert len(rows) == manifest["files"][name] + 1
        journal = opened.read("purge/journal_entries.csv").decode("utf-8-sig")
        sales = opened.read("documents/sales.csv").decode("utf-8-sig")
    assert ledger["S1"][1] in journal and ledger["R1"][1] in journal and ledger["S2"][1] not in journal
    assert ledger["S1"][1] in sales
    import hashlib

    from pharmacy.audit.models import Purge
    from pharmacy.extensions import db

    with app.app_context():
        record = db.session.scalars(select(Purge)).one()
        assert record.archives == [{"file": archive.name, "store": "CH01",
                                    "sha256": hashlib.sha256(archive.read_bytes()).hexdigest()}]
    checked = verify(app)
    assert checked.exit_code == 0, checked.output
    assert daily(app) == totals  # purged days keep their totals, even through a rebuild from the documents
    delete_sale(app, ledger["S2"][0])  # a sale the purge kept, deleted behind its back
    tampered = verify(app)
    assert tampered.exit_code == 1 and f"DELETED {ledger['S2'][1]}" in tampered.output
    raw(app, "INSERT INTO purged_ranges (purge_id, store_id, seq_from, seq_to) SELECT :purge, store_id, seq, seq "
             "FROM journal_entries WHERE kind = 'sale' AND document_id = :id", purge=record.id, id=ledger["S2"][0])
    forged = verify(app)  # a range added by hand is not in the head file outside the database: it excuses nothing
    assert forged.exit_code == 1 and f"DELETED {ledger['S2'][1]}" in forged.output


def test_dry_run_and_a_failed_archive_write_nothing(app, ledger, tmp_path, monkeypatch):
    start = counts(app)
    dry = purge(app, monkeypatch, "--archive-dir", str(tmp_path / "archives"), "--dry-run")
    assert dry.exit_code == 0 and "2 entries would be deleted" in dry.output
    assert f"kept sale {ledger['S5'][1]}: national message" in dry.output
    assert counts(app) == start and not (tmp_path / "archives").exists()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    failed = purge(app, monkeypatch, "--archive-dir", str(blocked / "archives"))
    assert failed.exit_code != 0 and "nothing was deleted" in failed.output
    assert counts(app) == start

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    import pharmacy.cli_books

    monkeypatch.setattr(pharmacy.cli_books, "books_zip", disk_full)
    full = purge(app, monkeypatch, "--archive-dir", str(tmp_path / "archives"))
    assert full.exit_code != 0 and "No space left" in full.output and "nothing was deleted" in full.output
    assert counts(app) == start and list((tmp_path / "archives").iterdir()) == []


def test_two_years_later_the_controlled_ledger_carries_its_opening(app, ledger, tmp_path, monkeypatch):
    before = figures(app, ledger["store"], date(2025, 3, 1), date(2025, 12, 31))
    assert before["controlled"][0][1][0][1] == 50  # lot D opens the period with its 50 units
    result = purge(app, monkeypatch, "--archive-dir", str(tmp_path / "archives"), today=date(2027, 6, 1))
    assert result.exit_code == 0, result.output
    assert "6 entries deleted" in result.output  # R1–R3 and S1–S3; not S5 (its message is pending)
    assert figures(app, ledger["store"], date(2025, 3, 1), date(2025, 12, 31)) == before
    from pharmacy.controlled.models import ControlledEntry
    from pharmacy.extensions import db

    with app.app_context():
        kinds = db.session.scalars(select(ControlledEntry.kind)).all()
    assert kinds == ["opening"]
    across = figures(app, ledger["store"], date(2025, 1, 1), date(2025, 12, 31))["controlled"]
    assert across == [("Diazepam 5mg", [("D", 50, 0, 0, [])])]  # the receipt is gone: its 50 units open the book
    assert verify(app).exit_code == 0


def test_transfers_counts_and_quarantine_go_too_and_both_stores_read_the_same(app, books, tmp_path, monkeypatch):
    """January 2025, lot A (plain, expiry 01/06/2025): CH01 receives 100, sends 30 to CH02 (28 arrive: a loss of
    2), puts 5 in quarantine and releases them, counts 68 (variance −2), sends 5 more that never arrive; in April
    both stores sell."""
    from pharmacy.counts.services import approve_count, record_counts, start_count, submit_count
    from pharmacy.extensions import db
    from pharmacy.receipts.services import record_receipt
    from pharmacy.sales.services import record_sale
    from pharmacy.stock.quarantine import move_state
    from pharmacy.stores.models import Store, User
    from pharmacy.transfers.services import dispatch_transfer, receive_transfer

    first, second = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    product = books.product("Paracetamol 500mg")
    with app.app_context():
        s = db.session
        owner, one, two = s.query(User).filter_by(username="owner").one(), s.get(Store, first), s.get(Store, second)
        record_receipt(s, store=one, kind="opening", actor=owner, now=at(date(2025, 1, 5)), supplier_name="NCC",
                       lines=[{"product_id": product, "unit": "Viên", "quantity": 100, "lot": "A",
                               "expiry": date(2025, 6, 1), "unit_price": 400}])
        transfer = dispatch_transfer(s, source=one, destination=two, actor=owner, now=at(date(2025, 1, 6)),
                                     lines=[{"product_id": product, "unit": "Viên", "quantity": 30, "lot": "A"}])
        receive_transfer(s, transfer, actor=owner, now=at(date(2025, 1, 7)), reason="Rách hộp", lines=[
            {"transfer_line_id": line.id, "lot": "A", "quantity": 28} for line in transfer.lines])
        for day, state in ((8, "quarantine"), (9, "sellable")):
            move_state(s, store_id=first, to_state=state, actor=owner, now=at(date(2025, 1, day)), lines=[
                {"product_id": product, "lot": "A", "quantity": 5, "reason": "Hộp móp"}])
        count = start_count(s, store=one, scope="products", product_ids=[product], actor=owner,
                            now=at(date(2025, 1, 20)))
        record_counts(s, count, actor=owner, lines=[{"product_id": product, "lot": "A", "unit": "Viên",
                                                     "quantity": 68}])
        submit_count(s, count, actor=owner, now=at(date(2025, 1, 20), 11))
        approve_count(s, count, actor=owner, now=at(date(2025, 1, 20), 12))
        stuck = dispatch_transfer(s, source=one, destination=two, actor=owner, now=at(date(2025, 1, 21)),
                                  lines=[{"product_id": product, "unit": "Viên", "quantity": 5, "lot": "A"}]).number
        for store, day, quantity in ((one, 2, 4), (two, 1, 3)):
            record_sale(s, store=store, actor=owner, now=at(date(2025, 4, day)),
                        lines=[{"product_id": product, "unit": "Viên", "quantity": quantity, "lot": "A"}])
        s.commit()
    raw(app, "UPDATE outbox_messages SET status = 'sent'")
    period = (date(2025, 3, 1), date(2025, 6, 30))
    before = [figures(app, store, *period) for store in (first, second)]
    assert [dict(found["xnt"][0][1])["opening"] for found in before] == [63, 28]
    result = purge(app, monkeypatch, "--archive-dir", str(tmp_path / "archives"))
    assert result.exit_code == 0, result.output
    assert "5 entries deleted" in result.output  # the receipt, the transfer, two state changes, the count
    assert f"kept transfer {stuck}: still in transit" in result.output
    assert [figures(app, store, *period) for store in (first, second)] == before
    assert len(list((tmp_path / "archives").glob("*.zip"))) == 2
    checked = verify(app)
    assert checked.exit_code == 0, checked.output
    from pharmacy.reports.movements import closing_of, stock_movements
    from pharmacy.reports.period import Period

    with app.app_context():  # a period across the purge day: the carry-forward is its opening
        rows = stock_movements(db.session, period=Period.of(date(2025, 1, 1), date(2025, 4, 30)), store_id=first)
    assert [(row.figures["opening"], row.figures["transferred_out"], row.figures["sold"], row.figures["closing"])
            for row in rows] == [(68, 5, 4, 59)]
    assert closing_of(rows[0].figures) == 59
