"""Load from outside: a bounded loopback load generator against a real server process.

Each client thread plays a counter: scan a pack (GET /api/v1/scan), preview the cart (POST /api/v1/counter/preview),
sell it (POST /api/v1/sales, 3 lines), again until the time is up. Cells: concurrency 4/16/32, one store or 8
stores. Servers: waitress (8 threads, as `python app.py` serves) + SQLite, and gunicorn `-k gthread -w 4
--threads 4` + PostgreSQL. Printed per cell: sales/s, p50/p95/p99 of each request, errors, and CPU ms per sale
(server processes; PostgreSQL backends too when on the same machine), the load generator's own CPU ms per sale,
the 1-minute load average and the machine's idle share during the cell (other work shares the cores), and on
PostgreSQL the average number of backends waiting for a row lock / active (sampled every 100 ms).
`--mix cycle` (default) plays scan + preview + sale, so its sales/s are cycles/s; `--mix sale` only POSTs sales,
the issue's figure; `--mix both` runs each cell both ways.

    .venv/bin/python bench/load_bench.py                       # waitress + SQLite
    .venv/bin/python bench/load_bench.py --database-url postgresql://u:p@127.0.0.1/pharmacy_bench --reset
    .venv/bin/python bench/load_bench.py --quick               # a few seconds, for CI (no thresholds)
    .venv/bin/python bench/load_bench.py --database-url … --reset --concurrency 16 --stores 1 --mix sale  # issue 18

Targets (issue 18): PostgreSQL c=16 >= 150 sales/s with p95 <= 150 ms; SQLite scans p99 <= 50 ms under 4 clients.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text

from bench.catalog_bench import make_app, percentile, prepare
from bench.scan_bench import ean13

CREDENTIALS_KEY = "pcZnYl3mX4Pz5m2yVb2Cq7o0bO1l9jQ6eW8s0oYv3Nk="
PASSWORD = "bench-pass-1"


def seed(url: str, workdir: Path, *, stores: int, products: int, reset: bool) -> None:
    """Stores with a pharmacist each, products with a barcoded box, one big lot per product per store."""
    from pharmacy.catalog.models import Barcode, Product, ProductUnit
    from pharmacy.extensions import db
    from pharmacy.stock.models import StockLot
    from pharmacy.stores.models import Store
    from pharmacy.stores.services import create_user
    from pharmacy.text import fold

    app = make_app(url, workdir)
    prepare(app, reset)
    expiry = date.today() + timedelta(days=700)
    with app.app_context():
        session = db.session
        session.execute(insert(Store), [{"id": s, "code": f"CH{s:02d}", "name": f"Nhà thuốc {s}",
                                         "national_facility_code": f"CS-{s}"} for s in range(1, stores + 1)])
        session.execute(insert(Product), [
            {"id": n, "name": f"Thuốc {n:04d}", "active_ingredient": "Paracetamol", "national_code": f"LQG{n:06d}",
             "search_text": fold(f"Thuốc {n:04d} paracetamol LQG{n:06d}")} for n in range(1, products + 1)])
        session.execute(insert(ProductUnit), [
            {"id": 2 * n - 1 + k, "product_id": n, "name": name, "factor": factor, "is_base": k == 0,
             "price": 500 * factor}
            for n in range(1, products + 1) for k, (name, factor) in enumerate((("Viên", 1), ("Hộp", 100)))])
        session.execute(insert(Barcode), [{"code": ean13(n), "unit_id": 2 * n} for n in range(1, products + 1)])
        session.execute(insert(StockLot), [
            {"store_id": s, "product_id": n, "lot": f"L{s}-{n}", "expiry": expiry, "quantity": 50_000_000}
            for s in range(1, stores + 1) for n in range(1, products + 1)])
        for s in range(1, stores + 1):
            create_user(session, username=f"ds{s}", password=PASSWORD, role="pharmacist", store_ids=[s])
        session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("stores", "products", "product_units", "barcodes", "stock_lots"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))"))
            session.commit()
            session.execute(text("ANALYZE"))
            session.commit()
        db.engine.dispose()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, url: str, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "CREDENTIALS_KEY": CREDENTIALS_KEY,
           "INSTANCE_PATH": str(workdir / "instance")}
    if kind == "waitress":
        command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=8", "app:app"]
    else:
        command = [str(Path(sys.executable).parent / "gunicorn"), "-k", "gthread", "-w", "4", "--threads", "4",
                   "-b", f"127.0.0.1:{port}", "app:app"]
    log = (workdir / f"{kind}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login")
            connection.getresponse().read()
            return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{kind} did not start: see {workdir / (kind + '.log')}")


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _postgres_pids(database: str) -> list[int]:
    """Backends serving the bench database (their process title names it): other databases' work is not ours."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                pids.append(int(entry.name))
    return pids


