"""After sign-in the browser goes only to a path on this site, however `next` is disguised (issue 12.2)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import signed_in

HOSTILE = [
    "/\t/evil.example/phish",          # browsers drop the tab: //evil.example/phish
    "/\n/evil.example", "/\r\n/evil.example",
    "/\\evil.example", "\\\\evil.example",  # a backslash is a slash to browsers
    "//evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)",
    "/sales\r\nSet-Cookie: stolen=1",  # header injection: no 500, no second header
    " /sales", "evil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_redirects_off_site(shop, app, target):
    client = signed_in(app, "ds1", next_path="?next=" + quote(target, safe=""))
    response = client.login_response
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "stolen" not in str(response.headers)


def test_login_keeps_a_same_site_next_with_its_query(shop, app):
    client = signed_in(app, "ds1", next_path="?next=" + quote("/sales?page=2#top", safe=""))
    assert client.login_response.headers["Location"] == "/sales?page=2#top"


def test_safe_next_unit():
    from pharmacy.web.redirects import safe_next

    assert safe_next("/stock?show=30") == "/stock?show=30"
    assert safe_next("/\t/evil.example/phish") is None
    assert safe_next("/%09/evil.example") == "/%09/evil.example"  # stays encoded: a path on this site
    assert safe_next(None) is None and safe_next("") is None
