"""Gunicorn's sync worker, woken alone for each new connection.

Every idle sync worker waits for a connection in ``select()`` on the shared listening socket,
and a new connection wakes them all: one accepts it, the others find nothing and go back to
waiting. With four workers on two CPUs, the three woken for nothing take CPU time from the one
serving the page: over loopback a light page took 20-30% longer than from a single worker
(docs/scaling.md, fix 67).

This worker waits in its own epoll set, where the listening socket is registered with
``EPOLLEXCLUSIVE`` (Linux 4.5 and later): the kernel wakes one idle worker per connection.
Everything else (accepting, serving, heart-beating, signals) is gunicorn's sync worker. Where
the kernel has no exclusive wake-up, the worker is gunicorn's sync worker as it is.
"""

from __future__ import annotations

import os
import select

from gunicorn.workers.sync import SyncWorker

EXCLUSIVE = getattr(select, "EPOLLEXCLUSIVE", None) if hasattr(select, "epoll") else None


class ExclusiveSyncWorker(SyncWorker):
    """A sync worker that the kernel wakes alone when a connection arrives."""

    waiting = None

    def run(self):
        self.waiting = self.exclusive_waiting()
        try:
            super().run()
        finally:
            if self.waiting is not None:
                self.waiting.close()

    def exclusive_waiting(self):
        """An epoll set with the listening sockets (exclusive) and the wake-up pipe, or None
        where the kernel has no exclusive wake-up: then the worker waits as gunicorn's does."""
        if EXCLUSIVE is None:
            return None
        waiting = select.epoll()
        try:
            for listener in self.sockets:
                waiting.register(listener.fileno(), select.EPOLLIN | EXCLUSIVE)
            # The wake-up pipe (signals, reloads) is not exclusive: it is this worker's own.
            waiting.register(self.PIPE[0], select.EPOLLIN)
        except OSError:  # a kernel older than 4.5 refuses the flag (EINVAL)
            waiting.close()
            self.log.warning("No exclusive wake-up on this kernel: every idle worker wakes.")
            return None
        return waiting

    def wait(self, timeout):
        """What is ready within ``timeout`` seconds: listening sockets and the wake-up pipe."""
        if self.waiting is None:
            return super().wait(timeout)
        self.notify()
        # A signal writes to the wake-up pipe (gunicorn's set_wakeup_fd), which ends the wait.
        events = self.waiting.poll(timeout)
        ready = []
        for fd, _ in events:
            if fd == self.PIPE[0]:
                try:
                    os.read(fd, 1)
                except BlockingIOError:
                    pass
                ready.append(fd)
            else:
                ready.extend(s for s in self.sockets if s.fileno() == fd)
        return ready
