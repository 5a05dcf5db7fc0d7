"""The GPP books as tables (columns, rows) for the books API, its Excel files, the books page and the export ZIP.

`stock-movements` is the owner's XNT report (pharmacy/reports/movements.py) with the product's registration number
and manufacturer; `prescription-sales` is the prescription book (pharmacy/prescriptions/book.py); `recalls` the
recall register's book (pharmacy/recalls/book.py); the others are the registers of pharmacy/books/."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..books.climate import missed_slots, slot_rows
from ..books.entries import reversed_ids
from ..books.models import ADVERSE_REACTION, COMPLAINT, ClimateReading, CustomerReport, QualityCheck
from ..books.rules import BookRules
from ..catalog.models import Product
from ..clock import LOCAL_TZ, as_utc, local_date, utcnow
from ..controlled.books import customer_book, xnt_book
from ..errors import NotFound, msg
from ..extensions import db
from ..prescriptions.book import book_entries
from ..recalls.book import recall_book
from ..recalls.models import Recall
from ..reports.access import report_stores
from ..reports.export import Column
from ..reports.movements import stock_movements
from ..reports.movements import totals as movement_totals
from ..reports.period import Period
from ..stores.models import Store
from .report_queries import MOVEMENT_COLUMNS
from .report_tables import Table

BOOK_ROW_LIMIT = 100_000


@dataclass(frozen=True)
class BookContext:
    store: Store
    period: Period
    now: datetime
    rules: BookRules


def rules() -> BookRules:
    return BookRules.from_config(current_app.config)


def moment(value: datetime | None) -> str:
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if value else ""


def _span(ctx: BookContext) -> str:
    return f"{ctx.store.code}_{ctx.period.date_from.isoformat()}_{ctx.period.date_to.isoformat()}"


# ---- books built elsewhere, served here ----------------------------------------------------------------------

XNT_COLUMNS = [*MOVEMENT_COLUMNS[:1], Column("registration_no", _l("Registration number")),
               Column("manufacturer", _l("Manufacturer")),
               *MOVEMENT_COLUMNS[1:]]


def stock_movements_book(ctx: BookContext) -> Table:
    found = stock_movements(db.session, period=ctx.period, store_id=ctx.store.id)
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_({row.product_id for row in found})))} if found else {}
    rows = [{**row.as_dict(), "registration_no": products[row.product_id].registration_no,
             "manufacturer": products[row.product_id].manufacturer} for row in found]
    return Table(f"so-xnt-theo-lo_{_span(ctx)}", _("Stock movements book by lot"), XNT_COLUMNS, rows,
                 movement_totals(found))


RX_COLUMNS = [
    Column("number", _l("Invoice number")), Column("sold_at", _l("Time")), Column("status", _l("Status")),
    Column("prescription", _l("Prescription code")), Column("patient", _l("Person treated")),
    Column("prescriber", _l("Prescriber")),
    Column("facility", _l("Medical facility")), Column("product_name", _l("Drug sold")),
    Column("quantity", _l("Quantity"), "int"), Column("unit", _l("Unit")), Column("lots", _l("Lot / expiry")),
    Column("substitution", _l("Substitution")), Column("pharmacist", _l("Seller")),
]


def prescription_sales_book(ctx: BookContext) -> Table:
    rows = []
    for entry in book_entries(db.session, store_id=ctx.store.id, start=ctx.period.start, end=ctx.period.end,
                              limit=BOOK_ROW_LIMIT):
        sale, rx = entry.sale, entry.prescription
        for line in sale.lines:
            dispense = line.dispense
            rows.append({
                "number": sale.number, "sold_at": moment(sale.created_at),
                "status": _("Voided") if sale.status == "voided" else "",
                "prescription": rx.national_code if rx.kind == "national" else _("Paper prescription"),
                "patient": rx.patient_name, "prescriber": rx.doctor_name, "facility": rx.facility_name,
                "product_name": line.product.name, "quantity": line.quantity, "unit": line.unit_name,
                "lots": "; ".join(f"{a.lot} ({a.expiry:%d/%m/%Y})" for a in line.allocations),
                "substitution": (f"{dispense.prescribed_name}: {dispense.substitution_reason}"
                                 if dispense and dispense.substituted else ""),
                "pharmacist": sale.seller.display_name,
            })
    return Table(f"so-ban-thuoc-theo-don_{_span(ctx)}", _("Prescription sales book"), RX_COLUMNS, rows)


RECALL_COLUMNS = [
    Column("decision", _l("Decision no.")), Column("decision_date", _l("Decision date"), "date"),
    Column("level", _l("Level"), "int"), Column("deadline", _l("Deadline"), "date"),
    Column("product_name", _l("Drug")), Column("registration_no", _l("Registration number")),
    Column("lot", _l("Lot")),
    Column("in_stock", _l("Stock on hand"), "int"), Column("quarantined", _l("Quarantined"), "int"),
    Column("returned", _l("Returned"), "int"), Column("returned_to", _l("Returned to")),
    Column("returned_at", _l("Returned on")),
    Column("sales_to_contact", _l("Number of sales to contact"), "int"),
]


def recalls_book(ctx: BookContext) -> Table:
    recalls = list(db.session.scalars(select(Recall).where(
        Recall.decision_date >= ctx.period.date_from, Recall.decision_date <= ctx.period.date_to)
        .order_by(Recall.decision_date, Recall.id)))
    rows = [{"decision": row.recall.decision_number, "decision_date": row.recall.decision_date,
             "level": row.recall.level, "deadline": row.deadline, "product_name": row.recall.product.name,
             "registration_no": row.recall.registration_no or row.recall.product.registration_no, "lot": row.lot,
             "in_stock": row.in_stock, "quarantined": row.quarantined, "returned": row.returned,
             "returned_to": row.returned_to, "returned_at": moment(row.returned_at),
             "sales_to_contact": row.sales_to_contact}
            for row in recall_book(db.session, recalls, [ctx.store.id])]
    return Table(f"so-thu-hoi_{_span(ctx)}", _("Recall book"), RECALL_COLUMNS, rows)


CONTROLLED_XNT_COLUMNS = [
    Column("product_name", _l("Drug")), Column("registration_no", _l("Registration number")),
    Column("base_unit", _l("Unit")),
    Column("lot", _l("Lot")), Column("expiry", _l("Expiry"), "date"), Column("at", _l("Date")),
    Column("document_number", _l("Document number")), Column("counterparty", _l("Received from / issued to")),
    Column("received", _l("In"), "int"), Column("issued", _l("Out"), "int"), Column("balance", _l("Balance"), "int"),
]


def controlled_stock_book(ctx: BookContext) -> Table:
    """The controlled drugs' XNT book (Annex VIII): per product and lot, the opening balance, each entry with the
    running balance; the same ledger as /controlled/books/xnt."""
    rows = []
    for book in xnt_book(db.session, store_id=ctx.store.id, date_from=ctx.period.date_from,
                         date_to=ctx.period.date_to):
        product = {"product_name": book.product.name, "registration_no": book.product.registration_no or "",
                   "base_unit": book.product.base_unit.name}
        for lot in book.lots:
            where = {**product, "lot": lot.lot, "expiry": lot.expiry}
            rows.append({**where, "at": "", "document_number": "", "counterparty": _("Opening balance"),
                         "received": None, "issued": None, "balance": lot.opening})
            rows += [{**where, "at": moment(line.at), "document_number": line.document_number,
                      "counterparty": line.counterparty, "received": line.received, "issued": line.issued,
                      "balance": line.balance} for line in lot.lines]
    return Table(f"so-xnt-thuoc-kiem-soat_{_span(ctx)}", _("Controlled drugs stock book"), CONTROLLED_XNT_COLUMNS,
                 rows)


CONTROLLED_CUSTOMER_COLUMNS = [
    Column("at", _l("Date sold")), Column("document_number", _l("Invoice number")),
    Column("product_name", _l("Drug")),
    Column("lot", _l("Lot")), Column("quantity", _l("Quantity"), "int"), Column("buyer", _l("Buyer")),
    Column("address", _l("Address")), Column("id_number", _l("ID document number")),
    Column("prescription", _l("Prescription")), Column("doctor", _l("Prescribing doctor")),
]


def controlled_customers_book(ctx: BookContext) -> Table:
    """Who bought controlled drugs (Annex XXI), oldest first."""
    entries = db.session.scalars(customer_book(store_id=ctx.store.id, date_from=ctx.period.date_from,
                                               date_to=ctx.period.date_to).limit(BOOK_ROW_LIMIT))
    rows = [{"at": moment(entry.created_at), "document_number": entry.document_number,
             "product_name": entry.product.name, "lot": entry.lot, "quantity": -entry.quantity,
             "buyer": entry.counterparty, "address": entry.buyer_address, "id_number": entry.buyer_id_number,
             "prescription": " ".join(filter(None, (entry.prescription_form, entry.prescription_code))),
             "doctor": entry.doctor_name} for entry in entries]
    return Table(f"so-khach-mua-thuoc-kiem-soat_{_span(ctx)}", _("Controlled drugs customer book"),
                 CONTROLLED_CUSTOMER_COLUMNS, rows)


# ---- the registers of pharmacy/books/ ------------------------------------------------------------------------

ENTRY_TAIL = [Column("user", _l("Recorded by")), Column("note", _l("Reversal / note")),
              Column("id", _l("Line number"), "int")]


def _entries(model, ctx: BookContext, *where) -> list:
    stmt = (select(model).where(model.store_id == ctx.store.id, model.entry_date >= ctx.period.date_from,
                                model.entry_date <= ctx.period.date_to, *where)
            .order_by(model.entry_date, model.id).limit(BOOK_ROW_LIMIT))
    return list(db.session.scalars(stmt))


def _tail(entry, cancelled: set[int]) -> dict:
    if entry.reverses_id is not None:
        note = _("Reverses line #%(id)s: %(reason)s", id=entry.reverses_id, reason=entry.reversal_reason)
    else:
        note = _("Reversed") if entry.id in cancelled else ""
    return {"id": entry.id, "user": entry.user.display_name, "note": note,
            "reversal": entry.reverses_id is not None, "reversed": entry.id in cancelled}


QC_COLUMNS = [
    Column("entry_date", _l("Date"), "date"), Column("product_name", _l("Drug name")), Column("unit", _l("Unit")),
    Column("lot", _l("Lot")), Column("expiry", _l("Expiry"), "date"), Column("quantity_checked", _l("Quantity"), "int"),
    Column("sensory", _l("Sensory quality")), Column("conclusion", _l("Conclusion")), Column("reason", _l("Reason")),
    Column("action", _l("Action")), Column("quarantined", _l("Quarantined units"), "int"), *ENTRY_TAIL,
]


def quality_control_book(ctx: BookContext) -> Table:
    found = _entries(QualityCheck, ctx)
    cancelled = reversed_ids(db.session, QualityCheck, [e.id for e in found])
    rows = [{"entry_date": e.entry_date, "product_name": e.product.name, "unit": e.unit, "lot": e.lot,
             "expiry": e.expiry, "quantity_checked": e.quantity_checked, "sensory": e.sensory,
             "conclusion": _("Pass") if e.conclusion == "pass" else _("Fail"), "reason": e.reason, "action": e.action,
             "quarantined": e.quarantined, **_tail(e, cancelled)} for e in found]
    return Table(f"so-kiem-soat-chat-luong_{_span(ctx)}", _("Quality control book"), QC_COLUMNS, rows)


CLIMATE_COLUMNS = [
    Column("day", _l("Date"), "date"), Column("area", _l("Storage area")), Column("slot", _l("Scheduled time")),
    Column("read_at", _l("Time measured")), Column("temperature", _l("Temperature (°C)")),
    Column("humidity", _l("Humidity (%RH)")),
    Column("device", _l("Equipment")), Column("state", _l("Assessment")),
    Column("corrective_note", _l("Corrective action")),
    Column("user", _l("Recorded by")), Column("id", _l("Line number"), "int"),
]


def _climate_row(row) -> dict:
    reading = row.reading
    base = {"day": row.day, "area": row.area, "slot": row.slot.strftime("%H:%M"), "gap": reading is None}
    if reading is None:
        return {**base, "state": _("MISSING — not recorded")}
    return {**base, "read_at": moment(reading.read_at)[-5:], "temperature": f"{reading.temperature:.1f}",
            "humidity": f"{reading.humidity:.1f}", "device": reading.device,
            "state": _("Out of range") if row.out_of_range else _("Within range"), "out_of_range": row.out_of_range,
            "corrective_note": reading.corrective_note, "user": reading.user.display_name, "id": reading.id}


def temperature_humidity_book(ctx: BookContext) -> Table:
    rows = [_climate_row(row) for row in slot_rows(db.session, store_id=ctx.store.id,
                                                   date_from=ctx.period.date_from, date_to=ctx.period.date_to,
                                                   now=ctx.now, rules=ctx.rules,
                                                   since=local_date(ctx.store.created_at))]
    for reversal in _entries(ClimateReading, ctx, ClimateReading.reverses_id.is_not(None)):
        rows.append({"day": reversal.entry_date, "area": reversal.area, "read_at": moment(reversal.read_at),
                     "temperature": f"{reversal.temperature:.1f}", "humidity": f"{reversal.humidity:.1f}",
                     "device": reversal.device, "state": _("Reverses line #%(id)s", id=reversal.reverses_id),
                     "corrective_note": reversal.reversal_reason, "user": reversal.user.display_name,
                     "id": reversal.id, "reversal": True})
    return Table(f"so-nhiet-do-do-am_{_span(ctx)}", _("Temperature and humidity book"), CLIMATE_COLUMNS, rows,
                 extra={"gaps": sum(1 for row in rows if row.get("gap"))})


def _report_columns(what: str) -> list[Column]:
    return [Column("entry_date", _l("Date"), "date"), Column("customer_name", _l("Customer")),
            Column("customer_phone", _l("Phone")), Column("product_name", _l("Drug")), Column("lot", _l("Lot")),
            Column("description", what), Column("handling", _l("Handling")), *ENTRY_TAIL]


def _reports_book(ctx: BookContext, kind: str, name: str, title: str, what: str) -> Table:
    found = _entries(CustomerReport, ctx, CustomerReport.kind == kind)
    cancelled = reversed_ids(db.session, CustomerReport, [e.id for e in found])
    rows = [{"entry_date": e.entry_date, "customer_name": e.customer_name, "customer_phone": e.customer_phone,
             "product_name": e.product.name if e.product else "", "lot": e.lot, "description": e.description,
             "handling": e.handling, **_tail(e, cancelled)} for e in found]
    return Table(f"{name}_{_span(ctx)}", title, _report_columns(what), rows)


def complaints_book(ctx: BookContext) -> Table:
    return _reports_book(ctx, COMPLAINT, "so-khieu-nai", _("Complaints book"), _l("Complaint"))


def adverse_reactions_book(ctx: BookContext) -> Table:
    return _reports_book(ctx, ADVERSE_REACTION, "so-phan-ung-co-hai", _("Adverse reactions book"),
                         _l("Reaction"))


BOOKS: dict[str, Callable[[BookContext], Table]] = {
    "stock-movements": stock_movements_book,
    "prescription-sales": prescription_sales_book,
    "quality-control": quality_control_book,
    "temperature-humidity": temperature_humidity_book,
    "recalls": recalls_book,
    "complaints": complaints_book,
    "adverse-reactions": adverse_reactions_book,
    "controlled-stock": controlled_stock_book,
    "controlled-customers": controlled_customers_book,
}


def book_context(who, store_id: int, date_from, date_to) -> BookContext:
    """The store (access checked), the period (checked) and today's clock and rules for one book."""
    store = report_stores(db.session, who, store_id)[0]
    return BookContext(store, Period.of(date_from, date_to), utcnow(), rules())


def build_book(name: str, ctx: BookContext) -> Table:
    if name not in BOOKS:
        raise NotFound(msg("No book %(name)s. The books: %(books)s.", name=name, books=", ".join(BOOKS)), field="name")
    return BOOKS[name](ctx)


def json_rows(rows: list[dict]) -> list[dict]:
    """Rows with dates as ISO 8601 text."""
    return [{key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in row.items()}
            for row in rows]


def climate_reminders(stores: list[Store]) -> list[dict]:
    """Today's climate slots that have come with no reading, per store the user works in (the dashboard's list)."""
    now, book_rules = utcnow(), rules()
    return [{"store": store, "area": row.area, "slot": row.slot.strftime("%H:%M")}
            for store in stores for row in missed_slots(db.session, store_id=store.id, now=now, rules=book_rules)]
