"""Deleting the planned ledger documents (ledger_plan.py) without changing any figure from the purge day on.

Before anything goes, the net of the purged stock movements of each lot is written back as one `opening` movement
(document type `purge`) dated the last instant before the purge day, and the same for the controlled-drug ledger,
so on-hand quantities stay the sum of their movements and every book from the purge day on reads the same opening
balances. The chain entries of the purged documents stay (they only hold hashes, so the chain still links); a
`PurgedRange` per run of consecutive entries tells the verification which documents are allowed to be missing.
The daily sales totals (sales_daily) of purged days stay: they are aggregates, and rebuilding them keeps the days
before the last purge (sales/daily.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from ..audit.models import JournalEntry, Purge, PurgedRange
from ..controlled.models import ControlledEntry, ControlledIncident
from ..counts.models import StockCount, StockCountLine
from ..einvoices.models import EInvoice
from ..errors import msg
from ..idempotency.models import IdempotencyKey
from ..issues.models import GoodsIssue, IssueLine
from ..models_base import chunks
from ..outbox.models import OutboxAttempt, OutboxMessage
from ..payments.models import BankNotification
from ..prescriptions.dispenses import PrescriptionDispense
from ..receipts.models import Receipt, ReceiptLine
from ..sales.models import CustomerReturn, ReturnLine, Sale, SaleAllocation, SaleLine, SaleVoid
from ..stock.models import Movement, StockStateChange
from ..transfers.models import Transfer, TransferAllocation, TransferLine
from ..wording import record_text
from .ledger_plan import EINVOICE, LedgerPlan

OPENING, PURGE = "opening", "purge"
# chain kind -> the member document type it names
CHAINED = {"sale": "sale", "void": "sale_void", "return": "customer_return", "receipt": "receipt", "issue": "issue",
           "transfer_out": "transfer", "transfer_in": "transfer", "transfer_cancel": "transfer",
           "adjustment": "stock_count"}


def _in(column, ids: list[int]):
    """`column IN ids`, chunked by the caller's loop: yields one condition per chunk."""
    for chunk in chunks(sorted(ids)):
        yield column.in_(chunk)


def _refs_where(columns, refs: list[tuple[str, int]]):
    for chunk in chunks(sorted(refs)):
        yield tuple_(*columns).in_(chunk)


def carry_forward(session: Session, plan: LedgerPlan, purge: Purge, *, at: datetime, actor_id: int | None) -> int:
    """One opening movement per lot (and one controlled-ledger opening per product lot) holding the net of the
    purged rows; the count of opening rows written."""
    refs = sorted(plan.refs())
    nets: dict[tuple[int, int, int], int] = {}
    users: dict[tuple[int, int, int], int] = {}
    for where in _refs_where((Movement.document_type, Movement.document_id), refs):
        stmt = (select(Movement.stock_lot_id, Movement.store_id, Movement.product_id, func.sum(Movement.quantity),
                       func.max(Movement.user_id))
                .where(where).group_by(Movement.stock_lot_id, Movement.store_id, Movement.product_id))
        for lot_id, store_id, product_id, total, user_id in session.execute(stmt):
            nets[(lot_id, store_id, product_id)] = nets.get((lot_id, store_id, product_id), 0) + int(total)
            users[(lot_id, store_id, product_id)] = user_id
    rows = [{"stock_lot_id": lot_id, "store_id": store_id, "product_id": product_id, "quantity": total,
             "kind": OPENING, "document_type": PURGE, "document_id": purge.id,
             "user_id": actor_id or users[(lot_id, store_id, product_id)], "created_at": at}
            for (lot_id, store_id, product_id), total in sorted(nets.items()) if total]
    controlled: dict[tuple, list] = {}
    for where in _refs_where((ControlledEntry.document_type, ControlledEntry.document_id), refs):
        stmt = (select(ControlledEntry.store_id, ControlledEntry.product_id, ControlledEntry.lot,
                       ControlledEntry.expiry, func.max(ControlledEntry.control_type),
                       func.sum(ControlledEntry.quantity), func.max(ControlledEntry.user_id))
                .where(where).group_by(ControlledEntry.store_id, ControlledEntry.product_id, ControlledEntry.lot,
                                       ControlledEntry.expiry))
        for store_id, product_id, lot, expiry, control_type, total, user_id in session.execute(stmt):
            found = controlled.setdefault((store_id, product_id, lot, expiry), [control_type, 0, user_id])
            found[1] += int(total)
    entries = [{"store_id": store_id, "product_id": product_id, "control_type": control_type, "lot": lot,
                "expiry": expiry, "quantity": total, "kind": OPENING, "document_type": PURGE,
                "document_id": purge.id, "document_number": f"LT-{purge.before.isoformat()}",
                "counterparty": record_text(msg("Balance carried forward (documents before %(day)s archived)",
                                                day=f"{purge.before:%d/%m/%Y}")),
                "user_id": actor_id or user_id, "created_at": at, "buyer_address": "", "buyer_id_number": "",
                "prescription_code": "", "prescription_form": "", "doctor_name": ""}
               for (store_id, product_id, lot, expiry), (control_type, total, user_id) in sorted(controlled.items())
               if total]
    if rows:
        session.execute(insert(Movement), rows)
    if entries:
        session.execute(insert(ControlledEntry), entries)
    return len(rows) + len(entries)


