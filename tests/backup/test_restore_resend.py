"""A restore brings back outbox rows as they were at backup time; a sale sent after the backup must still reach
the national sandbox exactly once (issue 12.11): the legacy lane asks (GET) before any resend."""
from __future__ import annotations

from ..sync.conftest import clock, docs, faults, make_runner, sandbox, sync_helpers, world  # noqa: F401 - fixtures


def test_a_sale_sent_after_the_backup_is_not_sent_again_after_restore(app, world, docs, sandbox, make_runner,
                                                                     sync_helpers, clock, tmp_path):
    runner = make_runner()
    sync_helpers["drain"](app, runner, clock)  # the opening receipts
    docs.sale(world["store"], [(world["drug"], "Viên", 2)])
    backup = tmp_path / "before-sending"
    made = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output

    sync_helpers["drain"](app, runner, clock)  # the sale reaches the national system after the backup
    state = sandbox.simulator.state
    assert state.count("hoa_don", "HD-CH01-000001") == 1

    restored = app.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--force"])
    assert restored.exit_code == 0, restored.output
    assert "1 unsent national messages" in restored.output
    assert sync_helpers["statuses"](app).get("sending") == 1  # unsent in the backup: now an interrupted send

    sync_helpers["drain"](app, runner, clock)
    assert state.count("hoa_don", "HD-CH01-000001") == 1  # looked up, found, not posted twice
    final = sync_helpers["statuses"](app)
    assert not final.get("pending") and not final.get("sending") and not final.get("rejected")


def test_a_sale_never_sent_is_sent_once_after_restore(app, world, docs, sandbox, make_runner, sync_helpers, clock,
                                                      tmp_path):
    runner = make_runner()
    sync_helpers["drain"](app, runner, clock)
    docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    backup = tmp_path / "unsent"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["backup", "restore", str(backup)]).exit_code == 0
    sync_helpers["drain"](app, runner, clock)
    assert sandbox.simulator.state.count("hoa_don", "HD-CH01-000001") == 1
