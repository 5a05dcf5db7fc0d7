"""The runner's HTTP session: one requests.Session per worker thread, no transport retries, no ~/.netrc look-ups."""
from __future__ import annotations

import threading

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class ThreadLocalSession:
    """Looks like a requests.Session to the clients, but each thread gets its own (requests is not thread-safe)."""

    def __init__(self, pool_size: int = 4):
        self._local = threading.local()
        self._pool_size = pool_size
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    def request(self, *args, **kwargs):
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Addresses and credentials come from the settings only: without this, every send reads ~/.netrc and the
            # proxy variables again.
            session.trust_env = False
            adapter = HTTPAdapter(pool_maxsize=self._pool_size, max_retries=Retry(total=0, read=0, connect=0,
                                                                                  status=0, redirect=0, other=0))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._all.append(session)
        return session.request(*args, **kwargs)

    def close(self) -> None:
        with self._lock:
            for session in self._all:
                session.close()
            self._all.clear()
