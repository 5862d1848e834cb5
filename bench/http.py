"""A small HTTP client for the benchmark: one keep-alive connection, cookies, CSRF log-in."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    ms: float
    queries: int | None
    sql_ms: float | None
    location: str


class Session:
    """A browser stand-in: keeps one connection and the cookies the server sets."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=120)

    def request(self, method: str, path: str, body: dict | None = None, headers=None) -> Answer:
        data = urlencode(body).encode() if body is not None else None
        sent = {"Host": f"{self.host}:{self.port}", "Accept-Language": "en"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"http://{self.host}:{self.port}{path}"
        sent.update(headers or {})
        started = time.perf_counter()
        try:
            response = self._send(method, path, data, sent)
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the next request reconnects
            raise
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        queries = response.headers.get("X-Bench-Queries")
        sql_ms = response.headers.get("X-Bench-Sql-Ms")
        return Answer(
            status=response.status,
            ms=ms,
            queries=int(queries) if queries else None,
            sql_ms=float(sql_ms) if sql_ms else None,
            location=response.headers.get("Location", ""),
        )

    def _send(self, method: str, path: str, data: bytes | None, headers: dict):
        """Send on the kept connection; if the server had closed it meanwhile, on a new one.

        A server closes a connection left idle past its keep-alive time, and a request sent on
        it just then gets no answer. A browser sends it again on a new connection, once: so
        does this client, and the time it measures includes both tries.
        """
        reused = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            self.conn.close()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        self.last_body = response.read()
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
        self.conn.close()
