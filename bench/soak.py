"""`make soak`: a bounded load run on the demo centre — errors and worker memory over time.

    SOAK_SECONDS=600 SOAK_USERS=16 DATABASE_URL=postgres://... python -m bench.soak
    SOAK_SECONDS=5 python -m bench.soak        # a few seconds, temporary SQLite database

1. Migrates the database of DATABASE_URL (without one: a new SQLite file in a temporary
   folder) and loads the demo centre of `make run` when it is absent.
2. Starts Opstap under gunicorn as in production (DEBUG off) on a free loopback port.
3. SOAK_USERS concurrent users log in with the demo accounts (social worker, counsellor,
   activation worker, head of service, management, partner) and work for SOAK_SECONDS on what
   their role does all day: caseloads, dossiers and their tabs, searches, the journal (a few
   notes are written), start pages, team dashboard, reports and analytics, the partner portal.
4. Every SOAK_SAMPLE seconds it reads the resident memory of each gunicorn worker, and counts
   requests, errors and latency per interval.

Writes bench/results/soak.json and prints a table. Memory is "flat" when the workers' memory in
the last quarter of the run is within SOAK_FLAT_MB (default 25 MB) of the first quarter after
warm-up; the exit status is 1 when there were errors or memory grew past that.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


SECONDS = _env_float("SOAK_SECONDS", 600)
USERS = int(os.environ.get("SOAK_USERS", 16))
SAMPLE = _env_float("SOAK_SAMPLE", 15 if SECONDS >= 120 else 1)
FLAT_MB = _env_float("SOAK_FLAT_MB", 25)


def _configure() -> None:
    sys.path.insert(0, str(BASE_DIR))
    if not os.environ.get("DATABASE_URL"):
        var_dir = Path(os.environ.get("OPSTAP_VAR_DIR") or tempfile.mkdtemp(prefix="opstap-soak-"))
        os.environ["OPSTAP_VAR_DIR"] = str(var_dir)
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'soak.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


@dataclass
class Persona:
    username: str
    role: str  # social, head, management, partner
    paths: list[str] = field(default_factory=list)
    dossiers: list[int] = field(default_factory=list)


@dataclass
class Interval:
    requests: int = 0
    errors: int = 0
    times: list[float] = field(default_factory=list)
    writes: int = 0


def _personas() -> list[Persona]:
    """What each demo account opens in a day, from the data it can see."""
    from django.urls import NoReverseMatch, reverse

    from opstap.accounts.models import User
    from opstap.clients.selectors import caseload_for
    from opstap.core.dossier import SECTIONS
    from opstap.demo.generator import DEMO_ACCOUNTS
    from opstap.reports.registry import all_reports

    def url(name: str, *args) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    users = {u.username: u for u in User.objects.filter(username__in=DEMO_ACCOUNTS)}
    personas = []
    for username in ("social", "counsellor", "activation"):
        user = users.get(username)
        if user is None:
            continue
        pks = list(caseload_for(user).values_list("pk", flat=True)[:40])
        paths = ["/", reverse("clients:caseload"), f"{reverse('clients:caseload')}?q=an"]
        for pk in pks[:15]:
            paths += [p for p in (url(s.url_name, pk) for s in SECTIONS) if p]
        personas.append(Persona(username, "social", paths, pks))
    if "head" in users:
        paths = ["/", reverse("clients:caseload"), url("dashboards:team"), url("dashboards:flow")]
        personas.append(Persona("head", "head", [p for p in paths if p]))
    if "management" in users:
        paths = ["/", reverse("reports:index"), url("dashboards:flow")]
        paths += [reverse("reports:report", args=[r.name]) for r in all_reports()]
        personas.append(Persona("management", "management", [p for p in paths if p]))
    if "partner" in users:
        paths = [reverse("network:partner-home")]
        paths += [p for p in (url("activation:partner-hours"), url("activation:hours")) if p]
        personas.append(Persona("partner", "partner", paths))
    return personas


def _crowd(personas: list[Persona], n: int) -> list[Persona]:
    """n users: mostly social workers, one or two of every other role."""
    weights = {"social": 6, "head": 1, "management": 1, "partner": 1}
    pool = [p for p in personas for _ in range(weights[p.role])]
    return [pool[i % len(pool)] for i in range(n)]


def _write_note(session, pk: int) -> int:
    from django.urls import reverse

    path = reverse("clients:journal", args=[pk])
    page = session.get(path)
    if page.status != 200:
        return page.status
    match = CSRF_INPUT.search(session.last_body.decode("utf-8", "replace"))
    if not match:
        return 0
    answer = session.request(
        "POST",
        path,
        {
            "csrfmiddlewaretoken": match.group(1),
            "occurred_on": datetime.date.today().strftime("%d/%m/%Y"),
            "subject": "Telefonisch contact",
            "text": "Opvolging afgesproken; volgende week opnieuw bellen.",
        },
    )
    return 200 if answer.status == 302 and "journal" in answer.location else answer.status


def main() -> int:
    _configure()
    from django.core.management import call_command
    from django.db import connection

    from bench.http import Session
    from bench.server import Server
    from opstap.clients.models import Client
    from opstap.demo.generator import DEMO_PASSWORD

    print(f"Opstap soak run on {connection.vendor}: {USERS} users for {SECONDS:.0f} s", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not Client.objects.filter(centre__code="demo").exists():
        call_command("load_demo", verbosity=0)
    personas = _personas()
    connection.close()

    work_dir = Path(tempfile.mkdtemp(prefix="opstap-soak-run-"))
    workers = int(os.environ.get("SOAK_WORKERS", max(2, 2 * (os.cpu_count() or 1))))
    server = Server(workers=workers, sql_dir=work_dir, log_path=work_dir / "gunicorn.log")
    intervals: list[Interval] = []
    samples: list[dict] = []
    failures: dict[str, int] = {}
    lock = threading.Lock()
    try:
        server.wait_ready()
        crowd = []
        for n, persona in enumerate(_crowd(personas, USERS)):
            session = Session("127.0.0.1", server.port)
            session.login(persona.username, DEMO_PASSWORD)
            crowd.append((n, persona, session))
        started = time.monotonic()
        stop_at = started + SECONDS
        current = [Interval()]

        def work(n: int, persona: Persona, session) -> None:
            rng = random.Random(n)
            while time.monotonic() < stop_at:
                write = persona.role == "social" and persona.dossiers and rng.random() < 0.03
                path = "journal note" if write else rng.choice(persona.paths)
                began = time.perf_counter()
                try:
                    if write:
                        status = _write_note(session, rng.choice(persona.dossiers))
                    else:
                        status = session.get(path).status
                except OSError as exc:
                    status = type(exc).__name__
                ms = (time.perf_counter() - began) * 1000
                with lock:
                    interval = current[0]
                    interval.requests += 1
                    interval.writes += 1 if write else 0
                    interval.times.append(ms)
                    if status != 200:
                        interval.errors += 1
                        key = f"{status} {path}"
                        failures[key] = failures.get(key, 0) + 1

        threads = [threading.Thread(target=work, args=args, daemon=True) for args in crowd]
        for thread in threads:
            thread.start()
        while time.monotonic() < stop_at:
            time.sleep(max(0.0, min(SAMPLE, stop_at - time.monotonic())))
            rss = server.workers_rss_mb()
            with lock:
                finished, current[0] = current[0], Interval()
            intervals.append(finished)
            samples.append(
                {
                    "t_s": round(time.monotonic() - started),
                    "requests": finished.requests,
                    "writes": finished.writes,
                    "errors": finished.errors,
                    "p50_ms": _pct(finished.times, 0.5),
                    "p95_ms": _pct(finished.times, 0.95),
                    "worker_rss_mb": rss,
                }
            )
            print(
                f"  {samples[-1]['t_s']:5d} s  {finished.requests:6d} requests "
                f"{finished.errors:3d} errors  p95 {samples[-1]['p95_ms'] or 0:7.1f} ms  "
                f"workers {' '.join(f'{v:.0f}' for v in rss)} MB",
                flush=True,
            )
        for thread in threads:
            thread.join(timeout=150)
        for _, _, session in crowd:
            session.close()
        worker_pids_end = len(server.worker_pids())
    finally:
        server.stop()
    log = (work_dir / "gunicorn.log").read_text(errors="replace")
    restarts = log.count("Booting worker") - workers  # a worker killed and replaced
    result = _summarise(samples, failures, workers, worker_pids_end, max(0, restarts))
    result["database"] = connection.vendor
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(result, indent=2) + "\n")
    print(_table(result))
    print(f"Written to {RESULTS / 'soak.json'}")
    return 0 if result["errors"] == 0 and result["memory_flat"] else 1


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _summarise(samples, failures, workers, workers_at_end, restarts) -> dict:
    requests = sum(s["requests"] for s in samples)
    errors = sum(s["errors"] for s in samples)
    seconds = samples[-1]["t_s"] if samples else 0
    # Warm-up: the first sample compiles templates and fills caches.
    steady = samples[1:] if len(samples) > 4 else samples
    quarter = max(1, len(steady) // 4)

    def mean_total(part):
        return round(statistics.mean(sum(s["worker_rss_mb"]) for s in part), 1) if part else 0

    first, last = mean_total(steady[:quarter]), mean_total(steady[-quarter:])
    growth = round(last - first, 1)
    all_p95 = [s["p95_ms"] for s in samples if s["p95_ms"] is not None]
    return {
        "users": USERS,
        "seconds": seconds,
        "requests": requests,
        "writes": sum(s["writes"] for s in samples),
        "requests_per_s": round(requests / seconds, 1) if seconds else 0,
        "errors": errors,
        "failures": dict(sorted(failures.items(), key=lambda kv: -kv[1])[:10]),
        "workers": workers,
        "workers_at_end": workers_at_end,
        "worker_restarts": restarts,
        "worker_rss_mb_first_quarter": first,
        "worker_rss_mb_last_quarter": last,
        "worker_rss_growth_mb": growth,
        "worker_rss_max_mb": max((max(s["worker_rss_mb"], default=0) for s in samples), default=0),
        "memory_flat": growth <= FLAT_MB and restarts == 0,
        "p95_ms_median_interval": round(statistics.median(all_p95), 1) if all_p95 else None,
        "samples": samples,
    }


def _table(result: dict) -> str:
    return "\n".join(
        [
            f"\n{result['database']}: {result['users']} users for {result['seconds']} s, "
            f"{result['workers']} gunicorn workers",
            f"requests: {result['requests']} ({result['requests_per_s']}/s, "
            f"{result['writes']} journal notes written), errors: {result['errors']}",
            f"p95 per interval (median): {result['p95_ms_median_interval']} ms",
            f"worker memory (sum of workers): {result['worker_rss_mb_first_quarter']} MB in the "
            f"first quarter, {result['worker_rss_mb_last_quarter']} MB in the last "
            f"({result['worker_rss_growth_mb']:+} MB); largest worker "
            f"{result['worker_rss_max_mb']} MB; restarts: {result['worker_restarts']}",
            "memory flat: " + ("yes" if result["memory_flat"] else "NO"),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