def chain_ranges(session: Session, plan: LedgerPlan) -> dict[int, list[tuple[int, int]]]:
    """Per chain: the runs of consecutive seqs whose documents are purged."""
    refs = plan.refs()
    seqs: dict[int, list[int]] = {}
    wanted = sorted({document_id for _type, document_id in refs})
    for where in _in(JournalEntry.document_id, wanted):
        stmt = select(JournalEntry.store_id, JournalEntry.seq, JournalEntry.kind, JournalEntry.document_id).where(
            where, JournalEntry.kind.in_(CHAINED))
        for store_id, seq, kind, document_id in session.execute(stmt):
            if (CHAINED[kind], document_id) in refs:
                seqs.setdefault(store_id, []).append(seq)
    runs: dict[int, list[tuple[int, int]]] = {}
    for store_id, found in seqs.items():
        for seq in sorted(found):
            chain = runs.setdefault(store_id, [])
            if chain and chain[-1][1] == seq - 1:
                chain[-1] = (chain[-1][0], seq)
            else:
                chain.append((seq, seq))
    return runs


def _delete(session: Session, model, column, ids: list[int]) -> None:
    for where in _in(column, ids):
        session.execute(delete(model).where(where), execution_options={"synchronize_session": False})


def _ids(session: Session, column, key, ids: list[int]) -> list[int]:
    found: list[int] = []
    for where in _in(key, ids):
        found += session.scalars(select(column).where(where)).all()
    return found


def _delete_messages(session: Session, plan: LedgerPlan, invoices: list[int]) -> None:
    refs = sorted(plan.refs() | {(EINVOICE, invoice) for invoice in invoices})
    messages: list[int] = []
    for where in _refs_where((OutboxMessage.document_type, OutboxMessage.document_id), refs):
        messages += session.scalars(select(OutboxMessage.id).where(where)).all()
    for where in _in(OutboxMessage.depends_on_id, messages):  # a message kept may wait on one that goes
        session.execute(update(OutboxMessage).where(where).values(depends_on_id=None),
                        execution_options={"synchronize_session": False})
    for where in _in(EInvoice.message_id, messages):
        session.execute(update(EInvoice).where(where).values(message_id=None),
                        execution_options={"synchronize_session": False})
    _delete(session, OutboxAttempt, OutboxAttempt.message_id, messages)
    _delete(session, OutboxMessage, OutboxMessage.id, messages)


def _delete_sales(session: Session, sales: list[int]) -> None:
    returns = _ids(session, CustomerReturn.id, CustomerReturn.sale_id, sales)
    lines = _ids(session, SaleLine.id, SaleLine.sale_id, sales)
    invoices = _ids(session, EInvoice.id, EInvoice.sale_id, sales)
    for where in _in(EInvoice.id, invoices):
        session.execute(update(EInvoice).where(where).values(original_id=None),
                        execution_options={"synchronize_session": False})
    _delete(session, EInvoice, EInvoice.id, invoices)
    for where in _in(BankNotification.sale_id, sales):  # the bank's own record stays, without its sale
        session.execute(update(BankNotification).where(where).values(sale_id=None),
                        execution_options={"synchronize_session": False})
    _delete(session, ReturnLine, ReturnLine.return_id, returns)
    _delete(session, CustomerReturn, CustomerReturn.id, returns)
    _delete(session, SaleVoid, SaleVoid.sale_id, sales)
    _delete(session, PrescriptionDispense, PrescriptionDispense.sale_id, sales)
    _delete(session, SaleAllocation, SaleAllocation.sale_line_id, lines)
    _delete(session, SaleLine, SaleLine.id, lines)
    _delete(session, Sale, Sale.id, sales)


