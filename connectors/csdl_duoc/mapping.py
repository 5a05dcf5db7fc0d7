"""Map local document snapshots to CSDL Dược v2 transactions: `to_transaction(doc) -> (kind, payload)`."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from connectors.documents import (
    DrugInfo,
    IncompleteDocumentError,
    IssueDoc,
    NothingToReportError,
    OpeningBalanceDoc,
    ReceiptDoc,
    SaleDoc,
    SaleLineDoc,
    StockCountLineDoc,
    StockLineDoc,
    StockTakingDoc,
    V2Unit,
    VoidDoc,
    divide_half_up,
)

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving: the spec's fixed "+07:00"
STOCK_IN, STOCK_OUT, STOCK_TAKING = "stock-in", "stock-out", "stock-taking"
REFERENCE_LIMIT = 50
VOID_SUFFIX = "-VOID"  # v2 has no delete: a void is a new stock-in `return` whose reference names the sale

# local kind -> (v2 reason, label of the counterpart name in the note)
RECEIPT_REASONS = {
    "supplier": ("supplier", "Nhà cung cấp"),
    "customer_return": ("return", "Khách trả"),
    "opening": ("opening-balance", ""),
    "transfer_in": ("transfer-in", "Cơ sở chuyển"),
}
ISSUE_REASONS = {
    "return_to_supplier": ("return", "Nhà cung cấp"),
    "destruction": ("destroy", "Đơn vị tiêu hủy"),
    "transfer_out": ("transfer-out", "Cơ sở nhận"),
    "recall_return": ("recall", "Nhà cung cấp"),
}


def to_transaction(doc) -> tuple[str, dict]:
    """The (kind, payload) for any supported document; raises IncompleteDocumentError or NothingToReportError."""
    for doc_type, build in _BUILDERS:
        if isinstance(doc, doc_type):
            return build(doc)
    raise TypeError(f"no CSDL Dược v2 mapping for {type(doc).__name__}")


def sale_transaction(sale: SaleDoc) -> tuple[str, dict]:
    """A retail sale: stock-out `sale-retail`, one item per lot drawn."""
    note = f"Mã đơn thuốc: {sale.national_prescription_code}" if sale.national_prescription_code else ""
    return STOCK_OUT, _document(sale.number, sale.sold_at, "sale-retail", note, _sale_items, sale.lines)


def void_transaction(void: VoidDoc) -> tuple[str, dict]:
    """The void of a sale already completed nationally: stock-in `return` of the same lots, naming the sale."""
    if void.document_type != "sale":
        raise IncompleteDocumentError([{"product": None, "field": "document_type", "reason": f"a cancelled "
                                 f"{void.document_type} has no v2 counterpart: record the reverse document instead"}])
    if not isinstance(void.original, SaleDoc):
        raise IncompleteDocumentError([{"product": None, "field": "original",
                                 "reason": "is missing: a void is reported with the lines of the sale"}])
    reason_text = f": {void.reason}" if void.reason else ""
    note = f"Hủy hóa đơn {void.number}{reason_text}"
    return STOCK_IN, _document(f"{void.number}{VOID_SUFFIX}", void.voided_at, "return", note, _sale_items,
                               void.original.lines)


def receipt_transaction(receipt: ReceiptDoc) -> tuple[str, dict]:
    """Goods received: stock-in with the reason of the receipt kind, quantities in base units."""
    reason, label = _reason(RECEIPT_REASONS, receipt.kind)
    note = _note(receipt.note, label, receipt.supplier_name)
    return STOCK_IN, _document(receipt.number, receipt.received_at, reason, note, _stock_items, receipt.lines)


def issue_transaction(issue: IssueDoc) -> tuple[str, dict]:
    """Goods issued other than by sale: stock-out with the reason of the issue kind, quantities in base units."""
    reason, label = _reason(ISSUE_REASONS, issue.kind)
    note = _note(issue.note, label, issue.receiver_name)
    return STOCK_OUT, _document(issue.number, issue.issued_at, reason, note, _stock_items, issue.lines)


def opening_balance_transaction(doc: OpeningBalanceDoc) -> tuple[str, dict]:
    """The stock on hand per lot when a store starts: stock-in `opening-balance` (empty lots left out)."""
    lines = tuple(line for line in doc.lines if line.quantity != 0)
    if not lines:  # v2 takes no stock-in without items: a store with nothing on hand has nothing to open with
        raise NothingToReportError(f"{doc.number}: nothing on hand")
    return STOCK_IN, _document(doc.number, doc.as_of, "opening-balance", doc.note, _stock_items, lines)


def stock_taking_transaction(doc: StockTakingDoc) -> tuple[str, dict]:
    """A stock count: `stock-taking` with system and actual quantities per lot (quantity = what was counted).

    The spec lists no reason for stock counts, so none is sent.
    """
    return STOCK_TAKING, _document(doc.number, doc.counted_at, None, doc.note, _count_items, doc.lines)


def local_iso(moment: datetime) -> str:
    """ISO 8601 in Vietnam time, seconds precision: `2026-03-01T09:30:00+07:00`."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware (UTC)")
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def is_reported(drug: DrugInfo) -> bool:
    """Non-drug goods (no active ingredient and no v2 id: devices, supplies) are not reported."""
    return bool(drug.active_ingredient.strip() or drug.v2_drug_id)


