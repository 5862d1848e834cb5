"""Measuring pages over loopback: sequential latency, queries, SQL floor, concurrent throughput."""

from __future__ import annotations

import pickle
import random
import re
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import quote

from django.urls import NoReverseMatch, reverse

from bench.http import Session

# Page name -> page time / SQL replay time (medians of FLOOR_ROUNDS turns each), and the replay
# time itself (large centre).
FLOORS: dict[str, float] = {}
FLOOR_MS: dict[str, float] = {}
FLOOR_ROUNDS = 21
TRANSACTION_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)


def _reverse(url_name: str, *args) -> str | None:
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return None


def pages_for(world, plan) -> list[tuple[str, str, list[str] | None, int]]:
    """(name, persona, paths or None when the page does not exist, request count)."""
    from opstap.core.dossier import SECTIONS
    from opstap.reports.registry import all_reports

    key, other, reports = plan.requests, plan.other_requests, plan.report_requests
    dossiers = world.dossiers or [0]
    pages = [
        ("start", "social", ["/"], key),
        ("caseload", "social", [reverse("clients:caseload")], key),
        ("dossier", "social", [reverse("clients:detail", args=[pk]) for pk in dossiers], key),
        ("timeline", "social", [reverse("clients:detail", args=[world.timeline or 0])], key),
    ]
    if world.head:
        caseload = reverse("clients:caseload")
        pages += [
            ("start_head", "head", ["/"], key),
            ("caseload_team", "head", [caseload], key),
            # The deepest offset a person pages to (Django's pages are numbered: no "last").
            ("caseload_team_last_page", "head", [f"{caseload}?page={world.team_last_page}"], other),
            ("caseload_search", "head", [f"{caseload}?q={quote(world.search)}"], other),
        ]
    for section in sorted(SECTIONS, key=lambda s: s.order):
        if section.url_name == "clients:detail":
            continue
        paths = [_reverse(section.url_name, pk) for pk in dossiers]
        name = "gpmi" if section.key == "gpmi" else f"tab_{section.key}"
        count = key if name == "gpmi" else other
        pages.append((name, "social", paths if all(paths) else None, count))
    if not any(s.key == "gpmi" for s in SECTIONS):
        pages.append(("gpmi", "social", None, key))
    hours = next(
        (p for p in (_reverse(n) for n in ("activation:partner-hours", "activation:hours")) if p),
        None,
    )
    pages.append(("partner_hours", "partner", [hours] if hours else None, key))
    pages.append(("partner_home", "partner", [reverse("network:partner-home")], other))
    pages.append(("start_management", "management", ["/"], other))
    # The start page's key figures, which it fetches once shown: two reports' worth of counts
    # over the whole centre, so measured against the reports' target.
    key_figures = _reverse("dashboards:key-figures")
    pages.append(
        ("report_key-figures", "management", [key_figures] if key_figures else None, reports)
    )
    pages.append(("reports_index", "management", [reverse("reports:index")], other))
    for report in all_reports():
        path = reverse("reports:report", args=[report.name])
        pages.append((f"report_{report.name}", "management", [path], reports))
    transitions = _reverse("reports:ladder-transitions")
    if transitions:
        pages.append(("report_ladder-transitions", "management", [transitions], reports))
    return pages


def measure_centre(port: int, world, plan, sql_dir: Path | None = None) -> dict:
    """Every page of the centre, one after the other; with sql_dir, also its SQL floor."""
    from bench.run import PASSWORD, PageResult

    sessions: dict[str, Session] = {}
    results: dict[str, PageResult | None] = {}
    print(f"  measuring {world.centre.code} ({world.clients} clients)", flush=True)
    for name, persona, paths, count in pages_for(world, plan):
        username = getattr(world, persona)
        if paths is None or not username:
            results[name] = None
            continue
        if persona not in sessions:
            sessions[persona] = Session("127.0.0.1", port)
            sessions[persona].login(username, PASSWORD)
        session = sessions[persona]
        for path in paths[: plan.workers]:  # every worker compiles its templates once
            session.get(path)
        result = sequence(session, paths, count)
        results[name] = result
        if sql_dir is not None:
            _floor(session, name, paths[0], result, sql_dir, plan.replays)
        print(
            f"    {name:32} p50 {result.pct(0.5):7.1f} ms  p95 {result.pct(0.95):7.1f} ms  "
            f"{result.queries:3d} queries  {f'{result.errors} errors' if result.errors else ''}",
            flush=True,
        )
    for session in sessions.values():
        session.close()
    return results


def sequence(session: Session, paths: list[str], count: int):
    from bench.run import PageResult

    result = PageResult(path=paths[0])
    for i in range(count):
        try:
            answer = session.get(paths[i % len(paths)])
        except OSError:
            result.errors += 1
            continue
        if answer.status != 200:
            result.errors += 1
            result.statuses.append(answer.status)
        result.times.append(answer.ms)
        result.queries = max(result.queries, answer.queries or 0)
    return result


