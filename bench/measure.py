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

# Page name -> page time / SQL replay time (medians of FLOOR_ROUNDS turns each), the replay
# time itself and the page's (large centre).
FLOORS: dict[str, float] = {}
FLOOR_MS: dict[str, float] = {}
FLOOR_PAGE_MS: dict[str, float] = {}
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
    pages.append(("start_management", "management", ["/"], key))
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


def measure_centres(port: int, large, small, plan, sql_dir: Path | None = None):
    """Every page of both centres, one page after the other, the two centres taking turns.

    A page's requests in the large and the small centre alternate, so that whatever else the
    machine does meanwhile (another tenant of the host, autovacuum) weighs on both halves of
    the growth ratio alike, as the floor's rounds do for the floor ratio. With sql_dir, the
    large centre's pages also get their SQL floor. Returns (large results, small results).
    """
    from bench.run import PASSWORD

    sessions: dict[tuple[str, str], Session] = {}

    def session_for(world, persona: str) -> Session | None:
        username = getattr(world, persona)
        if not username:
            return None
        key = (world.centre.code, persona)
        if key not in sessions:
            sessions[key] = Session("127.0.0.1", port)
            sessions[key].login(username, PASSWORD)
        return sessions[key]

    small_pages = {name: (persona, paths) for name, persona, paths, _ in pages_for(small, plan)}
    large_results: dict = {}
    small_results: dict = {}
    print(
        f"  measuring {large.centre.code} ({large.clients} clients) against "
        f"{small.centre.code} ({small.clients} clients)",
        flush=True,
    )
    for name, persona, paths, count in pages_for(large, plan):
        small_persona, small_paths = small_pages.get(name, (persona, None))
        turns = []
        for world, who, where in ((large, persona, paths), (small, small_persona, small_paths)):
            session = session_for(world, who) if where else None
            if session is not None:
                for path in where[: plan.workers]:  # every worker compiles its templates once
                    session.get(path)
            turns.append((session, where))
        results = sequence_turns(turns, count)
        large_results[name], small_results[name] = results
        large_result, small_result = results
        if large_result is None:
            continue
        if sql_dir is not None:
            _floor(turns[0][0], name, paths[0], sql_dir, plan.replays)
        small_p50 = small_result.pct(0.5) if small_result else None
        errors = large_result.errors + (small_result.errors if small_result else 0)
        print(
            f"    {name:32} p50 {large_result.pct(0.5):7.1f} ms  p95 {large_result.pct(0.95):7.1f}"
            f" ms  {large_result.queries:3d} queries  small p50 "
            f"{f'{small_p50:6.1f} ms' if small_p50 else '     -'}"
            f"{f'  {errors} errors' if errors else ''}",
            flush=True,
        )
    for session in sessions.values():
        session.close()
    return large_results, small_results


def sequence_turns(turns: list, count: int) -> list:
    """`count` requests for each (session, paths) of turns, one of each in turn, round by round.

    A turn without a session or paths gives None.
    """
    from bench.run import PageResult

    results = [PageResult(path=paths[0]) if session and paths else None for session, paths in turns]
    for i in range(count):
        for (session, paths), result in zip(turns, results, strict=True):
            if result is not None:
                _one(session, paths[i % len(paths)], result)
    return results


def _one(session: Session, path: str, result) -> None:
    try:
        answer = session.get(path)
    except OSError:
        result.errors += 1
        return
    if answer.status != 200:
        result.errors += 1
        result.statuses.append(answer.status)
    result.times.append(answer.ms)
    result.queries = max(result.queries, answer.queries or 0)


def _floor(session: Session, name: str, path: str, sql_dir: Path, replays: int) -> None:
    """Capture the SQL of one request of the page and time it replayed straight on the DB.

    A request of the same URL as the capture and a replay of its SQL take turns, round after
    round, so that whatever else the machine does meanwhile (autovacuum, a checkpoint, another
    tenant of the host) weighs on both halves of the ratio alike. Each half is the median of
    its rounds, so one slow answer does not move the ratio.
    """
    measured = _floor_rounds(session, name, path, sql_dir, replays)
    if measured is None:
        return
    page, floor, _queries = measured
    FLOOR_MS[name] = round(floor, 2)
    FLOOR_PAGE_MS[name] = round(page, 2)
    FLOORS[name] = round(page / floor, 1)


def _floor_rounds(session, name: str, path: str, sql_dir: Path, replays: int):
    """(median page ms, median replay ms, number of statements) of the rounds, or None when
    the request's SQL could not be captured or replayed, or took no time."""
    token = re.sub(r"[^A-Za-z0-9-]", "-", name)
    session.get(path, headers={"X-Bench-Capture": token})
    capture = sql_dir / f"{token}.pickle"
    if not capture.exists():
        return None
    statements = pickle.loads(capture.read_bytes())
    page_times, sql_times = [], []
    for _ in range(max(FLOOR_ROUNDS, replays)):
        page_times.append(session.get(path).ms)
        took = replay_ms(statements, 1)
        if took is None:
            return None
        sql_times.append(took)
    floor, page = statistics.median(sql_times), statistics.median(page_times)
    return (page, floor, len(statements)) if floor else None


# A logged-in request that draws nothing: the health check reads the session and the user
# (the middleware asks who is there) and answers "ok".
EMPTY_REQUEST = "/healthz"


def empty_request_floor(session, sql_dir: Path, replays: int) -> dict | None:
    """The floor ratio of a logged-in request that draws nothing, measured as a page's is.

    Its time is what every page pays before its own work: the connection, gunicorn, the
    middleware, the session's and the user's reads. Its SQL is those two reads. A page's floor
    ratio tends to this one as the page's own work shrinks, so it says how far below it the
    lightest pages can go on this machine.
    """
    for _ in range(8):  # every worker has served it once
        session.get(EMPTY_REQUEST)
    measured = _floor_rounds(session, "empty-request", EMPTY_REQUEST, sql_dir, replays)
    if measured is None:
        return None
    page, floor, queries = measured
    return {
        "path": EMPTY_REQUEST,
        "queries": queries,
        "p50_ms": round(page, 2),
        "sql_ms": round(floor, 2),
        "floor_ratio": round(page / floor, 1),
    }


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
    block: list[tuple[str, str, object, bool]] = []
    for alias, sql, params, in_block, prepared in statements:
        if TRANSACTION_CONTROL.match(sql):
            continue
        if in_block:
            block.append((alias, sql, params, prepared))
            continue
        _run_block(block)
        block = []
        _execute(alias, sql, params, prepared)
    _run_block(block)


def _run_block(block: list) -> None:
    from django.db import transaction

    if not block:
        return
    with transaction.atomic(using=block[0][0]):
        for alias, sql, params, prepared in block:
            _execute(alias, sql, params, prepared)


def _execute(alias: str, sql: str, params, prepared: bool) -> None:
    """Run one statement as the page ran it: prepared on the server if the page's was."""
    from contextlib import nullcontext

    from django.db import connections

    from opstap.core.server_prepared import preparing_cursors

    connection = connections[alias]
    with preparing_cursors(connection) if prepared else nullcontext():
        cursor = connection.cursor()
    with cursor:
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
