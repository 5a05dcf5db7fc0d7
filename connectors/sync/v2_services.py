"""A person's answer for a v2 submission whose outcome is unknown: it is on the portal (sent) or it is not (resend)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from pharmacy.errors import Conflict, Invalid
from pharmacy.outbox.models import OutboxAttempt, OutboxMessage

RESOLUTIONS = ("sent", "resend")


def resolve_uncertain(session: Session, message: OutboxMessage, *, resolution: str, actor: str, now: datetime,
                      remote_id: str | None = None) -> OutboxMessage:
    """Settle an uncertain message as a person found it on the national portal (flush only; the edge commits).

    `sent` with the transaction id seen on the portal resumes polling it; `sent` without one ends it as sent;
    `resend` submits it again (the person checked it is not there).
    """
    if resolution not in RESOLUTIONS:
        raise Invalid("Chọn 'sent' (đã có trên cổng quốc gia) hoặc 'resend' (gửi lại).", field="resolution")
    if message.status != "held" or not message.outcome_unknown:
        raise Conflict(f"Tin #{message.id} không ở trạng thái chưa rõ kết quả (trạng thái: {message.status}).",
                       field="status")
    remote_id = (remote_id or "").strip()
    if resolution == "sent" and remote_id:
        # Found on the portal with its transaction id: poll it, so its real outcome (even a rejection) shows here.
        message.status, message.remote_id, message.next_attempt_at = "awaiting_result", remote_id, now
        note = f"found by a person on the national portal as {remote_id}: following its status"
    elif resolution == "sent":
        message.status, message.sent_at = "sent", now
        note = "marked as sent by a person who found it on the national portal"
    else:
        message.status, message.next_attempt_at = "pending", now
        note = "resent by a person who did not find it on the national portal"
    message.outcome_unknown, message.last_error, message.problems = False, None, None
    message.updated_at = now
    session.add(OutboxAttempt(message_id=message.id, started_at=now, finished_at=now, outcome=f"person_{resolution}",
                              response_excerpt=note, remote_id=message.remote_id, worker=f"person:{actor}"[:100]))
    session.flush()
    return message
