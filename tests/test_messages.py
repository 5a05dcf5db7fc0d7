"""Domain, connector and validation sentences reach a person in the UI language (issue 10 item 13).

The domain and the connectors raise `msg("English id", **params)`; the API and the pages translate. Every `msg(...)`
literal and every marshmallow default message must have a Vietnamese translation in the compiled catalogue; the
same API error reads in English with an English UI and in Vietnamese by default.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parent.parent
MO = ROOT / "pharmacy" / "translations" / "vi" / "LC_MESSAGES" / "messages.mo"


def msg_literals() -> dict[str, str]:
    """msgid → where, for every msg("...") call in pharmacy/ and connectors/ (found by AST, not by babel)."""
    found = {}
    for package in ("pharmacy", "connectors"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg":
                    first = node.args[0] if node.args else None
                    assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                        f"{path}:{node.lineno}: msg() takes a literal message id"
                    found.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def same_parameters(msgid: str, translation: str) -> bool:
    """%(name)s and {name} placeholders alike: a translation naming others would fail when rendered."""
    placeholders = re.compile(r"%\((\w+)\)s|\{(\w+)[^}]*\}")
    return set(placeholders.findall(msgid)) == set(placeholders.findall(translation))


def compiled() -> dict[str, str]:
    with MO.open("rb") as stream:
        return {m.id: m.string for m in read_mo(stream) if m.id}


def test_every_domain_and_connector_message_has_a_vietnamese_translation():
    found, catalogue = msg_literals(), compiled()
    assert len(found) > 150
    missing = sorted(f"{where}: {msgid}" for msgid, where in found.items() if not catalogue.get(msgid))
    assert not missing, "untranslated msg() sentences (append them to messages.po, then compile):\n" + \
        "\n".join(missing)
    wrong = [msgid for msgid in found if not same_parameters(msgid, catalogue[msgid])]
    assert not wrong, f"translations whose parameters differ from the message id's: {wrong}"


def test_every_marshmallow_default_message_has_a_vietnamese_translation():
    from pharmacy.presenters.messages import marshmallow_templates

    catalogue = compiled()
    assert {"Field may not be null.", "Missing data for required field.", "Not a valid integer.",
            "Must be greater than or equal to {min}."} <= set(marshmallow_templates())
    missing = [template for template in marshmallow_templates() if not catalogue.get(template)]
    assert not missing, f"untranslated marshmallow messages: {missing}"
    assert all(same_parameters(template, catalogue[template]) for template in marshmallow_templates())


def test_the_message_test_catches_an_untranslated_sentence(tmp_path, monkeypatch):
    module = tmp_path / "pharmacy" / "fake.py"
    module.parent.mkdir()
    module.write_text('from .errors import msg\nX = msg("A sentence nobody translated.")\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert msg_literals() == {"A sentence nobody translated.": "pharmacy/fake.py:2"}
    assert "A sentence nobody translated." not in compiled()


def test_a_message_keeps_english_for_logs_and_translates_with_a_gettext():
    from pharmacy.errors import Invalid, msg

    error = Invalid(msg("Product #%(id)s not found.", id=7), field="product_id")
    assert str(error) == "Product #7 not found." and str(error.message) == "Product #7 not found."
    assert error.errors == {"product_id": [error.message]}
    assert error.message.render({"Product #%(id)s not found.": "Không tìm thấy sản phẩm #%(id)s."}.get) == \
        "Không tìm thấy sản phẩm #7."


@pytest.mark.parametrize("locale, message, field", [
    (None, "Không tìm thấy sản phẩm #999.", "Không tìm thấy sản phẩm #999."),
    ("en", "Product #999 not found.", "Product #999 not found."),
])
def test_the_same_api_error_follows_the_ui_language(app, shop, locale, message, field):
    api = shop["owner"]
    if locale:
        api.client.set_cookie("locale", locale)
    response = api.get("/api/v1/products/999")
    assert response.status_code == 404
    assert response.json["message"] == message and response.json["errors"]["product_id"] == [field]


def test_the_english_ui_setting_gives_english_domain_errors(app, shop):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    response = shop["owner"].post("/api/v1/sales", json={"store_id": shop["store"], "payment_method": "cash",
                                                          "amount_tendered": 1, "lines": [
                                                              {"product_id": shop["product"], "unit": "Viên",
                                                               "quantity": 2}]})
    assert response.status_code == 422, response.json
    assert response.json["message"] == "The customer gave 1 ₫, less than 1000 ₫."


@pytest.mark.parametrize("locale, null, missing, low", [
    (None, "Trường này không được để trống.", "Thiếu trường bắt buộc.", "Phải từ 1 đến 100000."),
    ("en", "Field may not be null.", "Missing data for required field.",
     "Must be greater than or equal to 1 and less than or equal to 100000."),
])
def test_marshmallow_messages_are_translated(app, shop, locale, null, missing, low):
    api = shop["owner"]
    if locale:
        api.client.set_cookie("locale", locale)
    response = api.post("/api/v1/sales", json={"store_id": shop["store"], "lines": [
        {"product_id": shop["product"], "unit": "Viên", "quantity": None},
        {"unit": "Viên", "quantity": 1},
        {"product_id": shop["product"], "unit": "Viên", "quantity": 0}]})
    assert response.status_code == 422, response.json
    errors = response.json["errors"]
    assert errors["lines[0].quantity"] == [null]
    assert errors["lines[1].product_id"] == [missing]
    assert errors["lines[2].quantity"] == [low]


def test_a_wrong_check_digit_is_a_sentence_not_the_parser_detail(app, shop):
    response = shop["pharmacist"].get(f"/api/v1/scan?code=8934567890121&store_id={shop['store']}")
    assert response.status_code == 422, response.json
    assert response.json["reason"] == "check_digit"
    assert response.json["message"] == "Mã vạch sai số kiểm tra: quét lại hoặc gõ mã."
    assert "Expected" not in str(response.json)


@pytest.mark.parametrize("locale, sentence", [
    ("vi", "Khoảng thời gian phải là một trong:"),
    ("en", "The period must be one of:"),
])
def test_a_page_shows_the_domain_error_in_the_session_language(app, shop, locale, sentence):
    from tests.web.test_backoffice_pages import signed_in

    client = signed_in(app, "owner")
    client.set_cookie("locale", locale)
    page = client.get("/dashboard?period=fortnight").get_data(as_text=True)
    assert sentence in page


def test_broken_json_is_a_sentence_not_the_decoder_detail(app, shop):
    api = shop["owner"]
    broken = api.client.post("/api/v1/sales", data='{"store_id": 1,', content_type="application/json",
                             headers=api.headers)
    assert broken.status_code == 400
    assert broken.json["errors"] == {"body": ["Nội dung gửi lên không phải JSON hợp lệ."]}


# Errors whose sentences are for the console only (backups are made and restored with the CLI).
CONSOLE_ONLY = ("pharmacy/backup/", "pharmacy/cli")
ERROR_TYPES = {"DomainError", "Invalid", "NotFound", "Forbidden", "Conflict", "InsufficientStock", "Unavailable",
               "Unauthorized", "BackupRefused"}


def test_domain_errors_are_raised_with_msg_not_with_a_plain_text():
    """A literal or f-string sentence in `raise Invalid("...")` would reach an English UI untranslated."""
    plain = []
    for package in ("pharmacy", "connectors"):
        for path in sorted((ROOT / package).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            if where.startswith(CONSOLE_ONLY):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args \
                        and getattr(node.exc.func, "id", None) in ERROR_TYPES \
                        and isinstance(node.exc.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    plain.append(f"{where}:{node.lineno}")
    assert not plain, f"raise these with msg(...) (English id, Vietnamese in messages.po): {plain}"
