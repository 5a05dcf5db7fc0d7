"""Sync notes and problems as sentences in the UI language, with a link to the fix (the connectors give ids and
parameters: connectors/sync/notices.py; only this layer translates them)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from connectors.sync.notices import Notice, notices_for

from ..outbox.services import STATUS_NAMES
from .messages import text

TEXTS = {
    "voided_before_sent": _("Voided before it was sent: nothing was sent."),
    "original_never_sent": _("The original document was never sent: there is nothing to cancel."),
    "waiting_for_original": _("Waiting until the original document has been sent."),
    "no_drugs": _("The document holds no drugs: nothing to report."),
    "nothing_on_hand": _("The store had nothing on hand when it switched to CSDL Dược v2: no opening balance was "
                          "needed. Its first goods receipt opens its record."),
    "deleted": _("Cancelled on the national system."),
    "nothing_to_delete": _("It was not on the national system: nothing to cancel."),
    "found_by_lookup": _("Found on the national system by a look-up."),
    "voided_never_arrived": _("Voided, and it never reached the national system: nothing was sent."),
    "sale_never_reported": _("The sale was never reported: nothing to cancel."),
    "waiting_for_sale": _("Waiting for the sale's national outcome."),
    "sale_outcome_unknown": _("The national outcome of sale %(number)s is unknown: settle it first."),
    "paper_prescription": _("Paper prescription: nothing to report."),
    "found_by_rereading": _("Found on the e-prescription system by reading the prescription again."),
    "left_v2": _("The store went back to the old API before the opening balance was sent."),
    "person_sent": _("Marked as sent by a person who found it on the national portal."),
    "local_only": _("The old national API has no such document: it is recorded in the pharmacy only."),
    "document_gone": _("The document no longer exists."),
    "login_refused": _("The national system refused the store's login: %(text)s"),
    "outcome_unknown_v2": _("Unknown outcome: the national system may have recorded %(number)s. Check it on the "
                             "CSDL Dược portal, then resend it or mark it as found."),
    "lease_expired": _("The sync worker stopped while sending: the outcome is unknown and is checked first."),
    "internal_error": _("An internal error stopped the send (%(text)s); it is tried again."),
    "dispense_undecidable": _("The e-prescription system shows only part of this dispense: check the prescription "
                               "on the national system, then resend or cancel."),
    "remote_message": _("The national system says: %(text)s"),
    "lane_not_configured": _("Not sent: the address of this national system is not configured (%(setting)s). "
                              "It is sent as soon as the setting exists."),
    "store_value_missing": _("The store has no %(field)s: fill it in the store's settings."),
    "national_code_missing": _("%(product)s has no national drug code: add it on the product page."),
    "v2_id_missing": _("%(product)s is not linked to CSDL Dược v2 (no drug id): link it on the product page."),
    "v2_unit_missing": _("%(product)s: the unit %(unit)s has no CSDL Dược v2 unit id."),
    "value_too_long": _("%(what)s: %(field)s is %(length)s characters long, at most %(limit)s are allowed."),
    "value_missing": _("%(what)s: %(field)s is missing."),
    "prescription_waiting_lookup": _("The prescription was recorded by hand: waiting for the e-prescription "
                                      "look-up."),
    "nothing_dispensed": _("Nothing was dispensed against the prescription."),
    "line_not_prescribed": _("Line %(line)s (%(product)s) is not on national prescription %(code)s."),
    "problem": _("%(what)s: %(field)s %(reason)s"),
}
STORE_FIELDS = {"facility_code": _("national facility code"), "username": _("national account name"),
                "password": _("national account password")}
# National field names a person may meet in a held document, said in words.
FIELD_LABELS = {"ham_luong": _("strength"), "lieu_dung": _("dosage"), "so_lo": _("lot number"),
                "don_vi_tinh": _("unit"), "ten_thuoc": _("drug name"), "so_dang_ky": _("registration number"),
                "so_dklh": _("registration number"), "ten_co_so_cung_cap": _("supplier name"),
                "ten_co_so_nhan": _("receiver name"), "ho_ten_nguoi_ban": _("seller name"), "ghi_chu": _("note"),
                "so_luong": _("quantity"), "quantity": _("quantity"), "batch_no": _("lot number"),
                "expiry_date": _("expiry date"), "items": _("lines")}
LINK_TEXTS = {"store": _("Store settings"), "product": _("Product page")}


def link_url(link: tuple[str, int] | None) -> str | None:
    if link is None:
        return None
    kind, target = link
    return f"/products/{target}" if kind == "product" else f"/api/v1/stores/{target}"


def sentence(notice: Notice) -> str:
    """One notice in the UI language (unknown ids fall back to the national system's own words)."""
    params = dict(notice.params)
    if "field" in params:
        labels = STORE_FIELDS if notice.code == "store_value_missing" else FIELD_LABELS
        params["field"] = str(labels.get(params["field"], params["field"]))
    params.setdefault("what", params.get("product") or str(_("Document")))
    template = TEXTS.get(notice.code, TEXTS["remote_message"])
    try:
        return str(template) % {key: "" if value is None else value for key, value in params.items()}
    except (KeyError, ValueError, TypeError):
        return str(TEXTS["remote_message"]) % {"text": params.get("text") or params.get("reason") or notice.code}


def present(message) -> list[dict]:
    """The notices of one outbox message: {code, params, text, url, link_text} for templates and the API."""
    found = notices_for(status=message.status, last_error=message.last_error, problems=message.problems,
                        store_id=message.store_id, document_number=message.document_number)
    return [{"code": notice.code, "params": dict(notice.params), "text": sentence(notice),
             "url": link_url(notice.link), "link_text": str(LINK_TEXTS[notice.link[0]]) if notice.link else None}
            for notice in found]


def status_name(status: str) -> str:
    """An outbox message's status as a person reads it: the domain's words (its refusals say the same)."""
    return text(STATUS_NAMES[status]) if status in STATUS_NAMES else status
