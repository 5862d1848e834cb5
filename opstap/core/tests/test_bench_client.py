"""The benchmark's HTTP client reads answers as a browser would: every way a body can end,
cookies, redirects, the benchmark's headers, and kept or closed connections."""

import socket
import threading

import pytest

from bench.http import ProtocolError, Session


class _Scripted:
    """A loopback server that answers each request with the next of `answers` (raw bytes),
    then closes the connection unless the answer asks to keep it. An answer of None closes
    the connection without answering, as a server does to a kept connection whose time has
    run out. It keeps the requests."""

    def __init__(self, answers: list[bytes | None]):
        self.answers = list(answers)
        self.requests: list[bytes] = []
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while self.answers:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with sock:
                while self.answers:
                    request = self._read_request(sock)
                    if request is None:
                        break
                    self.requests.append(request)
                    answer = self.answers.pop(0)
                    if answer is None:
                        break
                    sock.sendall(answer)
                    if b"keep-alive" not in answer.split(b"\r\n\r\n", 1)[0].lower():
                        break

    @staticmethod
    def _read_request(sock) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                size = int(line.split(b":")[1])
                while len(body) < size:
                    body += sock.recv(65536)
        return data

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def scripted():
    servers = []

    def make(*answers: bytes | None) -> tuple[_Scripted, Session]:
        server = _Scripted(list(answers))
        servers.append((server, Session("127.0.0.1", server.port, timeout=10)))
        return servers[-1]

    yield make
    for server, session in servers:
        session.close()
        server.close()


def test_a_body_of_a_given_length_and_the_benchmarks_headers(scripted):
    server, session = scripted(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Bench-Queries: 7\r\n"
        b"X-Bench-Sql-Ms: 1.25\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    )
    answer = session.get("/clients/")
    assert (answer.status, answer.queries, answer.sql_ms) == (200, 7, 1.25)
    assert session.last_body == b"hello"
    assert answer.ms > 0
    assert server.requests[0].startswith(b"GET /clients/ HTTP/1.1\r\n")


def test_a_chunked_body_with_trailer_fields(scripted):
    _, session = scripted(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"4\r\nWiki\r\n6;name=x\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n"
    )
    assert session.get("/").status == 200
    assert session.last_body == b"Wikipedia in \r\n\r\nchunks."


def test_a_body_that_ends_when_the_server_closes(scripted):
    _, session = scripted(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end")
    assert session.get("/").status == 200
    assert session.last_body == b"to the end"


def test_cookies_are_kept_and_sent_back_and_a_redirect_read(scripted):
    server, session = scripted(
        b"HTTP/1.1 302 Found\r\nLocation: /accounts/login/?next=/\r\n"
        b"Set-Cookie: csrftoken=abc; Path=/; SameSite=Lax\r\n"
        b"Set-Cookie: sessionid=s1; HttpOnly; Path=/\r\n"
        b"Content-Length: 0\r\nConnection: close\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
    )
    first = session.get("/")
    assert (first.status, first.location) == (302, "/accounts/login/?next=/")
    assert session.cookies == {"csrftoken": "abc", "sessionid": "s1"}
    second = session.request("POST", "/journal/", {"text": "café & co"})
    assert second.status == 204
    sent = server.requests[1]
    assert b"Cookie: csrftoken=abc; sessionid=s1\r\n" in sent
    assert b"Content-Type: application/x-www-form-urlencoded\r\n" in sent
    assert sent.endswith(b"\r\n\r\ntext=caf%C3%A9+%26+co")
    assert b"Content-Length: 21\r\n" in sent


def test_a_kept_connection_is_used_again_and_a_closed_one_is_not(scripted):
    server, session = scripted(
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\na",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nc",
    )
    bodies = []
    for path in ("/a", "/b", "/c"):
        session.get(path)
        bodies.append(session.last_body)
    assert bodies == [b"a", b"b", b"c"]
    assert server.connections == 2  # /a and /b on the kept connection, /c on a new one


def test_an_answer_cut_short_is_an_error_not_a_short_page(scripted):
    _, session = scripted(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly this"
    )
    with pytest.raises(ProtocolError):
        session.get("/")
    assert session.sock is None


def test_what_is_not_http_is_an_error(scripted):
    _, session = scripted(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
    with pytest.raises(ProtocolError):
        session.get("/")


KEPT = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nserved"


def test_a_request_is_sent_again_when_a_kept_connection_was_closed_unanswered(scripted):
    server, session = scripted(KEPT, None, KEPT)
    assert session.get("/a").status == 200
    # The kept connection is closed unanswered: the client sends the request again on a new
    # one, once, as a browser does.
    assert session.get("/b").status == 200
    assert session.last_body == b"served"
    assert server.connections == 2
    assert [r.split(b" ")[1] for r in server.requests] == [b"/a", b"/b", b"/b"]


def test_a_new_connection_closed_unanswered_is_not_hidden(scripted):
    server, session = scripted(None, KEPT)
    with pytest.raises(ConnectionResetError):
        session.get("/a")
    assert server.connections == 1
    assert session.get("/a").status == 200  # the next request connects anew
