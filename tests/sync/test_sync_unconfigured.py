"""A lane without its address holds its messages with a clear reason; nothing crashes (issue 10, item 2)."""
from __future__ import annotations

import pytest

from connectors.sync.runner import SyncRunner


@pytest.fixture
def no_addresses(app):
    """A deployment that set no national address at all (no sandbox either)."""
    for key in ("NATIONAL_DRUG_DB_URL", "CSDL_DUOC_URL", "ERX_URL", "HEALTH_DATA_URL"):
        app.config.pop(key, None)
    return app


def _messages(app):
    from sqlalchemy import select

    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    with app.app_context():
        rows = [(m.document_number, m.status, m.problems)
                for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
        db.session.rollback()
    return rows


def test_without_the_legacy_address_the_runner_holds_its_messages_with_the_reason(
        no_addresses, world, docs, sandbox, clock, sync_helpers):
    docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    runner = SyncRunner.from_app(no_addresses, clock=clock)
    try:
        summary = runner.run_once()
    finally:
        runner.close()
    assert "not configured" in summary.describe() and "NATIONAL_DRUG_DB_URL" in summary.describe()
    rows = {number: (status, problems) for number, status, problems in _messages(no_addresses)}
    assert {status for status, _ in rows.values()} == {"held"}
    for number in ("HD-CH01-000001", "PN-CH01-000001"):  # complete documents: only the address is missing
        assert rows[number][1] == [{"product": None, "field": "NATIONAL_DRUG_DB_URL", "reason": "is not configured",
                                    "system": "legacy"}]
    assert rows["PN-CH01-000005"][1][0]["field"] == "ma_thuoc"  # what a person must fix is said first

    # Once the address is set, the held messages go out on the next pass.
    runner = SyncRunner.from_app(no_addresses, base_url=sandbox.url, clock=clock)
    try:
        sync_helpers["drain"](no_addresses, runner, clock)
    finally:
        runner.close()
    rows = {number: status for number, status, _ in _messages(no_addresses)}
    assert rows["HD-CH01-000001"] == rows["PN-CH01-000001"] == "sent"


def test_sync_run_without_any_address_prints_readable_lines_and_no_traceback(no_addresses, world):
    result = no_addresses.test_cli_runner().invoke(args=["sync", "run"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None
    assert "not configured" in result.output and "NATIONAL_DRUG_DB_URL" in result.output
    assert "store CH01: held=" in result.output  # the store's code, not its id


def test_the_sync_api_shows_why_a_message_is_held(no_addresses, world, books):
    runner = SyncRunner.from_app(no_addresses)
    try:
        runner.run_once()
    finally:
        runner.close()
    items = {item["document_number"]: item
             for item in books.api("owner").get("/api/v1/sync/messages?status=held").json["items"]}
    notice = items["PN-CH01-000001"]["notices"][0]
    assert notice["code"] == "lane_not_configured" and "NATIONAL_DRUG_DB_URL" in notice["text"]
    uncoded = items["PN-CH01-000005"]["notices"][0]
    assert uncoded["code"] == "national_code_missing" and uncoded["url"] == f"/products/{world['uncoded']}"


def test_python_app_py_starts_no_simulator_beside_a_real_address(no_addresses, world):
    from connectors.sync.demo import start_sync_targets

    no_addresses.config["CSDL_DUOC_URL"] = "http://127.0.0.1:9/v2"  # a real (here: unreachable) v2 address
    lines = start_sync_targets(no_addresses)
    assert not no_addresses.config.get("NATIONAL_DRUG_DB_URL") and not no_addresses.config.get("SANDBOX_MODE")
    assert any("legacy" in line and "NATIONAL_DRUG_DB_URL" in line for line in lines)
    assert not any("v2" in line for line in lines)


def test_every_send_outcome_is_logged_with_store_number_and_outcome(app, world, docs, make_runner, sync_helpers,
                                                                    clock, caplog):
    import logging

    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    with caplog.at_level(logging.INFO, logger="connectors.sync.runner"):
        sync_helpers["drain"](app, make_runner(), clock)
    lines = [r.getMessage() for r in caplog.records if r.name == "connectors.sync.runner"]
    assert f"sync legacy: store {world['store']} HD-CH01-000001 -> sent" in lines
    assert not any("pass" in line and "secret" in line for line in lines)
