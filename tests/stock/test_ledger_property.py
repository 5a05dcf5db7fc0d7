"""The stock ledger under random mixed sequences of documents (service layer): on hand always equals the ledger,
no lot goes negative, FEFO picks the earliest-expiring unexpired lots, corrections never give back too much, and
transfers between two stores (dispatch, receipt short or in full, cancel) and stock counts approved after a mid-count
sale keep every store's stock exact."""
from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pharmacy.counts.services import approve_count, record_counts, start_count, submit_count
from pharmacy.errors import Conflict, DomainError
from pharmacy.issues.services import record_issue
from pharmacy.models import Sale, SaleLine, StockLot, Store
from pharmacy.receipts.services import record_receipt
from pharmacy.sales.corrections import record_return, void_sale
from pharmacy.sales.services import record_sale
from pharmacy.stock.services import ledger_mismatches
from pharmacy.transfers.models import IN_TRANSIT, Transfer
from pharmacy.transfers.services import cancel_transfer, dispatch_transfer, receive_transfer

from .ledger_machine import LOTS, NOW, TODAY, UNITS, LedgerMachine, fresh_engine, seed


def test_ledger_stays_consistent_under_random_documents(app, template_database, tmp_path):
    serial: list[int] = []

    class Ledger(LedgerMachine):
        def __init__(self):
            super().__init__()
            self.engine = fresh_engine(template_database, tmp_path, serial)
            self.session = Session(self.engine)
            self.store, self.actor, self.products = seed(self.session)
            self.other = Store(code="CH02", name="Nhà thuốc thứ hai", national_facility_code="CS-2")
            self.session.add(self.other)
            self.session.commit()
            self.stores = [self.store, self.other]
            self.expected = {(store.id, product): 0 for store in self.stores for product in self.products}
            self.sales: list[int] = []
            self.transfers: list[int] = []

        def lots(self, product, store=None):
            stmt = select(StockLot).where(StockLot.product_id == product,
                                          StockLot.store_id == (store or self.store).id)
            stmt = stmt.order_by(StockLot.expiry, StockLot.id)
            return list(self.session.execute(stmt).scalars())

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)), quantity=st.integers(1, 40))
        def receive(self, product, lot, quantity):
            line = {"product_id": self.products[product], "unit": "Viên", "quantity": quantity, "lot": lot,
                    "expiry": LOTS[lot], "unit_price": 300}
            self.attempt(lambda: record_receipt(self.session, store=self.store, kind="opening", lines=[line],
                                                actor=self.actor, now=NOW))
            self.expected[self.store.id, self.products[product]] += quantity

        @rule(product=st.sampled_from([0, 1]), unit=st.sampled_from(sorted(UNITS)), quantity=st.integers(1, 6),
              lot=st.none() | st.sampled_from(sorted(LOTS)))
        def sell(self, product, unit, quantity, lot):
            product_id, needed = self.products[product], quantity * UNITS[unit]
            sellable = [(row.id, row.quantity) for row in self.lots(product_id)
                        if row.expiry >= TODAY and row.quantity > 0 and lot in (None, row.lot)]
            line = {"product_id": product_id, "unit": unit, "quantity": quantity, "lot": lot}
            sale = self.attempt(lambda: record_sale(self.session, store=self.store, lines=[line], actor=self.actor,
                                                    now=NOW))
            if isinstance(sale, DomainError):
                assert sum(q for _id, q in sellable) < needed
                return
            greedy, remaining = [], needed
            for lot_id, on_hand in sellable:
                if remaining:
                    greedy.append((lot_id, min(on_hand, remaining)))
                    remaining -= greedy[-1][1]
            assert [(a.stock_lot_id, a.quantity) for a in sale.lines[0].allocations] == greedy  # FEFO
            self.expected[self.store.id, product_id] -= needed
            self.sales.append(sale.id)

        @precondition(lambda self: self.sales)
        @rule(pick=st.integers(0, 10_000))
        def void(self, pick):
            sale = self.session.get(Sale, self.sales[pick % len(self.sales)])
            back = sum(line.base_quantity - line.returned_base_quantity for line in sale.lines)
            product_id, voided = sale.lines[0].product_id, sale.void is not None
            result = self.attempt(lambda: void_sale(self.session, sale=sale, reason="sai", actor=self.actor, now=NOW))
            assert isinstance(result, Conflict) == voided
            if not voided:
                self.expected[self.store.id, product_id] += back

        @precondition(lambda self: self.sales)
        @rule(pick=st.integers(0, 10_000), quantity=st.integers(1, 12), named=st.booleans())
        def give_back(self, pick, quantity, named):
            sale = self.session.get(Sale, self.sales[pick % len(self.sales)])
            line = sale.lines[0]
            lot = line.allocations[0].lot if named else None
            left = sum(a.quantity - a.returned_quantity for a in line.allocations if lot in (None, a.lot))
            allowed, product_id = sale.void is None and quantity <= left, line.product_id
            item = {"sale_line_id": line.id, "quantity": quantity, "unit": "Viên", "lot": lot}
            result = self.attempt(lambda: record_return(self.session, sale=sale, lines=[item], actor=self.actor,
                                                        now=NOW))
            assert isinstance(result, DomainError) != allowed
            if allowed:
                assert sum(x.refund for x in result.lines) <= line.amount
                self.expected[self.store.id, product_id] += quantity

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)), quantity=st.integers(1, 30))
        def issue(self, product, lot, quantity):
            product_id = self.products[product]
            on_hand = sum(row.quantity for row in self.lots(product_id) if row.lot == lot)
            line = {"product_id": product_id, "unit": "Viên", "quantity": quantity, "lot": lot}
            result = self.attempt(lambda: record_issue(self.session, store=self.store, kind="destruction",
                                                       note="hủy", lines=[line], actor=self.actor, now=NOW))
            assert isinstance(result, DomainError) == (quantity > on_hand)
            if not isinstance(result, DomainError):
                self.expected[self.store.id, product_id] -= quantity

        @rule(product=st.sampled_from([0, 1]), unit=st.sampled_from(sorted(UNITS)), quantity=st.integers(1, 4),
              lot=st.none() | st.sampled_from(sorted(LOTS)), back=st.booleans())
        def dispatch(self, product, unit, quantity, lot, back):
            source, destination = (self.other, self.store) if back else (self.store, self.other)
            product_id, needed = self.products[product], quantity * UNITS[unit]
            sellable = sum(row.quantity for row in self.lots(product_id, source)
                           if row.expiry >= TODAY and lot in (None, row.lot))
            line = {"product_id": product_id, "unit": unit, "quantity": quantity, "lot": lot}
            result = self.attempt(lambda: dispatch_transfer(self.session, source=source, destination=destination,
                                                            lines=[line], actor=self.actor, now=NOW))
            assert isinstance(result, DomainError) == (sellable < needed)
            if not isinstance(result, DomainError):
                assert all(a.expiry >= TODAY for a in result.lines[0].allocations)  # never an expired lot
                self.expected[source.id, product_id] -= needed
                self.transfers.append(result.id)

        @precondition(lambda self: self.transfers)
        @rule(pick=st.integers(0, 10_000), short=st.integers(0, 5))
        def receive_transfer(self, pick, short):
            transfer = self.session.get(Transfer, self.transfers[pick % len(self.transfers)])
            in_transit, line = transfer.status == IN_TRANSIT, transfer.lines[0]
            items = [{"transfer_line_id": line.id, "lot": a.lot, "unit": "Viên",
                      "quantity": max(a.quantity - short, 0)} for a in line.allocations]
            arrived = sum(item["quantity"] for item in items)
            destination, product_id = transfer.to_store_id, line.product_id
            result = self.attempt(lambda: receive_transfer(self.session, transfer, lines=items, actor=self.actor,
                                                           now=NOW, reason="vỡ"))
            assert isinstance(result, Conflict) == (not in_transit)
            if in_transit:
                sent = sum(a.quantity for a in line.allocations)
                assert result.status == ("received" if arrived == sent else "received_with_discrepancy")
                self.expected[destination, product_id] += arrived

        @precondition(lambda self: self.transfers)
        @rule(pick=st.integers(0, 10_000))
        def cancel_transfer(self, pick):
            transfer = self.session.get(Transfer, self.transfers[pick % len(self.transfers)])
            in_transit, line = transfer.status == IN_TRANSIT, transfer.lines[0]
            source, product_id = transfer.from_store_id, line.product_id
            sent = sum(a.quantity for a in line.allocations)
            result = self.attempt(lambda: cancel_transfer(self.session, transfer, actor=self.actor, now=NOW))
            assert isinstance(result, Conflict) == (not in_transit)
            if in_transit:
                self.expected[source, product_id] += sent

        @rule(product=st.sampled_from([0, 1]), deltas=st.lists(st.integers(-8, 8), min_size=1, max_size=4),
              sold_between=st.integers(0, 6))
        def count(self, product, deltas, sold_between):
            product_id = self.products[product]
            count = self.attempt(lambda: start_count(self.session, store=self.store, scope="products",
                                                     product_ids=[product_id], actor=self.actor, now=NOW))
            if sold_between:  # a sale while counting
                line = {"product_id": product_id, "unit": "Viên", "quantity": sold_between}
                if not isinstance(self.attempt(lambda: record_sale(self.session, store=self.store, lines=[line],
                                                                   actor=self.actor, now=NOW)), DomainError):
                    self.expected[self.store.id, product_id] -= sold_between
            pairs = zip(count.lines, deltas, strict=False)  # the lots beyond the deltas are not counted: none
            counted = [{"product_id": product_id, "lot": line.lot, "expiry": line.expiry, "unit": "Viên",
                        "quantity": max(line.expected + delta, 0)} for line, delta in pairs]
            if counted:
                self.attempt(lambda: record_counts(self.session, count, lines=counted, actor=self.actor))
            self.attempt(lambda: submit_count(self.session, count, actor=self.actor, now=NOW))
            result = self.attempt(lambda: approve_count(self.session, count, actor=self.actor, now=NOW))
            assert result.status == "approved"
            for line in result.lines:
                assert line.adjusted <= 0 or line.adjusted == line.variance
            self.expected[self.store.id, product_id] += sum(line.adjusted for line in result.lines)

        @invariant()
        def ledger_matches_on_hand(self):
            assert ledger_mismatches(self.session) == []
            assert self.session.scalar(select(func.count()).where(StockLot.quantity < 0)) == 0
            totals = {(store, product): quantity for store, product, quantity in self.session.execute(
                select(StockLot.store_id, StockLot.product_id, func.sum(StockLot.quantity))
                .group_by(StockLot.store_id, StockLot.product_id)).all()}
            assert {key: totals.get(key, 0) for key in self.expected} == self.expected

        @invariant()
        def returns_never_exceed_sales(self):
            for line in self.session.execute(select(SaleLine)).scalars():
                assert 0 <= line.returned_base_quantity <= line.base_quantity
                assert sum(a.returned_quantity for a in line.allocations) == line.returned_base_quantity
                assert all(0 <= a.returned_quantity <= a.quantity for a in line.allocations)

    run_state_machine_as_test(
        Ledger, settings=settings(max_examples=25, stateful_step_count=20, deadline=None)
    )
