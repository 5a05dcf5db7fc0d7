"""Looking a national prescription up: the e-prescription system's answer is cached by code (a lookup writes
nothing else); a sale or a recheck turns the answer into the store's record. Flush only; the edge commits."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from connectors.eprescription.models import Prescription as NationalPrescription

from ..errors import NotFound, Unavailable, msg
from .models import FOUND, NationalAnswer, Prescription
from .rules import national_code
from .services import MANUAL_FIELDS, apply_answer, find_national, fresh_answer

HAND_RECORD_HINT = msg("record the doctor, clinic, patient and date by hand (POST /api/v1/prescriptions or with the "
                       "sale); the system will look it up again later")



class Unreachable(Exception):
    """Raised by a Fetch when the e-prescription system cannot answer (the edge translates the connector's error)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


# Asks the e-prescription system for a code: its answer, or None when the system does not know the code.
Fetch = Callable[[str], NationalPrescription | None]


def fetch_answer(session: Session, code: str, *, fetch: Fetch | None, now: datetime,
                 field: str = "code") -> NationalPrescription:
    """Ask the e-prescription system (`fetch` is None when it is not configured) and cache its answer."""
    if fetch is None:
        raise Unavailable(msg("The national prescription system is not configured: %(hint)s.", hint=HAND_RECORD_HINT),
                          field=field, offline=True)
    try:
        found = fetch(code)
    except Unreachable as exc:
        raise Unavailable(msg("The national prescription system cannot be reached: %(hint)s.", hint=HAND_RECORD_HINT),
                          field=field, offline=True, detail=exc.detail) from None
    if found is None:
        raise NotFound(msg("Prescription %(code)s not found on the national prescription system.", code=code),
                       field=field)
    answer = session.get(NationalAnswer, found.ma_don_thuoc) or NationalAnswer(national_code=found.ma_don_thuoc)
    answer.snapshot, answer.fetched_at = found.raw, now
    session.add(answer)
    session.flush()
    return found


def preview(session: Session, raw_code: str, *, store_id: int, user_id: int, fetch: Fetch | None,
            now: datetime) -> Prescription:
    """The counter's lookup (a GET): the store's record of the code, or a new one, shown with the fresh answer
    but never saved — the object returned is transient."""
    code = national_code(raw_code, field="code")
    found = fetch_answer(session, code, fetch=fetch, now=now)
    existing = find_national(session, store_id, code)
    if existing is not None:
        shown = Prescription(**{column.key: getattr(existing, column.key)
                                for column in Prescription.__table__.columns})
    else:
        shown = Prescription(store_id=store_id, kind="national", national_code=code, lookup_status=FOUND,
                             user_id=user_id)
    if shown.lookup_status == FOUND:
        apply_answer(shown, found)
    shown.lookup_snapshot, shown.checked_at = found.raw, now
    return shown


def needs_fetch(session: Session, prescription: dict | None, *, store_id: int, now: datetime) -> str | None:
    """The normalized national code a sale names when neither a fresh answer nor the store's record of it
    exists (the sale must look it up first), else None."""
    if not prescription or not prescription.get("national_code"):
        return None
    code = national_code(prescription["national_code"], field="prescription.national_code")
    if fresh_answer(session, code, now) or find_national(session, store_id, code):
        return None
    return code


def fetch_for_sale(session: Session, code: str, prescription: dict, *, fetch: Fetch | None, now: datetime) -> None:
    """A sale's own lookup of a code never looked up. Unreachable: the sale goes on as a hand record when it
    carries the manual fields, else 503 explaining the hand record; never a list of 'required' fields."""
    try:
        fetch_answer(session, code, fetch=fetch, now=now, field="prescription.national_code")
    except Unavailable:
        if all(prescription.get(name) for name in MANUAL_FIELDS):
            return
        raise
