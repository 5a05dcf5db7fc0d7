"""After a restore, a CSDL Dược v2 sale (v2 offers no look-up) is held for a person, never submitted again blind."""
from __future__ import annotations

from ..v2.conftest import clock, docs, make_v2_runner, v2_faults, v2_helpers, v2_sandbox, v2_store, v2_world  # noqa: F401 - fixtures  # noqa: F401 - fixtures


def test_a_v2_sale_sent_after_the_backup_waits_for_a_person_after_restore(app, v2_store, docs, v2_sandbox,
                                                                         make_v2_runner, clock, v2_helpers, tmp_path):
    v2_helpers["link"](app, v2_store["unlinked"], "893000000003", {"Viên": "VIEN"})
    runner = make_v2_runner()
    v2_helpers["drain"](app, runner, clock)  # the opening balance
    docs.sale(v2_store["store"], [(v2_store["drug"], "Viên", 2)])
    backup = tmp_path / "v2"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0
    v2_helpers["drain"](app, runner, clock)
    sale = [m for m in v2_helpers["messages"](app) if m["type"] == "sale"][0]
    assert v2_sandbox.state.count(sale["number"]) == 1

    restored = app.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--force"])
    assert restored.exit_code == 0, restored.output
    runner.run_once()
    after = [m for m in v2_helpers["messages"](app) if m["type"] == "sale"][0]
    assert after["status"] == "held" and after["outcome_unknown"] and "CSDL" in after["last_error"]
    assert v2_sandbox.state.count(sale["number"]) == 1
