"""The polite fetcher against real HTTP servers on 127.0.0.x: robots, retries, limits, redirects."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from crawl_fixture_site import FixtureServer, Route

from ingest.crawl.errors import FetchTimeout, ForeignRedirect, ResponseTooLarge, RobotsDisallowed
from ingest.crawl.fetcher import Fetcher, FetchResult, robots_bytes_to_text
from ingest.crawl.sites import Politeness

GBK_ROBOTS = "User-agent: *\n# 以下目录禁止抓取（内部资料）\nDisallow: /private/\nDisallow: /内部/\n".encode("gbk")


def _politeness(**kw: Any) -> Politeness:
    base: dict[str, Any] = {"rate": 50, "timeout": 2, "retries": 2, "backoff": 0.01}
    return Politeness(**{**base, **kw})


def _allowed(server: FixtureServer) -> Any:
    hosts = {server.netloc("main"), server.netloc("files")}
    return lambda url: url.split("/")[2] in hosts


def _fetch(server: FixtureServer, urls: list[str], politeness: Politeness | None = None, **kw: Any) -> list[Any]:
    async def run() -> list[Any]:
        async with Fetcher(politeness or _politeness(), allowed=_allowed(server), record=True) as f:
            return await asyncio.gather(*(f.fetch(u, **kw) for u in urls), return_exceptions=True)

    return asyncio.run(run())


def test_gbk_robots_decoded_and_obeyed(server: FixtureServer) -> None:
    server.add("main", "/robots.txt", Route(GBK_ROBOTS, content_type="text/plain"))
    server.add("main", "/private/a.html", Route(b"secret"))
    server.add("main", "/public/a.html", Route(b"ok"))
    server.add("main", "/内部/b.html", Route(b"secret"))
    ok, private, chinese = _fetch(
        server, [server.url("main", p) for p in ("/public/a.html", "/private/a.html", "/内部/b.html")]
    )
    assert isinstance(ok, FetchResult) and ok.status == 200 and ok.body == b"ok"
    assert isinstance(private, RobotsDisallowed) and "/private/a.html" in str(private)
    assert isinstance(chinese, RobotsDisallowed)
    assert server.hits_for("main", "/private/a.html") == [] and server.hits_for("main", "/内部/b.html") == []
    assert len(server.hits_for("main", "/robots.txt")) == 1  # fetched once per host per run


def test_robots_text_decoding() -> None:
    assert "Disallow: /内部/" in robots_bytes_to_text(GBK_ROBOTS)
    assert robots_bytes_to_text("\ufeffDisallow: /通知/".encode()) == "Disallow: /通知/"


def test_robots_server_error_skips_host_missing_robots_allows(server: FixtureServer) -> None:
    server.add("main", "/robots.txt", Route(b"oops", status=503))
    server.add("main", "/a.html", Route(b"a"))
    server.add("files", "/b.html", Route(b"b"))  # files has no robots.txt: 404 means allow all
    (a,) = _fetch(server, [server.url("main", "/a.html")], _politeness(retries=0))
    (b,) = _fetch(server, [server.url("files", "/b.html")])
    assert isinstance(a, RobotsDisallowed) and server.hits_for("main", "/a.html") == []
    assert isinstance(b, FetchResult) and b.body == b"b"


def test_user_agent_names_project_and_contact(server: FixtureServer) -> None:
    server.add("main", "/a.html", Route(b"a"))
    _fetch(server, [server.url("main", "/a.html")])
    ua = server.hits_for("main", "/a.html")[0].headers["User-Agent"]
    assert ua.startswith("noticerules/") and "https://" in ua


def test_retries_5xx_with_backoff_then_succeeds(server: FixtureServer) -> None:
    server.add("main", "/flaky.html", Route(b"finally", fail_first=2))
    (r,) = _fetch(server, [server.url("main", "/flaky.html")])
    assert r.status == 200 and r.body == b"finally" and r.attempts == 3
    assert [h.status for h in server.hits_for("main", "/flaky.html")] == [500, 500, 200]


def test_persistent_500_returned_after_retries(server: FixtureServer) -> None:
    server.add("main", "/broken.html", Route(b"no", status=500))
    (r,) = _fetch(server, [server.url("main", "/broken.html")])
    assert r.status == 500 and r.attempts == 3
    assert len(server.hits_for("main", "/broken.html")) == 3


def test_404_is_an_answer_not_an_exception(server: FixtureServer) -> None:
    (r,) = _fetch(server, [server.url("main", "/nowhere.html")])
    assert r.status == 404 and not r.ok


def test_timeout_retried_then_raised(server: FixtureServer) -> None:
    server.add("main", "/slow.html", Route(b"late", delay=1.5))
    (r,) = _fetch(server, [server.url("main", "/slow.html")], _politeness(timeout=0.3, retries=1))
    assert isinstance(r, FetchTimeout) and "/slow.html" in str(r)
    assert r.attempts == 2


def test_slow_but_in_time_response_arrives(server: FixtureServer) -> None:
    server.add("main", "/slowish.html", Route(b"ok", delay=0.3))
    (r,) = _fetch(server, [server.url("main", "/slowish.html")], _politeness(timeout=2))
    assert r.status == 200 and r.body == b"ok"


def test_redirect_within_allowed_hosts_followed(server: FixtureServer) -> None:
    server.add("main", "/old.html", Route(status=301, headers={"Location": server.url("files", "/new.html")}))
    server.add("files", "/new.html", Route(b"moved here"))
    (r,) = _fetch(server, [server.url("main", "/old.html")])
    assert r.status == 200 and r.body == b"moved here"
    assert r.final_url == server.url("files", "/new.html") and r.redirects == [r.final_url]


def test_redirect_to_foreign_host_refused(server: FixtureServer) -> None:
    server.add("main", "/away.html", Route(status=302, headers={"Location": server.url("foreign", "/x.html")}))
    server.add("foreign", "/x.html", Route(b"elsewhere"))
    (r,) = _fetch(server, [server.url("main", "/away.html")])
    assert isinstance(r, ForeignRedirect) and r.location == server.url("foreign", "/x.html")
    assert server.hits_for("foreign") == []  # not even its robots.txt


@pytest.mark.parametrize("send_length", [True, False])
def test_oversized_body_refused_while_streaming(server: FixtureServer, send_length: bool) -> None:
    server.add("main", "/big.pdf", Route(b"%PDF" + b"0" * 300_000, content_type="application/pdf",
                                         send_length=send_length))
    (r,) = _fetch(server, [server.url("main", "/big.pdf")], _politeness(max_bytes=100_000))
    assert isinstance(r, ResponseTooLarge) and r.limit == 100_000
    assert (r.size == 300_004) if send_length else (r.size is None)


def test_conditional_get_with_etag(server: FixtureServer) -> None:
    server.add("main", "/n.html", Route(b"notice", etag='"v1"'))
    (first,) = _fetch(server, [server.url("main", "/n.html")])
    (second,) = _fetch(server, [server.url("main", "/n.html")], etag=first.headers["etag"])
    assert first.status == 200 and first.sha256 == FetchResult("", "", 200, {}, b"notice", "").sha256
    assert second.not_modified and second.body == b""
    assert server.hits_for("main", "/n.html")[1].headers["If-None-Match"] == '"v1"'


def test_conditional_get_with_last_modified(server: FixtureServer) -> None:
    stamp = "Fri, 08 Sep 2023 02:00:00 GMT"
    server.add("main", "/m.html", Route(b"notice", last_modified=stamp))
    (first,) = _fetch(server, [server.url("main", "/m.html")])
    (second,) = _fetch(server, [server.url("main", "/m.html")], last_modified=first.headers["last-modified"])
    assert first.status == 200 and second.status == 304
    assert server.hits_for("main", "/m.html")[1].headers["If-Modified-Since"] == stamp


def test_politeness_rate_and_concurrency_per_host_measured_at_server(server: FixtureServer) -> None:
    rate = 5.0  # at most one request start every 0.2 s per host
    for alias in ("main", "files"):
        for i in range(8):
            server.add(alias, f"/p{i}.html", Route(b"x", delay=0.05))
    urls = [server.url(a, f"/p{i}.html") for i in range(8) for a in ("main", "files")]
    _fetch(server, urls, _politeness(rate=rate, host_concurrency=2, global_concurrency=8))
    for alias in ("main", "files"):
        arrivals = sorted(h.at for h in server.hits_for(alias) if h.path != "/robots.txt")
        assert len(arrivals) == 8
        gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
        # the client spaces sends by 1/rate; allow 30 ms for the server's threads to be scheduled
        assert min(gaps) >= 1 / rate - 0.03, gaps
        assert server.max_in_flight[alias] <= 2


def test_robots_crawl_delay_slows_the_host(server: FixtureServer) -> None:
    server.add("main", "/robots.txt", Route(b"User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain"))
    for i in range(3):
        server.add("main", f"/c{i}.html", Route(b"x"))
    _fetch(server, [server.url("main", f"/c{i}.html") for i in range(3)], _politeness(rate=50))
    arrivals = sorted(h.at for h in server.hits_for("main") if h.path != "/robots.txt")
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.35