def machine_idle() -> tuple[int, int]:
    """(idle + iowait, total) jiffies of the whole machine: other sessions share its cores."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])


class LockSampler(threading.Thread):
    """PostgreSQL: every 100 ms, how many of the bench database's backends wait for a lock (a row another sale
    holds: the store's counter, chain head, daily row, lots) and how many are active."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        import psycopg

        self.connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        self.stop, self.samples = threading.Event(), []

    def run(self) -> None:
        query = ("SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FILTER (WHERE state = 'active') "
                 "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        while not self.stop.wait(0.1):
            self.samples.append(self.connection.execute(query).fetchone())

    def finish(self) -> str:
        self.stop.set()
        self.join()
        self.connection.close()
        if not self.samples:
            return "-"
        waiting = sum(row[0] for row in self.samples) / len(self.samples)
        active = sum(row[1] for row in self.samples) / len(self.samples)
        return f"{waiting:.1f}/{active:.1f}"


def cpu_seconds(server: subprocess.Popen, database: str | None) -> tuple[float, float]:
    app = sum(_proc_cpu(pid) for pid in _tree(server.pid))
    db = sum(_proc_cpu(pid) for pid in _postgres_pids(database)) if database else 0.0
    return app, db


class Client:
    """One counter PC: a keep-alive connection and a token."""

    def __init__(self, port: int, username: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json"}
        status, body = self.call("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
        if status != 200:
            raise SystemExit(f"login as {username} failed: {status} {body}")
        self.headers["Authorization"] = f"Bearer {body['token']}"

    def call(self, method: str, path: str, body=None, *, retry: bool = False):
        """One request; `retry` (reads only) sends it again once on a keep-alive connection the server closed."""
        payload = None if body is None else json.dumps(body)
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            if not retry:
                raise
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data and response.status != 204 else None)


def run_cell(port: int, sessions: list[Client], *, clients: int, stores: int, products: int, seconds: float,
             seed_value: int, mix: str = "cycle") -> dict:
    """`mix` "cycle": each client scans, previews and sells in turn; "sale": each client only POSTs sales."""
    samples: dict[str, list[float]] = {"scan": [], "preview": [], "sale": []}
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def counter(index: int) -> None:
        rng = random.Random(seed_value * 1000 + index)
        client, store = sessions[index], index % stores + 1
        while time.monotonic() < stop:
            picks = rng.sample(range(1, products + 1), 3)
            lines = [{"product_id": n, "unit": "Viên", "quantity": rng.randint(1, 20)} for n in picks]
            steps = (
                ("scan", "GET", f"/api/v1/scan?code={ean13(picks[0])}&store_id={store}", None, 200),
                ("preview", "POST", "/api/v1/counter/preview", {"store_id": store, "lines": lines}, 200),
                ("sale", "POST", "/api/v1/sales", {"store_id": store, "lines": lines}, 201),
            )
            for kind, method, path, body, ok in (steps if mix == "cycle" else steps[2:]):
                started = time.perf_counter()
                try:
                    status, _body = client.call(method, path, body, retry=kind != "sale")
                except (OSError, http.client.HTTPException):
                    status = 0
                    client.connection.close()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == ok:
                        samples[kind].append(elapsed)
                    else:
                        errors[f"{kind} {status}"] = errors.get(f"{kind} {status}", 0) + 1

    threads = [threading.Thread(target=counter, args=(i,), daemon=True) for i in range(clients)]
    started, client_cpu = time.monotonic(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return {"samples": samples, "errors": errors, "elapsed": time.monotonic() - started,
            "client_cpu": time.process_time() - client_cpu}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="PostgreSQL (gunicorn); without it: SQLite (waitress)")
    parser.add_argument("--reset", action="store_true", help="drop the PostgreSQL public schema first")
    parser.add_argument("--seconds", type=float, default=10.0, help="per cell")
    parser.add_argument("--concurrency", default="4,16,32")
    parser.add_argument("--stores", default="1,8")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--mix", choices=("cycle", "sale", "both"), default="cycle",
                        help="cycle: scan + preview + sale per client turn (sales/s counts sales = cycles); "
                             "sale: POST /api/v1/sales only (the issue's figure); both: each cell twice")
    parser.add_argument("--quick", action="store_true", help="four 2 s cells (c=4, 1 and 8 stores, both mixes): for CI")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.concurrency, args.products, args.mix = 2.0, "4", 100, "both"
    workdir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    postgres = bool(args.database_url)
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    kind = "gunicorn" if postgres else "waitress"
    database = url.rsplit("/", 1)[1].split("?")[0] if postgres else None
    store_counts = [int(value) for value in args.stores.split(",")]
    seed(url, workdir, stores=max(store_counts), products=args.products, reset=args.reset)
    server, port = start_server(kind, url, workdir)
    print(f"{kind} + {'PostgreSQL' if postgres else 'SQLite'}: {args.products} products, {args.seconds:g} s per cell "
          f"(clients share the machine's {os.cpu_count()} cores with the server)")
    print(f"  {'mix':>5} {'stores':>6} {'c':>3} {'sales/s':>8} {'sale p50/p95/p99 ms':>22} {'scan p50/p95/p99':>20} "
          f"{'preview p50/p95':>16} {'app CPU ms/sale':>16} {'db CPU':>7} {'client':>7} {'load':>5} {'idle%':>5} {'lock/act':>8}  errors")
    mixes = ("cycle", "sale") if args.mix == "both" else (args.mix,)
    try:
        cell = 0
        cells = [(stores, clients, mix) for stores in store_counts
                 for clients in (int(value) for value in args.concurrency.split(",")) for mix in mixes]
        for stores, clients, mix in cells:
            cell += 1
            sessions = [Client(port, f"ds{i % stores + 1}") for i in range(clients)]  # logins: not measured
            for session in sessions:  # the server closes idle keep-alive connections (gthread: after 2 s) while
                session.connection.close()  # the others log in: each reconnects on its first request
            before, idle_before = cpu_seconds(server, database), machine_idle()
            sampler = LockSampler(url) if postgres else None
            if sampler:
                sampler.start()
            result = run_cell(port, sessions, clients=clients, stores=stores, products=args.products,
                              seconds=args.seconds, seed_value=cell, mix=mix)
            after, idle_after = cpu_seconds(server, database), machine_idle()
            locks = sampler.finish() if sampler else "-"
            idle = 100 * (idle_after[0] - idle_before[0]) / max(idle_after[1] - idle_before[1], 1)
            sales = len(result["samples"]["sale"])
            app_ms = (after[0] - before[0]) * 1000 / max(sales, 1)
            db_ms = (after[1] - before[1]) * 1000 / max(sales, 1)

            def ps(kind_, shares=(.5, .95, .99), result=result):
                values = result["samples"][kind_]
                return "/".join(f"{percentile(values, s):.0f}" for s in shares) if values else "-"

            client_ms = result["client_cpu"] * 1000 / max(sales, 1)
            print(f"  {mix:>5} {stores:>6} {clients:>3} {sales / result['elapsed']:8.1f} {ps('sale'):>22} "
                  f"{ps('scan'):>20} {ps('preview', (.5, .95)):>16} {app_ms:16.1f} "
                  f"{(f'{db_ms:.1f}' if postgres else '-'):>7} {client_ms:7.1f} {os.getloadavg()[0]:5.2f} "
                  f"{idle:5.0f} {locks:>8}  "
                  f"{result['errors'] or ''}", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
