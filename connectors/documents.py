"""Plain snapshots of local business documents, the only input the national payload builders take.

connectors/ never imports pharmacy: the sync runner (connectors/sync) reads a document from the database at send
time and hands one of these frozen dataclasses to a payload builder. Money is integer VND, quantities are integers,
timestamps are timezone-aware UTC datetimes, dates are `datetime.date`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Facility:
    """The reporting store as the national systems know it."""

    code: str                     # national facility code (ma_co_so)
    name: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DrugInfo:
    """What the national systems need to know about a product."""

    national_code: str | None     # DQG…/TQG…/DCS… code; None when unknown (document is held)
    name: str
    active_ingredient: str = ""
    strength: str = ""
    dosage_form: str = ""
    route: str = ""
    dosage: str = ""              # usage instructions (lieu_dung)
    registration_no: str = ""
    manufacturer: str = ""
    base_unit: str = ""
    gtin: str | None = None
    v2_drug_id: str | None = None  # CSDL Dược v2 id (12 digits) where known
    v2_units: tuple[V2Unit, ...] = ()  # CSDL Dược v2 packaging units (unit_id per unit name) where known


@dataclass(frozen=True)
class LotQuantity:
    """A quantity drawn from (or put into) one lot, in base units."""

    lot: str
    expiry: date
    quantity: int
    manufactured: date | None = None


@dataclass(frozen=True)
class SaleLineDoc:
    drug: DrugInfo
    unit_name: str                # unit sold ("Hộp")
    unit_factor: int              # base units per unit sold
    unit_price: int               # VND per unit sold
    quantity: int                 # in units sold
    allocations: tuple[LotQuantity, ...] = ()
    amount: int | None = None     # VND the line nets after discounts (None: quantity × unit_price)

    @property
    def net(self) -> int:
        return self.quantity * self.unit_price if self.amount is None else self.amount


@dataclass(frozen=True)
class SaleDoc:
    number: str                   # our invoice number, the idempotency key (ma_hoa_don)
    facility: Facility
    sold_at: datetime
    seller_name: str
    customer_name: str | None
    national_prescription_code: str | None
    lines: tuple[SaleLineDoc, ...]
    total: int = 0


@dataclass(frozen=True)
class StockLineDoc:
    """A receipt or issue line, always in base units."""

    drug: DrugInfo
    lot: str
    expiry: date
    quantity: int                 # base units
    unit_price: int               # VND per base unit
    manufactured: date | None = None


@dataclass(frozen=True)
class ReceiptDoc:
    number: str
    facility: Facility
    kind: str                     # supplier | customer_return | opening | transfer_in
    received_at: datetime
    supplier_name: str = ""
    note: str = ""
    lines: tuple[StockLineDoc, ...] = ()


@dataclass(frozen=True)
class IssueDoc:
    number: str
    facility: Facility
    kind: str                     # return_to_supplier | destruction | transfer_out | recall_return
    issued_at: datetime
    receiver_name: str = ""
    note: str = ""
    lines: tuple[StockLineDoc, ...] = ()


@dataclass(frozen=True)
class VoidDoc:
    """The cancellation of an already-reported document (legacy API: a DELETE)."""

    facility: Facility
    document_type: str            # sale | receipt | issue
    number: str                   # the number of the document being cancelled
    voided_at: datetime | None = None
    reason: str = ""
    original: SaleDoc | ReceiptDoc | IssueDoc | None = field(default=None)


@dataclass(frozen=True)
class V2Unit:
    """A packaging unit of a drug as the CSDL Dược v2 catalogue knows it (`packagings[]`)."""

    unit_id: str
    unit_name: str
    gtin: str | None = None


@dataclass(frozen=True)
class OpeningBalanceDoc:
    """The stock on hand per lot when a store starts reporting (v2: stock-in `opening-balance`)."""

    number: str
    facility: Facility
    as_of: datetime
    lines: tuple[StockLineDoc, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class StockCountLineDoc:
    """One counted lot, in base units."""

    drug: DrugInfo
    lot: str
    expiry: date
    system_quantity: int          # what the books said
    actual_quantity: int          # what was counted
    manufactured: date | None = None


@dataclass(frozen=True)
class StockTakingDoc:
    """A completed stock count (v2: `stock-taking`; the legacy API has no such document)."""

    number: str
    facility: Facility
    counted_at: datetime
    note: str = ""
    lines: tuple[StockCountLineDoc, ...] = ()


@dataclass(frozen=True)
class PatientInfo:
    """The person a prescription was dispensed for, with whatever identifiers are known."""

    name: str
    birth_date: date | None = None
    gender: str | None = None     # male | female | other | unknown (FHIR AdministrativeGender); None when unknown
    cccd: str | None = None       # 12-digit citizen identity card number
    insurance_number: str | None = None   # ma_so_the_bao_hiem_y_te
    health_id: str | None = None  # ma_dinh_danh_y_te from the e-prescription
    local_id: str | None = None   # the store's own customer id, the last-resort identifier
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PharmacistInfo:
    """The pharmacist who handed the medicines over."""

    local_id: str                 # the user's id in the store
    name: str
    license_no: str | None = None  # practising certificate number (chứng chỉ hành nghề dược)


@dataclass(frozen=True)
class DispenseLineDoc:
    """One prescribed line and what was given against it now.

    `quantity` and the allocation quantities are in `unit_name`, the prescription's unit (don_vi_tinh).
    """

    line_no: int                  # 1-based position in the dispense, part of stable identifiers
    prescribed_line_id: int | str  # the prescription line's `id` (ma_thuoc_da_ke_don), as the lookup returned it
    prescribed_code: str | None   # ma_thuoc on the prescription; None when the prescriber left it out
    prescribed_name: str          # ten_thuoc on the prescription
    prescribed_quantity: int      # so_luong
    drug: DrugInfo                # what was actually given (differs from the prescription on substitution)
    unit_name: str
    quantity: int                 # given now (so_luong_ban of this dispense)
    usage: str = ""               # cach_dung
    allocations: tuple[LotQuantity, ...] = ()

    @property
    def substituted(self) -> bool:
        return self.prescribed_code is not None and self.drug.national_code != self.prescribed_code


@dataclass(frozen=True)
class DispenseDoc:
    """A sale against a national e-prescription: reported to the e-prescription system and the health data system."""

    prescription_code: str        # national prescription code, normalized (ma_don_thuoc)
    invoice_number: str           # our invoice number (ma_hoa_don), the idempotency key
    facility: Facility
    dispensed_at: datetime
    pharmacist: PharmacistInfo
    patient: PatientInfo
    lines: tuple[DispenseLineDoc, ...]
    prescribed_at: datetime | None = None
    prescriber_name: str = ""
    prescriber_facility: str = ""


def divide_half_up(amount: int, divisor: int) -> int:
    """amount / divisor rounded half up to a whole VND (amount >= 0, divisor > 0): the one rounding rule.

    It lives here, in the stdlib-only contract both sides share, because the payload builders (a price per base unit
    when a sale line is split across lots) and the domain (cost per base unit, pro-rata refunds; `pharmacy.money`
    re-exports it) must round the same way, and connectors never import pharmacy.
    """
    return (2 * amount + divisor) // (2 * divisor)


class IncompleteDocumentError(ValueError):
    """The one "cannot send yet" error: the outbox message is `held` until a person fills in what is missing.

    `problems` lists `{"product": name or None for the document itself, "field": key, "reason": text}`; a plain
    string is a document-level problem of `field` "document". `missing` gives each problem as one line of text.
    """

    def __init__(self, problems: list[dict | str], *, field: str = "document"):
        self.problems = [p if isinstance(p, dict) else {"product": None, "field": field, "reason": p}
                         for p in problems]
        self.missing = [p if isinstance(p, str) else _problem_text(p) for p in problems]
        super().__init__("; ".join(self.missing))


def _problem_text(problem: dict) -> str:
    return f"{problem['product'] or 'document'}: {problem['field']} {problem['reason']}"


class NothingToReportError(ValueError):
    """The document holds only non-drug goods, so nothing goes to the national system (the message is cancelled)."""


def priced_pieces(amount: int, pieces: list[tuple[object, int]]) -> list[tuple[object, int, int]]:
    """(piece, quantity, integer unit price) so that Σ quantity × price == `amount` exactly: every unit at
    amount // units, and the remainder's units one VND dearer, split off a piece onto a line of their own."""
    units = sum(quantity for _piece, quantity in pieces)
    price, dearer = divmod(amount, units) if units else (0, 0)
    priced = []
    for piece, quantity in pieces:
        extra = min(dearer, quantity)
        dearer -= extra
        if extra:
            priced.append((piece, extra, price + 1))
        if quantity - extra:
            priced.append((piece, quantity - extra, price))
    return priced
