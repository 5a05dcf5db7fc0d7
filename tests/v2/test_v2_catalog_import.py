"""The catalogue from CSDL Dược v2: a paged first import, then an incremental refresh; matched, never duplicated."""
from __future__ import annotations

from sqlalchemy import func, select

from connectors.sandboxes.csdl_duoc.data import make_drug

LATER = "2026-02-01T08:00:00+07:00"


def _drugs(count: int) -> list[dict]:
    drugs = [make_drug(f"893{i:09d}", f"Thuốc mẫu {i}", units=(("Viên", None), ("Hộp", None)),
                       registration_number=f"VD-{i}-26") for i in range(10, 10 + count)]
    drugs[0]["packagings"][1]["gtin"] = "8931000000016"
    return drugs


def _product(app, **where):
    from pharmacy.catalog.models import Product
    from pharmacy.extensions import db

    with app.app_context():
        product = db.session.execute(select(Product).filter_by(**where)).scalars().one()
        result = {"id": product.id, "name": product.name, "v2_drug_id": product.v2_drug_id, "active": product.active,
                  "prescription_only": product.prescription_only, "strength": product.strength,
                  "special_control_type": product.special_control_type,
                  "units": {u.name: (u.factor, u.v2_unit_id, sorted(b.code for b in u.barcodes))
                            for u in product.units}}
        db.session.rollback()
        return result


def _count(app) -> int:
    from pharmacy.catalog.models import Product
    from pharmacy.extensions import db

    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Product)).scalar_one()


def _sync(app, v2_sandbox, **kwargs):
    from connectors.sync.lanes.v2.catalog import sync_catalog
    from pharmacy.clock import utcnow
    from pharmacy.extensions import db

    with app.app_context():
        report = sync_catalog(db.session, base_url=v2_sandbox.url, vault=app.extensions["pharmacy.vault"](),
                              now=utcnow(), page_size=3, **kwargs)
        db.session.commit()
        return report


def test_several_pages_then_an_incremental_refresh_that_changes_one_drug_and_adds_one(app, v2_world, v2_sandbox,
                                                                                      clock, v2_helpers):
    state = v2_sandbox.state
    for drug in _drugs(7):
        state.put_drug(drug, "2026-01-05T08:00:00+07:00")
    v2_helpers["switch"](app, v2_world["store"], clock())
    before = _count(app)
    first = _sync(app, v2_sandbox)
    # 3 sample drugs (two linked already, Berberin by its registration number... none: it has VD-1-23) + 7 new
    assert len(first.created) == 7 and _count(app) == before + 7
    new = _product(app, v2_drug_id="893000000010")
    assert new["units"] == {"Viên": (1, "VIEN", [])} and not new["active"]  # no price yet: not sold by accident
    assert any("Thuốc mẫu 10: unit Hộp (HOP) needs its factor" in p for p in first.problems)
    linked = _product(app, id=v2_world["drug"])
    assert linked["units"]["Hộp"] == (100, "HOP", ["8931000000016"])  # the national GTIN became a barcode

    state.update_drug("893000000011", updated_at=LATER, prescription_status=1, strength="250mg",
                      special_control_type=2)
    state.put_drug(make_drug("893000000099", "Thuốc mới", units=(("Gói", "8934567890120"),)), LATER)
    second = _sync(app, v2_sandbox)
    assert second.created == ["Thuốc mới"]
    assert list(second.updated) == ["Thuốc mẫu 11"]
    assert sorted(second.updated["Thuốc mẫu 11"]) == ["prescription_only", "special_control_type", "strength"]
    assert second.unchanged == 6  # the other drugs stamped at the inclusive watermark; the 3 older ones not read
    changed = _product(app, v2_drug_id="893000000011")
    assert (changed["prescription_only"], changed["strength"], changed["special_control_type"]) == (True, "250mg", 2)
    assert _product(app, v2_drug_id="893000000099")["units"] == {"Gói": (1, "GOI", ["8934567890120"])}
    assert _count(app) == before + 8

    third = _sync(app, v2_sandbox)  # the boundary drugs come again (inclusive) and change nothing
    assert (third.created, third.updated) == ([], {})


def test_a_local_product_is_linked_by_registration_number_not_duplicated(app, v2_world, v2_sandbox, clock,
                                                                        v2_helpers, books):
    local = books.product("Berberin (tên nhà thuốc)", national_code="TQG900777", active_ingredient="Berberin",
                          registration_no="VD-777-26")
    v2_sandbox.state.put_drug(make_drug("893000000777", "Berberin 100mg", units=(("Viên", None), ("Hộp", None)),
                                        registration_number="VD-777-26", prescription_status=1))
    v2_helpers["switch"](app, v2_world["store"], clock())
    before = _count(app)
    report = _sync(app, v2_sandbox, full=True)
    assert _count(app) == before + 0 + len(report.created)
    assert "Berberin 100mg" not in report.created
    product = _product(app, id=local)
    assert (product["v2_drug_id"], product["name"], product["prescription_only"]) == (
        "893000000777", "Berberin (tên nhà thuốc)", True)
    assert product["units"]["Hộp"][1] == "HOP"


def test_the_cli_command_imports_with_the_stores_account_and_prints_the_report(app, v2_world, v2_sandbox, clock,
                                                                               v2_helpers):
    v2_helpers["switch"](app, v2_world["store"], clock())
    app.config["CSDL_DUOC_URL"] = v2_sandbox.url
    result = app.test_cli_runner().invoke(args=["catalog", "sync-national", "--store", "CH01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created 0, updated 3, unchanged 0, problems 0")
    assert "~ Berberin 100mg: v2_drug_id, strength" in result.output  # linked by its registration number
    unknown = app.test_cli_runner().invoke(args=["catalog", "sync-national", "--store", "NOPE"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output


def test_the_scheduled_refresh_is_listed_once_v2_is_configured_and_uses_a_v2_stores_account(app, v2_world,
                                                                                            v2_sandbox, clock,
                                                                                            v2_helpers):
    from types import SimpleNamespace

    from connectors.sync.lanes.v2.catalog import CATALOG_JOB_ID, catalog_job
    from connectors.sync.scheduler import job_specs

    assert CATALOG_JOB_ID not in [spec.id for spec in job_specs(app.config)]
    app.config["CSDL_DUOC_URL"] = v2_sandbox.url
    assert CATALOG_JOB_ID in [spec.id for spec in job_specs(app.config)]
    service = SimpleNamespace(app=app)
    assert catalog_job(service) is None  # no store reports through v2 yet: nothing to read with
    v2_helpers["switch"](app, v2_world["store"], clock())
    report = catalog_job(service)
    assert "Berberin 100mg" in report.updated
    assert _product(app, id=v2_world["unlinked"])["v2_drug_id"] == "893000000003"


def test_the_demo_v2_sandbox_serves_every_store_account_and_the_sample_catalogue(app, v2_world, clock, v2_helpers):
    from connectors.sync.demo import start_demo_v2_sandbox

    served = start_demo_v2_sandbox(app)
    try:
        assert app.config["CSDL_DUOC_URL"] == served.url and app.config["SANDBOX_MODE"]
        v2_helpers["switch"](app, v2_world["store"], clock())
        report = _sync(app, served)
        assert len(report.created) > 10  # the sample catalogue, read with the store's own account
    finally:
        served.stop()
