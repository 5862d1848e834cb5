"""How gunicorn serves Opstap in production: `gunicorn config.wsgi`, run from this folder, reads
this file. A command-line option or GUNICORN_CMD_ARGS overrides any setting here.
"""

import os

# Two processes per CPU: while one waits on PostgreSQL, another runs Python. (Gunicorn's own
# default is a single process.)
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))

# Sync workers: each process takes a new connection only when it is free, so concurrent
# requests spread over the processes. Threaded workers (gthread) keep a connection open for
# the next request, which saves a new connection per page (about 7% of a light page over
# loopback), but a process also takes connections while busy and the requests on them wait
# their turn: with 8 users on 4 processes the p95 rose by a quarter for the same throughput
# (docs/scaling.md, fix 65). WEB_THREADS above 1 runs threaded workers with that many threads.
threads = int(os.environ.get("WEB_THREADS") or 1)
# The sync worker, except that a new connection wakes one idle process instead of all of them
# (config/workers.py; docs/scaling.md, fix 67).
worker_class = "config.workers.ExclusiveSyncWorker" if threads == 1 else "gthread"
# Seconds a threaded worker keeps an idle connection open for its next request.
keepalive = int(os.environ.get("WEB_KEEPALIVE") or 5)
