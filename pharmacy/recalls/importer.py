"""CSV import of recall decisions: the columns of POST /recalls, one decision (and product) a row, all or nothing."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sqlalchemy.orm import Session

from ..errors import DomainError, Invalid, msg
from ..stores.models import User
from .models import Recall
from .services import create_recall

COLUMNS = ("decision_number", "decision_date", "level", "registration_no", "gtin", "product_id", "lots", "reason",
           "source")
MAX_ROWS = 500


def _day(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _row(raw: dict, index: int) -> dict:
    field = f"rows[{index}]"
    data = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    day = _day(data["decision_date"])
    if day is None:
        raise Invalid(msg("The decision date must be YYYY-MM-DD or dd/mm/yyyy."), field=f"{field}.decision_date")
    if data["level"] not in ("1", "2", "3"):
        raise Invalid(msg("The recall level must be 1, 2 or 3."), field=f"{field}.level")
    if data["product_id"] and not data["product_id"].isdigit():
        raise Invalid(msg("product_id must be a number."), field=f"{field}.product_id")
    return {**data, "decision_date": day, "level": int(data["level"]),
            "product_id": int(data["product_id"]) if data["product_id"] else None,
            "lots": data["lots"] or ""}


def import_recalls(session: Session, text: str, *, actor: User, now: datetime) -> list[Recall]:
    """Lots are separated by `;` or `,` in their cell, or `all`. An error names its row (from 0, header excluded)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in ("decision_number", "decision_date", "level", "lots", "reason")
               if column not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(msg("Missing columns: %(columns)s.", columns=", ".join(missing)), field="file")
    recalls = []
    for index, raw in enumerate(reader):
        if index >= MAX_ROWS:
            raise Invalid(msg("At most %(max)s rows per import.", max=MAX_ROWS), field="file")
        try:
            recalls.append(create_recall(session, data=_row(raw, index), actor=actor, now=now))
        except DomainError as exc:
            if any(key.startswith("rows[") for key in exc.errors):
                raise
            errors = {f"rows[{index}].{key}": value for key, value in exc.errors.items()}
            raise type(exc)(msg("Row %(row)s: %(problem)s", row=index + 1, problem=exc.message), errors=errors,
                            **exc.extra) from exc
    if not recalls:
        raise Invalid(msg("The file has no rows."), field="file")
    return recalls
