"""A sale against a national prescription as the DispenseDoc both prescription reports are built from."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.documents import (
    DispenseDoc,
    DispenseLineDoc,
    IncompleteDocumentError,
    LotQuantity,
    PatientInfo,
    PharmacistInfo,
)
from connectors.healthdata.identifiers import is_cccd
from pharmacy.prescriptions.dispenses import PrescriptionDispense
from pharmacy.prescriptions.snapshot import national
from pharmacy.sales.models import Sale

from ...snapshots import drug_info, facility_for


def sold_gtin(line) -> str | None:
    """The GTIN of the pack sold (the unit's barcode), else of any unit of the product."""
    units = sorted(line.product.units, key=lambda unit: unit.name != line.unit_name)
    return next((barcode.code for unit in units for barcode in unit.barcodes
                 if not barcode.internal and barcode.code.isdigit()), None)


def dispenses_of(session: Session, sale: Sale) -> list[PrescriptionDispense]:
    return list(session.execute(select(PrescriptionDispense).where(PrescriptionDispense.sale_id == sale.id)
                                .order_by(PrescriptionDispense.sale_line_id)).scalars())


def dispense_doc(session: Session, sale: Sale, store) -> DispenseDoc:
    """Raises IncompleteDocumentError while the prescription is unverified or a given line is not on it."""
    prescription = sale.prescription
    found = national(prescription)
    if found is None:
        raise IncompleteDocumentError(["prescription recorded by hand: waiting for the e-prescription lookup"])
    missing, lines = [], []
    for line_no, dispense in enumerate(dispenses_of(session, sale), start=1):
        sale_line = dispense.sale_line
        if dispense.prescription_line_id is None:
            missing.append(f"line {line_no} ({sale_line.product.name}): "
                           f"not on national prescription {found.ma_don_thuoc}")
            continue
        prescribed = found.line(dispense.prescription_line_id)
        per_unit = max(1, sale_line.base_quantity // max(dispense.quantity, 1))
        lots = tuple(LotQuantity(a.lot, a.expiry, a.quantity // per_unit) for a in sale_line.allocations)
        lines.append(DispenseLineDoc(
            line_no=line_no, prescribed_line_id=prescribed.id, prescribed_code=prescribed.ma_thuoc,
            prescribed_name=prescribed.ten_thuoc, prescribed_quantity=prescribed.so_luong,
            drug=replace(drug_info(sale_line.product), gtin=sold_gtin(sale_line)), unit_name=dispense.unit_name,
            quantity=dispense.quantity, usage=prescribed.cach_dung, allocations=lots))
    if missing:
        raise IncompleteDocumentError(missing)
    cccd = prescription.patient_cccd or (found.ma_dinh_danh_y_te if is_cccd(found.ma_dinh_danh_y_te) else None)
    patient = PatientInfo(
        name=found.ho_ten_benh_nhan, birth_date=found.ngay_sinh_benh_nhan, gender=found.gender, cccd=cccd,
        insurance_number=found.ma_so_the_bao_hiem_y_te or None, health_id=found.ma_dinh_danh_y_te or None,
        address=found.dia_chi)
    return DispenseDoc(
        prescription_code=found.ma_don_thuoc, invoice_number=sale.number, facility=facility_for(store),
        dispensed_at=sale.created_at, pharmacist=PharmacistInfo(str(sale.user_id), sale.seller.display_name),
        patient=patient, lines=tuple(lines), prescribed_at=found.ngay_gio_ke_don,
        prescriber_name=found.ten_bac_si, prescriber_facility=found.ten_co_so_kham_chua_benh)
