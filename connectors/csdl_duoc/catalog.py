"""Turn CSDL Dược v2 master drugs into plain import records that the pharmacy side upserts."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from connectors.csdl_duoc.client import CsdlDuocClient
from connectors.csdl_duoc.mapping import VIETNAM
from connectors.documents import V2Unit


@dataclass(frozen=True)
class CatalogUnit:
    """A packaging unit; `gtin` only when it is a well-formed GTIN with a valid check digit."""

    unit_id: str
    unit_name: str
    gtin: str | None = None


@dataclass(frozen=True)
class CatalogRecord:
    """One national drug, flattened; `problems` says what was dropped while reading it (e.g. a bad GTIN)."""

    national_id: str
    name: str
    registration_number: str
    active_ingredient: str
    strength: str
    prescription_only: bool
    special_control_type: int
    units: tuple[CatalogUnit, ...]
    manufacturer: str
    manufacturer_id: str | None
    manufacturer_country: str
    last_update_time: datetime | None
    problems: tuple[str, ...] = ()

    @property
    def barcodes(self) -> tuple[str, ...]:
        return tuple(unit.gtin for unit in self.units if unit.gtin)

    @property
    def v2_units(self) -> tuple[V2Unit, ...]:
        """The units as the document snapshots carry them (`DrugInfo.v2_units`)."""
        return tuple(V2Unit(u.unit_id, u.unit_name, u.gtin) for u in self.units)


class CatalogRecordError(ValueError):
    """A master drug without an id or a name: it cannot be imported."""


def parse_drug(raw: dict) -> CatalogRecord:
    """One `/master/drugs` entry as a record; raises CatalogRecordError when it has no id or name."""
    national_id, name = _text(raw.get("id")), _text(raw.get("name"))
    if not national_id or not name:
        raise CatalogRecordError(f"drug without {'id' if not national_id else 'name'}: {raw!r:.200}")
    problems: list[str] = []
    units = []
    for packaging in raw.get("packagings") or ():
        unit_id, unit_name, gtin = (_text(packaging.get(k)) for k in ("unit_id", "unit_name", "gtin"))
        if not unit_id or not unit_name:
            problems.append(f"packaging without unit_id or unit_name dropped: {packaging!r:.100}")
            continue
        if gtin and not valid_gtin(gtin):
            problems.append(f"{unit_name}: {gtin!r} is not a valid GTIN, barcode dropped")
            gtin = ""
        units.append(CatalogUnit(unit_id, unit_name, gtin or None))
    control = _int(raw.get("special_control_type"))
    if not 0 <= control <= 6:
        problems.append(f"special_control_type {control} is outside 0..6")
    manufacturer = raw.get("manufacturer") if isinstance(raw.get("manufacturer"), dict) else {}
    return CatalogRecord(
        national_id=national_id, name=name,
        registration_number=_text(raw.get("registration_number")),
        active_ingredient=_text(raw.get("active_pharmaceutical_ingredient")),
        strength=_text(raw.get("strength")),
        prescription_only=_int(raw.get("prescription_status")) == 1,
        special_control_type=control,
        units=tuple(units),
        manufacturer=_text(manufacturer.get("name")),
        manufacturer_id=_text(manufacturer.get("id")) or None,
        manufacturer_country=_text(manufacturer.get("country")),
        last_update_time=parse_time(raw.get("last_update_time")),
        problems=tuple(problems),
    )


def import_records(raw_drugs: Iterable[dict]) -> tuple[list[CatalogRecord], list[str]]:
    """Records for every readable drug, plus the reasons the unreadable ones were skipped."""
    records, skipped = [], []
    for raw in raw_drugs:
        try:
            records.append(parse_drug(raw))
        except CatalogRecordError as exc:
            skipped.append(str(exc))
    return records, skipped


def fetch_catalog(client: CsdlDuocClient, since: datetime | None = None,
                  page_size: int = 100) -> tuple[list[CatalogRecord], list[str]]:
    """Read the whole catalogue, or only drugs changed since `since` (inclusive: the boundary drug may come again,
    which an upsert absorbs). Returns (records, skipped); store `watermark(records)` for the next refresh."""
    return import_records(client.iter_drugs(last_update_from=since, page_size=page_size))


def watermark(records: Iterable[CatalogRecord], previous: datetime | None = None) -> datetime | None:
    """The latest last_update_time seen, to pass as `since` next time."""
    times = [r.last_update_time for r in records if r.last_update_time is not None]
    if previous is not None:
        times.append(previous)
    return max(times, default=None)


def valid_gtin(code: str) -> bool:
    """GTIN-8/12/13/14 with a valid GS1 mod-10 check digit (a 12-digit v2 drug id usually fails this)."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in reversed(code[:-1])]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return (10 - total % 10) % 10 == int(code[-1])


def parse_time(value) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime; a missing offset means Vietnam time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
