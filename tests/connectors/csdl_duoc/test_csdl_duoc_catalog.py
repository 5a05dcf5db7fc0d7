"""The national drug list: paging through the sandbox, incremental refresh, and records ready to upsert."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from connectors.csdl_duoc.catalog import CatalogUnit, fetch_catalog, import_records, parse_drug, watermark
from connectors.sandboxes.csdl_duoc.data import demo_drugs, make_drug
from connectors.sandboxes.csdl_duoc.simulator import create_sandbox

VN = timezone(timedelta(hours=7))
LOADED_AT = datetime(2026, 1, 1, 8, 0, tzinfo=VN)
CHANGED_AT = datetime(2026, 2, 10, 14, 30, tzinfo=VN)


@pytest.fixture
def sandbox(faults, sandbox_clock, account):
    """Seven drugs, enough for four pages of two."""
    drugs = [make_drug(f"8930000001{n:02d}", f"Thuốc {n}", last_update_time=LOADED_AT.isoformat())
             for n in range(1, 8)]
    return create_sandbox({account.username: (account.password, account.facility)}, drugs=drugs, faults=faults,
                          clock=sandbox_clock)


def test_pages_carry_the_total_and_the_slice_asked_for(client):
    first, last = client.drugs(page=1, page_size=3), client.drugs(page=3, page_size=3)
    assert (first.page, first.total, [d["id"] for d in first.data]) == (1, 7, ["893000000101", "893000000102",
                                                                            "893000000103"])
    assert (last.page, last.total, [d["id"] for d in last.data]) == (3, 7, ["893000000107"])


def test_iterating_reads_every_page_once(client, sandbox):
    ids = [drug["id"] for drug in client.iter_drugs(page_size=2)]
    assert ids == [f"8930000001{n:02d}" for n in range(1, 8)]
    assert client.drugs(page=5, page_size=2).data == []


def test_search_matches_name_or_id(client):
    assert [d["id"] for d in client.iter_drugs(search="thuốc 3")] == ["893000000103"]
    assert client.drugs(search="893000000105").total == 1


def test_an_incremental_refresh_returns_exactly_the_changed_and_the_added_drug(client, sandbox):
    records, _ = fetch_catalog(client, page_size=2)
    since = watermark(records)
    assert since == LOADED_AT and len(records) == 7

    sandbox.state.update_drug("893000000104", updated_at=CHANGED_AT, name="Thuốc 4 (mẫu mới)")
    sandbox.state.put_drug(make_drug("893000000200", "Thuốc mới"), updated_at=CHANGED_AT + timedelta(minutes=5))

    changed, skipped = fetch_catalog(client, since=since + timedelta(seconds=1), page_size=2)
    assert skipped == []
    assert [(r.national_id, r.name) for r in changed] == [("893000000104", "Thuốc 4 (mẫu mới)"),
                                                           ("893000000200", "Thuốc mới")]
    assert watermark(changed, previous=since) == CHANGED_AT + timedelta(minutes=5)


def test_the_update_window_has_an_upper_bound_too(client, sandbox):
    sandbox.state.update_drug("893000000101", updated_at=CHANGED_AT)
    window = list(client.iter_drugs(last_update_from=LOADED_AT, last_update_to=CHANGED_AT - timedelta(days=1)))
    assert len(window) == 6 and "893000000101" not in {d["id"] for d in window}


def test_a_bad_time_bound_is_rejected_by_the_sandbox(client):
    from connectors.csdl_duoc.errors import RejectedError

    with pytest.raises(RejectedError, match="last_update_from"):
        client.drugs(last_update_from="yesterday")


def test_a_master_drug_becomes_a_flat_record_with_units_and_barcodes():
    raw = make_drug("893000000002", "Amoxicillin 500mg", units=(("Viên", None), ("Hộp", "8931074000073")),
                    active_ingredient="Amoxicillin", strength="500mg", registration_number="VD-1-20",
                    prescription_status=1, special_control_type=0, manufacturer="Imexpharm",
                    last_update_time="2026-02-10T14:30:00+07:00")
    record = parse_drug(raw)
    assert record.national_id == "893000000002" and record.name == "Amoxicillin 500mg"
    assert (record.registration_number, record.active_ingredient, record.strength) == ("VD-1-20", "Amoxicillin",
                                                                                       "500mg")
    assert record.prescription_only and record.special_control_type == 0
    assert record.units == (CatalogUnit("VIEN", "Viên", None), CatalogUnit("HOP", "Hộp", "8931074000073"))
    assert record.barcodes == ("8931074000073",)
    assert (record.manufacturer, record.manufacturer_country) == ("Imexpharm", "Việt Nam")
    assert record.last_update_time == CHANGED_AT
    assert [u.unit_id for u in record.v2_units] == ["VIEN", "HOP"] and record.problems == ()


def test_a_bad_gtin_is_dropped_with_a_problem_and_a_drug_without_id_is_skipped():
    raw = make_drug("893000000003", "Thuốc A", units=(("Hộp", "893000000003"),))  # a drug id, not a GTIN
    records, skipped = import_records([raw, {"name": "Không mã"}])
    assert [r.national_id for r in records] == ["893000000003"]
    assert records[0].units == (CatalogUnit("HOP", "Hộp", None),)
    assert "not a valid GTIN" in records[0].problems[0]
    assert len(skipped) == 1 and "without id" in skipped[0]


def test_demo_drugs_come_from_the_sample_csv_with_12_digit_ids(tmp_path):
    csv_file = tmp_path / "catalog.csv"
    csv_file.write_text(
        "national_code,name,active_ingredient,strength,dosage_form,route,registration_no,manufacturer,country,"
        "prescription_only,base_unit,units,barcodes,base_price,dosage\n"
        "TQG000001,Hapacol 500,Paracetamol,500mg,Viên nén,Uống,VD-27262-17,DHG Pharma,Việt Nam,0,Viên,"
        "Vỉ:10;Hộp:100,Vỉ=8931000000009;Hộp=8931000000016,500,1 viên\n", encoding="utf-8")
    (drug,) = demo_drugs(csv_file)
    assert drug["id"] == "893000000001" and len(drug["id"]) == 12
    assert drug["packagings"] == [{"unit_id": "VIEN", "unit_name": "Viên", "gtin": None},
                                  {"unit_id": "VI", "unit_name": "Vỉ", "gtin": "8931000000009"},
                                  {"unit_id": "HOP", "unit_name": "Hộp", "gtin": "8931000000016"}]
    assert parse_drug(drug).problems == ()


def test_the_default_demo_list_is_the_shipped_sample_catalogue():
    drugs = demo_drugs()
    assert len(drugs) > 10
    assert all(len(d["id"]) == 12 and d["id"].startswith("893") for d in drugs)
    assert len({d["id"] for d in drugs}) == len(drugs)
    assert all(parse_drug(d).problems == () for d in drugs)
