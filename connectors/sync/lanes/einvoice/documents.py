"""An e-invoice row and its sale, read now, as the provider-neutral document (connectors/einvoice/document.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.einvoice.document import InvoiceDocument, InvoiceLine, OriginalRef
from pharmacy.einvoices.models import EInvoice
from pharmacy.einvoices.presets import vat_rate
from pharmacy.sales.models import CustomerReturn, ReturnLine, Sale, SaleLine
from pharmacy.stores.models import Store

NO_VAT_BREAKDOWN = -2  # a sales invoice (template 2, direct method) carries no VAT per line


def _line(invoice: EInvoice, line: SaleLine, *, unit: str, unit_price: int, quantity: int, amount: int,
          discount: int = 0, increase: bool = True) -> InvoiceLine:
    product = line.product
    rate = vat_rate(product.vat_rate, invoice.rules) if invoice.template == "1" else NO_VAT_BREAKDOWN
    without = amount if rate <= 0 else (amount * 200 + 100 + rate) // (2 * (100 + rate))
    return InvoiceLine(code=product.national_code or f"SP{product.id}", name=product.name, unit=unit,
                       unit_price=unit_price, quantity=quantity, amount=amount, vat_rate=rate,
                       amount_without_tax=without, tax_amount=amount - without, discount=discount, increase=increase)


def _refunds(session: Session, sale: Sale) -> dict[int, int]:
    rows = session.execute(select(ReturnLine.sale_line_id, func.sum(ReturnLine.refund))
                           .join(CustomerReturn, CustomerReturn.id == ReturnLine.return_id)
                           .where(CustomerReturn.sale_id == sale.id).group_by(ReturnLine.sale_line_id)).all()
    return {line_id: int(total or 0) for line_id, total in rows}


def invoice_lines(session: Session, invoice: EInvoice, sale: Sale) -> tuple[InvoiceLine, ...]:
    """The original's lines; a void's adjustment takes back what is left of each; a replacement carries the
    lines at zero; a decrease takes back the returned units."""
    if invoice.kind == "original":
        return tuple(_line(invoice, line, unit=line.unit_name, unit_price=line.unit_price, quantity=line.quantity,
                           amount=line.amount, discount=line.discount_amount + line.cart_discount_share)
                     for line in sale.lines)
    if invoice.kind == "replacement":
        return tuple(_line(invoice, line, unit=line.unit_name, unit_price=line.unit_price, quantity=0, amount=0)
                     for line in sale.lines)
    if invoice.kind == "decrease":
        returned = session.get(CustomerReturn, invoice.document_id)
        taken: dict[int, list[int]] = {}
        for item in returned.lines:
            sums = taken.setdefault(item.sale_line_id, [0, 0])
            sums[0] += item.base_quantity
            sums[1] += item.refund
        lines = {line.id: line for line in sale.lines}
        return tuple(_line(invoice, lines[line_id], unit=lines[line_id].product.base_unit.name,
                           unit_price=lines[line_id].unit_price // lines[line_id].unit_factor, quantity=quantity,
                           amount=refund, increase=False)
                     for line_id, (quantity, refund) in taken.items())
    refunds, result = _refunds(session, sale), []
    for line in sale.lines:
        left = line.base_quantity - line.returned_base_quantity
        amount = line.amount - refunds.get(line.id, 0)
        if left <= 0 and amount <= 0:
            continue
        whole = line.returned_base_quantity == 0
        result.append(_line(invoice, line, unit=line.unit_name if whole else line.product.base_unit.name,
                            unit_price=line.unit_price if whole else line.unit_price // line.unit_factor,
                            quantity=line.quantity if whole else left, amount=amount, increase=False))
    return tuple(result)


def issue_date(session: Session, invoice: EInvoice) -> datetime:
    """The invoice's time, never before the last one issued in its series (numbers and dates stay chronological)."""
    last = session.execute(select(func.max(EInvoice.issued_at)).where(
        EInvoice.store_id == invoice.store_id, EInvoice.symbol == invoice.symbol)).scalar_one()
    return max(invoice.created_at, last) if last is not None else invoice.created_at


def build_document(session: Session, invoice: EInvoice, sale: Sale, store: Store) -> InvoiceDocument:
    original = None
    if invoice.original_id is not None:
        first = session.get(EInvoice, invoice.original_id)
        original = OriginalRef(first.number, first.issued_at, first.template, first.symbol)
    return InvoiceDocument(
        key=invoice.client_key, kind=invoice.kind, seller_tax_code=store.seller_tax_code, seller_name=store.name,
        seller_address=store.address, template=invoice.template, symbol=invoice.symbol,
        issued_at=issue_date(session, invoice), payment_method="TM" if sale.payment_method == "cash" else "CK",
        buyer=invoice.buyer, lines=invoice_lines(session, invoice, sale), total=invoice.amount, original=original,
        document_number=invoice.document_number)
