"""The sync runner's database budget per message (issue 18): a count of statements, not a time.

A claim reads its batch together: the due ids, the lease update, the voids waiting, the messages, then the batch's
stores and documents in one query per kind (a sale's lines, allocations, products, seller and lot dates come with
it). A finished send costs three statements (the message re-read, its attempt, its new state), recorded by the
main loop in one transaction per batch of finished sends. Before this, each message read its own sale, lines,
allocations and lot dates, and each send opened its own transaction: 13 statements per message.
"""
from __future__ import annotations

from sqlalchemy import event

BACKLOG = 24
BUDGET_PER_MESSAGE = 8  # 6.3 seen on a loaded machine, where each finished send may be recorded alone; 13 before


def test_a_pass_over_a_backlog_of_sales_stays_within_its_statement_budget(app, world, docs, make_runner, sandbox):
    from pharmacy.extensions import db

    for _ in range(BACKLOG):
        docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    runner = make_runner()
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        summary = runner.run_once()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert sorted(d.number for d in sandbox.simulator.state.documents("hoa_don")) == [
        f"HD-CH01-{n:06d}" for n in range(1, BACKLOG + 1)]
    handled = sum(summary.counts.values())  # the sales and the world's opening receipts (sent or held)
    assert handled >= BACKLOG
    assert len(seen) <= BUDGET_PER_MESSAGE * handled, f"{len(seen)} statements for {handled}:\n" + "\n".join(seen)
