"""`make bench`: Opstap at national scale, measured as a user would feel it.

    BENCH_CLIENTS=20000 DATABASE_URL=postgres://... python -m bench.run
    BENCH_SMOKE=1 python -m bench.run      # hundreds of clients, a few requests, SQLite is fine

1. Migrates the database of DATABASE_URL (without one: var/bench.sqlite3, or a temporary
   folder in smoke mode) and generates the data when absent: one large centre with most of the
   BENCH_CLIENTS clients, a small one at 1% of its size and two in between.
2. Starts Opstap under gunicorn (DEBUG off, several workers, BENCH_QUERY_COUNT=1) on a free
   loopback port, logs in as generated workers and, from this process, measures every key page
   sequentially (p50/p95, SQL queries per page), the same pages in the small centre (growth
   ratio), the page time against its own SQL replayed straight on the database (floor ratio),
   then throughput with 8 concurrent users on a mix of pages.
3. Times export_data of the large centre and import_data of that export into a new centre
   (rolled back), and reads the workers' resident memory.

Writes bench/results/latest.json (the figures the issue asks for), latest-details.json (all
of them) and prints a table. The benchmark reports; it asserts nothing about time.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
SMOKE = os.environ.get("BENCH_SMOKE", "").strip().lower() in {"1", "true", "yes", "on"}
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-opstap-2024")
TARGETS = {
    "key_p95_ms": 150,
    "report_p95_ms": 1000,
    "growth_ratio": 1.5,
    "floor_ratio": 3,
    "import_rows_per_s": 10_000,
    "worker_rss_mb": 300,
}
# Pages whose 200-request sequence is the point; other dossier tabs and reports get fewer.
KEY_PAGES = {"start", "caseload", "caseload_team", "dossier", "timeline", "gpmi", "partner_hours"}
# The partner's monthly hours grid, under whichever name it gets.
PARTNER_HOURS_URLS = ("activation:partner-hours", "activation:hours-grid", "activation:hours")


def _configure() -> None:
    """Point Django at the benchmark's database before anything imports the settings."""
    sys.path.insert(0, str(BASE_DIR))
    if SMOKE and not os.environ.get("OPSTAP_VAR_DIR"):
        os.environ["OPSTAP_VAR_DIR"] = tempfile.mkdtemp(prefix="opstap-bench-")
    if not os.environ.get("DATABASE_URL"):
        var_dir = Path(os.environ.get("OPSTAP_VAR_DIR", BASE_DIR / "var"))
        var_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


@dataclass
class Plan:
    clients: int
    requests: int  # per key page
    other_requests: int  # per other page: a dossier tab, the reports index, the partner portal
    report_requests: int  # per report page and the key figures
    replays: int
    throughput_seconds: float
    workers: int

    @classmethod
    def from_env(cls, postgres: bool) -> Plan:
        default = 400 if SMOKE else (20_000 if postgres else 5_000)
        env = os.environ.get
        return cls(
            clients=int(env("BENCH_CLIENTS", default)),
            requests=int(env("BENCH_REQUESTS", 5 if SMOKE else 200)),
            other_requests=int(env("BENCH_OTHER_REQUESTS", 3 if SMOKE else 50)),
            # Report pages are key pages too: as many requests as the others.
            report_requests=int(env("BENCH_REPORT_REQUESTS", 5 if SMOKE else 200)),
            replays=int(env("BENCH_REPLAYS", 2 if SMOKE else 20)),
            throughput_seconds=float(env("BENCH_SECONDS", 2 if SMOKE else 30)),
            workers=int(env("BENCH_WORKERS", 2 if SMOKE else max(2, 2 * (os.cpu_count() or 1)))),
        )


