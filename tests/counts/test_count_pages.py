"""The count pages through the test client: start, a blind sheet, save, submit, the variance, an owner approves."""
from __future__ import annotations

import re

from ..web.test_backoffice_pages import signed_in


def test_count_sheet_from_start_to_approval(shop, app):
    counter, owner = signed_in(app, "ds1"), signed_in(app, "owner")
    started = counter.post("/stock-counts", data={"csrf_token": counter.csrf, "blind": "1"})
    assert started.status_code == 302
    path = started.headers["Location"]
    sheet = counter.get(path).get_data(as_text=True)
    assert "Tồn sổ sách" not in sheet and "SOON" in sheet  # blind: no expected column for the counter
    assert "Tồn sổ sách" in owner.get(path).get_data(as_text=True)
    ids = dict(re.findall(r'data-lot="(\w+)" data-state="sellable">.*?name="c_(\d+)"', sheet, re.S))
    bad = counter.post(path, data={"csrf_token": counter.csrf, f"c_{ids['OLD']}": "x"})
    assert bad.status_code == 422
    counts = {f"c_{ids['OLD']}": "50", f"c_{ids['SOON']}": "17", f"c_{ids['LATE']}": "100"}
    done = counter.post(path, data={"csrf_token": counter.csrf, "action": "submit", **counts}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and 'id="variances"' in page and "-1.200" in page
    assert 'id="approve-count"' not in page
    approved = owner.post(path, data={"csrf_token": owner.csrf, "action": "approve"}, follow_redirects=True)
    assert approved.status_code == 200 and "Đã duyệt" in approved.get_data(as_text=True)
    assert "KK-CH01-000001" in counter.get("/stock-counts").get_data(as_text=True)
