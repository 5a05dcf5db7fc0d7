"""The books speak English in code and Vietnamese to people (issue 15, the house rule of style.md): no Vietnamese
literal in the books' Python modules; the API's keys stay English while its headers and display texts follow the UI
language; a text stored in a record (a quarantine's reason) is in the pharmacy's language whoever writes it."""
from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

from pharmacy.clock import local_today

ROOT = Path(__file__).resolve().parent.parent.parent
BOOK_MODULES = ("pharmacy/books/*.py", "pharmacy/controlled/books.py", "pharmacy/presenters/books.py",
                "pharmacy/presenters/book_archive.py", "pharmacy/web/book_views.py", "pharmacy/api/books.py")
# a letter only Vietnamese writes (a tone mark or đ, ơ, ư, ă, â, ê, ô): plain ASCII English never has one
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


def vietnamese_literals(path: Path) -> list[str]:
    """`line: text` of every string literal with a Vietnamese letter, docstrings aside (comments are not literals)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [f"{node.lineno}: {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and VIETNAMESE.search(node.value)]


def test_no_vietnamese_literal_in_the_books_modules():
    paths = sorted({path for pattern in BOOK_MODULES for path in ROOT.glob(pattern)})
    assert len(paths) >= 12
    found = {str(path.relative_to(ROOT)): lines for path in paths if (lines := vietnamese_literals(path))}
    assert not found, ("Vietnamese text in the books' code: write an English msgid (_l/_ or msg) and append its "
                       f"Vietnamese to messages.po: {found}")


def test_the_check_sees_a_literal_and_an_f_string_but_not_a_docstring(tmp_path):
    module = tmp_path / "fake.py"
    module.write_text('"""Sổ kiểm soát chất lượng."""\nA = "Ngày"  # Ngày\nB = f"Đảo dòng #{A}"\nC = "Date"\n',
                      encoding="utf-8")
    assert vietnamese_literals(module) == ["2: Ngày", "3: Đảo dòng #"]


def _quality_check(shop, api, conclusion="pass", **extra):
    body = {"store_id": shop["store"], "entry_date": local_today().isoformat(), "product_id": shop["product"],
            "lot": "LATE", "expiry": (date.today() + timedelta(days=400)).isoformat(), "unit": "Viên",
            "quantity_checked": 5, "sensory": "Đạt", "conclusion": conclusion, "action": "Biệt trữ", **extra}
    created = api.post("/api/v1/quality-checks", json=body)
    assert created.status_code == 201, created.json
    return created.json


def test_the_books_api_keeps_its_keys_and_speaks_the_ui_language(shop):
    owner = shop["owner"]
    _quality_check(shop, owner)
    today = local_today().isoformat()
    query = {"store_id": shop["store"], "date_from": today, "date_to": today}
    vietnamese = owner.get("/api/v1/books/quality-control", query_string=query).json
    owner.client.set_cookie("locale", "en")
    english = owner.get("/api/v1/books/quality-control", query_string=query).json
    assert [c["key"] for c in vietnamese["columns"]] == [c["key"] for c in english["columns"]]
    assert vietnamese["items"][0].keys() == english["items"][0].keys()
    assert (vietnamese["title"], english["title"]) == ("Sổ kiểm soát chất lượng", "Quality control book")
    headers = {c["key"]: (c["header"], e["header"]) for c, e in zip(vietnamese["columns"], english["columns"],
                                                                    strict=True)}
    assert headers["conclusion"] == ("Kết luận", "Conclusion")
    assert headers["action"] == ("Biện pháp xử lý", "Action")
    assert (vietnamese["items"][0]["conclusion"], english["items"][0]["conclusion"]) == ("Đạt", "Pass")
    xlsx = owner.get("/api/v1/books/quality-control", query_string={**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_a_failed_check_quarantines_with_a_reason_in_the_pharmacys_language_whoever_writes(shop, app):
    api = shop["pharmacist"]
    api.client.set_cookie("locale", "en")
    created = _quality_check(shop, api, conclusion="fail")
    with app.app_context():
        from pharmacy.extensions import db
        from pharmacy.stock.models import StockStateChange

        reasons = [change.reason for change in db.session.query(StockStateChange).filter_by(store_id=shop["store"])]
    assert reasons == [f"Kiểm soát chất lượng #{created['id']}: không đạt"]
