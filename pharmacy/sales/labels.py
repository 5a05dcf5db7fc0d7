"""Dosage labels (compliance.md §6): a line sold out of its pack — in a unit smaller than the product's largest —
gets a 50×30 mm label per lot with name, strength, lot, expiry, directions, patient (when known) and store."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Sale


@dataclass(frozen=True)
class DosageLabel:
    product_name: str
    strength: str
    quantity: str
    lot: str
    expiry: date
    directions: str
    patient_name: str
    store_name: str


def sold_out_of_pack(line) -> bool:
    return line.unit_factor < max(unit.factor for unit in line.product.units)


def dosage_labels(sale: Sale, store_name: str) -> list[DosageLabel]:
    """One label per lot of every line sold out of its pack, in the order of the receipt."""
    patient = (sale.prescription.patient_name if sale.prescription else "") or sale.customer_name or ""
    labels = []
    for line in sale.lines:
        if not sold_out_of_pack(line):
            continue
        base = line.product.base_unit.name
        for allocation in line.allocations:
            quantity = f"{line.quantity} {line.unit_name}" if len(line.allocations) == 1 \
                else f"{allocation.quantity} {base}"
            labels.append(DosageLabel(
                product_name=line.product.name, strength=line.product.strength or "", quantity=quantity,
                lot=allocation.lot, expiry=allocation.expiry, directions=line.directions_text or "",
                patient_name=patient, store_name=store_name,
            ))
    return labels
