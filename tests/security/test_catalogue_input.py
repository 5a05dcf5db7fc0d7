"""One rule for units and prices in the API, the product form and the CSV import; broken CSV names line and column
and imports nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.web.test_backoffice_pages import signed_in

HEADER = ("national_code,name,active_ingredient,strength,dosage_form,route,registration_no,manufacturer,country,"
          "prescription_only,base_unit,units,barcodes,base_price,dosage\n")
GOOD = "TQG500001,Thuốc tốt,Paracetamol,500mg,Viên nén,Uống,VD-1,Công ty A,Việt Nam,0,Viên,Vỉ:10;Hộp:100,,500,\n"


def csv_row(**overrides) -> str:
    values = dict(zip(HEADER.strip().split(","), GOOD.strip().split(",")))
    values.update({"national_code": "TQG500002", "name": "Thuốc lỗi", **overrides})
    return ",".join(values.values()) + "\n"


def products(app) -> int:
    from pharmacy.extensions import db
    from pharmacy.models import Product

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Product))


def run_import(app, data: bytes | str):
    from pharmacy.catalog.importer import import_catalog
    from pharmacy.errors import Invalid
    from pharmacy.extensions import db

    raw = data.encode("utf-8") if isinstance(data, str) else data
    with app.app_context():
        stream = io.BytesIO(raw)  # as `flask catalog import` reads it
        try:
            import_catalog(db.session, stream)
            db.session.commit()
            return None
        except Invalid as exc:
            db.session.rollback()
            return exc


@pytest.mark.parametrize("data, line, column", [
    (HEADER + GOOD + csv_row(units="Hộp:-10"), 3, "units"),
    (HEADER + GOOD + csv_row(units="Hộp:0"), 3, "units"),
    (HEADER + GOOD + csv_row(base_price="-500"), 3, "base_price"),
    (HEADER + GOOD + csv_row(name="x" * 501), 3, "name"),
    (HEADER + GOOD + "TQG500002,Thuốc ngắn,Paracetamol\n", 3, "strength"),
    (HEADER + GOOD + csv_row().rstrip("\n") + ",thừa\n", 3, None),
    (HEADER + GOOD + 'TQG500002,"Tên chưa đóng,Paracetamol,500mg\n' + GOOD, 3, None),
    (HEADER + GOOD + csv_row(name="Có\x00NUL"), 3, None),
    ((HEADER + GOOD).encode() + b"TQG500002,Thu\xf4c,\xff\xfe\n", 3, "name"),
])
def test_broken_catalogue_rows_name_line_and_column_and_import_nothing(app, data, line, column):
    error = run_import(app, data)
    assert error is not None, "imported a broken file"
    assert f"Line {line}" in error.message, error.message
    if column:
        assert f"column {column}" in error.message, error.message
    assert products(app) == 0


def test_a_good_catalogue_still_imports(app):
    assert run_import(app, HEADER + GOOD) is None and products(app) == 1


@pytest.mark.parametrize("units, field", [
    ([{"name": "Viên", "factor": 1, "price": 1}, {"name": "Hộp", "factor": -10, "price": 1}], "units[1].factor"),
    ([{"name": "Viên", "factor": 1, "price": -1}], "units[0].price"),
])
def test_api_refuses_the_same_units(shop, units, field):
    response = shop["owner"].post("/api/v1/products", json={"name": "X", "units": units})
    assert response.status_code == 422 and field in response.json["errors"], response.json



@pytest.mark.parametrize("override, field", [
    ({"unit_factor": ["1", "-10"]}, "units[1].factor"),
    ({"unit_factor": ["1", "0"]}, "units[1].factor"),
    ({"unit_price": ["-500", "5000"]}, "units[0].price"),
    ({"name": "x" * 600}, "name"),
    ({"manufacturer": "y" * 5000}, "manufacturer"),
    ({"unit_name": ["Viên", "H" * 80]}, "units[1].name"),
])
def test_product_form_refuses_what_the_api_refuses_with_field_errors(app, shop, override, field):
    client = signed_in(app, "owner")
    form = {"csrf_token": client.csrf, "name": "Thuốc mới", "national_code": "", "unit_name": ["Viên", "Hộp"],
            "unit_factor": ["1", "10"], "unit_price": ["500", "5000"], "unit_barcodes": ["", ""], **override}
    before = products(app)
    response = client.post("/products/new", data=form)
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert products(app) == before
    from werkzeug.datastructures import MultiDict

    from pharmacy.catalog.services import UnitSpec
    from pharmacy.web.products import parse_form

    values, units, errors = parse_form(MultiDict([(k, v) for k, vs in form.items()
                                                  for v in (vs if isinstance(vs, list) else [vs])]))
    from pharmacy.catalog.rules import product_problems

    assert field in {**errors, **product_problems(values, units)}
    assert all(isinstance(unit, UnitSpec) for unit in units)
