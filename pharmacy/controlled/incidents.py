"""Incidents of controlled drugs (losses, mix-ups): open until reported, due 48 hours after they were found."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid, NotFound, msg
from ..stores.models import User
from ..stores.services import require_store_access
from .models import ControlledIncident


def incidents_query(store_ids: list[int] | None, *, open_only: bool = False) -> Select:
    stmt = select(ControlledIncident).order_by(ControlledIncident.deadline, ControlledIncident.id)
    if store_ids is not None:
        stmt = stmt.where(ControlledIncident.store_id.in_(store_ids))
    if open_only:
        stmt = stmt.where(ControlledIncident.reported_at.is_(None))
    return stmt


def report_incident(session: Session, incident_id: int, *, note: str, actor: User, now: datetime) -> ControlledIncident:
    """Record that the loss was reported to the authority (who, when, what was said)."""
    incident = session.get(ControlledIncident, incident_id)
    if incident is None or not actor.can_access_store(incident.store_id):
        raise NotFound(msg("Incident #%(id)s not found.", id=incident_id), field="incident_id")
    require_store_access(actor, incident.store_id)
    if incident.reported_at is not None:
        raise Conflict(msg("This incident was already reported."), field="incident_id")
    note = (note or "").strip()
    if not note:
        raise Invalid(msg("Write what was reported, to whom."), field="note")
    incident.reported_at, incident.report_note, incident.reported_by_id = now, note[:1000], actor.id
    session.flush()
    return incident
