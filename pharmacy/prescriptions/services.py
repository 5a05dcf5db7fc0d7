"""Recording prescriptions: national lookups kept per store and code, hand records, and re-checks that flag
differences. Flush only; the edge commits."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.eprescription.models import Prescription as NationalPrescription

from ..clock import as_utc, local_date
from ..errors import Invalid, msg
from ..stores.models import User
from . import snapshot
from .dispenses import PrescriptionDispense
from .models import DIFFERS, FOUND, MATCHES, UNVERIFIED, NationalAnswer, Prescription
from .rules import national_code

MANUAL_FIELDS = ("doctor_name", "facility_name", "patient_name", "issued_on")
OPTIONAL_FIELDS = ("patient_cccd", "diagnosis")
# A sale within this time of a lookup uses its answer instead of asking again (the pharmacist just saw it).
FRESH_FOR = timedelta(minutes=30)


def find_national(session: Session, store_id: int, code: str) -> Prescription | None:
    stmt = select(Prescription).where(Prescription.store_id == store_id, Prescription.kind == "national",
                                      Prescription.national_code == code).order_by(Prescription.id)
    return session.execute(stmt).scalars().first()


def record_prescription(session: Session, data: dict, *, store_id: int, actor: User, now: datetime,
                        field: str = "prescription") -> Prescription:
    """A national code already looked up (its stored record), a national code recorded by hand while the
    e-prescription system is unreachable (unverified, looked up again later), or a paper prescription."""
    code = national_code(data["national_code"], field=f"{field}.national_code") if data.get("national_code") else None
    if code:
        found = fresh_answer(session, code, now)
        if found is not None:
            return store_lookup(session, found, store_id=store_id, actor=actor, now=now)
        existing = find_national(session, store_id, code)
        if existing is not None:
            return existing
    missing = [name for name in MANUAL_FIELDS if not data.get(name)]
    if code and missing:
        raise Invalid(msg("This national prescription was not looked up: look it up first (or record it by hand "
                          "when the prescription system cannot be reached)."), field=f"{field}.national_code")
    if missing:
        raise Invalid(msg("A prescription needs its national code, or the doctor, clinic, patient and date."),
                      errors={f"{field}.{name}": [msg("Required.")] for name in missing})
    if data["issued_on"] > local_date(now):
        raise Invalid(msg("The prescription date is in the future."), field=f"{field}.issued_on")
    prescription = Prescription(
        store_id=store_id, kind="national" if code else "manual", national_code=code,
        lookup_status=UNVERIFIED if code else None, doctor_name=data["doctor_name"].strip(),
        facility_name=data["facility_name"].strip(), patient_name=data["patient_name"].strip(),
        issued_on=data["issued_on"], user_id=actor.id, created_at=now,
        **{name: (data.get(name) or "").strip() for name in OPTIONAL_FIELDS},
    )
    session.add(prescription)
    session.flush()
    return prescription


def store_lookup(session: Session, found: NationalPrescription, *, store_id: int, actor: User,
                 now: datetime) -> Prescription:
    """Keep the full lookup as the store's record of this code; a hand record checked this way gets its
    differences flagged and its dispensed lines matched to the prescribed lines."""
    prescription = find_national(session, store_id, found.ma_don_thuoc)
    if prescription is None:
        prescription = Prescription(store_id=store_id, kind="national", national_code=found.ma_don_thuoc,
                                    lookup_status=FOUND, user_id=actor.id, created_at=now)
        session.add(prescription)
    if prescription.lookup_status == FOUND:
        apply_answer(prescription, found)
    else:
        _settle_hand_record(session, prescription, found)
    prescription.lookup_snapshot = found.raw
    prescription.checked_at = now
    session.flush()
    return prescription


def apply_answer(prescription: Prescription, found: NationalPrescription) -> None:
    """Copy what the national answer says about patient, prescriber and date onto a record."""
    prescription.patient_name = found.ho_ten_benh_nhan
    prescription.doctor_name = found.ten_bac_si
    prescription.facility_name = found.ten_co_so_kham_chua_benh
    prescription.issued_on = snapshot.issued_on(found)
    prescription.diagnosis = "; ".join(f"{d.ma_chan_doan} {d.ten_chan_doan}".strip() for d in found.chan_doan)


def fresh_answer(session: Session, code: str, now: datetime) -> NationalPrescription | None:
    """The cached national answer for a code when it was fetched within FRESH_FOR."""
    answer = session.get(NationalAnswer, code)
    if answer is None or as_utc(answer.fetched_at) < now - FRESH_FOR:
        return None
    return snapshot.parse_prescription(answer.snapshot)


def _settle_hand_record(session: Session, prescription: Prescription, found: NationalPrescription) -> None:
    dispenses = session.execute(select(PrescriptionDispense).where(
        PrescriptionDispense.prescription_id == prescription.id)).scalars().all()
    given = [{"code": d.sale_line.product.national_code, "name": d.sale_line.product.name} for d in dispenses]
    listed = snapshot.differences(prescription, found, given)
    prescription.differences = listed
    prescription.lookup_status = DIFFERS if listed else MATCHES
    by_code = {(line.ma_thuoc or "").casefold(): line for line in found.lines if line.ma_thuoc}
    for dispense in dispenses:
        line = by_code.get((dispense.prescribed_code or "").casefold())
        if dispense.prescription_line_id is None and line is not None:
            dispense.prescription_line_id = str(line.id)
            dispense.prescribed_name = line.ten_thuoc
            dispense.sold_before = line.so_luong_ban
