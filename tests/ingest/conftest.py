"""Fixtures for ingest tests: a real HTTP server on 127.0.0.1 serving canned routes."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator

import pytest


@pytest.fixture()
def serve_handler() -> Iterator[Callable[[type[http.server.BaseHTTPRequestHandler]], str]]:
    """Start real HTTP servers on 127.0.0.1 for handler classes; each call returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(handler: type[http.server.BaseHTTPRequestHandler]) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def http_server(
    serve_handler: Callable[[type[http.server.BaseHTTPRequestHandler]], str],
) -> Callable[[dict[str, tuple[int, dict[str, str], bytes]]], str]:
    """Start a real HTTP server on 127.0.0.1 serving canned routes; returns its base URL."""

    def start(routes: dict[str, tuple[int, dict[str, str], bytes]]) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                status, headers, body = routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        return serve_handler(Handler)

    return start