def delete_ledger(session: Session, plan: LedgerPlan) -> int:
    """Delete every member of the planned groups and what hangs on them; the count of documents deleted."""
    refs = sorted(plan.refs())
    sales = plan.ids("sale")
    _delete_messages(session, plan, _ids(session, EInvoice.id, EInvoice.sale_id, sales))
    for model in (Movement, ControlledEntry, ControlledIncident):
        for where in _refs_where((model.document_type, model.document_id), refs):
            session.execute(delete(model).where(where), execution_options={"synchronize_session": False})
    tables = {"sale": Sale, "receipt": Receipt, "issue": GoodsIssue, "transfer": Transfer,
              "stock_count": StockCount}
    for kind, model in tables.items():
        for where in _refs_where((IdempotencyKey.document_type, IdempotencyKey.document_id),
                                 [(model.__tablename__, doc_id) for doc_id in plan.ids(kind)]):
            session.execute(delete(IdempotencyKey).where(where), execution_options={"synchronize_session": False})
    _delete_sales(session, sales)
    _delete(session, ReceiptLine, ReceiptLine.receipt_id, plan.ids("receipt"))
    _delete(session, Receipt, Receipt.id, plan.ids("receipt"))
    _delete(session, IssueLine, IssueLine.issue_id, plan.ids("issue"))
    _delete(session, GoodsIssue, GoodsIssue.id, plan.ids("issue"))
    transfer_lines = _ids(session, TransferLine.id, TransferLine.transfer_id, plan.ids("transfer"))
    _delete(session, TransferAllocation, TransferAllocation.transfer_line_id, transfer_lines)
    _delete(session, TransferLine, TransferLine.id, transfer_lines)
    _delete(session, Transfer, Transfer.id, plan.ids("transfer"))
    _delete(session, StockCountLine, StockCountLine.count_id, plan.ids("stock_count"))
    _delete(session, StockCount, StockCount.id, plan.ids("stock_count"))
    _delete(session, StockStateChange, StockStateChange.id, plan.ids("stock_state"))
    return len(refs)


def purge_ledger(session: Session, plan: LedgerPlan, *, before: date, cutoff: datetime, now: datetime,
                 actor_id: int | None, archives: list[dict]) -> Purge:
    """Record the purge, carry the balances forward, record the chain ranges, then delete (flushed, not
    committed). `cutoff`: the UTC instant `before` starts locally."""
    purge = Purge(before=before, at=now, user_id=actor_id, documents=len(plan.groups), archives=archives)
    session.add(purge)
    session.flush()
    carry_forward(session, plan, purge, at=cutoff - timedelta(microseconds=1), actor_id=actor_id)
    ranges = [{"purge_id": purge.id, "store_id": store_id, "seq_from": low, "seq_to": high}
              for store_id, runs in sorted(chain_ranges(session, plan).items()) for low, high in runs]
    if ranges:
        session.execute(insert(PurgedRange), ranges)
    delete_ledger(session, plan)
    session.flush()
    return purge


def archived_rows(session: Session, plan: LedgerPlan, store_id: int) -> dict[str, tuple]:
    """What the books export does not hold but a purge deletes (or leaves without its document), for one store's
    archive under purge/: the chain entries, controlled-ledger rows, national messages and e-invoices of the purged
    documents. path -> (table, rows)."""
    refs = sorted(plan.refs())
    invoices = _ids(session, EInvoice.id, EInvoice.sale_id, plan.ids("sale"))
    found: dict[str, tuple] = {}
    chained = {(kind, document_id) for kind, member in CHAINED.items()
               for member_type, document_id in refs if member_type == member}
    for name, model, columns, wanted in (
            ("journal_entries", JournalEntry, (JournalEntry.kind, JournalEntry.document_id), sorted(chained)),
            ("controlled_entries", ControlledEntry, (ControlledEntry.document_type, ControlledEntry.document_id),
             refs),
            ("controlled_incidents", ControlledIncident,
             (ControlledIncident.document_type, ControlledIncident.document_id), refs),
            ("outbox_messages", OutboxMessage, (OutboxMessage.document_type, OutboxMessage.document_id),
             sorted(set(refs) | {(EINVOICE, invoice) for invoice in invoices}))):
        table, rows = model.__table__, []
        for where in _refs_where(columns, wanted):
            rows += session.execute(select(table).where(where, table.c.store_id == store_id)).mappings().all()
        found[f"purge/{name}.csv"] = (table, sorted(rows, key=lambda row: row["id"]))
    table, rows = EInvoice.__table__, []
    for where in _in(table.c.id, invoices):
        rows += session.execute(select(table).where(where, table.c.store_id == store_id)).mappings().all()
    found["purge/einvoices.csv"] = (table, sorted(rows, key=lambda row: row["id"]))
    return found
