"""CSV import of recall decisions: the columns of POST /recalls, one decision (and product) a row, all or nothing."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sqlalchemy.orm import Session

from ..errors import DomainError, Invalid
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
        raise Invalid("Ngày quyết định phải là YYYY-MM-DD hoặc dd/mm/yyyy.", field=f"{field}.decision_date")
    if data["level"] not in ("1", "2", "3"):
        raise Invalid("Mức độ thu hồi phải là 1, 2 hoặc 3.", field=f"{field}.level")
    if data["product_id"] and not data["product_id"].isdigit():
        raise Invalid("product_id phải là số.", field=f"{field}.product_id")
    return {**data, "decision_date": day, "level": int(data["level"]),
            "product_id": int(data["product_id"]) if data["product_id"] else None,
            "lots": data["lots"] or ""}


def import_recalls(session: Session, text: str, *, actor: User, now: datetime) -> list[Recall]:
    """Lots are separated by `;` or `,` in their cell, or `all`. An error names its row (from 0, header excluded)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in ("decision_number", "decision_date", "level", "lots", "reason")
               if column not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(f"Thiếu cột: {', '.join(missing)}.", field="file")
    recalls = []
    for index, raw in enumerate(reader):
        if index >= MAX_ROWS:
            raise Invalid(f"Tối đa {MAX_ROWS} dòng mỗi lần nhập.", field="file")
        try:
            recalls.append(create_recall(session, data=_row(raw, index), actor=actor, now=now))
        except DomainError as exc:
            if any(key.startswith("rows[") for key in exc.errors):
                raise
            errors = {f"rows[{index}].{key}": value for key, value in exc.errors.items()}
            raise type(exc)(f"Dòng {index + 1}: {exc.message}", errors=errors, **exc.extra) from exc
    if not recalls:
        raise Invalid("Tệp không có dòng nào.", field="file")
    return recalls
