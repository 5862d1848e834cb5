"""The project's gunicorn worker: a sync worker that a new connection wakes alone.

Gunicorn is started for real, from the project's gunicorn.conf.py, in front of a WSGI app of a
few lines, and asked one page after another. The kernel counts how often each worker process
was woken (voluntary context switches in /proc): gunicorn's own sync worker wakes every idle
process for every connection; ours wakes one.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from bench.server import children, free_port

WORKERS = 6
REQUESTS = 100

APP = """import os


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
"""


def _wakeups(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    raise AssertionError(f"no context switches in /proc/{pid}/status")


def _ask(port: int) -> int:
    """One request on a new connection, as a sync worker serves them; the worker's pid."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200
        return int(response.read())
    finally:
        connection.close()


@pytest.fixture
def serve(tmp_path):
    """Start gunicorn from the project's settings (plus any options given); yield its port."""
    (tmp_path / "tinyapp.py").write_text(APP)
    started: list[subprocess.Popen] = []

    def start(*options: str) -> tuple[subprocess.Popen, int]:
        port = free_port()
        env = dict(os.environ, PYTHONPATH=str(settings.BASE_DIR))
        env.pop("WEB_THREADS", None)
        env.pop("GUNICORN_CMD_ARGS", None)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(settings.BASE_DIR / "gunicorn.conf.py"),
                "--chdir",
                str(tmp_path),
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                *options,
                "tinyapp:app",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "gunicorn did not start its workers"
            try:
                _ask(port)
                if len(children(process.pid)) == WORKERS:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        time.sleep(0.5)  # every worker reaches its wait
        return process, port

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _wakeups_for_requests(server: subprocess.Popen, port: int) -> tuple[int, dict[int, int]]:
    workers = children(server.pid)
    before = {pid: _wakeups(pid) for pid in workers}
    served: dict[int, int] = {}
    for _ in range(REQUESTS):
        pid = _ask(port)
        served[pid] = served.get(pid, 0) + 1
    return sum(_wakeups(pid) - before[pid] for pid in workers), served


def test_a_new_connection_wakes_one_worker_not_all_of_them(serve):
    server, port = serve()
    woken, served = _wakeups_for_requests(server, port)
    assert sum(served.values()) == REQUESTS
    # Serving a request takes a worker a few wake-ups (the connection, its data, the reply);
    # gunicorn's sync worker adds one for each of the other idle workers, per request.
    assert woken < 4 * REQUESTS, (woken, served)


def test_gunicorns_own_sync_worker_is_woken_whole(serve):
    """The measurement above can tell: with gunicorn's sync worker, every worker wakes."""
    server, port = serve("--worker-class=sync")
    woken, _ = _wakeups_for_requests(server, port)
    assert woken >= (WORKERS - 1) * REQUESTS


def test_the_worker_reloads_and_stops_on_gunicorns_signals(serve):
    server, port = serve()
    first = set(children(server.pid))
    server.send_signal(signal.SIGHUP)  # reload: new workers replace the old ones
    deadline = time.monotonic() + 30
    while not (
        set(children(server.pid)).isdisjoint(first) and len(children(server.pid)) == WORKERS
    ):
        assert time.monotonic() < deadline, "the workers were not replaced"
        time.sleep(0.1)
    assert _ask(port) not in first
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=10) == 0


class _Log:
    def __init__(self):
        self.warnings = []

    def warning(self, message, *args):
        self.warnings.append(message % args if args else message)


def _bare_worker(listener):
    from config.workers import ExclusiveSyncWorker

    worker = ExclusiveSyncWorker.__new__(ExclusiveSyncWorker)  # no process, no config
    worker.sockets, worker.PIPE, worker.log = [listener], list(os.pipe()), _Log()
    return worker


def test_the_worker_waits_for_a_connection_and_for_its_wake_up_pipe():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        worker = _bare_worker(listener)
        worker.notify = lambda: None
        worker.waiting = worker.exclusive_waiting()
        try:
            assert worker.wait(0.05) == []
            with socket.create_connection(listener.getsockname()):
                assert worker.wait(1) == [listener]
                listener.accept()[0].close()
            os.write(worker.PIPE[1], b".")
            assert worker.wait(1) == [worker.PIPE[0]]
            assert worker.wait(0.05) == []  # the pipe's byte was read
        finally:
            worker.waiting.close()
            for fd in worker.PIPE:
                os.close(fd)


def test_a_kernel_without_exclusive_wake_up_gets_gunicorns_wait(monkeypatch):
    import select

    class OldKernelEpoll:
        closed = False

        def register(self, fd, events):
            if events & select.EPOLLEXCLUSIVE:
                raise OSError(22, "Invalid argument")

        def close(self):
            OldKernelEpoll.closed = True

    monkeypatch.setattr(select, "epoll", OldKernelEpoll)
    with socket.socket() as listener:
        worker = _bare_worker(listener)
        try:
            assert worker.exclusive_waiting() is None
        finally:
            for fd in worker.PIPE:
                os.close(fd)
    assert OldKernelEpoll.closed
    assert worker.log.warnings == ["No exclusive wake-up on this kernel: every idle worker wakes."]
