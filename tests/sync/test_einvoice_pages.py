"""The receipt prints the e-invoice's symbol, number, MTT code and lookup QR (or says it will follow); the sale page
lists the invoice and its corrections; the sync dashboard names the e-invoice system."""
from __future__ import annotations

from sqlalchemy import select

from ..web.test_backoffice_pages import signed_in
from .conftest import drain
from .test_einvoice_lane import MTT, invoices


def test_receipt_says_the_invoice_will_follow_then_prints_its_number_code_and_qr(app, einvoice_world, docs,
                                                                                 make_runner, clock):
    from pharmacy.extensions import db
    from pharmacy.sales.corrections import void_sale
    from pharmacy.sales.models import Sale
    from pharmacy.stores.models import User

    world = einvoice_world
    sale_id = docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    owner = signed_in(app, "owner")
    before = owner.get(f"/sales/{sale_id}/receipt").get_data(as_text=True)
    assert 'id="einvoice-follows"' in before and "sẽ được gửi sau" in before
    assert owner.get(f"/sales/{sale_id}/einvoice-qr.svg").status_code == 404
    drain(app, make_runner(), clock)
    [row] = invoices(app)
    after = owner.get(f"/sales/{sale_id}/receipt").get_data(as_text=True)
    assert row.number in after and row.mtt_code in after and MTT.match(row.mtt_code)
    assert 'id="einvoice-qr"' in after and "Mã của cơ quan thuế" in after
    qr = owner.get(f"/sales/{sale_id}/einvoice-qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    with app.app_context():
        user = db.session.execute(select(User).filter_by(username="owner")).scalar_one()
        void_sale(db.session, sale=db.session.get(Sale, sale_id), reason="Khách đổi ý", actor=user, now=clock())
        db.session.commit()
    page = owner.get(f"/sales/{sale_id}").get_data(as_text=True)
    assert 'id="einvoice-table"' in page and "Hóa đơn điều chỉnh về 0" in page and "Đang chờ phát hành" in page
    dashboard = owner.get("/sync").get_data(as_text=True)
    assert "Hóa đơn điện tử" in dashboard
