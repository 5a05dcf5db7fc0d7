"""`flask backup create | verify | restore` on the configured database (SQLite or PostgreSQL) (issue 12.11)."""
from __future__ import annotations

import os
import stat

from sqlalchemy import select

from ..conftest import make_app, requires_sqlite


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["backup", *args])


def sell(shop, quantity=1):
    response = shop["pharmacist"].post("/api/v1/sales", json={
        "store_id": shop["store"], "lines": [{"product_id": shop["product"], "unit": "Viên", "quantity": quantity}]})
    assert response.status_code == 201, response.json
    return response.json["number"]


def sale_numbers(app):
    from pharmacy.extensions import db
    from pharmacy.models import Sale

    with app.app_context():
        return sorted(db.session.scalars(select(Sale.number)))


def test_create_verify_and_restore_round_trip(shop, app, tmp_path):
    first = sell(shop)
    target = tmp_path / "copies" / "shop-backup"
    made = cli(app, "create", str(target))
    assert made.exit_code == 0, made.output
    assert "sales 1" in made.output
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(target.with_name("shop-backup.json").stat().st_mode) == 0o600
    checked = cli(app, "verify", str(target))
    assert checked.exit_code == 0 and "backup OK" in checked.output and "sales 1" in checked.output
    second = sell(shop)
    refused = cli(app, "restore", str(target))
    assert refused.exit_code != 0 and "newer" in refused.output and "force" in refused.output
    assert sale_numbers(app) == sorted([first, second])
    restored = cli(app, "restore", str(target), "--force")
    assert restored.exit_code == 0, restored.output
    assert sale_numbers(app) == [first]
    assert list((tmp_path / "instance" / "backups").glob("pre-restore-*")), "the replaced database was kept"
    assert sell(shop) == second  # the shop sells on with the restored numbering

    from pharmacy.extensions import db
    from pharmacy.stock.services import ledger_mismatches

    with app.app_context():
        assert ledger_mismatches(db.session) == []


def test_restore_of_an_up_to_date_backup_needs_no_force(shop, app, tmp_path):
    sell(shop)
    target = tmp_path / "latest"
    assert cli(app, "create", str(target)).exit_code == 0
    assert cli(app, "restore", str(target)).exit_code == 0


def test_a_damaged_or_foreign_file_is_refused_with_a_reason(shop, app, tmp_path):
    target = tmp_path / "good"
    assert cli(app, "create", str(target)).exit_code == 0
    damaged = tmp_path / "damaged"
    data = bytearray(target.read_bytes())
    cut = len(data) * 2 // 3
    damaged.write_bytes(bytes(data[:cut]))
    result = cli(app, "verify", str(damaged))
    assert result.exit_code != 0 and "damaged" in result.output
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    result = cli(app, "verify", str(text_file))
    assert result.exit_code != 0 and "not a pharmacy-pos backup" in result.output
    assert cli(app, "verify", str(tmp_path / "missing")).exit_code != 0
    exists = cli(app, "create", str(target))
    assert exists.exit_code != 0 and "already exists" in exists.output
    assert cli(app, "restore", str(damaged), "--force").exit_code != 0
    assert len(sale_numbers(app)) == 0  # nothing changed


def test_restore_makes_unsent_messages_outcome_unknown(shop, app, tmp_path):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    sell(shop)
    target = tmp_path / "with-outbox"
    assert cli(app, "create", str(target)).exit_code == 0
    assert cli(app, "restore", str(target)).exit_code == 0
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage)).all()
        assert messages and all(message.status == "sending" and message.outcome_unknown for message in messages)


def test_scheduled_backups_keep_the_newest_n(shop, app, tmp_path):
    from pharmacy.backup.services import prune
    from pharmacy.cli_backup import scheduled_backup

    app.config["BACKUP_KEEP"] = 2
    directory = tmp_path / "instance" / "backups"
    directory.mkdir(parents=True, exist_ok=True)
    for day in (1, 2, 3):
        (directory / f"pharmacy-2026010{day}-230000.db").write_bytes(b"old")
        (directory / f"pharmacy-2026010{day}-230000.db.json").write_text("{}")
    made = scheduled_backup(app)
    remaining = sorted(path.name for path in directory.iterdir())
    assert remaining == sorted(["pharmacy-20260103-230000.db", "pharmacy-20260103-230000.db.json",
                                made.name, made.name + ".json", "journal-heads.log"])  # the chain heads stay
    assert prune(directory, 0) == []


def test_backup_job_is_scheduled_daily_unless_turned_off(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    from pharmacy.cli_backup import BACKUP_JOB_ID, schedule_daily_backup

    scheduler = BackgroundScheduler()
    assert schedule_daily_backup(scheduler, app)
    assert "hour='23'" in str(scheduler.get_job(BACKUP_JOB_ID).trigger)
    app.config["BACKUP_KEEP"] = 0
    assert not schedule_daily_backup(BackgroundScheduler(), app)


@requires_sqlite
def test_restore_onto_a_new_machine_creates_a_private_database(shop, app, tmp_path):
    from pharmacy.extensions import db

    sell(shop)
    backup = tmp_path / "to-move"
    assert cli(app, "create", str(backup)).exit_code == 0
    fresh = tmp_path / "new-pc" / "pharmacy.db"
    other = make_app(f"sqlite:///{fresh}", tmp_path / "new-instance")
    restored = cli(other, "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert len(sale_numbers(other)) == 1
    if os.name == "posix":
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    with other.app_context():
        db.engine.dispose()
