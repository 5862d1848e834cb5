"""A small HTTP/1.1 client for the benchmark: a kept connection, cookies, CSRF log-in.

The time of a request is what the server takes to answer it, as a browser on another machine
would see it over a fast network: the benchmark's own work in between should weigh as little
as it can. So this client writes a request and reads its answer on a plain socket, reading
only what the benchmark uses (the status, a few headers, the body). Python's `http.client`
parses every header of an answer through the e-mail package: with it, each measured request
took 0.15-0.20 ms longer, the same on every page (docs/scaling.md, fix 82).
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHUNK = 262144


class ProtocolError(OSError):
    """The server's answer was not HTTP/1.x as this client reads it; counted like a failed
    connection (an OSError), so a measurement counts it as an error."""


class ClosedUnanswered(ConnectionResetError):
    """The server closed the connection without answering the request."""


@dataclass
class Answer:
    status: int
    ms: float
    queries: int | None
    sql_ms: float | None
    location: str


class _Reader:
    """Reads an answer from a socket: the head up to the empty line, then the body."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def _more(self) -> bool:
        data = self.sock.recv(CHUNK)
        if not data:
            return False
        self.buffer += data
        return True

    def head(self) -> bytes:
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
                return head
            if not self._more():
                if self.buffer:
                    raise ProtocolError("The connection closed in the middle of an answer's head.")
                raise ClosedUnanswered("The server closed the connection without an answer.")

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._more():
                raise ProtocolError("The connection closed before the end of an answer.")
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            if not self._more():
                raise ProtocolError("The connection closed in the middle of a chunked answer.")
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def chunked(self) -> bytes:
        parts = []
        while True:
            try:
                size = int(self.line().split(b";", 1)[0], 16)
            except ValueError as exc:
                raise ProtocolError("A chunk's size is not a hexadecimal number.") from exc
            if size == 0:
                while self.line():  # trailer fields, up to the empty line
                    pass
                return b"".join(parts)
            parts.append(self.exactly(size))
            self.exactly(2)  # the CRLF after each chunk

    def to_close(self) -> bytes:
        while self._more():
            pass
        data, self.buffer = self.buffer, b""
        return data


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes
    keep: bool


def _read_response(sock: socket.socket, method: str) -> _Response:
    reader = _Reader(sock)
    lines = reader.head().decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if not version.startswith("HTTP/1."):
        raise ProtocolError(f"Not an HTTP/1.x status line: {lines[0][:80]!r}")
    try:
        status = int(rest[:3])
    except ValueError as exc:
        raise ProtocolError(f"No status code in {lines[0][:80]!r}") from exc
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            cookies.append(value)
        else:
            headers[name] = value
    connection = headers.get("connection", "").lower()
    keep = "close" not in connection and (version != "HTTP/1.0" or "keep-alive" in connection)
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = reader.chunked()
    elif "content-length" in headers:
        try:
            body = reader.exactly(int(headers["content-length"]))
        except ValueError as exc:
            raise ProtocolError("The Content-Length is not a number.") from exc
    else:
        body, keep = reader.to_close(), False
    return _Response(status, headers, cookies, body, keep)


class Session:
    """A browser stand-in: keeps its connection while the server does, and the cookies the
    server sets."""

    def __init__(self, host: str, port: int, timeout: float = 120):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.sock: socket.socket | None = None
        self.last_body = b""

    def request(self, method: str, path: str, body: dict | None = None, headers=None) -> Answer:
        data = urlencode(body).encode() if body is not None else b""
        sent = {"Host": f"{self.host}:{self.port}", "Accept-Language": "en"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"http://{self.host}:{self.port}{path}"
        if body is not None or method not in ("GET", "HEAD"):
            sent["Content-Length"] = str(len(data))
        sent.update(headers or {})
        message = (
            f"{method} {path} HTTP/1.1\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
            + "\r\n"
        ).encode("latin-1") + data
        started = time.perf_counter()
        response = self._send(method, message)
        ms = (time.perf_counter() - started) * 1000
        self.last_body = response.body
        for header in response.cookies:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        queries = response.headers.get("x-bench-queries")
        sql_ms = response.headers.get("x-bench-sql-ms")
        return Answer(
            status=response.status,
            ms=ms,
            queries=int(queries) if queries else None,
            sql_ms=float(sql_ms) if sql_ms else None,
            location=response.headers.get("location", ""),
        )

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _send(self, method: str, message: bytes) -> _Response:
        """Send on the kept connection; if the server had closed it meanwhile, on a new one.

        A server closes a connection left idle past its keep-alive time, and a request sent on
        it just then gets no answer. A browser sends it again on a new connection, once: so
        does this client, and the time it measures includes both tries.
        """
        reused = self.sock is not None
        try:
            return self._exchange(method, message)
        except (ConnectionResetError, BrokenPipeError):  # ClosedUnanswered is the first
            if not reused:
                raise
        return self._exchange(method, message)

    def _exchange(self, method: str, message: bytes) -> _Response:
        if self.sock is None:
            self.sock = self._connect()
        try:
            self.sock.sendall(message)
            response = _read_response(self.sock, method)
        except OSError:
            self.close()  # the next request connects anew
            raise
        if not response.keep:
            self.close()
        return response

    def get(self, path: str, headers=None) -> Answer:
        return self.request("GET", path, headers=headers)

    def login(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        match = CSRF_INPUT.search(self.last_body.decode("utf-8", "replace"))
        if not match:
            raise RuntimeError("The log-in page has no CSRF token.")
        answer = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password},
        )
        if answer.status != 302 or "login" in answer.location:
            raise RuntimeError(f"Log-in as {username} failed (status {answer.status}).")
        # A door page (second factor, new password) would hold every request back.
        home = self.get("/")
        doors = ("/otp", "/password", "/login")
        if home.status not in (200, 302) or any(door in home.location for door in doors):
            raise RuntimeError(f"{username} cannot reach the start page ({home.status}).")

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
