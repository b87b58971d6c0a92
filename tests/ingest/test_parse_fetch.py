"""Fetching one URL from a real HTTP server on 127.0.0.1: charset from headers, limits, errors."""

from __future__ import annotations

import http.server
from collections.abc import Callable

import pytest

from ingest.errors import FetchError, InputTooLarge
from ingest.fetch import is_url, url_to_fetched
from ingest.parse import source_to_parsed
from ingest.settings import Settings
from ingest_testkit import build_pdf

Serve = Callable[[dict[str, tuple[int, dict[str, str], bytes]]], str]

PAGE = ("<html><head><title>关于做好2024年度居民医保参保缴费工作的通知_某市医疗保障局</title></head><body>"
        "<div class='nav'><a href='/'>首页</a></div><div class='TRS_Editor'><p>个人缴费标准为每人每年380元，"
        "集中缴费期为2023年9月1日至12月31日。</p></div></body></html>")


def test_html_charset_from_header(http_server: Serve) -> None:
    base = http_server({"/n.html": (200, {"Content-Type": "text/html; charset=GBK"}, PAGE.encode("gbk"))})
    parsed = source_to_parsed(f"{base}/n.html")
    assert parsed.source == f"{base}/n.html"
    assert parsed.format == "html" and parsed.encoding == "gb18030 (header GBK)"
    assert "每人每年380元" in parsed.text and "首页" not in parsed.text


def test_wrong_header_charset_is_detected(http_server: Serve) -> None:
    base = http_server({"/n": (200, {"Content-Type": "text/html; charset=ISO-8859-1"}, PAGE.encode("gbk"))})
    parsed = source_to_parsed(f"{base}/n")
    assert parsed.encoding == "gb18030 (detected; header said ISO-8859-1)"
    assert parsed.flags == ["charset_mismatch"] and "每人每年380元" in parsed.text


def test_pdf_served_as_octet_stream(http_server: Serve) -> None:
    raw = build_pdf([["个人缴费标准为每人每年380元。"]])
    base = http_server({"/download.jsp?id=7": (200, {"Content-Type": "application/octet-stream"}, raw)})
    parsed = source_to_parsed(f"{base}/download.jsp?id=7")
    assert parsed.format == "pdf" and parsed.text == "个人缴费标准为每人每年380元。"


def test_redirect_followed_and_user_agent_sent(serve_handler: Callable[[type], str]) -> None:
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.headers.get("User-Agent", ""))
            if self.path == "/old":
                self.send_response(301)
                self.send_header("Location", "/new.txt")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = "个人缴费标准为每人每年380元。".encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    url = serve_handler(Handler) + "/old"
    fetched = url_to_fetched(url, settings=Settings(user_agent="noticerules-test (+https://example.org)"))
    assert fetched.final_url.endswith("/new.txt") and fetched.status == 200
    assert fetched.charset == "utf-8"
    assert seen == ["noticerules-test (+https://example.org)"] * 2


def test_http_error_status(http_server: Serve) -> None:
    base = http_server({})
    with pytest.raises(FetchError) as info:
        source_to_parsed(f"{base}/gone.html")
    assert info.value.status == 404
    assert f"{base}/gone.html" in str(info.value) and "HTTP 404" in str(info.value)


def test_too_large_by_content_length(http_server: Serve) -> None:
    base = http_server({"/big.pdf": (200, {"Content-Length": str(50 * 1024 * 1024)}, b"%PDF-1.4 ...")})
    with pytest.raises(InputTooLarge) as info:
        url_to_fetched(f"{base}/big.pdf", settings=Settings(max_bytes=20_000_000))
    assert info.value.size == 50 * 1024 * 1024 and "big.pdf" in str(info.value)


@pytest.fixture()
def chunked_server(serve_handler: Callable[[type], str]) -> str:
    """Streams 3 MB without Content-Length: the limit must trip while reading."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(48):
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    return serve_handler(Handler) + "/stream.txt"


def test_too_large_while_streaming(chunked_server: str) -> None:
    with pytest.raises(InputTooLarge) as info:
        url_to_fetched(chunked_server, settings=Settings(max_bytes=1_000_000))
    assert 1_000_000 < info.value.size <= 1_000_000 + 65536 * 2  # stopped soon after the limit


def test_is_url() -> None:
    assert is_url("https://www.nhsa.gov.cn/a.html") and is_url("HTTP://x")
    assert not is_url("corpus/seeds/000.txt") and not is_url("C:/notices/a.txt")


def test_extract_command_on_a_url(http_server: Serve) -> None:
    import json

    from click.testing import CliRunner

    from ingest.cli import main

    base = http_server({"/n.html": (200, {"Content-Type": "text/html; charset=GBK"}, PAGE.encode("gbk"))})
    result = CliRunner().invoke(main, ["extract", f"{base}/n.html", f"{base}/missing.html"])
    assert result.exit_code == 1
    (line,) = [ln for ln in result.stdout.splitlines() if ln.strip()]
    document = json.loads(line)["document"]
    assert document["source"] == f"{base}/n.html" and document["format"] == "html"
    assert document["encoding"] == "gb18030 (header GBK)"
    assert f"error: {base}/missing.html: fetch failed" in result.stderr and "HTTP 404" in result.stderr
