"""Sign-in throttling holds under simultaneous guesses against a real server process, on SQLite and PostgreSQL
(issue 12.1): at most LOGIN_MAX_FAILURES passwords are really checked, only the guessing address waits, and an
unknown username costs as much time as a known one."""
from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .conftest import post_json

GUESSES = 60
FREE = 5  # LOGIN_MAX_FAILURES, the default the server process runs with


def _simultaneous(base_url, bodies, *, source="127.0.0.1"):
    barrier = threading.Barrier(len(bodies))

    def one(body):
        barrier.wait(timeout=30)
        return post_json(base_url, "/api/v1/auth/token", body, source=source)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(one, bodies))


def test_sixty_simultaneous_guesses_get_at_most_five_checks(books, server_process):
    books.user("owner", role="owner")
    base_url = server_process(threads=8)
    bodies = [{"username": "owner", "password": f"wrong-guess-{n}"} for n in range(GUESSES)]
    results = _simultaneous(base_url, bodies)
    statuses = [status for status, _headers, _body in results]
    checked = statuses.count(401)
    print(f"\n{GUESSES} simultaneous sign-ins: {checked} checked, {statuses.count(429)} refused unchecked")
    assert checked <= FREE and statuses.count(429) == GUESSES - checked, statuses
    refused = next(result for result in results if result[0] == 429)
    assert int(refused[1]["Retry-After"]) > 0 and refused[2]["errors"]["password"]
    right = {"username": "owner", "password": "secret-pass-1"}
    assert post_json(base_url, "/api/v1/auth/token", right)[0] == 429  # the guessing address waits, right or not
    # The owner at another counter PC is not locked out by the guesser.
    status, _headers, body = post_json(base_url, "/api/v1/auth/token", right, source="127.0.0.2")
    assert status == 200 and body["token"]


def test_unknown_usernames_take_as_long_as_known_ones(app, books, server_process):
    from argon2 import PasswordHasher

    from pharmacy.extensions import db
    from pharmacy.stores.models import User

    books.user("owner", role="owner")
    with app.app_context():  # a production-cost hash, as `flask users create` makes
        db.session.execute(db.update(User).values(password_hash=PasswordHasher().hash("secret-pass-1")))
        db.session.commit()
    base_url = server_process(threads=2)
    post_json(base_url, "/api/v1/auth/token", {"username": "warm-up", "password": "x"}, source="127.0.0.3")
    known, unknown = [], []
    for n in range(4):
        for username, times in (("owner", known), (f"nobody-{n}", unknown)):
            started = time.perf_counter()
            status, _headers, _body = post_json(base_url, "/api/v1/auth/token",
                                                {"username": username, "password": "wrong-pass-1"})
            times.append(time.perf_counter() - started)
            assert status == 401
    ratio = statistics.median(unknown) / statistics.median(known)
    print(f"\nmedian sign-in answer: known user {statistics.median(known) * 1000:.0f} ms, "
          f"unknown {statistics.median(unknown) * 1000:.0f} ms")
    assert 0.5 < ratio < 2, (known, unknown)
