"""A fixture web site served by real HTTP servers on loopback addresses (127.0.0.x) for crawl tests.

Each "host" is a ThreadingHTTPServer bound to its own 127.0.0.x address; routes are data
(status, headers, body, delay), and every request is logged with its arrival time so
tests can measure politeness from the server's side.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
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
    last_modified: str | None = None  # answer 304 to an equal If-Modified-Since
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


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # clients that give up (timeouts, size cap) reset connections: expected here, not news
        return


class FixtureServer:
    """Several loopback hosts; ``url(alias, path)`` builds an absolute URL on one of them."""

    def __init__(self, aliases: dict[str, str]) -> None:
        # aliases: name -> IP, e.g. {"main": "127.0.0.2"}
        self.routes: dict[tuple[str, str], Route] = {}
        self.hits: list[Hit] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self._lock = threading.Lock()
        self._servers: dict[str, _QuietServer] = {}
        self._threads: list[threading.Thread] = []
        for alias, ip in aliases.items():
            server = _QuietServer((ip, 0), self._handler(alias))
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
                # logged on arrival (status filled in just before the answer goes out), so a
                # test reading the log right after the client returns sees every request
                path = unquote(urlsplit(self.path).path)
                self._hit = Hit(alias, path, time.monotonic(), dict(self.headers.items()), 0)
                with site._lock:
                    site.hits.append(self._hit)
                    site.in_flight[alias] = site.in_flight.get(alias, 0) + 1
                    site.max_in_flight[alias] = max(site.max_in_flight.get(alias, 0), site.in_flight[alias])
                try:
                    self._answer(path)
                finally:
                    with site._lock:
                        site.in_flight[alias] -= 1

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
                if route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified:
                    return self._send(304, b"", None, {"Last-Modified": route.last_modified})
                body = route.body() if callable(route.body) else route.body
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                return self._send(route.status, body, route.content_type, headers, length=route.send_length)

            def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str],
                      length: bool = True) -> int:
                self._hit.status = status
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


# ---- the notice site used by the crawl tests ------------------------------------------------

NOTICE = (
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
    "<title>{title}</title></head><body><h1>{title}</h1><div class=\"content\">"
    "<p>吉医保联〔2023〕27号</p><p>各市（州）医疗保障局：</p>"
    "<p>一、筹资标准。2024年度全省居民医保个人缴费标准为每人每年{amount}元。</p>"
    "<p>二、集中缴费期为2023年9月10日至12月31日。</p>{links}"
    "<p>吉林省医疗保障局</p><p>2023年9月8日</p></div></body></html>"
)
TITLE = "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"


def notice_html(*, title: str = TITLE, amount: int = 380, links: str = "") -> str:
    return NOTICE.format(title=title, amount=amount, links=links)


def listing_html(items: list[tuple[str, str]], next_href: str | None = None) -> str:
    lis = "".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2023-09-08</span></li>' for href, text in items)
    nav = f'<a href="index.html">首页</a> <a href="{next_href}">下一页</a>' if next_href else '<a href="index.html">首页</a>'
    return (
        '<html><head><meta charset="gb2312"><title>通知公告</title></head><body>'
        f'<div class="nav"><a href="/">网站首页</a></div><ul class="list">{lis}</ul><div class="page">{nav}</div>'
        "</body></html>"
    )


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF with CJK text (reportlab + Debian's wqy-zenhei, see pitfalls.md)."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "wqy" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("wqy", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("wqy", 12)
    for i, line in enumerate(text.split("\n")):
        c.drawString(50, 780 - 18 * i, line)
    c.save()
    return buf.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import io

    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


GBK_ROBOTS = "User-agent: *\n# 以下目录禁止抓取（内部资料）\nDisallow: /private/\n".encode("gbk")
HTML_GBK = "text/html"  # no charset in the header: the page's meta says gb2312


def build_notice_site(server: FixtureServer) -> dict[str, Any]:
    """The fixture site; returns the site TOML (rate 8/s per host, 0.5 s timeout, 500 kB cap)."""
    files = server.url("files", "")
    foreign = server.url("foreign", "")
    server.add("main", "/robots.txt", Route(GBK_ROBOTS, content_type="text/plain"))
    server.add("main", "/list/index.html", Route(listing_html([
        ("/art/2024/n1.html", TITLE),
        ("/art/2024/n2.html", "关于2024年城乡居民医保待遇的通知"),
        ("/private/n3.html", "城乡居民医保内部通知"),
        ("/art/2024/sports.html", "关于举办职工运动会的通知"),
        ("/art/2024/missing.html", "城乡居民医保通知（已删除）"),
        ("/art/2024/broken.html", "城乡居民医保系统维护通知"),
    ], next_href="index_1.html").encode("gbk"), content_type=HTML_GBK))
    server.add("main", "/list/index_1.html", Route(listing_html([
        ("/art/2024/slow.html", "城乡居民医保慢速页面"),
        ("/art/2024/timeout.html", "城乡居民医保超时页面"),
        ("/art/2024/moved.html", "城乡居民医保已迁移"),
    ]).encode("gbk"), content_type=HTML_GBK))
    links = (
        f'<p>附件：<a href="{files}/files/a.pdf">附件1.pdf</a> <a href="{files}/files/b.docx">附件2.docx</a> '
        f'<a href="{files}/files/c.xls">附件3.xls</a> <a href="{files}/files/big.pdf">附件4（扫描件）.pdf</a> '
        f'<a href="{foreign}/files/x.pdf">外站附件.pdf</a></p>'
    )
    server.add("main", "/art/2024/n1.html", Route(notice_html(links=links).encode("gbk"), content_type=HTML_GBK,
                                                   etag='"n1-v1"'))
    n2 = {"amount": 380}
    server.add("main", "/art/2024/n2.html", Route(
        lambda: notice_html(title="关于2024年城乡居民医保待遇的通知", amount=n2["amount"]).encode("utf-8"),
        content_type="text/html; charset=utf-8"))
    server.add("main", "/private/n3.html", Route(notice_html().encode("gbk"), content_type=HTML_GBK))
    server.add("main", "/art/2024/sports.html", Route(b"<html>sports</html>"))
    server.add("main", "/art/2024/broken.html", Route(b"error", status=500))
    server.add("main", "/art/2024/slow.html", Route(
        notice_html(title="城乡居民医保慢速页面", amount=390).encode("gbk"), content_type=HTML_GBK, delay=0.3))
    server.add("main", "/art/2024/timeout.html", Route(b"late", delay=2.0))
    server.add("main", "/art/2024/moved.html", Route(status=302, headers={"Location": foreign + "/art/x.html"}))
    server.add("files", "/files/a.pdf", Route(pdf_bytes(
        "城乡居民医保缴费标准附件\n2024年度全省居民医保个人缴费标准为每人每年380元。"), content_type="application/pdf"))
    server.add("files", "/files/b.docx", Route(docx_bytes(
        ["参保缴费说明", "2024年度全省居民医保个人缴费标准为每人每年380元。", "集中缴费期为2023年9月10日至12月31日。"]),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    server.add("files", "/files/c.xls", Route(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
                                             content_type="application/vnd.ms-excel"))
    server.add("files", "/files/big.pdf", Route(b"%PDF-1.4\n" + b"0" * 600_000, content_type="application/pdf"))
    server.add("foreign", "/art/x.html", Route(b"<html>elsewhere</html>"))
    server.add("foreign", "/files/x.pdf", Route(b"%PDF-1.4 elsewhere", content_type="application/pdf"))
    toml = f"""
name = "fixture"
start = ["{server.url('main', '/list/index.html')}"]
allowed_hosts = ["{server.netloc('main')}", "{server.netloc('files')}"]
schedule = "0 6 * * *"

[pagination]
next_text = ["下一页"]
max_pages = 5

[detail]
link_pattern = "/(art|private)/"
title_keywords = ["医保", "医疗保险"]

[politeness]
rate = 8
host_concurrency = 2
timeout = 0.5
retries = 1
backoff = 0.01
max_bytes = 500000
"""
    return {"toml": toml, "n2": n2}  # the test edits n2["amount"] between crawls
