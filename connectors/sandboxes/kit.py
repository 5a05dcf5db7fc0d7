"""Shared plumbing for the sandbox simulators: serving a WSGI app on loopback and injecting faults.

The simulators are real WSGI apps; the same client code talks to them over loopback HTTP in tests and demo.
"""
from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from waitress import wasyncore
from waitress.server import create_server

# Fault names understood by every simulator (each simulator decides what it means for its routes).
FAULT_500 = "500"
FAULT_503 = "503"
FAULT_429 = "429"              # with Retry-After
FAULT_HANG = "hang"            # sleep longer than the client's read timeout, then answer normally
FAULT_DROP_AFTER_STORE = "drop_after_store"  # do the work, then cut the connection before a full answer
FAULT_INVALIDATE_TOKEN = "invalidate_token"  # forget all issued tokens, then answer 401
FAULT_400_ENVELOPE = "400_envelope"          # a validation rejection in the system's own error envelope
TRANSIENT_FAULTS = (FAULT_500, FAULT_503, FAULT_429, FAULT_HANG, FAULT_DROP_AFTER_STORE, FAULT_INVALIDATE_TOKEN)


class ServedApp:
    """A WSGI app served by waitress on 127.0.0.1 in a daemon thread."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, threads: int = 8):
        self.server = create_server(app, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=True)
        self.host = host
        self.port = self.server.effective_port
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.run, name=f"sandbox-{self.port}", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Let the requests in flight finish, then close the server inside its own loop thread, then wait.

        A handler thread that finishes a request wakes the loop through its trigger pipe; closing the loop first (or
        from outside it) closed that pipe under a request still in flight: EBADF in the handler thread.
        """
        server = self.server
        server.task_dispatcher.shutdown(timeout=5)
        trigger = server.trigger
        # Queue the close and wake the loop under the trigger's lock: the loop runs thunks under the same lock, so it
        # cannot close the trigger's pipe before our wake-up byte is written.
        with trigger.lock:
            trigger.thunks.append(lambda: wasyncore.close_all(server._map))
            trigger._physical_pull()
        self.thread.join(timeout=5)


@dataclass
class FaultPlan:
    """Faults to inject, thread-safe: queued ones first (optionally per route), then random ones at `rate`.

    `rate` is the probability that a request with no queued fault gets one of `random_faults`.
    `hang_seconds` bounds how long a hang lasts; `retry_after` is the Retry-After value sent with 429.
    """

    rate: float = 0.0
    random_faults: tuple[str, ...] = TRANSIENT_FAULTS
    seed: int | None = None
    hang_seconds: float = 2.0
    retry_after: int = 1
    _queue: deque = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rng: random.Random | None = None
    injected: list = field(default_factory=list)

    def push(self, fault: str, count: int = 1, route: str | None = None) -> None:
        with self._lock:
            for _ in range(count):
                self._queue.append((fault, route))

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self.rate = 0.0

    def take(self, route: str) -> str | None:
        """The fault for this request to `route` (a short name chosen by the simulator), or None."""
        with self._lock:
            for i, (fault, wanted) in enumerate(self._queue):
                if wanted is None or wanted == route:
                    del self._queue[i]
                    self.injected.append((route, fault))
                    return fault
            if self.rate <= 0:
                return None
            if self._rng is None:
                self._rng = random.Random(self.seed)
            if self._rng.random() < self.rate:
                fault = self._rng.choice(self.random_faults)
                self.injected.append((route, fault))
                return fault
            return None

    def hang(self) -> None:
        time.sleep(self.hang_seconds)


def dropped_connection_response(start_response):
    """Start a response that promises a body, send part of it and fail, so the server closes the connection.

    The client sees a broken response (outcome unknown), exactly like a connection cut after the server stored
    the document.
    """
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "4096")])

    def body():
        yield b'{"code": 2'
        raise ConnectionAbortedError("sandbox: connection dropped on purpose")

    return body()
