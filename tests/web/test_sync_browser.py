"""Chromium: the sync page's "Gửi lại" refused because the message went out meanwhile (another person's resend), at
768 and 1920 px: the refusal names the status in Vietnamese, not the raw status word, and nothing is written."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from connectors.sandboxes.kit import FAULT_400_ENVELOPE

from ..sync.conftest import clock, docs, faults, make_runner, sandbox, world  # noqa: F401 - sandbox, fixed clock
from .conftest import sign_in


@pytest.mark.parametrize("width", [768, 1920])
def test_a_resend_of_a_message_sent_meanwhile_is_refused_in_vietnamese(page, live_server, app, world, docs, faults,
                                                                      make_runner, width):
    from pharmacy.extensions import db
    from pharmacy.outbox.models import OutboxMessage

    faults.push(FAULT_400_ENVELOPE, route="post:hoa_don")
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    make_runner(concurrency=1).run_once()
    with app.app_context():
        rejected = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "rejected")).one()
        rejected_id = rejected.id
    sign_in(page, live_server, "owner")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/sync")
    resend = page.locator(f'tr[data-message="{rejected_id}"] button[type=submit]').first
    assert resend.is_visible() and resend.inner_text() == "Gửi lại"
    with app.app_context():  # meanwhile another person's resend went through
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == rejected_id).values(status="sent"))
        db.session.commit()
        updated_at = db.session.get(OutboxMessage, rejected_id).updated_at
    resend.click()
    flash = page.locator("p.flash")
    flash.wait_for()
    said = flash.inner_text()
    assert "(trạng thái: Đã gửi)" in said, said
    assert not re.search(r"\b(sent|status|rejected|held|pending)\b", said), said
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with app.app_context():  # refused: nothing written
        kept = db.session.get(OutboxMessage, rejected_id)
        assert (kept.status, kept.updated_at) == ("sent", updated_at)
