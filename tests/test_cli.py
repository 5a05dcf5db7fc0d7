"""The command line: users, catalogue import (idempotent), demo data, migrations."""
from __future__ import annotations

from sqlalchemy import func, inspect, select, text

from pharmacy.demo import CATALOG_PATH


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def test_catalog_import_twice_updates_and_never_duplicates(app, tmp_path):
    from pharmacy.extensions import db
    from pharmacy.models import Barcode, Product

    first = run(app, "catalog", "import", str(CATALOG_PATH))
    assert first.exit_code == 0, first.output
    assert "created 58" in first.output
    changed = tmp_path / "catalog.csv"
    changed.write_text(CATALOG_PATH.read_text(encoding="utf-8").replace("Hapacol 500,", "Hapacol 500 (mới),"),
                       encoding="utf-8")
    second = run(app, "catalog", "import", str(changed))
    assert "created 0, updated 1, unchanged 57" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Product.id))) == 58
        name = db.session.scalar(select(Product.name).where(Product.national_code == "TQG000001"))
        assert name == "Hapacol 500 (mới)"
        assert db.session.scalar(select(func.count(Barcode.id))) > 58


def test_catalog_import_reports_a_bad_file(app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("national_code,name\nX,Y\n", encoding="utf-8")
    result = run(app, "catalog", "import", str(bad))
    assert result.exit_code != 0 and "base_unit" in result.output


def test_users_create_with_stores(app, books):
    books.store("CH01")
    ok = run(app, "users", "create", "lan", "--password", "long-enough", "--role", "pharmacist", "--store", "CH01")
    assert ok.exit_code == 0, ok.output
    assert books.api("lan", "long-enough").get("/api/v1/stores").json["items"][0]["code"] == "CH01"
    unknown = run(app, "users", "create", "minh", "--password", "long-enough", "--role", "pharmacist",
                  "--store", "NOPE")
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
    short = run(app, "users", "create", "hoa", "--password", "short", "--role", "owner")
    assert short.exit_code != 0 and "password" in short.output


def test_demo_seeds_a_living_pharmacy_once(app):
    from pharmacy.clock import local_today
    from pharmacy.extensions import db
    from pharmacy.models import Sale, StockLot
    from pharmacy.stock.services import ledger_mismatches

    first = run(app, "demo")
    assert "owner / owner1234" in first.output and "duocsi / duocsi1234" in first.output
    assert "already" in run(app, "demo").output
    with app.app_context():
        today = local_today()
        expiries = list(db.session.scalars(select(StockLot.expiry)))
        assert any(expiry < today for expiry in expiries)
        assert any(0 <= (expiry - today).days <= 60 for expiry in expiries)
        assert db.session.scalar(select(func.count(Sale.id))) >= 10
        assert ledger_mismatches(db.session) == []


def test_migrations_go_down_and_up_again(app):
    from flask_migrate import downgrade, upgrade

    from pharmacy.extensions import db

    def search_triggers():
        return sorted(db.session.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products'")).scalars())

    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # downgrades keep the search triggers (batch drops in place: env.py)
            kept = search_triggers()
            for revision in ("f7a1b2c3d4e5", "b0c1d2e3f4a5"):  # since the e-invoices; then through them and categories
                db.session.remove()
                downgrade(revision=revision)
                assert search_triggers() == kept and kept, revision
            db.session.remove()
        downgrade(revision="base")
        assert "sales" not in inspect(db.engine).get_table_names()
        upgrade()
        assert {"sales", "stock_lots", "outbox_messages"} <= set(inspect(db.engine).get_table_names())
