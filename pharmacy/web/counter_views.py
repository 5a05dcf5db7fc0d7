"""The counter page (bán hàng) and the 80 mm receipt of a sale."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..controlled.classes import LABELS
from ..einvoices.queries import einvoice_summary
from ..extensions import db
from ..presenters.messages import text
from ..sales.labels import dosage_labels, sold_out_of_pack
from ..sales.models import Sale
from ..shifts.services import open_shift_of
from ..stores.models import Store
from .context import current_store

bp = Blueprint("pos", __name__)


def js_strings() -> dict[str, str]:
    """Every sentence the counter's JS shows, translated on the server (one catalog for both)."""
    return {
        "no_stock": _("No stock of this product in this store."),
        "only_expired": _("Only expired stock: it cannot be sold. Destroy it from the stock page."),
        "insufficient": _("Not enough sellable stock for this quantity."),
        "shortage": _("Not enough stock: %(need)s wanted, %(have)s can be sold."),
        "on_hand": _("on hand"),
        "out_of_stock": _("out of stock"),
        "unit": _("Unit"),
        "qty": _("Qty"),
        "lot_unknown": _("The scanned lot is not in this store's stock."),
        "lot_expired": _("The scanned lot has expired: it cannot be sold."),
        "unknown_unit": _("This product has no such unit."),
        "unknown_product": _("Unknown product."),
        "near_expiry": _("expires soon"),
        "rx": _("Prescription only"),
        "rx_needed": _("Prescription-only drug in the cart: enter the prescription (F7) before payment."),
        "rx_saved": _("Prescription recorded."),
        "fix_lines": _("Some lines cannot be sold as they are (see the marks): change or remove them first."),
        "empty_cart": _("The cart is empty: scan a product first."),
        "searching": _("Searching…"),
        "no_results": _("Nothing found for"),
        "pick_result": _("↑/↓ to choose, Enter to add, Esc to close"),
        "added": _("Added"),
        "lot_not_in_stock": _(
            "Scanned lot %(lot)s is not in this store's stock: lots are taken first-expiry-first-out."),
        "lot_pick": _("The scanner did not send separators: choose the lot printed on the pack, or type it."),
        "lot_required": _("Type the lot printed on the pack."),
        "change": _("Change"),
        "short": _("Not enough cash tendered."),
        "paying": _("Recording the sale…"),
        "removed": _("Line removed."),
        "cart_cleared": _("Cart cleared."),
        "stock": _("sellable"),
        "lot": _("Lot"),
        "exp": _("exp."),
        "fefo": _("FEFO"),
        "cash": _("Cash"),
        "bank_transfer": _("Bank transfer"),
        "card": _("Card"),
        "non_ascii": _("The scan has Vietnamese letters: switch Unikey/EVKey to English (E) mode for the scanner."),
        "missing_separator": _("The scanner dropped separators; check the lot."),
        "directions": _("Directions"),
        "directions_hint": _("Directions: S1 C1 SA x5, 1-0-1-0 or text"),
        **rx_strings(),
        **commerce_strings(),
    }


def commerce_strings() -> dict[str, str]:
    """Customers and bank transfers at the counter (static/js/counter/customer.js, transfer.js)."""
    return {
        "customer": _("Customer"),
        "allergies": _("Allergies"),
        "customer_new": _("New customer: type the name, then Enter."),
        "awaiting_transfer": _("Waiting for the bank transfer…"),
        "transfer_abandoned": _("Customer left without paying the transfer"),
        "transfer_voided": _("The sale was voided."),
        "line_discount": _("Discount on the line"),
        "discount_hint": _("percent or amount"),
        "discount_invalid": _("Type a discount as a percent (10%) or an amount in VND (5.000)."),
        "needs_approval": _("The discount is above your limit of %(max)s: the owner approves it with their "
                            "password."),
    }


def rx_strings() -> dict[str, str]:
    """The national prescription part of the counter (static/js/counter/prescription.js)."""
    return {
        "rx_by_hand": _("Look the code up (Enter in the code box); if the system is unreachable, type the doctor, "
                        "facility, patient and date by hand."),
        "rx_looking": _("Looking the prescription up…"),
        "rx_offline": _("The e-prescription system is unreachable: type the details below by hand and sell; "
                        "the prescription is looked up again later."),
        "rx_filled": _("Cart filled from the prescription."),
        "rx_nothing": _("Nothing left to give on this prescription."),
        "rx_patient": _("Patient"), "rx_doctor": _("Doctor"), "rx_facility": _("Facility"),
        "rx_diagnosis": _("Diagnosis"), "rx_issued": _("Issued"), "rx_valid_until": _("valid until"),
        "rx_follow_up": _("Follow-up"), "rx_advice": _("Advice"),
        "rx_expired": _("Older than its validity: check with the prescriber before dispensing."),
        "rx_controlled": _("Controlled drugs (narcotic or psychotropic prescription): follow the special rules."),
        "rx_fully_dispensed": _("Everything prescribed has been given."),
        "rx_no_product": _("Not in the catalogue: choose a product"),
        "rx_skip": _("do not give"),
        "rx_confirm": _("confirm the product"),
        "rx_reason": _("Reason for the substitution (pharmacist)"),
        "rx_reason_needed": _("A different product than prescribed needs a reason."),
        **controlled_strings(),
    }


def controlled_strings() -> dict[str, str]:
    """A controlled drug on a paper prescription (static/js/counter/controlled.js)."""
    return {
        "controlled_class": _("%(class)s drug"),
        "controlled_form": _("prescription form %(form)s"),
        "controlled_prescribed": _("Quantity prescribed"),
        "controlled_whole": _("Type the prescribed quantity as a whole number."),
        **{f"class_{name}": text(label) for name, label in LABELS.items()},
    }


@bp.route("/counter")
@login_required
def counter():
    store = current_store()
    return render_template(
        "counter.html", store=store, strings=js_strings(),
        sandbox_bank=bool(current_app.config.get("SANDBOX_MODE") and current_app.config.get("BANK_WEBHOOK_KEY")),
        near_expiry_days=current_app.config["NEAR_EXPIRY_DAYS"],
        needs_shift=store.require_shift and open_shift_of(db.session, user_id=current_user.user.id,
                                                          store_id=store.id) is None,
    )


def sale_for_page(sale_id: int) -> Sale:
    sale = db.session.get(Sale, sale_id)
    if sale is None or not current_user.can_access_store(sale.store_id):
        abort(404)
    return sale


@bp.route("/sales/<int:sale_id>/receipt")
@login_required
def receipt(sale_id: int):
    sale = sale_for_page(sale_id)
    return render_template("receipt.html", sale=sale, store=db.session.get(Store, sale.store_id),
                           has_labels=any(sold_out_of_pack(line) for line in sale.lines),
                           einvoice=einvoice_summary(db.session, sale.id))


@bp.route("/sales/<int:sale_id>/dosage-labels")
@login_required
def dosage_label_page(sale_id: int):
    """50×30 mm labels for what was sold out of its pack (printed from the receipt)."""
    sale = sale_for_page(sale_id)
    store = db.session.get(Store, sale.store_id)
    return render_template("dosage_labels.html", sale=sale, labels=dosage_labels(sale, store.name))
