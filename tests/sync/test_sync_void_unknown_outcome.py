"""A void of a sale whose send outcome is unknown keeps trying its DELETE until it lands, whatever fails between."""
from __future__ import annotations

from connectors.sandboxes.kit import FAULT_500, FAULT_DROP_AFTER_STORE


def test_failed_delete_after_an_unknown_send_is_retried_not_forgotten(app, world, docs, sandbox, faults,
                                                                       make_runner, sync_helpers, clock):
    runner = make_runner()
    sync_helpers["drain"](app, runner, clock)  # the world's opening receipts
    faults.push(FAULT_DROP_AFTER_STORE, route="post:hoa_don")  # stored, but the answer is lost
    sale = docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    runner.run_once(max_seconds=5)
    state = sandbox.simulator.state
    assert state.count("hoa_don", "HD-CH01-000001") == 1

    docs.void(sale)
    faults.push(FAULT_500, count=2, route="delete:hoa_don")  # the DELETE fails twice before it goes through
    sync_helpers["drain"](app, runner, clock)
    assert state.count("hoa_don", "HD-CH01-000001") == 0
    assert state.count("hoa_don", "HD-CH01-000001", include_deleted=True) == 1
    statuses = sync_helpers["statuses"](app)
    assert not statuses.get("pending") and not statuses.get("sending") and not statuses.get("rejected")
