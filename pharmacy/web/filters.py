"""Jinja filters: VND the Vietnamese way, dd/MM/yyyy dates, times in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_currency, format_decimal
from flask import Flask
from flask_babel import gettext as _

from ..catalog.units import split_units
from ..clock import LOCAL_TZ, as_utc
from ..presenters.messages import verification_text
from ..presenters.sync import status_name

MONEY_LOCALE = "vi_VN"  # money reads the same in both UI languages: 12.500 ₫


def money(amount: int | None) -> str:
    """12500 -> '12.500 ₫' (VND has no minor unit)."""
    if amount is None:
        return ""
    return format_currency(amount, "VND", locale=MONEY_LOCALE)  # a no-break space keeps "₫" on the line


def counted(amount: int | None, unit: str = "") -> str:
    """12500, "Viên" -> '12.500 Viên': counts read like money, with their unit named."""
    if amount is None:
        return ""
    return f"{format_decimal(amount, locale=MONEY_LOCALE)} {unit}".strip()


def day(value: date | datetime | None) -> str:
    """A calendar date as dd/MM/yyyy; datetimes are first moved to the pharmacy's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(LOCAL_TZ).date()
    return value.strftime("%d/%m/%Y")


def moment(value: datetime | None) -> str:
    """A UTC timestamp shown as dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def in_line_unit(base: int | None, line) -> str:
    """Base units said in a sale line's unit, then smaller units: 381 -> '38 Vỉ 1 Viên', thousands with dots."""
    if base is None:
        return ""
    units = [(u.name, u.factor) for u in line.product.units if u.factor < line.unit_factor]
    parts = split_units(base, units + [(line.unit_name, line.unit_factor)], line.unit_name)
    return " ".join(f"{format_decimal(count, locale=MONEY_LOCALE)} {name}" for count, name in parts)


def national_system(target: str) -> str:
    """The national system an outbox message goes to, as a pharmacist names it."""
    names = {
        "national_drug_db": _("National Drug Database"),
        "eprescription": _("National e-prescription system"),
        "health_data": _("Health Data Coordination System"),
        "einvoice": _("Tax e-invoice"),
    }
    return names.get(target, target)


def einvoice_state(status: str) -> str:
    """An e-invoice's state as the counter says it."""
    names = {"pending": _("Waiting to be issued"), "sending": _("Being issued"), "sent": _("Issued by the provider"),
             "rejected": _("Refused by the provider: needs a person"), "held": _("Held: settings missing"),
             "cancelled": _("Not issued (voided before it was sent)")}
    return names.get(status, status)


def einvoice_kind(kind: str) -> str:
    names = {"original": _("Invoice"), "adjustment": _("Adjustment to zero"), "replacement": _("Replacement invoice"),
             "decrease": _("Decrease adjustment")}
    return names.get(kind, kind)


def prescription_difference(difference: dict) -> tuple[str, str, str]:
    """A difference between a hand-typed prescription and the national record, as the page shows it: what was
    compared, what was typed, what the national record says (a dispensed drug absent from the record says so)."""
    labels = {"patient_name": _("Patient"), "doctor_name": _("Doctor"), "facility_name": _("Facility"),
              "issued_on": _("Issued"), "product": _("Drug")}
    recorded, national = difference.get("recorded") or "", difference.get("national")
    if difference.get("field") == "issued_on":
        recorded, national = (_iso_day(recorded), _iso_day(national))
    if national is None:
        national = _("Not in the prescription")
    return labels.get(difference.get("field"), _("Other")), recorded, national


def _iso_day(value: str | None) -> str | None:
    try:
        return day(date.fromisoformat(value)) if value else value
    except ValueError:
        return value


def register_filters(app: Flask) -> None:
    app.add_template_global(prescription_difference, "prescription_difference")
    app.add_template_global(einvoice_state, "einvoice_state")
    app.add_template_global(einvoice_kind, "einvoice_kind")
    app.add_template_filter(national_system, "national_system")
    app.add_template_filter(money, "money")
    app.add_template_filter(day, "day")
    app.add_template_filter(counted, "counted")
    app.add_template_filter(in_line_unit, "in_line_unit")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(verification_text, "verification_text")
    app.add_template_filter(status_name, "sync_status")
