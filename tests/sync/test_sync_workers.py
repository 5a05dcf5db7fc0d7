"""Real worker processes: one killed mid-send, then a restarted one converges; two at once never double-send."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from pharmacy.outbox.models import OutboxAttempt, OutboxMessage

from ..conftest import TEST_CREDENTIALS_KEY, requires_postgresql

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def _sync_run(database_url, sandbox_url, instance, *, lease=2):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
           "CREDENTIALS_KEY": TEST_CREDENTIALS_KEY, "INSTANCE_PATH": str(instance),
           "NATIONAL_DRUG_DB_URL": sandbox_url, "SYNC_LEASE_SECONDS": str(lease), "SYNC_BACKOFF_BASE_SECONDS": "1",
           "SYNC_BACKOFF_MAX_SECONDS": "2", "SYNC_READ_TIMEOUT": "5", "SYNC_CONCURRENCY": "4"}
    return subprocess.Popen([FLASK, "--app", "app", "sync", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _counts(app):
    from pharmacy.extensions import db

    with app.app_context():
        rows = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
        db.session.rollback()
        return rows


def test_worker_killed_mid_send_then_restarted_converges_to_exactly_once(app, world, docs, sandbox, database_url,
                                                                         tmp_path, clock):
    clock.now = datetime.now(timezone.utc) - timedelta(seconds=5)  # the worker processes use the real clock
    numbers = [docs.sale(world["store"], [(world["drug"], "Viên", 1)]) for _ in range(40)]
    sandbox.latency.seconds = 0.1
    worker = _sync_run(database_url, sandbox.url, tmp_path / "w1")
    deadline = time.monotonic() + 60
    while len(sandbox.simulator.state.documents("hoa_don")) < 10:
        assert worker.poll() is None, worker.stderr.read()
        assert time.monotonic() < deadline, "the worker sent nothing"
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=10)
    assert _counts(app).get("sending"), "the kill should leave claimed messages behind"
    sandbox.latency.seconds = 0.0
    time.sleep(2.2)  # the dead worker's leases run out
    for _ in range(6):
        restarted = _sync_run(database_url, sandbox.url, tmp_path / "w2")
        out, err = restarted.communicate(timeout=120)
        assert restarted.returncode == 0, err
        assert "sync pass:" in out
        current = _counts(app)
        if not current.get("pending") and not current.get("sending"):
            break
        time.sleep(2.2)
    assert set(_counts(app)) <= {"sent", "held"}
    state = sandbox.simulator.state
    assert all(state.count("hoa_don", f"HD-CH01-{i:06d}") == 1 for i in range(1, len(numbers) + 1))
    from pharmacy.extensions import db

    with app.app_context():
        unknown = db.session.execute(select(func.count()).select_from(OutboxAttempt).where(
            OutboxAttempt.outcome == "unknown")).scalar_one()
        assert unknown >= 1  # the dead worker's claims were treated as outcome unknown


@requires_postgresql
def test_two_workers_at_once_never_send_a_document_twice(app, world, docs, sandbox, make_runner, clock):
    for _ in range(120):
        docs.sale(world["store"], [(world["drug"], "Viên", 1)])
    sandbox.latency.seconds = 0.01
    runners = [make_runner(worker_id=f"w{i}", concurrency=3) for i in range(2)]
    threads = [threading.Thread(target=runner.run_once) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    posts = [call for call in sandbox.simulator.state.calls if call[0] == "POST" and "hoa_don" in call[1]]
    assert len(posts) == 120
    assert all(sandbox.simulator.state.count("hoa_don", f"HD-CH01-{i:06d}") == 1 for i in range(1, 121))
    from pharmacy.extensions import db

    with app.app_context():
        workers = db.session.execute(select(OutboxAttempt.worker, func.count()).group_by(OutboxAttempt.worker)).all()
        assert len(workers) == 2  # both really worked
