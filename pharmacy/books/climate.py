"""The temperature and humidity book: readings per storage area, two slots a day (configurable), out-of-range
readings need a corrective note, a missed slot is a gap in the book and a reminder on the dashboard; readings also
come in bulk from a data logger's CSV (time, temperature, humidity)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import LOCAL_TZ, as_utc, local_date
from ..errors import Invalid, msg
from ..models_base import chunks
from ..stores.models import User
from .entries import check_open
from .models import ClimateReading
from .rules import BookRules

TENTH = Decimal("0.1")
TEMPERATURE_BOUNDS = (Decimal(-40), Decimal(80))
MAX_IMPORT_ROWS = 20_000


def _value(raw, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ".")).quantize(TENTH, ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise Invalid(msg("Not a number."), field=field) from None
    if not value.is_finite() or not low <= value <= high:
        raise Invalid(msg("The value must be between %(low)s and %(high)s.", low=str(low), high=str(high)), field=field)
    return value


def _reading(store_id: int, data: dict, *, actor: User, now: datetime, rules: BookRules, source: str,
             prefix: str = "") -> ClimateReading:
    area = (data.get("area") or "").strip()
    if area not in rules.areas:
        raise Invalid(msg("The storage area must be one of: %(areas)s.", areas=", ".join(rules.areas)),
                      field=prefix + "area")
    read_at = as_utc(data["read_at"])
    if read_at > as_utc(now):
        raise Invalid(msg("The time of the reading is in the future."), field=prefix + "read_at")
    check_open(local_date(read_at), rules=rules, now=now, field=prefix + "read_at")
    temperature = _value(data["temperature"], prefix + "temperature", *TEMPERATURE_BOUNDS)
    humidity = _value(data["humidity"], prefix + "humidity", Decimal(0), Decimal(100))
    device = (data.get("device") or "").strip()
    if not device:
        raise Invalid(msg("Name the measuring device."), field=prefix + "device")
    note = (data.get("corrective_note") or "").strip()
    outside = rules.out_of_range(temperature, humidity)
    if outside and not note:
        limits = f"{rules.temperature_min}–{rules.temperature_max} °C, ≤ {rules.humidity_max} %RH"
        raise Invalid(msg("Out of range (%(limits)s): write the corrective action.", limits=limits),
                      field=prefix + "corrective_note")
    return ClimateReading(store_id=store_id, entry_date=local_date(read_at), area=area, read_at=read_at,
                          temperature=temperature, humidity=humidity, device=device[:100], corrective_note=note[:500],
                          source=source, user_id=actor.id, created_at=now)


def record_reading(session: Session, *, store_id: int, data: dict, actor: User, now: datetime,
                   rules: BookRules) -> ClimateReading:
    """data: area, read_at (aware), temperature, humidity, device, corrective_note?"""
    reading = _reading(store_id, data, actor=actor, now=now, rules=rules, source="manual")
    session.add(reading)
    session.flush()
    return reading


def _moment(text: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise Invalid(msg("The time must read YYYY-MM-DD HH:MM (Viet Nam time) or ISO 8601."), field=field) from None
    return moment.replace(tzinfo=LOCAL_TZ) if moment.tzinfo is None else moment


def import_logger_csv(session: Session, *, store_id: int, area: str, device: str, corrective_note: str,
                      data: bytes, actor: User, now: datetime, rules: BookRules) -> dict:
    """All rows or none. Columns time, temperature, humidity (a local time without offset). A row already in the
    book (same area and moment) is skipped, so importing the same file twice adds nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(msg("A CSV file must be UTF-8."), field="file") from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in (rows[0] if rows else [])]
    if header[:3] != ["time", "temperature", "humidity"]:
        raise Invalid(msg("The first row must be: time,temperature,humidity."), field="file")
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise Invalid(msg("The file has no readings."), field="file")
    if len(body) > MAX_IMPORT_ROWS:
        raise Invalid(msg("At most %(count)s rows at a time.", count=MAX_IMPORT_ROWS), field="file")
    existing = set(session.scalars(select(ClimateReading.read_at).where(
        ClimateReading.store_id == store_id, ClimateReading.area == area.strip(),
        ClimateReading.reverses_id.is_(None))))
    readings, skipped = [], 0
    for index, row in enumerate(body):
        prefix = f"rows[{index + 2}]."
        if len(row) < 3:
            raise Invalid(msg("A column is missing."), field=prefix + "time")
        moment = _moment(row[0], prefix + "time")
        if as_utc(moment) in existing:
            skipped += 1
            continue
        fields = {"area": area, "device": device, "read_at": moment, "temperature": row[1], "humidity": row[2]}
        outside = rules.out_of_range(_value(row[1], prefix + "temperature", *TEMPERATURE_BOUNDS),
                                     _value(row[2], prefix + "humidity", Decimal(0), Decimal(100)))
        fields["corrective_note"] = corrective_note if outside else ""
        readings.append(_reading(store_id, fields, actor=actor, now=now, rules=rules, source="logger",
                                 prefix=prefix))
        existing.add(as_utc(moment))
    session.add_all(readings)
    session.flush()
    return {"imported": len(readings), "skipped": skipped,
            "out_of_range": sum(1 for r in readings if rules.out_of_range(r.temperature, r.humidity))}


