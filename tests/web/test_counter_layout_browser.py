"""The counter from tablet portrait to a full-HD screen: the total and the pay button stay in view and unclipped,
a large total fits its panel, the grouped menus work from the keyboard and their labels never wrap."""
from __future__ import annotations

import pytest

from .conftest import PARA_BOX, RX_BOX, SYRUP_BOTTLE, scan, sign_in

VISIBLE = """sel => {
  const e = document.querySelector(sel), r = e.getBoundingClientRect();
  const inView = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
    && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  for (let p = e.parentElement; p; p = p.parentElement) {  // an ancestor that hides overflow must hold it whole
    const cs = getComputedStyle(p);
    if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
    const q = p.getBoundingClientRect();
    if (r.left < q.left - 1 || r.right > q.right + 1 || r.top < q.top - 1 || r.bottom > q.bottom + 1) return false;
  }
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return inView && e.scrollWidth <= e.clientWidth + 1 && (hit === e || e.contains(hit));
}"""

INSIDE_PANEL = """() => {
  const t = document.getElementById('cart-total').getBoundingClientRect();
  const panel = document.querySelector('.counter-side').getBoundingClientRect();
  return t.left >= panel.left && t.right <= panel.right && t.top >= panel.top && t.bottom <= panel.bottom;
}"""


def fill_cart(page):
    for code in (PARA_BOX, SYRUP_BOTTLE, "3*" + PARA_BOX, RX_BOX):
        scan(page, code)
    page.locator('#cart-lines tr[data-line="2"]').wait_for()
    page.locator('#cart-lines tr[data-line="0"] input.qty[value="4"]').wait_for()  # 1 + 3*: no scan lost


@pytest.mark.parametrize("width,height", [(768, 1024), (810, 1080), (1366, 768), (1920, 1080)])
def test_total_and_pay_button_stay_visible_at_every_counter_width(chromium, live_server, counter_shop, width, height):
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, "ds1")
        page.goto(f"{live_server}/counter")
        fill_cart(page)
        assert page.evaluate(VISIBLE, "#pay-button") and page.evaluate(VISIBLE, "#cart-total")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=f"/tmp/counter-{width}.png")

        page.keyboard.press("ArrowUp")  # a large total: 99 999 Hộp on the first line (F3 types the quantity)
        page.keyboard.press("ArrowUp")
        page.keyboard.press("F3")
        page.keyboard.type("99999")
        page.keyboard.press("Enter")
        page.locator("#cart-total").filter(has_text="4.800.079.000").wait_for()
        assert page.evaluate(INSIDE_PANEL) and page.evaluate(VISIBLE, "#cart-total")
        assert page.evaluate(VISIBLE, "#pay-button")
        page.mouse.wheel(0, 2000)  # the cart scrolled: total and pay button still there (sticky on tablets)
        page.wait_for_timeout(200)
        if width < 1024:
            assert page.evaluate(VISIBLE, "#pay-button") and page.evaluate(VISIBLE, "#cart-total")
    finally:
        context.close()


@pytest.mark.parametrize("width", [768, 1366, 1920])
def test_menu_labels_never_wrap(chromium, live_server, counter_shop, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, "ds1")
        page.goto(f"{live_server}/counter")
        heights = page.eval_on_selector_all(".menu-button", "bs => bs.map(b => b.getBoundingClientRect().height)")
        line = page.eval_on_selector(".menu-button", "b => parseFloat(getComputedStyle(b).lineHeight) || 20")
        assert len(heights) >= 3 and max(heights) < 2 * line + 16
        if width >= 1366:  # the whole top bar on one row
            tops = page.eval_on_selector_all(
                ".topbar > *", "es => es.map(e => Math.round(e.getBoundingClientRect().top))")
            assert max(tops) - min(tops) < 12
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_grouped_menus_open_and_move_from_the_keyboard(page, live_server, counter_shop):
    sign_in(page, live_server, "ds1")
    page.goto(f"{live_server}/sales")
    labels = page.locator(".menu-button").all_inner_texts()
    assert [label.strip(" ▾") for label in labels] == ["Bán hàng", "Kho", "Báo cáo", "Tuân thủ"]  # no Quản trị
    hrefs = page.eval_on_selector_all(".menu-list a", "as => as.map(a => new URL(a.href).pathname)")
    for path in ("/counter", "/receipts/new", "/stock", "/products/", "/sales", "/prescriptions/book", "/sync"):
        assert path in hrefs
    assert "/api/docs" not in hrefs  # owners only

    stock = page.locator(".menu-button", has_text="Kho")
    stock.focus()
    page.keyboard.press("Enter")
    assert stock.get_attribute("aria-expanded") == "true" and page.locator("#menu-stock").is_visible()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith("Nhập hàng")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith("Tồn kho")
    page.keyboard.press("Escape")
    assert not page.locator("#menu-stock").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "menu-stock"
    page.keyboard.press("ArrowDown")  # ↓ on the button opens it at the first link
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/stock")
    assert page.locator(".menu.current .menu-button").inner_text().startswith("Kho")
    page.keyboard.press("Alt+1")
    page.wait_for_url(f"{live_server}/counter")


def test_owner_sees_the_administration_menu(page, live_server, counter_shop):
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/products/")
    assert "Quản trị" in page.locator(".menubar").inner_text()
    assert page.locator('.menu-list a[href="/api/docs"]').count() == 1
