"""The dashboard and reports pages through the test client: figures, links, hidden cost, bad input."""
from __future__ import annotations

import re

from ..web.test_backoffice_pages import signed_in

CUSTOM = "/dashboard?period=custom&date_from=2026-11-10&date_to=2026-11-11"


def test_dashboard_shows_each_store_and_links_every_number(app, chain):
    html = signed_in(app, "owner").get(CUSTOM).get_data(as_text=True)
    assert "Bảng điều khiển" in html and "10/11/2026 – 11/11/2026" in html
    assert "20.000\u00a0₫" in html and "22.500\u00a0₫" in html  # CH01 and the chain's revenue
    assert f'/dashboard/stores/{chain["a"]}/stock?show=30' in html
    assert f'/sales?store_id={chain["a"]}&amp;date_from=2026-11-10&amp;date_to=2026-11-11' in html
    assert "vendor/chartjs/4.6.1/chart.umd.min.js" in html and 'id="dashboard-data"' in html
    assert "http://" not in html.split('id="dashboard-data"')[1]  # charts need no network


def test_dashboard_drills_into_a_store_stock_list(app, chain):
    client = signed_in(app, "owner")
    response = client.get(f"/dashboard/stores/{chain['b']}/stock?show=expired")
    assert response.status_code == 302 and response.headers["Location"].endswith("/stock?show=expired")
    page = client.get("/stock?show=expired").get_data(as_text=True)
    assert "Nhà thuốc CH02" in page and "OLD" in page


def test_pharmacist_dashboard_hides_cost_and_other_stores(app, chain):
    client = signed_in(app, "ds_b")
    html = client.get(CUSTOM).get_data(as_text=True)
    assert "CH02 · Nhà thuốc CH02" in html and "CH01 · Nhà thuốc CH01" not in html
    assert "2.500\u00a0₫" in html and "2.250\u00a0₫" not in html and "—" in html
    assert client.get(f"/dashboard/stores/{chain['a']}/stock").status_code == 403


def test_dashboard_periods_and_bad_custom_dates(app, chain):
    client = signed_in(app, "owner")
    for period in ("today", "7d", "30d", "month"):
        assert client.get(f"/dashboard?period={period}").status_code == 200
    html = client.get("/dashboard?period=custom&date_from=2026-11-12&date_to=2026-11-01").get_data(as_text=True)
    assert "Ngày kết thúc trước ngày bắt đầu." in html
    assert "Chọn ngày bắt đầu." in client.get("/dashboard?period=custom").get_data(as_text=True)


def test_reports_page_renders_the_table_and_download_links(app, chain):
    client = signed_in(app, "owner")
    html = client.get("/reports?kind=sales_day&date_from=2026-11-10&date_to=2026-11-11").get_data(as_text=True)
    assert "75.500\u00a0₫" in html and "-53.000\u00a0₫" in html and "22.500\u00a0₫" in html
    link = re.search(r'id="download-xlsx" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/api/v1/reports/sales?") and "group_by=day" in link and "format=xlsx" in link
    assert client.get(link).status_code == 200
    xnt = client.get(f"/reports?kind=stock_movements&store_id={chain['b']}&date_from=2026-11-10&date_to=2026-11-11")
    assert "477" in xnt.get_data(as_text=True)
    bad = client.get("/reports?kind=sales_day&date_from=2026-11-12&date_to=2026-11-01").get_data(as_text=True)
    assert "date_to" in bad and "Ngày kết thúc trước ngày bắt đầu." in bad
    assert client.get("/reports?kind=nope").status_code == 404
    for kind in ("overview", "sales_product", "sales_store", "sales_user", "rebalancing", "slow_movers"):
        assert client.get(f"/reports?kind={kind}").status_code == 200
