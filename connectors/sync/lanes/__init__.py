"""The sync lanes, in the order the runner claims from them. Adding a lane is one module and one line here.

A lane is a class following `connectors/sync/lane.py`'s `Lane` protocol, built with the runner's `LaneContext`:

1. Write `connectors/sync/lanes/<name>.py` (or a package when it grows past ~400 lines: plans.py for claim and plan,
   lane.py for send and record), with
   - `name` (for logs and the pass summary) and `missing_settings()` (the addresses it needs from
     `context.settings`; while one is missing, `claim` holds its messages with `plans.held_unconfigured`);
   - `claim(session, owner=, now=, limit=)`: lock its due messages (`claims.lock_due` with its own scope, e.g.
     `OutboxMessage.target == "tax_einvoice"`), plan each from the current data — a job (plain frozen data with
     `message_id`, `lease_owner`, `store_id`, `number`) or a `plans.Decision` settled at once (`claims.settle`);
   - `send(job)`: the client calls only, mapping a connector error with `results.failure`;
   - `crashed(job, error)`, `record(session, job, result, started_at=, now=)` (`claims.record_result` fits a lane
     whose sends end in sent/rejected/retry), `recheck(session, now)` (`claims.release_fixed`), `close()`.
2. Add the class to `LANES` below.

The domain queues the lane's messages with `pharmacy.outbox.services.enqueue(target=…)` in the document's own
transaction; the dashboard, the API and the CLI show them with no change.
"""
from __future__ import annotations

from .einvoice import EInvoiceLane
from .legacy import LegacyLane
from .prescriptions import PrescriptionLane
from .v2 import V2Lane

LANES = (
    LegacyLane,         # legacy "liên thông" national drug database API
    V2Lane,             # CSDL Dược v2 (stores from their opening balance on)
    PrescriptionLane,   # e-prescription dispensing reports and health data FHIR bundles
    EInvoiceLane,       # tax e-invoices from the cash register, through the store's provider
)