@dataclass
class PageResult:
    times: list[float] = field(default_factory=list)
    queries: int = 0
    errors: int = 0
    path: str = ""
    statuses: list[int] = field(default_factory=list)  # of the failed requests

    def pct(self, q: float) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def core_speed_ms() -> float:
    """A fixed pure-Python workload, best of five: the speed of one core of this machine.

    Page times are mostly Python; this figure lets runs on different machines be compared.
    """
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def main() -> int:
    _configure()
    core_ms = core_speed_ms()
    from django.db import connection

    from bench import data, measure
    from bench.server import Server

    postgres = connection.vendor == "postgresql"
    plan = Plan.from_env(postgres)
    started = time.monotonic()
    print(f"Opstap benchmark on {connection.vendor}, {plan.clients} clients", flush=True)
    data.migrate()
    world, generation = data.ensure(plan.clients, password=PASSWORD, smoke=SMOKE)
    if os.environ.get("BENCH_ANALYZE", "1") != "0":  # 0 shows the plans of stale statistics
        data.analyze()
    data.forget_kept_figures()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    work_dir = Path(tempfile.mkdtemp(prefix="opstap-bench-run-"))
    server = Server(workers=plan.workers, sql_dir=work_dir, log_path=work_dir / "gunicorn.log")
    try:
        server.wait_ready()
        large, small = measure.measure_centres(
            server.port, world.large, world.small, plan, sql_dir=work_dir
        )
        empty = _empty_request_floor(server.port, world.large, work_dir, plan)
        throughput = measure.throughput(server.port, world.large, plan)
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    export_rate, import_rate, exchanged = data.exchange(world.large.centre)
    pages = {}
    for name, result in large.items():
        if result is None:
            continue
        small_result = small.get(name)
        small_p50 = small_result.pct(0.5) if small_result else None
        p50 = result.pct(0.5)
        pages[name] = {
            "p50_ms": p50,
            "p95_ms": result.pct(0.95),
            "queries": result.queries,
            "growth_ratio": round(p50 / small_p50, 2) if p50 and small_p50 else None,
            "floor_ratio": measure.FLOORS.get(name),
        }
    errors = throughput["errors"] + sum(r.errors for r in (*large.values(), *small.values()) if r)
    results = {
        "database": connection.vendor,
        "clients": world.total_clients,
        "pages": pages,
        "throughput_rps": throughput["rps"],
        "errors": errors,
        "import_rows_per_s": import_rate,
        "export_rows_per_s": export_rate,
        "worker_rss_mb": rss,
    }
    details = {
        **results,
        "smoke": SMOKE,
        "centres": world.describe(),
        "generation": generation,
        "skipped_pages": sorted(name for name, r in large.items() if r is None),
        "paths": {name: r.path for name, r in large.items() if r},
        "failed_statuses": {
            name: sorted(set(r.statuses)) for name, r in {**large}.items() if r and r.statuses
        },
        "small_centre_p50_ms": {n: r.pct(0.5) for n, r in small.items() if r},
        "sql_floor_ms": measure.FLOOR_MS,
        "floor_page_ms": measure.FLOOR_PAGE_MS,
        "empty_request": empty,
        "throughput": throughput,
        "exchanged_rows": exchanged,
        "workers": plan.workers,
        "cpus": os.cpu_count(),
        "core_speed_ms": core_ms,
        "plan": plan.__dict__,
        "seconds": round(time.monotonic() - started, 1),
        "targets": TARGETS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "smoke" if SMOKE else "latest"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{name}-details.json").write_text(json.dumps(details, indent=2) + "\n")
    print(summary(results, details))
    print(f"Written to {RESULTS / f'{name}.json'}")
    return 0


def _empty_request_floor(port: int, world, sql_dir: Path, plan: Plan) -> dict | None:
    """The floor ratio of an empty logged-in request (measure.empty_request_floor), as the
    management user of the large centre, whose pages are the lightest."""
    from bench import measure
    from bench.http import Session

    username = world.management or world.social
    if not username:
        return None
    session = Session("127.0.0.1", port)
    try:
        session.login(username, PASSWORD)
        return measure.empty_request_floor(session, sql_dir, plan.replays)
    finally:
        session.close()


def _mark(value, limit) -> str:
    if value is None:
        return "  "
    return "ok" if value <= limit else "!!"


def summary(results: dict, details: dict) -> str:
    lines = [
        f"\n{results['database']}, {results['clients']} clients "
        f"({details['cpus']} CPUs, {details['workers']} gunicorn workers; "
        f"reference loop {details.get('core_speed_ms')} ms)",
        f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'growth':>7} {'floor':>7}",
    ]
    for name, page in sorted(results["pages"].items()):
        limit = TARGETS["report_p95_ms"] if name.startswith("report_") else TARGETS["key_p95_ms"]
        growth, floor = page["growth_ratio"], page["floor_ratio"]
        lines.append(
            f"{name:32} {page['p50_ms'] or 0:8.1f} {page['p95_ms'] or 0:8.1f}"
            f"{_mark(page['p95_ms'], limit)} {page['queries']:6d} "
            f"{growth if growth is not None else '-':>7}{_mark(growth, TARGETS['growth_ratio'])}"
            f"{floor if floor is not None else '-':>7}{_mark(floor, TARGETS['floor_ratio'])}"
        )
    for name in details["skipped_pages"]:
        lines.append(f"{name:32} skipped (no such page yet)")
    empty = details.get("empty_request")
    if empty:
        lines.append(
            f"empty logged-in request (GET {empty['path']}, {empty['queries']} queries): "
            f"{empty['p50_ms']} ms over {empty['sql_ms']} ms of SQL, floor ratio "
            f"{empty['floor_ratio']} (what every page pays before its own work)"
        )
    lines += [
        f"throughput: {results['throughput_rps']} requests/s with 8 users, "
        f"errors: {results['errors']}",
        f"export: {results['export_rows_per_s']} rows/s, import: {results['import_rows_per_s']} "
        f"rows/s{_mark(-results['import_rows_per_s'], -TARGETS['import_rows_per_s'])}",
        f"worker RSS: {results['worker_rss_mb']} MB"
        f"{_mark(results['worker_rss_mb'], TARGETS['worker_rss_mb'])}",
    ]
    generation = details["generation"]
    if generation.get("clients"):
        lines.append(
            f"generator: {generation['clients']} clients in {generation['seconds']} s "
            f"({generation['clients_per_s']} clients/s)"
        )
    lines.append(f"benchmark took {details['seconds']} s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
