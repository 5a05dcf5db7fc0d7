"""The counter's rules for a controlled drug, checked when a sale is recorded, and its ledger rows with the buyer.

A line of a controlled product (class ≠ none) needs: the store's approval for the class (a quầy thuốc never sells
narcotic, psychotropic or precursor drugs), a licensed pharmacist, a prescription — of the special form for a
narcotic (N, e-Rx suffix `n`) or psychotropic / precursor (H, suffix `h`) that is not a combination —, the buyer's
name, address and ID number, and no more than prescribed (a paper prescription's line gives `prescribed_quantity`;
a national one's line is held to the prescription by the dispensing rules)."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..errors import Forbidden, Invalid, msg
from ..stores.models import Store, User
from .classes import LABELS, PHARMACY_ONLY, class_name, form_of_code, required_form
from .models import ControlledEntry

ID_NUMBER = re.compile(r"^[0-9A-Z]{8,12}$")  # CCCD 12 digits, old CMND 9, passport 8 letters and digits


def controlled_sale(session: Session, sale, *, store: Store, actor: User, prescription, buyer: dict | None,
                    lines: list[dict], now: datetime) -> None:
    """Refuse a sale breaking a controlled-drug rule (the edge rolls it back), else write its ledger rows."""
    controlled = [(index, line) for index, line in enumerate(sale.lines) if line.product.special_control_type]
    if not controlled:
        return
    buyer = _buyer(buyer)
    form = _form(prescription)
    for index, line in controlled:
        _check_line(store, actor, prescription, form, index, line, lines[index])
    session.execute(insert(ControlledEntry), [
        {"store_id": store.id, "product_id": line.product_id, "control_type": line.product.special_control_type,
         "lot": allocation.lot, "expiry": allocation.expiry, "quantity": -allocation.quantity, "kind": "sale",
         "document_type": "sale", "document_id": sale.id, "document_number": sale.number,
         "counterparty": buyer["name"], "buyer_address": buyer["address"], "buyer_id_number": buyer["id_number"],
         "prescription_code": prescription.national_code or "", "prescription_form": form,
         "doctor_name": prescription.doctor_name, "user_id": actor.id, "created_at": now}
        for _index, line in controlled for allocation in line.allocations])


def paper_prescribed_quantity(prescription, product, line: dict) -> int | None:
    """What a sale line records as prescribed: a controlled drug's quantity on a paper prescription, else None."""
    if prescription is None or prescription.kind != "manual" or not product.special_control_type:
        return None
    return line.get("prescribed_quantity")


def _buyer(buyer: dict | None) -> dict:
    buyer = {key: ((buyer or {}).get(key) or "").strip() for key in ("name", "address", "id_number")}
    missing = {f"buyer.{key}": [msg("Required for a controlled drug.")] for key, value in buyer.items() if not value}
    if missing:
        raise Invalid(msg("A controlled drug needs the buyer's name, address and ID number."), errors=missing)
    buyer["id_number"] = buyer["id_number"].upper()
    if not ID_NUMBER.match(buyer["id_number"]):
        raise Invalid(msg("An ID number has 8 to 12 letters or digits."), field="buyer.id_number")
    return buyer


def _form(prescription) -> str:
    if prescription is None:
        raise Invalid(msg("A controlled drug is sold only against a prescription."), field="prescription")
    return form_of_code(prescription.national_code) if prescription.national_code else prescription.form


def seller_refusal(store: Store, actor: User, product, field: str) -> Invalid | Forbidden | None:
    """Why this store or seller may not sell a controlled product at all (its type, its approvals, the seller's
    licence), or None: the sale raises it, the counter's preview shows it on the line as soon as it is scanned."""
    name = class_name(product.special_control_type)
    if name in PHARMACY_ONLY and store.store_type != "nha_thuoc":
        return Invalid(msg("A drug counter (quầy thuốc) may not sell %(class)s drugs: %(product)s.",
                           **{"class": LABELS[name], "product": product.name}), field=field, control_class=name)
    if name not in (store.approved_control_classes or []):
        return Invalid(msg("This store has no approval to sell %(class)s drugs: %(product)s.",
                           **{"class": LABELS[name], "product": product.name}), field=field, control_class=name)
    if not actor.licensed_pharmacist:
        return Forbidden(msg("Only a licensed pharmacist dispenses %(class)s drugs.", **{"class": LABELS[name]}),
                         field=field, control_class=name)
    return None


def controlled_preview(preview, *, store: Store, actor: User) -> None:
    """The counter's preview (pharmacy/sales/cart.py): a controlled line this store or seller may not sell gets the
    problem `controlled` with the sentence the sale would refuse it with."""
    for line in preview.lines:
        if line.problem or line.product is None or not line.product.special_control_type:
            continue
        refusal = seller_refusal(store, actor, line.product, f"lines[{line.index}].product_id")
        if refusal is not None:
            line.problem, line.message = "controlled", refusal.message


def _check_line(store: Store, actor: User, prescription, form: str, index: int, line, item: dict) -> None:
    product = line.product
    name = class_name(product.special_control_type)
    refusal = seller_refusal(store, actor, product, f"lines[{index}].product_id")
    if refusal is not None:
        raise refusal
    wanted = required_form(product)
    if wanted and form != wanted:
        raise Invalid(msg("%(product)s needs a prescription on form %(form)s.", product=product.name, form=wanted),
                      field="prescription.national_code" if prescription.national_code else "prescription.form",
                      control_class=name)
    if prescription.kind == "manual":
        prescribed = item.get("prescribed_quantity")
        if prescribed is None:
            raise Invalid(msg("Enter the quantity the prescription gives for %(product)s.", product=product.name),
                          field=f"lines[{index}].prescribed_quantity")
        if line.quantity > prescribed:
            raise Invalid(msg("The prescription gives only %(prescribed)s %(unit)s of %(product)s.",
                              prescribed=prescribed, unit=line.unit_name, product=product.name),
                          field=f"lines[{index}].quantity", control_class=name)
