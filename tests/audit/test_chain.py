"""The tamper-evident journal: each kind of tampering is named by `flask audit verify`, which exits non-zero."""
from __future__ import annotations

from sqlalchemy import func, select

from .conftest import delete_sale, raw, sell, verify


def test_untouched_chain_verifies_and_the_dashboard_keeps_the_run(app, chained):
    from pharmacy.audit.models import AuditVerification, JournalEntry
    from pharmacy.extensions import db

    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "6 entries OK" in result.output  # 3 receipts and 3 sales
    with app.app_context():
        kinds = db.session.scalars(select(JournalEntry.kind).order_by(JournalEntry.seq)).all()
        assert kinds == ["receipt"] * 3 + ["sale"] * 3
        run = db.session.scalars(select(AuditVerification)).one()
        assert run.ok and run.entries == 6


def test_altered_sale_total_is_named(app, chained):
    target = chained["sales"][1]
    raw(app, "UPDATE sales SET total = total - 100 WHERE id = :id", id=target["id"])
    result = verify(app)
    assert result.exit_code == 1
    assert f"ALTERED {target['number']}" in result.output


def test_altered_allocation_lot_is_named(app, chained):
    target = chained["sales"][0]
    raw(app, "UPDATE sale_allocations SET quantity = quantity + 1 WHERE sale_line_id IN "
             "(SELECT id FROM sale_lines WHERE sale_id = :id)", id=target["id"])
    assert f"ALTERED {target['number']}" in verify(app).output


def test_deleted_sale_is_named(app, chained):
    target = chained["sales"][1]
    delete_sale(app, target["id"])
    result = verify(app)
    assert result.exit_code == 1
    assert f"DELETED {target['number']}" in result.output


def test_deleting_the_last_sale_and_its_entry_is_caught_by_the_head(app, chained):
    last = chained["sales"][-1]
    delete_sale(app, last["id"])
    raw(app, "DELETE FROM journal_entries WHERE kind = 'sale' AND document_id = :id", id=last["id"])
    result = verify(app)
    assert result.exit_code == 1
    assert "DELETED" in result.output and chained["sales"][1]["number"] in result.output


def test_deleting_the_newest_entries_and_rewinding_the_head_is_caught_by_the_file(app, chained):
    last = chained["sales"][-1]
    delete_sale(app, last["id"])
    raw(app, "DELETE FROM journal_entries WHERE kind = 'sale' AND document_id = :id", id=last["id"])
    raw(app, "UPDATE journal_heads SET seq = seq - 1, hash = (SELECT entry_hash FROM journal_entries "
             "WHERE seq = 5)")
    raw(app, "DELETE FROM document_counters")  # even the numbering rewound: only the file outside remembers
    result = verify(app)
    assert result.exit_code == 1
    assert "DELETED" in result.output and "the head file outside the database records entry 6" in result.output


def test_inserted_sale_without_an_entry_is_named(app, chained):
    raw(app, "INSERT INTO sales (store_id, number, customer_name, payment_method, payment_status, total, "
             "discount_amount, discount_reason, user_id, created_at) SELECT store_id, 'HD-CH01-999999', '', 'cash', "
             "'paid', 1000, 0, '', user_id, created_at FROM sales ORDER BY id DESC LIMIT 1")
    result = verify(app)
    assert result.exit_code == 1
    assert "INSERTED HD-CH01-999999" in result.output


def test_an_entry_inserted_into_the_chain_breaks_it(app, chained):
    second = chained["sales"][1]
    raw(app, "UPDATE journal_entries SET seq = -seq WHERE seq >= 5 AND store_id = :s", s=chained["store"])
    raw(app, "UPDATE journal_entries SET seq = 1 - seq WHERE seq < 0 AND store_id = :s", s=chained["store"])
    raw(app, "INSERT INTO journal_entries (store_id, seq, kind, document_id, document_number, content_hash, "
             "prev_hash, entry_hash, created_at) SELECT store_id, 5, kind, document_id, document_number, "
             "content_hash, prev_hash, entry_hash, created_at FROM journal_entries WHERE seq = 4")
    result = verify(app)
    assert result.exit_code == 1
    assert second["number"] in result.output or chained["sales"][0]["number"] in result.output


