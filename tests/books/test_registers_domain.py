"""The registers' rules with a fixed clock: a day locks at 02:00 local the next day, reversals are dated today,
climate slots and gaps, out-of-range readings need a note, quality fails quarantine the lot."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest

from pharmacy.clock import LOCAL_TZ
from pharmacy.errors import Conflict, Invalid


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date(2026, 11, day), time(hour, minute), LOCAL_TZ).astimezone(timezone.utc)


@pytest.fixture
def ctx(app, books):
    store = books.store("CH01")
    books.user("owner", role="owner")
    product = books.product(national_code="TQG900001")
    books.receive(store, product, "L1", date(2027, 6, 30), 120)
    from pharmacy.books.rules import BookRules
    from pharmacy.extensions import db
    from pharmacy.stores.models import User

    with app.app_context():
        yield {"session": db.session, "store": store, "product": product, "rules": BookRules(),
               "owner": db.session.query(User).filter_by(username="owner").one()}
        db.session.rollback()


def _complaint(ctx, day: date, now: datetime):
    from pharmacy.books.reports import record_report

    return record_report(ctx["session"], kind="complaint", store_id=ctx["store"], actor=ctx["owner"], now=now,
                         rules=ctx["rules"], data={"entry_date": day, "customer_name": "Chị Lan",
                                                   "description": "Vỉ thuốc bị ẩm"})


def test_a_day_locks_at_two_the_next_morning_then_only_reversals_dated_today(ctx):
    from pharmacy.books.entries import reverse
    from pharmacy.books.models import CustomerReport

    entry = _complaint(ctx, date(2026, 11, 10), local(11, 1, 59))  # yesterday, before 02:00: still open
    with pytest.raises(Invalid) as locked:
        _complaint(ctx, date(2026, 11, 10), local(11, 2, 0))
    assert "entry_date" in locked.value.errors
    with pytest.raises(Invalid) as future:
        _complaint(ctx, date(2026, 11, 12), local(11, 9))
    assert "entry_date" in future.value.errors
    with pytest.raises(Invalid) as no_reason:
        reverse(ctx["session"], CustomerReport, entry.id, reason=" ", actor=ctx["owner"], now=local(12, 9))
    assert "reason" in no_reason.value.errors
    reversal = reverse(ctx["session"], CustomerReport, entry.id, reason="Ghi nhầm khách", actor=ctx["owner"],
                       now=local(12, 9))
    assert (reversal.entry_date, reversal.reverses_id, reversal.description) == (
        date(2026, 11, 12), entry.id, "Vỉ thuốc bị ẩm")
    with pytest.raises(Conflict):
        reverse(ctx["session"], CustomerReport, entry.id, reason="lần hai", actor=ctx["owner"], now=local(12, 9))
    with pytest.raises(Conflict):
        reverse(ctx["session"], CustomerReport, reversal.id, reason="đảo của đảo", actor=ctx["owner"],
                now=local(12, 9))


def test_the_lock_hour_is_configurable(ctx):
    from pharmacy.books.rules import BookRules

    ctx["rules"] = BookRules(lock_hour=6)
    assert _complaint(ctx, date(2026, 11, 10), local(11, 5, 59)).id
    assert BookRules.from_config({"BOOK_LOCK_HOUR": "6", "CLIMATE_SLOTS": "08:30, 14:00, 20:00"}).slots == (
        time(8, 30), time(14), time(20))


def _reading(ctx, at: datetime, temperature="25.0", humidity="60", note="", now=None, area="Kho chính"):
    from pharmacy.books.climate import record_reading

    return record_reading(ctx["session"], store_id=ctx["store"], actor=ctx["owner"], now=now or at, rules=ctx["rules"],
                          data={"area": area, "read_at": at, "temperature": temperature, "humidity": humidity,
                                "device": "Nhiệt ẩm kế TH-01", "corrective_note": note})


def test_out_of_range_readings_need_a_corrective_note_naming_the_field(ctx):
    for temperature, humidity in (("30.1", "60"), ("14.9", "60"), ("25", "75.1")):
        with pytest.raises(Invalid) as refused:
            _reading(ctx, local(10, 9), temperature, humidity)
        assert list(refused.value.errors) == ["corrective_note"]
    assert _reading(ctx, local(10, 9), "30.0", "75.0").temperature == Decimal("30.0")  # the limits are in range
    with pytest.raises(Invalid) as area:
        _reading(ctx, local(10, 9), area="Tủ lạnh")
    assert "area" in area.value.errors
    with pytest.raises(Invalid) as future:
        _reading(ctx, local(10, 9), now=local(10, 8))
    assert "read_at" in future.value.errors
    assert _reading(ctx, local(10, 15), "31.5", "80", note="Bật điều hòa, mở quạt thông gió").humidity == 80


def test_missed_slots_are_gaps_in_the_book_and_due_slots_a_reminder(ctx):
    from pharmacy.books.climate import missed_slots, slot_rows

    _reading(ctx, local(10, 9, 20))                     # fills 10/11 09:00
    _reading(ctx, local(10, 17, 0), now=local(10, 17))  # 2 h after 15:00: outside the 90-minute window
    rows = slot_rows(ctx["session"], store_id=ctx["store"], date_from=date(2026, 11, 10),
                     date_to=date(2026, 11, 11), now=local(11, 9, 30), rules=ctx["rules"])
    assert [(r.day.day, r.slot.hour, r.reading is not None) for r in rows] == [(10, 9, True), (10, 15, False)]
    reminders = missed_slots(ctx["session"], store_id=ctx["store"], now=local(11, 9, 30), rules=ctx["rules"])
    assert [(r.day.day, r.area, r.slot.hour) for r in reminders] == [(11, "Kho chính", 9)]
    assert missed_slots(ctx["session"], store_id=ctx["store"], now=local(11, 8, 59), rules=ctx["rules"]) == []
    from pharmacy.books.entries import reverse
    from pharmacy.books.models import ClimateReading

    reverse(ctx["session"], ClimateReading, rows[0].reading.id, reason="Đọc nhầm khu", actor=ctx["owner"],
            now=local(11, 9, 30))
    again = slot_rows(ctx["session"], store_id=ctx["store"], date_from=date(2026, 11, 10),
                      date_to=date(2026, 11, 10), now=local(11, 9, 30), rules=ctx["rules"])
    assert [r.reading for r in again] == [None, None]  # a reversed reading fills no slot


def test_logger_csv_imports_all_or_nothing_and_skips_rows_already_there(ctx):
    from pharmacy.books.climate import import_logger_csv
    from pharmacy.books.models import ClimateReading

    def run(text: str, note=""):
        return import_logger_csv(ctx["session"], store_id=ctx["store"], area="Kho chính", device="Logger EL-USB",
                                 corrective_note=note, data=text.encode(), actor=ctx["owner"], now=local(10, 20),
                                 rules=ctx["rules"])

    good = "time,temperature,humidity\n2026-11-10 09:00,24.5,61\n2026-11-10 15:00,26.1,63.5\n"
    with pytest.raises(Invalid) as bad:
        run(good + "2026-11-10 16:00,abc,60\n")
    assert "rows[4].temperature" in bad.value.errors
    with pytest.raises(Invalid) as hot:
        run(good + "2026-11-10 16:00,33,60\n")
    assert "rows[4].corrective_note" in hot.value.errors
    assert ctx["session"].query(ClimateReading).count() == 0
    assert run(good) == {"imported": 2, "skipped": 0, "out_of_range": 0}
    assert run(good + "2026-11-10 16:00,33,60\n", note="Bật điều hòa") == {"imported": 1, "skipped": 2,
                                                                           "out_of_range": 1}
    with pytest.raises(Invalid) as header:
        run("thoi gian,nhiet do,do am\n")
    assert "file" in header.value.errors


def test_a_failed_quality_check_quarantines_the_lot(ctx):
    from pharmacy.books.quality import record_quality_check
    from pharmacy.stock.quarantine import quarantined_on
    from pharmacy.stock.services import ledger_mismatches

    data = {"entry_date": date(2026, 11, 10), "product_id": ctx["product"], "lot": "L1",
            "expiry": date(2027, 6, 30), "unit": "Viên", "quantity_checked": 10, "sensory": "Viên bị chảy ẩm",
            "conclusion": "fail", "reason": "Biến màu", "action": ""}
    with pytest.raises(Invalid) as no_action:
        record_quality_check(ctx["session"], store_id=ctx["store"], data=data, actor=ctx["owner"],
                             now=local(10, 10), rules=ctx["rules"])
    assert "action" in no_action.value.errors
    check = record_quality_check(ctx["session"], store_id=ctx["store"], data={**data, "action": "Biệt trữ, báo NCC"},
                                 actor=ctx["owner"], now=local(10, 10), rules=ctx["rules"])
    assert check.quarantined == 120
    assert quarantined_on(ctx["session"], store_id=ctx["store"], product_id=ctx["product"], lot="L1") == 120
    assert ledger_mismatches(ctx["session"]) == []
