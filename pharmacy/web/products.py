"""Products pages: search, create and edit (units, barcodes, prices, prescription flag), and barcode labels."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..catalog.models import Product
from ..catalog.search import search_products
from ..catalog.services import UnitSpec, create_product, get_product, give_house_code, update_product
from ..errors import DomainError
from ..extensions import db
from ..presenters.messages import error_text, error_texts
from ..scanning.labels import InvalidBarcodeValue, label_svg
from ..text import nfc
from .category_views import all_categories, chosen_category

bp = Blueprint("catalog", __name__, url_prefix="/products")

TEXT_FIELDS = ("name", "national_code", "active_ingredient", "strength", "dosage_form", "route", "registration_no",
               "manufacturer")


def require_owner_page() -> None:
    if not current_user.is_owner:
        abort(403)


@bp.route("/")
@login_required
def index():
    query = request.args.get("q", "").strip()
    category_id = chosen_category()
    if query:
        products = search_products(db.session, query, limit=100, include_inactive=True, category_id=category_id)
    else:
        stmt = db.select(Product).order_by(Product.name).limit(100)
        if category_id is not None:
            stmt = stmt.where(Product.category_id == category_id)
        products = list(db.session.execute(stmt).scalars())
    return render_template("products.html", products=products, q=query, categories=all_categories(),
                           category_id=category_id)


def _int(value: str, field: str, errors: dict) -> int:
    try:
        number = int(value.replace(".", "").replace(" ", ""))
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return 0
    if number < 0:
        errors.setdefault(field, []).append(_("Enter a whole number."))
    return number


def parse_form(form) -> tuple[dict, list[UnitSpec], dict]:
    """The product values and unit rows of the form, plus per-field errors for malformed numbers."""
    errors: dict[str, list[str]] = {}
    values = {name: nfc(form.get(name, "")).strip() for name in TEXT_FIELDS}
    values["national_code"] = values["national_code"] or None
    values["prescription_only"] = form.get("prescription_only") == "on"
    values["active"] = form.get("active", "on") == "on"
    values["category_id"] = int(form["category_id"]) if form.get("category_id", "").isdigit() else None
    if not values["name"]:
        errors["name"] = [_("Required.")]
    units = []
    rows = zip(form.getlist("unit_name"), form.getlist("unit_factor"), form.getlist("unit_price"),
               form.getlist("unit_barcodes"), strict=False)  # a browser sends every column of every row
    for index, (name, factor, price, codes) in enumerate(rows):
        if not name.strip():
            continue
        units.append(UnitSpec(
            name=nfc(name).strip(), factor=_int(factor, f"units[{index}].factor", errors),
            price=_int(price, f"units[{index}].price", errors), barcodes=codes.replace(",", " ").split(),
        ))
    return values, units, errors


def _save(product: Product | None):
    values, units, errors = parse_form(request.form)
    if not errors:
        try:
            with db.session.begin_nested():
                if product is None:
                    product = create_product(db.session, values, units)
                else:
                    update_product(db.session, product, values, units)
            db.session.commit()
            return redirect(url_for("catalog.edit", product_id=product.id, saved=1))
        except DomainError as exc:
            db.session.rollback()
            errors, message = error_texts(exc), error_text(exc)
    else:
        message = _("Please correct the marked fields.")
    return render_template("product_form.html", product=product, form=request.form, units=units,
                           errors=errors, message=message, categories=all_categories()), 422


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require_owner_page()
    if request.method == "POST":
        return _save(None)
    return render_template("product_form.html", product=None, form={}, units=[], errors={}, message=None,
                           categories=all_categories())


@bp.route("/<int:product_id>", methods=["GET", "POST"])
@login_required
def edit(product_id: int):
    product = _product(product_id)
    if request.method == "POST":
        require_owner_page()
        return _save(product)
    units = [UnitSpec(u.name, u.factor, u.price, [b.code for b in u.barcodes]) for u in product.units]
    return render_template("product_form.html", product=product, form=product_form_values(product), units=units,
                           errors={}, message=_("Saved.") if request.args.get("saved") else None,
                           categories=all_categories())


def _product(product_id: int) -> Product:
    try:
        return get_product(db.session, product_id)
    except DomainError:
        abort(404)


def product_form_values(product: Product) -> dict:
    values = {name: getattr(product, name) or "" for name in TEXT_FIELDS}
    values.update(prescription_only="on" if product.prescription_only else "", active="on" if product.active else "",
                  category_id=str(product.category_id or ""))
    return values


@bp.route("/<int:product_id>/house-code", methods=["POST"])
@login_required
def house_code(product_id: int):
    """Give a unit of a product without a manufacturer barcode our in-house EAN-13, then show its labels."""
    require_owner_page()
    product = _product(product_id)
    give_house_code(db.session, product, request.form.get("unit"))
    db.session.commit()
    return redirect(url_for("catalog.labels", product_id=product.id))


def symbology_of(code: str) -> str:
    return "ean13" if len(code) == 13 and code.isdigit() else "code128"


@bp.route("/<int:product_id>/labels")
@login_required
def labels(product_id: int):
    """A page of labels to print: each barcode of the product with name, unit and price."""
    product = _product(product_id)
    copies = min(max(request.args.get("copies", 12, type=int), 1), 200)
    items = []
    for unit in product.units:
        for barcode in unit.barcodes:
            try:
                svg = label_svg(barcode.code, symbology_of(barcode.code))
            except InvalidBarcodeValue:
                svg = label_svg(barcode.code, "code128")
            inline = Markup(svg[svg.index("<svg"):])  # drop the XML prolog; python-barcode drew it from a checked code
            items.append({"unit": unit, "code": barcode.code, "internal": barcode.internal, "svg": inline})
    return render_template("labels.html", product=product, items=items, copies=copies)
