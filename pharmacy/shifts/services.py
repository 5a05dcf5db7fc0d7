"""Opening and closing shifts, cash in and out of the drawer, and the shift report (what the drawer should hold).

A sale, a return or a void belongs to the shift of the user who made it, at its store, made while the shift was
open: the documents carry their user, store and time already, so attributing them writes nothing at the counter."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, Forbidden, Invalid, NotFound, msg
from ..sales.models import PAYMENT_METHODS, CustomerReturn, Sale, SaleVoid
from ..stores.models import Store, User
from .models import CASH_MOVEMENT_KINDS, CashMovement, Shift
from .report import MethodFigures, ShiftFigures


def open_shift_of(session: Session, *, user_id: int, store_id: int) -> Shift | None:
    return session.execute(
        select(Shift).where(Shift.user_id == user_id, Shift.store_id == store_id, Shift.closed_at.is_(None))
    ).scalars().first()


def require_open_shift(session: Session, store: Store, actor: User) -> None:
    """A store that requires shifts sells, refunds and voids only from an open drawer (reads nothing otherwise)."""
    if store.require_shift and open_shift_of(session, user_id=actor.id, store_id=store.id) is None:
        raise Invalid(msg("The store requires an open shift: open one before selling or refunding."),
                      field="shift")


def open_shift(session: Session, *, store: Store, opening_cash: int, actor: User, now: datetime) -> Shift:
    if opening_cash < 0:
        raise Invalid(msg("The opening cash cannot be negative."), field="opening_cash")
    if open_shift_of(session, user_id=actor.id, store_id=store.id) is not None:
        raise Conflict(msg("You already have an open shift in this store: close it first."), field="store_id")
    shift = Shift(store_id=store.id, user_id=actor.id, opening_cash=opening_cash, opened_at=now, note="")
    try:
        with session.begin_nested():
            session.add(shift)
            session.flush()
    except IntegrityError as exc:  # the partial unique index: another request opened one meanwhile
        raise Conflict(msg("You have just opened a shift in this store on another computer."),
                       field="store_id") from exc
    return shift


def _require_own_open(shift: Shift, actor: User) -> None:
    if shift.closed_at is not None:
        raise Conflict(msg("Shift #%(id)s is closed.", id=shift.id), field="shift_id")
    if shift.user_id != actor.id and not actor.is_owner:
        raise Forbidden(msg("Only who opened the shift or an owner may do this."), field="shift_id")


def add_cash_movement(session: Session, *, shift: Shift, kind: str, amount: int, reason: str, actor: User,
                      now: datetime) -> CashMovement:
    """Cash put into or taken out of an open drawer; taking out more than it should hold is refused."""
    _require_own_open(shift, actor)
    if kind not in CASH_MOVEMENT_KINDS:
        raise Invalid(msg("The kind must be in (cash in) or out (cash out)."), field="kind")
    if amount <= 0:
        raise Invalid(msg("The amount must be greater than 0."), field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(msg("A reason is needed."), field="reason")
    if kind == "out" and amount > shift_figures(session, shift, now=now).expected_cash:
        raise Invalid(msg("The amount taken out is more than the cash in the drawer."), field="amount")
    movement = CashMovement(shift_id=shift.id, kind=kind, amount=amount, reason=reason, user_id=actor.id,
                            created_at=now)
    session.add(movement)
    session.flush()
    return movement


def close_shift(session: Session, *, shift: Shift, counted_cash: int, note: str = "", actor: User,
                now: datetime) -> Shift:
    """Close with the counted cash: the figures are kept as they stood, with the difference and its note."""
    _require_own_open(shift, actor)
    # Two closes of one shift: the second waits here and then finds it closed.
    session.execute(select(Shift.id).where(Shift.id == shift.id).with_for_update())
    session.refresh(shift)
    _require_own_open(shift, actor)
    if counted_cash < 0:
        raise Invalid(msg("The counted cash cannot be negative."), field="counted_cash")
    figures = shift_figures(session, shift, now=now)
    note = (note or "").strip()
    if counted_cash != figures.expected_cash and not note:
        raise Invalid(msg("%(difference)s ₫ off the book: write the reason in a note.",
                          difference=counted_cash - figures.expected_cash), field="note")
    shift.closed_at, shift.closed_by_id, shift.note = now, actor.id, note
    shift.expected_cash, shift.counted_cash = figures.expected_cash, counted_cash
    shift.summary = figures.as_dict()
    session.flush()
    return shift


def _window(model, shift: Shift, until: datetime):
    return and_(model.store_id == shift.store_id, model.user_id == shift.user_id,
                model.created_at >= shift.opened_at, model.created_at < until)


def shift_figures(session: Session, shift: Shift, *, now: datetime) -> ShiftFigures:
    """The shift's sales, refunds and cash movements as they stand (at close: as they stood then)."""
    until = shift.closed_at or now
    methods = {method: MethodFigures() for method in PAYMENT_METHODS}
    for method, count, total in session.execute(
        select(Sale.payment_method, func.count(), func.coalesce(func.sum(Sale.total), 0))
        .where(_window(Sale, shift, until)).group_by(Sale.payment_method)
    ):
        methods.setdefault(method, MethodFigures()).add_sales(count, total)
    for method, count, total in session.execute(
        select(Sale.payment_method, func.count(), func.coalesce(func.sum(CustomerReturn.refund_total), 0))
        .join(Sale, Sale.id == CustomerReturn.sale_id)
        .where(_window(CustomerReturn, shift, until)).group_by(Sale.payment_method)
    ):
        methods.setdefault(method, MethodFigures()).add_refunds(count, total)
    voids = session.execute(select(SaleVoid).where(_window(SaleVoid, shift, until))).scalars().all()
    for void in voids:
        methods.setdefault(void.sale.payment_method, MethodFigures()).add_refunds(1, void.refund)
    moved = dict(session.execute(
        select(CashMovement.kind, func.coalesce(func.sum(CashMovement.amount), 0))
        .where(CashMovement.shift_id == shift.id, CashMovement.created_at < until).group_by(CashMovement.kind)
    ).all())
    return ShiftFigures(opening_cash=shift.opening_cash, by_payment_method=methods,
                        cash_in=moved.get("in", 0), cash_out=moved.get("out", 0))


def report_figures(session: Session, shift: Shift, *, now: datetime) -> ShiftFigures:
    """A closed shift's figures as kept at close; an open one's as they stand."""
    return ShiftFigures.from_dict(shift.summary) if shift.summary else shift_figures(session, shift, now=now)


def get_shift(session: Session, shift_id: int, actor: User, *, field: str = "shift_id") -> Shift:
    """A shift the caller may see (their own; an owner: any), else 404."""
    shift = session.get(Shift, shift_id)
    if shift is None or not actor.can_access_store(shift.store_id) \
            or (shift.user_id != actor.id and not actor.is_owner):
        raise NotFound(msg("Shift #%(id)s not found.", id=shift_id), field=field)
    return shift


def shifts_query(actor: User, *, store_id: int | None = None, status: str | None = None):
    """Newest first: a pharmacist's own shifts, an owner's every shift (optionally one store, open or closed)."""
    stmt = select(Shift).order_by(Shift.id.desc())
    if not actor.is_owner:
        stmt = stmt.where(Shift.user_id == actor.id)
    if store_id is not None:
        stmt = stmt.where(Shift.store_id == store_id)
    if status == "open":
        stmt = stmt.where(Shift.closed_at.is_(None))
    elif status == "closed":
        stmt = stmt.where(Shift.closed_at.is_not(None))
    return stmt
