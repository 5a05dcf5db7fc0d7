"""Words the domain writes into records (wording.py): English message ids in code, stored in the pharmacy's language
whoever writes them, so a record reads the same whatever language its writer's UI speaks."""
from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path

from pharmacy import wording
from pharmacy.errors import msg
from pharmacy.wording import record_text


def test_a_record_text_is_english_without_a_catalogue_and_the_pharmacys_language_with_it(monkeypatch):
    monkeypatch.setattr(wording, "_catalogue", gettext.NullTranslations())
    sentence = msg("Recall under decision %(number)s", number="12/QĐ-QLD")
    assert record_text(sentence) == "Recall under decision 12/QĐ-QLD"
    wording.use_language(Path(__file__).resolve().parent.parent / "pharmacy" / "translations", "vi")
    assert record_text(sentence) == "Thu hồi theo quyết định 12/QĐ-QLD"


def test_a_recall_writes_its_reasons_in_vietnamese_for_an_owner_reading_english(app, shop):
    owner = shop["owner"]
    owner.client.set_cookie("locale", "en")
    recall = owner.post("/api/v1/recalls", json={
        "decision_number": "123/QĐ-QLD", "decision_date": date(2026, 3, 4).isoformat(), "level": 2,
        "product_id": shop["product"], "lots": ["SOON"], "reason": "Không đạt độ hòa tan"})
    assert recall.status_code == 201, recall.json
    returned = owner.post(f"/api/v1/recalls/{recall.json['id']}/return",
                          json={"store_id": shop["store"], "receiver_name": "Công ty Dược A"})
    assert returned.status_code == 201, returned.json
    assert returned.json["note"] == "Thu hồi theo quyết định 123/QĐ-QLD ngày 04/03/2026 (mức 2): Không đạt độ hòa tan"
    with app.app_context():
        from pharmacy.extensions import db
        from pharmacy.stock.models import StockStateChange

        reasons = {change.reason for change in db.session.query(StockStateChange)}
    assert reasons == {"Thu hồi theo quyết định 123/QĐ-QLD: Không đạt độ hòa tan"}
