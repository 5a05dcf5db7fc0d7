"""Simulators of the national systems and the demo helpers: nothing here ships to a real pharmacy's sync.

Each simulator is a real WSGI app (`kit.ServedApp` serves it on loopback), so the production clients talk to it over
HTTP exactly as to the real systems (style.md: swap transports, not code paths). `python app.py` starts them only when
no national address is configured; tests and benchmarks use them with injected faults (`kit.FaultPlan`).
"""
