"""Logging: every send outcome is one INFO line with store, document number and outcome, and never a secret."""
from __future__ import annotations

import logging

from tests.sync.conftest import NATIONAL_PASSWORD


def test_each_send_outcome_is_logged_at_info_without_secrets(app, world, docs, sandbox, make_runner, sync_helpers,
                                                             clock, caplog):
    from pharmacy.logging_setup import logging_config

    assert logging_config()["root"]["level"] == "INFO"
    docs.sale(world["store"], [(world["drug"], "Hộp", 1)])
    with caplog.at_level(logging.INFO):
        sync_helpers["drain"](app, make_runner(), clock)
    sends = [record.getMessage() for record in caplog.records if record.name == "connectors.sync.claims"]
    assert any(f"store={world['store']} national_drug_db sale HD-CH01-000001: sent (HTTP 2" in line
               for line in sends), sends
    assert not any(NATIONAL_PASSWORD in record.getMessage() for record in caplog.records)
