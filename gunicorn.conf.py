"""How gunicorn serves Opstap in production: `gunicorn config.wsgi`, run from this folder, reads
this file. A command-line option or GUNICORN_CMD_ARGS overrides any setting here.
"""

import os

# Two processes per CPU: while one waits on PostgreSQL, another runs Python.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))

# Threaded workers keep a browser's connection (or a load balancer's) open between requests,
# so a page and the next one from the same person reuse it. Gunicorn's sync workers close it
# after every answer: a new connection each time, which every idle worker wakes up to accept.
# One thread per process by default: a process still answers one request at a time, as a sync
# worker does, and what it keeps in memory (kept figures) is read by one thread only.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 1)
# Seconds an idle connection stays open for its next request.
keepalive = int(os.environ.get("WEB_KEEPALIVE") or 5)
