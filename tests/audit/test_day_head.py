"""The store's chain head at the end of the day is on the day report (API and printed page); copied back with
`audit verify --head`, it shows the newest entries deleted even when the head file beside the backups is lost."""
from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import delete_sale, raw, verify


def day_report(shop, day=None):
    from pharmacy.clock import local_today

    response = shop["owner"].get(f"/api/v1/reconciliation?store_id={shop['store']}"
                                 f"&date={(day or local_today()).isoformat()}")
    assert response.status_code == 200, response.json
    return response.json


def erase_the_newest_sale(app, chained) -> None:
    """Delete the newest sale, its entry, rewind the head row and the numbering, and lose the head file."""
    from pharmacy.audit_trail import witness_path

    last = chained["sales"][-1]
    delete_sale(app, last["id"])
    raw(app, "DELETE FROM journal_entries WHERE kind = 'sale' AND document_id = :id", id=last["id"])
    raw(app, "UPDATE journal_heads SET seq = seq - 1, hash = (SELECT entry_hash FROM journal_entries "
             "WHERE seq = 5)")
    raw(app, "DELETE FROM document_counters")
    with app.app_context():
        witness_path().unlink()


def test_the_day_report_carries_the_head_at_the_end_of_the_day(app, chained):
    head = day_report(chained)["journal_head"]
    last = chained["sales"][-1]
    assert head["seq"] == 6 and head["document_number"] == last["number"] and head["kind"] == "sale"
    assert len(head["hash"]) == 64 and head["store_code"] == "CH01"
    assert head["head"] == f"CH01:6:{last['number']}:{head['hash']}"
    with app.app_context():
        from pharmacy.audit.models import JournalHead
        from pharmacy.extensions import db

        assert db.session.get(JournalHead, chained["store"]).hash == head["hash"]


def test_a_day_before_the_first_document_has_no_head(app, chained):
    from pharmacy.clock import local_today

    assert day_report(chained, local_today() - timedelta(days=1))["journal_head"] is None


def test_deleting_the_newest_sale_after_the_report_was_printed_is_named_with_the_head(app, chained):
    printed = day_report(chained)["journal_head"]["head"]
    erase_the_newest_sale(app, chained)
    assert verify(app).exit_code == 0  # nothing in or beside the database remembers it any more
    result = verify(app, "--head", printed)
    assert result.exit_code == 1
    last = chained["sales"][-1]["number"]
    expected = f"store CH01: DELETED {last} — entries 6–6 were deleted, up to document {last} of a printed day report"
    assert expected in result.output


@pytest.mark.parametrize("digits", [64, 12])
def test_the_head_without_its_document_number_or_with_the_short_code_still_catches_it(app, chained, digits):
    head = day_report(chained)["journal_head"]
    erase_the_newest_sale(app, chained)
    result = verify(app, "--head", f"CH01:6:{head['hash'][:digits]}")
    assert result.exit_code == 1
    assert "DELETED" in result.output and "the head of a printed day report" in result.output


def test_a_chain_rewritten_below_a_printed_head_is_named(app, chained):
    head = day_report(chained)["journal_head"]
    result = verify(app, "--store", "CH01", "--head", f"CH01:6:{'0' * 64}")
    assert result.exit_code == 1
    assert f"ALTERED {head['document_number']}" in result.output
    assert verify(app, "--head", head["head"]).exit_code == 0


@pytest.mark.parametrize("value", ["CH01:6", "CH01:x:abcdef012345", "CH01:0:abcdef012345", "CH01:6:xyz",
                                   "NOPE:6:abcdef012345"])
def test_a_bad_head_is_refused_naming_the_option(app, chained, value):
    result = verify(app, "--head", value)
    assert result.exit_code == 2 and "--head" in result.output


def test_the_printed_page_shows_the_short_code_on_screen_and_the_full_head_in_print(app, chained):
    from tests.web.test_backoffice_pages import signed_in

    head = day_report(chained)["journal_head"]
    html = signed_in(app, "owner").get("/reconciliation/day").get_data(as_text=True)
    assert f"Mục nhật ký cuối của ngày: số 6, chứng từ {head['document_number']}." in html
    assert f"{head['hash'][:12]}…" in html and html.count('id="journal-head"') == 1
    assert '<p class="print-only" id="journal-head-full">' in html and f"<code>{head['head']}</code>" in html
