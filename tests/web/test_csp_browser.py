"""Our pages under a Content-Security-Policy without 'unsafe-inline' scripts: the counter sells, the back-office
pages run their modules, and the browser reports no violation (the header is added here; the server sets it too)."""
from __future__ import annotations

from .conftest import PARA_BOX, scan, sign_in

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")


def with_csp(route):
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch(max_redirects=0)
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})


def test_pages_work_under_a_strict_script_policy(page, live_server, counter_shop):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.route("**/*", with_csp)
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/counter")
    scan(page, PARA_BOX)
    page.locator('#cart-lines tr[data-line="0"]').wait_for()
    page.keyboard.press("F9")
    page.locator("#pay-dialog[open]").wait_for()
    page.keyboard.press("1")
    page.keyboard.type("50000")
    page.locator("#pay-change").filter(has_text="2.000").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt?from=counter")
    page.keyboard.press("s")
    page.wait_for_url("**/sales/*")
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    for path in ("/receipts/new", "/products/1", "/products/1/labels", "/prescriptions/book", "/stock", "/sales"):
        page.goto(f"{live_server}{path}")
        if path in ("/products/1/labels", "/prescriptions/book"):  # their Print buttons (were onclick=)
            page.locator("button[data-print]").click()
            assert page.evaluate("window.printed") == 1
    page.locator(".menu-button").first.click()  # menus are script too
    page.locator(".menu-list:not([hidden])").first.wait_for()
    assert not violations
