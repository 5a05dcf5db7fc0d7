"""Verification findings are message ids with parameters: English on the console, the UI language on the pages
and in the API; a run kept before (its Vietnamese text, no findings) still reads."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import raw, verify

VI = "cửa hàng CH01: bị sửa — nội dung chứng từ {number} đã bị sửa sau khi ghi"
EN = "store CH01: altered — the content of document {number} was altered after it was written"


@pytest.fixture
def tampered(app, chained):
    target = chained["sales"][1]
    raw(app, "UPDATE sales SET total = total - 100 WHERE id = :id", id=target["id"])
    return {**chained, "number": target["number"]}


def test_the_console_prints_english(app, tampered):
    result = verify(app)
    assert result.exit_code == 1
    number = tampered["number"]
    assert f"store CH01: ALTERED {number} — the content of document {number} was altered after it was written" \
        in result.output
    assert "chứng từ" not in result.output


def test_the_run_keeps_the_message_id_and_its_parameters(app, tampered):
    from pharmacy.audit.verification import last_verification
    from pharmacy.extensions import db

    verify(app)
    with app.app_context():
        run = last_verification(db.session)
        assert run.findings[0]["msgid"] == "%(chain)s: %(problem)s — %(detail)s"
        assert run.findings[0]["params"]["detail"] == {
            "msgid": "the content of document %(document)s was altered after it was written",
            "params": {"document": tampered["number"]}}
        assert run.message == EN.format(number=tampered["number"])


@pytest.mark.parametrize("locale, expected", [(None, VI), ("en", EN)])
def test_the_api_answers_in_the_ui_language(app, tampered, locale, expected):
    owner = tampered["owner"]
    if locale:
        owner.client.set_cookie("locale", locale)
    run = owner.post("/api/v1/audit/verification")
    assert run.status_code == 201 and run.json["ok"] is False
    assert run.json["message"] == expected.format(number=tampered["number"])
    assert owner.get("/api/v1/audit/verification").json["message"] == expected.format(number=tampered["number"])


@pytest.mark.parametrize("locale, expected", [("vi", VI), ("en", EN)])
def test_the_pages_show_the_finding_in_the_session_language(app, tampered, locale, expected):
    from tests.web.test_backoffice_pages import signed_in

    verify(app)
    client = signed_in(app, "owner")
    client.set_cookie("locale", locale)
    for page in ("/audit", "/dashboard"):
        html = client.get(page).get_data(as_text=True)
        assert expected.format(number=tampered["number"]) in html, page


def test_an_intact_run_reads_in_both_languages(app, chained):
    from pharmacy.audit.verification import last_verification, run_messages
    from pharmacy.extensions import db
    from pharmacy.presenters.messages import verification_text

    assert verify(app).exit_code == 0
    with app.app_context(), app.test_request_context():
        run = last_verification(db.session)
        assert run.findings == [] and str(run_messages(run)[0]) == "The journal chain is intact."
        assert verification_text(run) == "Chuỗi nhật ký nguyên vẹn."


def test_a_run_kept_before_findings_shows_its_stored_text(app, chained):
    from pharmacy.audit.models import AuditVerification
    from pharmacy.extensions import db
    from tests.web.test_backoffice_pages import signed_in

    old = "cửa hàng CH01: bị sửa — nội dung chứng từ HD-CH01-000001 đã bị sửa sau khi ghi"
    with app.app_context():
        db.session.add(AuditVerification(at=datetime(2026, 11, 1, tzinfo=UTC), ok=False, entries=3, message=old))
        db.session.commit()
    assert chained["owner"].get("/api/v1/audit/verification").json["message"] == old
    assert old in signed_in(app, "owner").get("/audit").get_data(as_text=True)
