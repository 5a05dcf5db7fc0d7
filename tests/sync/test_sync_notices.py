"""Every note and problem the sync writes has a sentence in the UI language (issue 10, item 13, the sync half)."""
from __future__ import annotations

import ast
from pathlib import Path

from connectors.sync import notices
from pharmacy.presenters.sync import TEXTS

SYNC = Path(notices.__file__).parent
PROBLEM_CODES = {"lane_not_configured", "remote_message", "store_value_missing", "national_code_missing",
                 "v2_id_missing", "v2_unit_missing", "outcome_unknown_v2", "sale_outcome_unknown", "value_too_long",
                 "value_missing", "prescription_waiting_lookup", "nothing_dispensed", "line_not_prescribed",
                 "problem"}


def test_every_notice_id_has_a_sentence():
    codes = set(notices.NOTES.values()) | {code for _pattern, code in notices.NOTE_PATTERNS} | PROBLEM_CODES
    assert codes - set(TEXTS) == set()


def test_the_lanes_settle_messages_only_with_named_notes():
    """A Decision's note is a notices constant (or a known pattern), never an ad-hoc English string."""
    loose = []
    for path in SYNC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Decision" and len(node.args) > 1:
                note = node.args[1]
                if isinstance(note, ast.Constant) and isinstance(note.value, str):
                    if notices.note_notice(note.value).code == "remote_message":
                        loose.append(f"{path.name}: {note.value}")
    assert not loose


def test_problems_read_as_sentences_with_the_fix(app):
    from pharmacy.presenters.sync import sentence

    with app.test_request_context():
        notice = notices.problem_notice({"product": "Hapacol", "field": "ma_thuoc", "reason": "is missing",
                                         "product_id": 7}, store_id=1)
        assert notice.link == ("product", 7)
        assert sentence(notice) == "Hapacol chưa có mã thuốc quốc gia: hãy bổ sung ở trang sản phẩm."
        store = notices.problem_notice({"product": None, "field": "ma_co_so", "reason": "is missing"}, store_id=3)
        assert store.link == ("store", 3) and "mã cơ sở quốc gia" in sentence(store)
