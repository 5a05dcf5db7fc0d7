"""Why a message is where it is, as message ids with parameters (plain Python): the web and API layers translate.

The runner stores English notes (`last_error`) and problem lists (`problems`) for support and the attempt log; a
person reads them through `notices_for()`, which names each one with a stable id, its parameters and what to fix
(the store's settings, a product page). Ids are derived here, from the stored fields, so messages written before
these ids existed read the same. Keep the notes below as the only spellings the lanes write.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Notes (last_error) written by the lanes.
VOIDED_BEFORE_SENT = "voided before it was sent: nothing sent"
ORIGINAL_NEVER_SENT = "the original document was never sent: nothing to cancel"
WAITING_FOR_ORIGINAL = "waiting for the original document's send"
NO_DRUGS = "no drugs in the document: nothing to report"
NOTHING_ON_HAND = "nothing on hand when the store switched to CSDL Dược v2: no opening balance to send"
DELETED = "deleted on the national system"
NOTHING_TO_DELETE = "not on the national system: nothing to delete"
FOUND_BY_LOOKUP = "found on the national system by look-up"
VOIDED_NEVER_ARRIVED = "voided and never arrived: nothing sent"
RECORDED = "recorded"
SALE_NEVER_REPORTED = "the sale was never reported: nothing to cancel"
WAITING_FOR_SALE = "waiting for the sale's national outcome"
SALE_OUTCOME_UNKNOWN = "the sale's national outcome is unknown: resolve it first"
VOIDED_BEFORE_V2 = "voided before the sale reached v2: nothing sent"
VOIDED_BEFORE_REPORTED = "voided before it was reported: nothing sent"
PAPER_PRESCRIPTION = "paper prescription: nothing to report"
FOUND_BY_REREADING = "found on the e-prescription system by re-reading"
LEFT_V2 = "the store went back to the legacy API before the opening balance was sent"
PERSON_SENT = "marked as sent by a person who found it on the national portal"
LOCAL_ONLY = "the legacy API has no such document: recorded locally only"

NOTES = {
    VOIDED_BEFORE_SENT: "voided_before_sent", ORIGINAL_NEVER_SENT: "original_never_sent",
    WAITING_FOR_ORIGINAL: "waiting_for_original", NO_DRUGS: "no_drugs", NOTHING_ON_HAND: "nothing_on_hand",
    DELETED: "deleted", NOTHING_TO_DELETE: "nothing_to_delete", FOUND_BY_LOOKUP: "found_by_lookup",
    VOIDED_NEVER_ARRIVED: "voided_never_arrived", SALE_NEVER_REPORTED: "sale_never_reported",
    WAITING_FOR_SALE: "waiting_for_sale", SALE_OUTCOME_UNKNOWN: "sale_outcome_unknown",
    VOIDED_BEFORE_V2: "voided_before_sent", VOIDED_BEFORE_REPORTED: "voided_before_sent",
    PAPER_PRESCRIPTION: "paper_prescription", FOUND_BY_REREADING: "found_by_rereading", LEFT_V2: "left_v2",
    PERSON_SENT: "person_sent", LOCAL_ONLY: "local_only",
}
# Notes with parameters: (pattern, id); named groups become parameters.
NOTE_PATTERNS = (
    (re.compile(r"^document not found: (?P<detail>.*)$"), "document_gone"),
    (re.compile(r"^sale #(?P<id>\d+) or its prescription not found$"), "document_gone"),
    (re.compile(r"^national login refused: (?P<text>.*)$", re.S), "login_refused"),
    (re.compile(r"^outcome unknown: the national system may have recorded (?P<number>\S+)"), "outcome_unknown_v2"),
    (re.compile(r"^the worker stopped"), "lease_expired"),
    (re.compile(r"^internal error: (?P<text>.*)$"), "internal_error"),
    (re.compile(r"^the e-prescription system shows part of this dispense"), "dispense_undecidable"),
)

# Store fields a person fills in on the store's settings page.
STORE_FIELDS = {"ma_co_so": "facility_code", "national_facility_code": "facility_code",
                "ma_dinh_danh_co_so_cung_ung_thuoc": "facility_code", "national_username": "username",
                "national_password": "password"}
TOO_LONG = re.compile(r"^is (?P<length>\d+) characters long, the limit is (?P<limit>\d+)$")
UNIT_MISSING = re.compile(r"^is missing for the unit '(?P<unit>.*)'$")
NOT_PRESCRIBED = re.compile(r"^line (?P<line>\d+) \((?P<product>.*)\): not on national prescription (?P<code>\S+)$")
NO_NATIONAL_CODE = re.compile(r"^line (?P<line>\d+) \((?P<product>.*)\): product has no national drug code$")


@dataclass(frozen=True)
class Notice:
    """One sentence to show: `code` picks the translated text, `params` fill it, `link` says where to fix it
    (`("store", id)` the store's settings, `("product", id)` the product page, None nothing to fix)."""

    code: str
    params: dict = field(default_factory=dict)
    link: tuple[str, int] | None = None


def not_configured(setting: str, system: str) -> dict:
    """The problem a lane without its address holds its messages with."""
    return {"product": None, "field": setting, "reason": "is not configured", "system": system}


def notices_for(*, status: str, last_error: str | None, problems: list | None, store_id: int | None,
                document_number: str = "") -> list[Notice]:
    """What a person should read about one outbox message (problems first: they say what to fix)."""
    if problems:
        return [problem_notice(p, store_id, document_number) for p in problems if isinstance(p, dict)]
    if last_error and status not in ("sent",):
        return [note_notice(last_error)]
    return []


def note_notice(text: str) -> Notice:
    code = NOTES.get(text)
    if code is not None:
        return Notice(code)
    for pattern, code in NOTE_PATTERNS:
        match = pattern.match(text)
        if match:
            return Notice(code, {key: value for key, value in match.groupdict().items()})
    return Notice("remote_message", {"text": text})  # the national system's own words (Vietnamese already)


def problem_notice(problem: dict, store_id: int | None, number: str = "") -> Notice:
    field_name, reason = problem.get("field") or "", problem.get("reason") or ""
    product, product_id = problem.get("product"), problem.get("product_id")
    product_link = ("product", product_id) if product_id else None
    store_link = ("store", store_id) if store_id else None
    if reason == "is not configured":
        return Notice("lane_not_configured", {"setting": field_name, "system": problem.get("system", "")})
    if "message" in problem and not field_name:  # a validation item of the national answer
        members = ", ".join(problem.get("members") or [])
        return Notice("remote_message", {"text": problem["message"] + (f" ({members})" if members else "")})
    if field_name in STORE_FIELDS or reason == "store has no national facility code":
        return Notice("store_value_missing", {"field": STORE_FIELDS.get(field_name, "facility_code")}, store_link)
    if field_name == "ma_thuoc" and reason == "is missing":
        return Notice("national_code_missing", {"product": product}, product_link)
    if field_name == "drug_id":
        return Notice("v2_id_missing", {"product": product}, product_link)
    if field_name == "unit_id" and UNIT_MISSING.match(reason):
        return Notice("v2_unit_missing", {"product": product, **UNIT_MISSING.match(reason).groupdict()},
                      product_link)
    if field_name == "outcome":
        return Notice("outcome_unknown_v2", {"number": number})
    if field_name == "original":
        return Notice("sale_outcome_unknown", {"number": reason.split(":")[0]})
    if field_name in ("national", "document") and reason:
        return note_notice(reason) if reason in NOTES else Notice("remote_message", {"text": reason})
    if field_name == "prescription":
        return _prescription_notice(reason, store_link)
    too_long = TOO_LONG.match(reason)
    if too_long:
        return Notice("value_too_long", {"product": product, "field": field_name, **too_long.groupdict()},
                      product_link or (None if product else store_link))
    if reason == "is missing":
        return Notice("value_missing", {"product": product, "field": field_name},
                      product_link or (None if product else store_link))
    return Notice("problem", {"product": product, "field": field_name, "reason": reason}, product_link)


def _prescription_notice(reason: str, store_link) -> Notice:
    if reason == "prescription recorded by hand: waiting for the e-prescription lookup":
        return Notice("prescription_waiting_lookup")
    if reason == "store has no national facility code":
        return Notice("store_value_missing", {"field": "facility_code"}, store_link)
    if reason == "nothing was dispensed":
        return Notice("nothing_dispensed")
    for pattern, code in ((NOT_PRESCRIBED, "line_not_prescribed"), (NO_NATIONAL_CODE, "national_code_missing")):
        match = pattern.match(reason)
        if match:
            return Notice(code, match.groupdict())
    return Notice("remote_message", {"text": reason})
