"""The sync rows people read: the sale page (its own messages only) and /sync (store codes, local times, sentences)."""
from __future__ import annotations

import re

from ..web.test_backoffice_pages import signed_in


def test_a_voided_sales_page_lists_only_its_own_sync_rows(app, world, docs):
    """Issue 10, item 6: the void of sale 2 has id 1, like sale 1; sale 1's row must not show on sale 2's page."""
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    second = docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    void_id = docs.void(second)
    assert void_id == 1  # the same id as the first sale: the case that went wrong
    page = signed_in(app, "owner").get(f"/sales/{second}").get_data(as_text=True)
    table = page[page.index('id="sync-table"'):]
    assert "HD-CH01-000002" in table
    assert "HD-CH01-000001" not in table


def test_the_sync_page_shows_store_codes_local_times_and_sentences(app, world, docs, make_runner, sync_helpers,
                                                                   clock):
    sale = docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    docs.void(sale)  # voided before it was sent: nothing is sent
    sync_helpers["drain"](app, make_runner(), clock)
    page = signed_in(app, "owner").get("/sync").get_data(as_text=True)
    summary = page[page.index('data-table="summary"'):page.index('data-table="attention"')]
    assert "CH01" in summary and 'class="grid' in page
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", page)  # dd/MM/yyyy HH:mm, as everywhere else
    assert "Đã hủy trước khi gửi: không gửi gì." in page  # not "voided before it was sent: nothing sent"
    shown = re.sub(r'data-note="[^"]*"', "", page)  # the stored note stays in an attribute, for support
    assert "voided before it was sent" not in shown
    held = page[page.index('data-table="attention"'):page.index('data-table="cancelled"')]
    assert "Berberin 100mg chưa có mã thuốc quốc gia" in held
    assert f'href="/products/{world["uncoded"]}"' in held  # the fix is one click away
    assert "ma_thuoc" not in re.sub(r'data-note="[^"]*"', "", held)


def test_the_sale_page_shows_the_same_sentences(app, world, docs, make_runner, sync_helpers, clock):
    sale = docs.sale(world["store"], [(world["uncoded"], "Viên", 1)])
    sync_helpers["drain"](app, make_runner(), clock)
    page = signed_in(app, "owner").get(f"/sales/{sale}").get_data(as_text=True)
    table = page[page.index('id="sync-table"'):]
    assert "Berberin 100mg chưa có mã thuốc quốc gia" in table and "[{" not in table