class _Problems:
    """Collects every missing value of one document, so a person sees all of them at once."""

    def __init__(self):
        self.items: list[dict] = []

    def add(self, product: str | None, field: str, reason: str) -> None:
        self.items.append({"product": product, "field": field, "reason": reason})


def _document(number, moment, reason, note, build_items, lines) -> dict:
    problems = _Problems()
    reported = [line for line in lines if is_reported(line.drug)]
    if lines and not reported:
        raise NothingToReportError(f"{number}: only non-drug goods, nothing to report")
    if not reported:
        problems.add(None, "items", "the document has no lines")
    reference = (number or "").strip()
    if not reference:
        problems.add(None, "reference_number", "is missing")
    elif len(reference) > REFERENCE_LIMIT:
        problems.add(None, "reference_number", f"is {len(reference)} characters long, the limit is {REFERENCE_LIMIT}")
    if moment is None:
        problems.add(None, "transaction_date", "is missing")
    payload = {"transaction_date": local_iso(moment) if moment else None}
    if reason:
        payload["reason"] = reason
    payload |= {"reference_number": reference, "note": note,
                "items": [item for line in reported for item in build_items(problems, line)]}
    if problems.items:
        raise IncompleteDocumentError(problems.items)
    return payload


def _sale_items(problems: _Problems, line: SaleLineDoc) -> list[dict]:
    """One lot: the unit sold. Several lots: each in the base unit, so every quantity stays a whole number."""
    drug, lots = line.drug, line.allocations
    if not lots:
        problems.add(drug.name, "batch_no", "no lot was drawn for this line")
        return []
    if sum(lot.quantity for lot in lots) != line.quantity * line.unit_factor:
        problems.add(drug.name, "quantity", "the lots drawn do not add up to the quantity sold")
    # The net unit price (after discounts; v2 items carry no amount), rounded half up.
    if len(lots) == 1:
        price = divide_half_up(line.net, line.quantity)
        return [_item(problems, drug, line.unit_name, lots[0].lot, lots[0].expiry, line.quantity, price)]
    price = divide_half_up(line.net, line.quantity * line.unit_factor)
    return [_item(problems, drug, drug.base_unit, lot.lot, lot.expiry, lot.quantity, price) for lot in lots]


def _stock_items(problems: _Problems, line: StockLineDoc) -> list[dict]:
    return [_item(problems, line.drug, line.drug.base_unit, line.lot, line.expiry, line.quantity, line.unit_price)]


def _count_items(problems: _Problems, line: StockCountLineDoc) -> list[dict]:
    item = _item(problems, line.drug, line.drug.base_unit, line.lot, line.expiry, line.actual_quantity, None,
                 allow_zero=True)
    if line.system_quantity < 0:
        problems.add(line.drug.name, "system_quantity", "must not be negative")
    return [item | {"system_quantity": line.system_quantity, "actual_quantity": line.actual_quantity}]


def _item(problems: _Problems, drug: DrugInfo, unit_name: str, lot: str, expiry: date, quantity: int,
          price: int | None, *, allow_zero: bool = False) -> dict:
    product = drug.name
    if not drug.v2_drug_id:
        problems.add(product, "drug_id", "is missing (the product has no CSDL Dược v2 id)")
    unit = _unit(drug, unit_name)
    if unit is None:
        problems.add(product, "unit_id", f"is missing for the unit {unit_name!r}")
    batch = (lot or "").strip()
    if not batch:
        problems.add(product, "batch_no", "is missing")
    if expiry is None:
        problems.add(product, "expiry_date", "is missing")
    if not isinstance(quantity, int) or quantity < 0 or (quantity == 0 and not allow_zero):
        problems.add(product, "quantity", f"must be a whole number above zero, not {quantity!r}")
    item = {"drug_id": drug.v2_drug_id, "unit_id": unit.unit_id if unit else None, "quantity": quantity,
            "batch_no": batch, "expiry_date": expiry.isoformat() if expiry else None}
    if unit is not None and unit.gtin:
        item["gtin"] = unit.gtin
    if price is not None:
        item["price"] = price
    if drug.manufacturer:
        item["manufacturer"] = drug.manufacturer
    return item


def _unit(drug: DrugInfo, unit_name: str) -> V2Unit | None:
    wanted = (unit_name or "").strip().casefold()
    return next((u for u in drug.v2_units if u.unit_name.strip().casefold() == wanted), None) if wanted else None


def _reason(table: dict, kind: str) -> tuple[str, str]:
    if kind not in table:
        raise IncompleteDocumentError([{"product": None, "field": "reason",
                                        "reason": f"unknown document kind {kind!r}"}])
    return table[kind]


def _note(note: str, label: str, name: str) -> str:
    parts = [(note or "").strip(), f"{label}: {name.strip()}" if label and (name or "").strip() else ""]
    return "; ".join(p for p in parts if p)


_BUILDERS = (
    (SaleDoc, sale_transaction),
    (VoidDoc, void_transaction),
    (ReceiptDoc, receipt_transaction),
    (IssueDoc, issue_transaction),
    (OpeningBalanceDoc, opening_balance_transaction),
    (StockTakingDoc, stock_taking_transaction),
)
