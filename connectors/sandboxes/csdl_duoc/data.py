"""Drug data for the CSDL Dược v2 sandbox: a builder for one master drug and the demo list from the sample CSV."""
from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
CATALOG_CANDIDATES = (
    REPO_ROOT / "pharmacy" / "data" / "catalog-sample.csv",
    REPO_ROOT.parent / "shared" / "data" / "catalog-sample.csv",
)
DEMO_UPDATED_AT = "2026-01-01T08:00:00+07:00"


def unit_id_for(unit_name: str) -> str:
    """A stable unit id from a unit name ("Hộp" -> "HOP"), like a code from the national unit dictionary."""
    folded = unicodedata.normalize("NFD", unit_name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).upper()


def make_drug(drug_id: str, name: str, *, units: tuple[tuple[str, str | None], ...] = (("Viên", None),),
              active_ingredient: str = "Paracetamol", strength: str = "500mg", registration_number: str = "",
              prescription_status: int = 0, special_control_type: int = 0, manufacturer: str = "DHG Pharma",
              country: str = "Việt Nam", last_update_time: str = DEMO_UPDATED_AT) -> dict:
    """One master drug as `/master/drugs` returns it; `units` are (unit name, GTIN or None)."""
    return {
        "id": drug_id,
        "name": name,
        "registration_number": registration_number,
        "active_pharmaceutical_ingredient": active_ingredient,
        "strength": strength,
        "prescription_status": prescription_status,
        "special_control_type": special_control_type,
        "packagings": [{"unit_id": unit_id_for(unit), "unit_name": unit, "gtin": gtin} for unit, gtin in units],
        "manufacturer": {"id": unit_id_for(manufacturer)[:20], "name": manufacturer, "country": country},
        "last_update_time": last_update_time,
    }


def find_catalog(path: str | Path | None = None) -> Path | None:
    """The given CSV, else the first sample catalogue that exists."""
    if path is not None:
        return Path(path)
    return next((p for p in CATALOG_CANDIDATES if p.is_file()), None)


def demo_drugs(path: str | Path | None = None, updated_at: str = DEMO_UPDATED_AT) -> list[dict]:
    """Master drugs built from the sample catalogue, with ids 893000000001, 893000000002, … (row order)."""
    found = find_catalog(path)
    if found is None:
        return []
    with found.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [_drug_from_row(index, row, updated_at) for index, row in enumerate(rows, start=1)]


def _drug_from_row(index: int, row: dict, updated_at: str) -> dict:
    barcodes = dict(_pairs(row.get("barcodes", ""), "="))
    unit_names = [row["base_unit"]] + [name for name, _ in _pairs(row.get("units", ""), ":")]
    return make_drug(
        f"893{index:09d}", row["name"],
        units=tuple((unit, barcodes.get(unit)) for unit in dict.fromkeys(u for u in unit_names if u)),
        active_ingredient=row.get("active_ingredient", ""), strength=row.get("strength", ""),
        registration_number=row.get("registration_no", ""),
        prescription_status=1 if row.get("prescription_only", "0").strip() == "1" else 0,
        manufacturer=row.get("manufacturer", ""), country=row.get("country", ""), last_update_time=updated_at,
    )


def _pairs(text: str, separator: str) -> list[tuple[str, str]]:
    """ "Vỉ:10;Hộp:100" -> [("Vỉ", "10"), ("Hộp", "100")]."""
    return [tuple(part.split(separator, 1)) for part in text.split(";") if separator in part]