def test_voids_returns_issues_and_transfers_are_chained(app, chained, books):
    from pharmacy.audit.models import JournalEntry
    from pharmacy.extensions import db

    owner = chained["owner"]
    first = chained["sales"][0]
    assert owner.post(f"/api/v1/sales/{first['id']}/void", json={"reason": "Nhầm"}).status_code in (200, 201)
    second = chained["sales"][1]
    line = second["lines"][0]["id"]
    assert owner.post(f"/api/v1/sales/{second['id']}/returns",
                      json={"lines": [{"sale_line_id": line, "quantity": 1}]}).status_code == 201
    other = books.store("CH02")
    response = owner.post("/api/v1/transfers", json={"from_store_id": chained["store"], "to_store_id": other,
                                                     "lines": [{"product_id": chained["product"], "unit": "Viên",
                                                                "quantity": 2}]})
    assert response.status_code == 201, response.json
    assert verify(app).exit_code == 0
    with app.app_context():
        kinds = set(db.session.scalars(select(JournalEntry.kind)))
        assert {"void", "return", "transfer_out"} <= kinds


def test_verify_one_store(app, chained, books):
    other = books.store("CH02")
    books.user("ds2", stores=[other])
    raw(app, "UPDATE sales SET total = 1 WHERE id = :id", id=chained["sales"][0]["id"])
    assert verify(app, "--store", "CH02").exit_code == 0
    assert verify(app, "--store", "CH01").exit_code == 1
    assert verify(app, "--store", "NOPE").exit_code != 0


def test_chain_entries_are_one_per_document_and_gap_free(app, chained):
    from pharmacy.audit.models import JournalEntry, JournalHead
    from pharmacy.extensions import db

    sell(chained["pharmacist"], chained["store"], chained["product"])
    with app.app_context():
        seqs = db.session.scalars(select(JournalEntry.seq).order_by(JournalEntry.seq)).all()
        assert seqs == list(range(1, 8))
        head = db.session.get(JournalHead, chained["store"])
        assert head.seq == 7
        assert db.session.scalar(select(func.count()).select_from(JournalEntry)) == 7


def test_price_changes_are_chained_and_a_price_changed_in_sql_is_named(app, chained):
    owner = chained["owner"]
    product = owner.get(f"/api/v1/products/{chained['product']}").json
    units = [{k: u[k] for k in ("name", "factor", "price")} for u in product["units"]]
    units[0]["price"] = 650
    assert owner.patch(f"/api/v1/products/{chained['product']}", json={"units": units}).status_code == 200
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "price list: 1 entries OK" in result.output
    raw(app, "UPDATE product_units SET price = 1 WHERE price = 650")
    result = verify(app)
    assert result.exit_code == 1 and "ALTERED GIA-000001" in result.output


def test_the_daily_backup_job_verifies_the_journal(app, chained):
    from pharmacy.audit.verification import last_verification
    from pharmacy.cli_backup import scheduled_backup
    from pharmacy.extensions import db

    raw(app, "UPDATE sales SET total = 7 WHERE id = :id", id=chained["sales"][2]["id"])
    scheduled_backup(app)
    with app.app_context():
        run = last_verification(db.session)
        assert not run.ok and chained["sales"][2]["number"] in run.message


def test_a_unit_added_then_removed_by_the_application_keeps_its_price_change(app, chained):
    base = [{"name": "Viên", "factor": 1, "price": 500}, {"name": "Vỉ", "factor": 10, "price": 5000},
            {"name": "Hộp", "factor": 100, "price": 48000}]
    for units in (base + [{"name": "Lọ", "factor": 50, "price": 20000}], base):
        response = chained["owner"].patch(f"/api/v1/products/{chained['product']}", json={"units": units})
        assert response.status_code == 200, response.json
    result = verify(app)
    assert result.exit_code == 0, result.output  # GIA-000001 (the unit Lọ added) stays: no false "deleted"
