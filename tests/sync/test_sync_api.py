"""The sync API, dashboard, CLI and schedule: what an owner sees, retries and triggers."""
from __future__ import annotations

import re

from sqlalchemy import select

from connectors.sandboxes.kit import FAULT_400_ENVELOPE
from pharmacy.outbox.models import OutboxMessage


def _setup(world, docs, faults, make_runner):
    docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    faults.push(FAULT_400_ENVELOPE, route="post:hoa_don")
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    make_runner(concurrency=1).run_once()


def test_messages_summary_retry_and_run(app, world, docs, sandbox, faults, make_runner, books, clock):
    _setup(world, docs, faults, make_runner)
    owner = books.api("owner")
    page = owner.get("/api/v1/sync/messages?status=rejected").json
    assert page["total"] == 1
    [rejected] = page["items"]
    assert rejected["document_type"] == "sale" and "Ma_co_so" in rejected["last_error"]
    assert rejected["attempt_log"][0]["http_status"] == 400
    sent = owner.get("/api/v1/sync/messages?status=sent").json["items"]
    assert all(item["remote_id"].startswith("CS-CH01.") for item in sent)
    held = owner.get("/api/v1/sync/messages?status=held").json["items"]
    assert held and held[0]["problems"][0]["product_id"] == world["uncoded"]
    summary = owner.get("/api/v1/sync/summary").json
    assert summary[0]["counts"]["rejected"] == 1 and summary[0]["counts"]["held"] == 2
    refused = owner.post(f"/api/v1/sync/messages/{sent[0]['id']}/retry")
    assert refused.status_code == 409 and "(trạng thái: Đã gửi)" in refused.json["message"]
    retried = owner.post(f"/api/v1/sync/messages/{rejected['id']}/retry")
    assert retried.status_code == 200 and retried.json["status"] == "pending"
    run = owner.post("/api/v1/sync/run")
    assert run.status_code == 202 and run.json["woken"] is False
    assert sandbox.simulator.state.count("hoa_don", rejected["document_number"]) == 0  # never sent in the request


def test_pharmacist_sees_only_own_stores(app, world, docs, books, sandbox, make_runner, faults):
    _setup(world, docs, faults, make_runner)
    other = books.store("CH02")
    books.user("ds2", stores=[other])
    stranger = books.api("ds2")
    assert stranger.get("/api/v1/sync/messages").json["total"] == 0
    assert stranger.get("/api/v1/sync/summary").json == []
    assert stranger.get(f"/api/v1/sync/messages?store_id={world['store']}").status_code == 403
    with app.app_context():
        from pharmacy.extensions import db

        message_id = db.session.execute(select(OutboxMessage.id)).scalars().first()
    assert stranger.post(f"/api/v1/sync/messages/{message_id}/retry").status_code == 404
    assert books.api("ds1").get("/api/v1/sync/messages").json["total"] > 0


def test_dashboard_lists_rejections_with_fix_links_and_national_ids(app, world, docs, sandbox, faults, make_runner):
    _setup(world, docs, faults, make_runner)
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "owner", "password": "secret-pass-1", "csrf_token": token})
    page = client.get("/sync")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The Ma_co_so field is required." in html
    assert f'href="/products/{world["uncoded"]}"' in html
    assert "CS-CH01." in html


def test_national_status_helper_for_document_pages(app, world, docs, sandbox, make_runner):
    from pharmacy.extensions import db
    from pharmacy.outbox.queries import national_status

    sale = docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    make_runner().run_once()
    with app.app_context():
        status = national_status(db.session, "sale", sale)
        assert status["status"] == "sent" and status["remote_id"].startswith("CS-CH01.")
        assert national_status(db.session, "receipt", 999) is None


def test_cli_sync_run_prints_counts(app, world, docs, sandbox):
    docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    app.config["NATIONAL_DRUG_DB_URL"] = sandbox.url
    result = app.test_cli_runner().invoke(args=["sync", "run"])
    assert result.exit_code == 0, result.output
    assert "sync pass:" in result.output and "sent=" in result.output and "held=" in result.output


def test_schedule_is_data_and_send_now_wakes_the_in_process_job(app, sandbox):
    from connectors.sync.scheduler import SYNC_JOB_ID, TIMEZONE, job_specs, start_in_process, wake

    assert [spec.id for spec in job_specs(app.config)] == [SYNC_JOB_ID]
    app.config["NATIONAL_DRUG_DB_URL"] = sandbox.url
    scheduler = start_in_process(app)
    try:
        job = scheduler.get_job(SYNC_JOB_ID)
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time == 60
        assert str(scheduler.timezone) == str(TIMEZONE)
        assert wake(app) is True
    finally:
        scheduler.shutdown(wait=True)
        scheduler.sync_service.close()
