"""Generating many centres at once: one process per centre on PostgreSQL, in order on SQLite.

`generate_data` and the benchmark use it. Each centre is one transaction of its own (see
`generate_centre`), so centres generated side by side never wait for each other on
PostgreSQL; SQLite has a single writer, so there they are made one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class CentrePlan:
    code: str
    name: str
    clients: int
    seed: int


@dataclass(frozen=True)
class Made:
    code: str
    clients: int
    workers: int
    offices: int
    seconds: float


def default_jobs() -> int:
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Other processes would not see (or would escape) the caller's open transaction.
        return 1
    return max(1, int(os.environ.get("GENERATE_JOBS", os.cpu_count() or 1)))


def _make(plan: CentrePlan, years: int, password: str | None, used_insz: set[str]) -> Made:
    from opstap.demo.generator import generate_centre

    started = time.monotonic()
    ctx = generate_centre(
        plan.code,
        plan.name,
        clients=plan.clients,
        years=years,
        seed=plan.seed,
        password=password,
        used_insz=used_insz,
    )
    return Made(
        code=plan.code,
        clients=len(ctx.clients),
        workers=sum(len(users) for users in ctx.workers.values()),
        offices=len(ctx.offices),
        seconds=round(time.monotonic() - started, 1),
    )


# The parent's database connections as a forked child inherited them: kept (never used, never
# closed) so that no finaliser in the child talks over the parent's socket.
_INHERITED: list = []


def _child_init() -> None:
    """A forked child starts with no database connection of its own and opens a new one."""
    from asgiref.local import Local
    from django.db import connections

    _INHERITED.append(connections._connections)
    connections._connections = Local(connections.thread_critical)


def _make_in_child(args) -> Made:
    from django.db import connections

    plan, years, password = args
    try:
        return _make(plan, years, password, set())
    finally:
        connections.close_all()


def generate_centres(
    plans: list[CentrePlan], *, years: int, password: str | None, jobs: int | None = None
) -> Iterator[Made]:
    """Generate the planned centres, yielding each as it is done (largest first)."""
    from django.db import connections

    limit = default_jobs()
    jobs = 1 if limit == 1 else (jobs or limit)  # 1: SQLite, or inside the caller's transaction
    ordered = sorted(plans, key=lambda p: -p.clients)  # the long one starts first
    if jobs <= 1 or len(ordered) <= 1:
        used: set[str] = set()
        for plan in ordered:
            yield _make(plan, years, password, used)
        return
    connections.close_all()  # every child opens its own connection
    context = multiprocessing.get_context("fork")
    with context.Pool(
        processes=min(jobs, len(ordered)), initializer=_child_init, maxtasksperchild=1
    ) as pool:
        yield from pool.imap_unordered(
            _make_in_child, [(plan, years, password) for plan in ordered]
        )
