"""The account pages in a real browser at 768 and 1920 px: a pharmacist changes a password from the keyboard, the
owner's staff page fits, and nothing overflows sideways."""
from __future__ import annotations

import pytest

from ..web.conftest import sign_in


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [768, 1920])
def test_password_change_and_staff_pages_in_the_browser(shop, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/account/staff")
    assert page.locator("text=ds1").count() >= 1
    _no_sideways_scroll(page)
    page.click("text=owner")  # the name in the top bar leads to the password page
    page.wait_for_url(f"{live_server}/account/password")
    _no_sideways_scroll(page)
    page.fill("input[name=current_password]", "secret-pass-1")
    page.fill("input[name=new_password]", "brand-new-pass-2")
    page.fill("input[name=confirm_password]", "brand-new-pass-2")
    page.press("input[name=confirm_password]", "Enter")
    page.wait_for_url(f"{live_server}/")
    assert "Đã đổi mật khẩu" in page.content()
