"""Quarantine and recalls in the stock ledger, under random mixed sequences of documents (service layer): on hand
always equals the ledger (per lot row and per store), no lot goes negative, FEFO picks the earliest-expiring
unexpired sellable lots, and quarantined stock never leaves except by release or disposal (a recall quarantines its
lot, refuses receipts of it, and sends voided/returned units of it back to quarantine). Transfers and counts:
test_ledger_property.py."""
from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pharmacy.errors import Conflict, DomainError
from pharmacy.issues.services import record_issue
from pharmacy.models import Movement, Sale, SaleLine, StockLot
from pharmacy.recalls.services import create_recall
from pharmacy.receipts.services import record_receipt
from pharmacy.sales.corrections import record_return, void_sale
from pharmacy.sales.services import record_sale
from pharmacy.stock.models import QUARANTINE, SELLABLE
from pharmacy.stock.quarantine import move_state
from pharmacy.stock.services import ledger_mismatches

from .ledger_machine import LOTS, NOW, TODAY, UNITS, LedgerMachine, fresh_engine, seed


def test_ledger_stays_consistent_under_random_documents(app, template_database, tmp_path):
    serial: list[int] = []

    class Ledger(LedgerMachine):
        def __init__(self):
            super().__init__()
            self.engine = fresh_engine(template_database, tmp_path, serial)
            self.session = Session(self.engine)
            self.store, self.actor, self.products = seed(self.session)
            self.expected = {product: 0 for product in self.products}
            self.held = {product: 0 for product in self.products}  # expected in quarantine
            self.recalled: set[tuple[int, str]] = set()
            self.sales: list[int] = []

        def lots(self, product):
            stmt = select(StockLot).where(StockLot.product_id == product).order_by(StockLot.expiry, StockLot.id)
            return list(self.session.execute(stmt).scalars())

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)), quantity=st.integers(1, 40))
        def receive(self, product, lot, quantity):
            line = {"product_id": self.products[product], "unit": "Viên", "quantity": quantity, "lot": lot,
                    "expiry": LOTS[lot], "unit_price": 300}
            result = self.attempt(lambda: record_receipt(self.session, store=self.store, kind="opening",
                                                         lines=[line], actor=self.actor, now=NOW))
            recalled = (self.products[product], lot) in self.recalled
            assert isinstance(result, DomainError) == recalled
            if not recalled:
                self.expected[self.products[product]] += quantity

        @rule(product=st.sampled_from([0, 1]), unit=st.sampled_from(sorted(UNITS)), quantity=st.integers(1, 6),
              lot=st.none() | st.sampled_from(sorted(LOTS)))
        def sell(self, product, unit, quantity, lot):
            product_id, needed = self.products[product], quantity * UNITS[unit]
            sellable = [(row.id, row.quantity) for row in self.lots(product_id)
                        if row.expiry >= TODAY and row.quantity > 0 and lot in (None, row.lot)
                        and row.state == SELLABLE]
            line = {"product_id": product_id, "unit": unit, "quantity": quantity, "lot": lot}
            sale = self.attempt(lambda: record_sale(self.session, store=self.store, lines=[line], actor=self.actor,
                                                    now=NOW))
            if isinstance(sale, DomainError):
                assert sum(q for _id, q in sellable) < needed or (product_id, lot) in self.recalled
                held = sum(row.quantity for row in self.lots(product_id) if row.lot == lot and row.state == QUARANTINE)
                if lot is not None and not sellable and held and (product_id, lot) not in self.recalled:
                    assert sale.extra.get("reason") == "quarantined"  # said as such, not as a shortage
                return
            greedy, remaining = [], needed
            for lot_id, on_hand in sellable:
                if remaining:
                    greedy.append((lot_id, min(on_hand, remaining)))
                    remaining -= greedy[-1][1]
            assert [(a.stock_lot_id, a.quantity) for a in sale.lines[0].allocations] == greedy  # FEFO
            self.expected[product_id] -= needed
            self.sales.append(sale.id)

        @precondition(lambda self: self.sales)
        @rule(pick=st.integers(0, 10_000))
        def void(self, pick):
            sale = self.session.get(Sale, self.sales[pick % len(self.sales)])
            back = sum(line.base_quantity - line.returned_base_quantity for line in sale.lines)
            product_id, voided = sale.lines[0].product_id, sale.void is not None
            to_quarantine = sum(a.quantity - a.returned_quantity for a in sale.lines[0].allocations
                                if (product_id, a.lot) in self.recalled)
            result = self.attempt(lambda: void_sale(self.session, sale=sale, reason="sai", actor=self.actor, now=NOW))
            assert isinstance(result, Conflict) == voided
            if not voided:
                self.expected[product_id] += back
                self.held[product_id] += to_quarantine

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
                self.expected[product_id] += quantity
                kept_apart = [self.store.returns_to_quarantine or (product_id, x.lot) in self.recalled
                              for x in result.lines]
                assert [x.state == QUARANTINE for x in result.lines] == kept_apart
                self.held[product_id] += sum(x.base_quantity for x, apart in zip(result.lines, kept_apart,
                                                                                 strict=True) if apart)

        @rule(to_quarantine=st.booleans())
        def returns_setting(self, to_quarantine):
            """The owner switches where customer returns go (quarantine by default, or straight to sellable)."""
            self.store.returns_to_quarantine = to_quarantine
            self.session.commit()

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)), quantity=st.integers(1, 30))
        def issue(self, product, lot, quantity):
            product_id = self.products[product]
            on_hand = sum(row.quantity for row in self.lots(product_id) if row.lot == lot)
            held = sum(row.quantity for row in self.lots(product_id) if row.lot == lot and row.state == QUARANTINE)
            line = {"product_id": product_id, "unit": "Viên", "quantity": quantity, "lot": lot}
            result = self.attempt(lambda: record_issue(self.session, store=self.store, kind="destruction",
                                                       note="hủy", lines=[line], actor=self.actor, now=NOW))
            assert isinstance(result, DomainError) == (quantity > on_hand)
            if not isinstance(result, DomainError):
                self.expected[product_id] -= quantity
                self.held[product_id] -= min(held, quantity)  # quarantined units are disposed of first

        def _state_move(self, product, lot, quantity, to_state):
            product_id = self.products[product]
            source = SELLABLE if to_state == QUARANTINE else QUARANTINE
            have = sum(row.quantity for row in self.lots(product_id) if row.lot == lot and row.state == source)
            line = {"product_id": product_id, "lot": lot, "quantity": quantity, "reason": "kiểm tra"}
            result = self.attempt(lambda: move_state(self.session, store_id=self.store.id, lines=[line],
                                                     to_state=to_state, actor=self.actor, now=NOW))
            refused = quantity > have or (to_state == SELLABLE and (product_id, lot) in self.recalled)
            assert isinstance(result, DomainError) == refused
            if not refused:
                self.held[product_id] += quantity if to_state == QUARANTINE else -quantity

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)), quantity=st.integers(1, 30))
        def quarantine(self, product, lot, quantity):
            self._state_move(product, lot, quantity, QUARANTINE)

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)), quantity=st.integers(1, 30))
        def release(self, product, lot, quantity):
            self._state_move(product, lot, quantity, SELLABLE)

        @rule(product=st.sampled_from([0, 1]), lot=st.sampled_from(sorted(LOTS)))
        def recall(self, product, lot):
            product_id = self.products[product]
            sellable = sum(row.quantity for row in self.lots(product_id) if row.lot == lot and row.state == SELLABLE)
            data = {"decision_number": f"{product}-{lot}/QĐ", "decision_date": TODAY, "level": 2,
                    "product_id": product_id, "lots": [lot], "reason": "thu hồi"}
            result = self.attempt(lambda: create_recall(self.session, data=data, actor=self.actor, now=NOW))
            assert isinstance(result, DomainError) == ((product_id, lot) in self.recalled)
            if not isinstance(result, DomainError):
                self.recalled.add((product_id, lot))
                self.held[product_id] += sellable

        @invariant()
        def ledger_matches_on_hand(self):
            assert ledger_mismatches(self.session) == []
            assert self.session.scalar(select(func.count()).where(StockLot.quantity < 0)) == 0
            totals = dict(self.session.execute(
                select(StockLot.product_id, func.sum(StockLot.quantity)).group_by(StockLot.product_id)).all())
            assert {p: totals.get(p, 0) for p in self.products} == self.expected
            held = dict(self.session.execute(
                select(StockLot.product_id, func.sum(StockLot.quantity)).where(StockLot.state == QUARANTINE)
                .group_by(StockLot.product_id)).all())
            assert {p: held.get(p, 0) for p in self.products} == self.held
            per_store = dict(self.session.execute(
                select(StockLot.store_id, func.sum(StockLot.quantity)).group_by(StockLot.store_id)).all())
            ledger = dict(self.session.execute(
                select(Movement.store_id, func.sum(Movement.quantity)).group_by(Movement.store_id)).all())
            assert {k: v for k, v in per_store.items() if v} == {k: v for k, v in ledger.items() if v}
            for product_id, lot in self.recalled:
                assert sum(row.quantity for row in self.lots(product_id)
                           if row.lot == lot and row.state == SELLABLE) == 0

        @invariant()
        def returns_never_exceed_sales(self):
            for line in self.session.execute(select(SaleLine)).scalars():
                assert 0 <= line.returned_base_quantity <= line.base_quantity
                assert sum(a.returned_quantity for a in line.allocations) == line.returned_base_quantity
                assert all(0 <= a.returned_quantity <= a.quantity for a in line.allocations)

    run_state_machine_as_test(
        Ledger, settings=settings(max_examples=25, stateful_step_count=20, deadline=None)
    )
