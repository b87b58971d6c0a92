"""A fixture web site served by real HTTP servers on loopback addresses (127.0.0.x) for crawl tests.

Each "host" is a ThreadingHTTPServer bound to its own 127.0.0.x address; routes are data
(status, headers, body, delay), and every request is logged with its arrival time so
tests can measure politeness from the server's side.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

__all__ = ["FixtureServer", "Route"]


@dataclass
class Route:
    body: bytes | Callable[[], bytes] = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (slow server / timeout)
    etag: str | None = None  # answer 304 to a matching If-None-Match
    send_length: bool = True  # False: no Content-Length, body until close
    fail_first: int = 0  # answer 500 to the first N requests, then normally
    calls: int = 0


@dataclass
class Hit:
    host: str
    path: str
    at: float
    headers: dict[str, str]
    status: int


class FixtureServer:
    """Several loopback hosts; ``url(alias, path)`` builds an absolute URL on one of them."""

    def __init__(self, aliases: dict[str, str]) -> None:
        # aliases: name -> IP, e.g. {"main": "127.0.0.2"}
        self.routes: dict[tuple[str, str], Route] = {}
        self.hits: list[Hit] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self._lock = threading.Lock()
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        for alias, ip in aliases.items():
            server = ThreadingHTTPServer((ip, 0), self._handler(alias))
            server.daemon_threads = True
            self._servers[alias] = server

    def netloc(self, alias: str) -> str:
        host, port = self._servers[alias].server_address[:2]
        return f"{host}:{port}"

    def url(self, alias: str, path: str) -> str:
        return f"http://{self.netloc(alias)}{path}"

    def add(self, alias: str, path: str, route: Route) -> Route:
        self.routes[(alias, path)] = route
        return route

    def hits_for(self, alias: str, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.host == alias and (path is None or h.path == path)]

    def start(self) -> FixtureServer:
        for server in self._servers.values():
            t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def _handler(self, alias: str) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet test output
                return

            def do_GET(self) -> None:
                arrived = time.monotonic()
                path = unquote(urlsplit(self.path).path)
                with site._lock:
                    site.in_flight[alias] = site.in_flight.get(alias, 0) + 1
                    site.max_in_flight[alias] = max(site.max_in_flight.get(alias, 0), site.in_flight[alias])
                try:
                    status = self._answer(path)
                finally:
                    with site._lock:
                        site.in_flight[alias] -= 1
                with site._lock:
                    site.hits.append(Hit(alias, path, arrived, dict(self.headers.items()), status))

            def _answer(self, path: str) -> int:
                route = site.routes.get((alias, path))
                if route is None:
                    return self._send(404, b"<html><body>not found</body></html>", "text/html", {})
                route.calls += 1
                if route.delay:
                    time.sleep(route.delay)
                if route.calls <= route.fail_first:
                    return self._send(500, b"temporarily broken", "text/plain", {})
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self._send(304, b"", None, {"ETag": route.etag})
                body = route.body() if callable(route.body) else route.body
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                return self._send(route.status, body, route.content_type, headers, length=route.send_length)

            def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str],
                      length: bool = True) -> int:
                try:
                    self.send_response(status)
                    if ctype:
                        self.send_header("Content-Type", ctype)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if length:
                        self.send_header("Content-Length", str(len(body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size cap): that is what some tests do
                return status

        return Handler
