"""A person's answer for a v2 submission whose outcome is unknown: it is on the portal (sent) or it is not (resend)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from pharmacy.errors import Conflict, Invalid
from pharmacy.outbox.models import OutboxAttempt, OutboxMessage

RESOLUTIONS = ("sent", "resend")


def resolve_uncertain(session: Session, message: OutboxMessage, *, resolution: str, actor: str, now: datetime,
                      remote_id: str | None = None) -> OutboxMessage:
    """Settle an uncertain message as a person found it on the national portal (flush only; the edge commits)."""
    if resolution not in RESOLUTIONS:
        raise Invalid("Chọn 'sent' (đã có trên cổng quốc gia) hoặc 'resend' (gửi lại).", field="resolution")
    if message.status != "held" or not message.outcome_unknown:
        raise Conflict(f"Tin #{message.id} không ở trạng thái chưa rõ kết quả (trạng thái: {message.status}).",
                       field="status")
    if resolution == "sent":
        message.status, message.sent_at = "sent", now
        message.remote_id = (remote_id or "").strip() or message.remote_id
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