def _floor(session: Session, name: str, path: str, result, sql_dir: Path, replays: int) -> None:
    """Capture the SQL of one request of the page and time it replayed straight on the DB.

    A request of the same URL as the capture and a replay of its SQL take turns, round after
    round, so that whatever else the machine does meanwhile (autovacuum, a checkpoint, another
    tenant of the host) weighs on both halves of the ratio alike. Each half is the median of
    its rounds, so one slow answer does not move the ratio.
    """
    token = re.sub(r"[^A-Za-z0-9-]", "-", name)
    session.get(path, headers={"X-Bench-Capture": token})
    capture = sql_dir / f"{token}.pickle"
    if not capture.exists():
        return
    statements = pickle.loads(capture.read_bytes())
    page_times, sql_times = [], []
    for _ in range(max(FLOOR_ROUNDS, replays)):
        page_times.append(session.get(path).ms)
        took = replay_ms(statements, 1)
        if took is None:
            return
        sql_times.append(took)
    floor = statistics.median(sql_times)
    if floor:
        FLOOR_MS[name] = round(floor, 2)
        FLOORS[name] = round(statistics.median(page_times) / floor, 1)


def replay_ms(statements: list, times: int) -> float | None:
    """Median time to run the statements on a direct connection, committing as the page did.

    Statements the page ran in autocommit are replayed in autocommit, so a write commits on its
    own as it did on the page (the audit entry of a dossier read is made durable); those of a
    transaction block are replayed in one transaction that commits. Writes are therefore kept,
    as on the page.
    """
    from django.db import DatabaseError

    durations = []
    for _ in range(times):
        try:
            started = time.perf_counter()
            _replay_once(statements)
            durations.append((time.perf_counter() - started) * 1000)
        except DatabaseError as exc:
            print(f"      (replay failed: {exc})")
            return None
    return statistics.median(durations) if durations else None


def _replay_once(statements: list) -> None:
    block: list[tuple[str, str, object]] = []
    for alias, sql, params, in_block in statements:
        if TRANSACTION_CONTROL.match(sql):
            continue
        if in_block:
            block.append((alias, sql, params))
            continue
        _run_block(block)
        block = []
        _execute(alias, sql, params)
    _run_block(block)


def _run_block(block: list) -> None:
    from django.db import transaction

    if not block:
        return
    with transaction.atomic(using=block[0][0]):
        for alias, sql, params in block:
            _execute(alias, sql, params)


def _execute(alias: str, sql: str, params) -> None:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        if isinstance(params, list) and params and isinstance(params[0], list):
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        if cursor.description:
            cursor.fetchall()


def throughput(port: int, world, plan) -> dict:
    """8 workers of the large centre at once, on a mix of what they do all day."""
    from bench.run import PASSWORD

    users = world.crowd or [(world.social, world.dossiers)]
    lock = threading.Lock()
    done: list[float] = []
    errors = [0]
    failures: dict[str, int] = {}
    stop_at = [0.0]
    caseload = reverse("clients:caseload")
    from opstap.core.dossier import SECTIONS

    tabs = [s.url_name for s in SECTIONS]

    def user_loop(n: int, session: Session, pks: list[int]) -> None:
        rng = random.Random(n)
        while time.monotonic() < stop_at[0]:
            pk = rng.choice(pks) if pks else 0
            roll = rng.random()
            if roll < 0.35:
                path = reverse("clients:detail", args=[pk])
            elif roll < 0.55:
                path = caseload
            elif roll < 0.65:
                path = "/"
            elif roll < 0.88:
                path = _reverse(rng.choice(tabs), pk) or "/"
            elif roll < 0.98:
                path = f"{caseload}?q={quote(world.search)}"
            else:
                path = reverse("reports:index")
            try:
                answer = session.get(path)
                status = answer.status
            except OSError as exc:
                answer, status = None, type(exc).__name__
            with lock:
                if status == 200:
                    done.append(answer.ms)
                else:
                    errors[0] += 1
                    failures.setdefault(f"{status} {path}", 0)
                    failures[f"{status} {path}"] += 1

    sessions = []
    for n in range(8):
        username, pks = users[n % len(users)]
        session = Session("127.0.0.1", port)
        session.login(username, PASSWORD)
        sessions.append((session, pks))
    print(f"  8 concurrent users for {plan.throughput_seconds:.0f} s", flush=True)
    started = time.monotonic()
    stop_at[0] = started + plan.throughput_seconds
    threads = [
        threading.Thread(target=user_loop, args=(n, session, pks))
        for n, (session, pks) in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for session, _ in sessions:
        session.close()
    ordered = sorted(done)
    return {
        "rps": round(len(done) / elapsed, 1),
        "errors": errors[0],
        "requests": len(done),
        "failures": dict(sorted(failures.items(), key=lambda kv: -kv[1])[:10]),
        "p50_ms": round(ordered[len(ordered) // 2], 1) if ordered else None,
        "p95_ms": round(ordered[int(len(ordered) * 0.95)], 1) if ordered else None,
    }