@dataclass(frozen=True)
class SlotRow:
    day: date
    area: str
    slot: time
    reading: ClimateReading | None   # None: a gap (the slot passed with no reading)
    out_of_range: bool


def _live_readings(session: Session, store_id: int, start: date, end: date) -> list:
    """(id, area, read_at) of the readings of these local days that no reversal cancelled, light rows: a data
    logger writes hundreds a day."""
    table = ClimateReading.__table__
    cancelled = set(session.scalars(select(table.c.reverses_id).where(
        table.c.store_id == store_id, table.c.reverses_id.is_not(None))))
    found = session.execute(select(table.c.id, table.c.area, table.c.read_at).where(
        table.c.store_id == store_id, table.c.entry_date >= start, table.c.entry_date <= end,
        table.c.reverses_id.is_(None)).order_by(table.c.read_at, table.c.id))
    return [row for row in found if row.id not in cancelled]


def slot_rows(session: Session, *, store_id: int, date_from: date, date_to: date, now: datetime,
              rules: BookRules, include_due: bool = False, since: date | None = None) -> list[SlotRow]:
    """Per day, area and slot: the reading nearest the slot within the window, or a gap once the window has passed
    (with `include_due`, as soon as the slot's time has come); no slot before `since` (the store's first day)."""
    by_day: dict[tuple[str, date], list] = {}
    for reading in _live_readings(session, store_id, date_from, date_to):
        by_day.setdefault((reading.area, local_date(reading.read_at)), []).append(reading)
    window, now = timedelta(minutes=rules.slot_window_minutes), as_utc(now)
    chosen: list[tuple[date, str, time, int | None]] = []
    day = max(date_from, since) if since else date_from
    while day <= date_to:
        for area in rules.areas:
            for slot in rules.slots:
                moment = rules.slot_moment(day, slot)
                if moment > now:
                    continue
                near = [r for r in by_day.get((area, day), []) if abs(as_utc(r.read_at) - moment) <= window]
                best = min(near, key=lambda r: abs(as_utc(r.read_at) - moment), default=None)
                if best is None and not include_due and moment + window > now:
                    continue
                chosen.append((day, area, slot, best.id if best else None))
        day += timedelta(days=1)
    ids = [reading_id for *_rest, reading_id in chosen if reading_id is not None]
    readings = {r.id: r for chunk in chunks(ids) for r in session.scalars(
        select(ClimateReading).where(ClimateReading.id.in_(chunk)))}
    rows = []
    for day, area, slot, reading_id in chosen:
        reading = readings.get(reading_id)
        outside = bool(reading and rules.out_of_range(reading.temperature, reading.humidity))
        rows.append(SlotRow(day, area, slot, reading, outside))
    return rows


def missed_slots(session: Session, *, store_id: int, now: datetime, rules: BookRules) -> list[SlotRow]:
    """Today's slots that have passed with no reading: the dashboard's reminder."""
    today = local_date(now)
    return [row for row in slot_rows(session, store_id=store_id, date_from=today, date_to=today, now=now,
                                     rules=rules, include_due=True) if row.reading is None]
