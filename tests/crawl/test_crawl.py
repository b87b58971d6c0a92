"""Whole crawls of the fixture site on 127.0.0.x into a real store file: captures, documents,
attachments, errors, change detection, politeness, the CLI verbs and their report."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crawl_fixture_site import FixtureServer, build_notice_site

from ingest.cli import main
from ingest.crawl.crawler import crawl_sites
from ingest.crawl.sites import path_to_sites


@pytest.fixture
def site_file(server: FixtureServer, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    built = build_notice_site(server)
    path = tmp_path / "fixture.toml"
    path.write_text(built["toml"], encoding="utf-8")
    return path, built


def _rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _status(db: Path, url_end: str) -> tuple[Any, ...]:
    (row,) = _rows(db, "SELECT status, http_status, error, parent, document_id FROM crawl_urls WHERE url LIKE ?",
                   "%" + url_end)
    return row


def test_first_crawl_stores_every_kind_of_page_and_records_every_failure(
    server: FixtureServer, site_file: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    (report,) = crawl_sites(list(path_to_sites(site_file[0]).values()), db_path=db)

    # notices n1 (GBK), n2 (UTF-8), slow; attachments a.pdf and b.docx
    assert report.new_documents == 5, report
    assert report.rules_changed >= 2
    assert report.unreadable == 1 and report.skipped == 1
    failed = sorted(url.rsplit("/", 1)[1] for url, _ in report.errors)
    assert failed == ["big.pdf", "broken.html", "missing.html", "moved.html", "timeout.html"], report.errors
    messages = " | ".join(m for _, m in report.errors)
    assert "HTTP 404" in messages and "HTTP 500" in messages and "max_bytes" in messages
    assert "outside allowed_hosts" in messages and "no answer within" in messages

    # never requested: robots-disallowed, filtered by title, foreign host
    assert server.hits_for("main", "/private/n3.html") == []
    assert server.hits_for("main", "/art/2024/sports.html") == []
    assert server.hits_for("foreign") == []
    assert len(server.hits_for("main", "/art/2024/broken.html")) == 2  # one retry

    # raw capture of the GBK page: exactly the bytes served, and the document points at them
    n1_url = server.url("main", "/art/2024/n1.html")
    served = server.routes[("main", "/art/2024/n1.html")].body
    (content, title, fmt, encoding) = _rows(
        db, "SELECT c.content, d.title, d.format, d.encoding FROM documents d JOIN captures c USING (sha256) "
        "WHERE d.source = ?", n1_url)[0]
    assert content == served and "城乡居民基本医疗保险" in title and fmt == "html" and encoding.startswith("gb18030")
    # every crawled document (pages and attachments) keeps its normalised text for the review UI
    assert _rows(db, "SELECT COUNT(*) FROM documents WHERE normalised_text IS NULL OR normalised_text = ''") == [(0,)]

    # attachments: their own documents, tied to their page; unreadable recorded, not dropped
    for name, fmt_expected in (("a.pdf", "pdf"), ("b.docx", "docx")):
        status, http, _err, parent, doc_id = _status(db, "/files/" + name)
        assert (status, http, parent) == ("done", 200, n1_url) and doc_id is not None
        assert _rows(db, "SELECT format FROM documents WHERE id = ?", doc_id) == [(fmt_expected,)]
    status, _http, error, parent, _doc = _status(db, "/files/c.xls")
    assert status == "unreadable" and parent == n1_url and "xls" in error
    assert _rows(db, "SELECT COUNT(*) FROM captures WHERE first_source LIKE '%/files/c.xls'") == [(1,)]
    assert _status(db, "/files/big.pdf")[0] == "error"
    assert _status(db, "/private/n3.html")[0] == "skipped"

    # every answer was logged in the store's fetch log, error pages included
    logged = {s for (s,) in _rows(db, "SELECT source FROM fetches")}
    assert server.url("main", "/art/2024/broken.html") in logged and n1_url in logged

    # a rule proposed from the notice, with evidence in the GBK page
    rules = _rows(db, "SELECT v.params, v.status FROM rule_versions v WHERE v.kind = 'personal_contribution'")
    assert any(json.loads(p)["amount"] == "380" and s == "proposed" for p, s in rules)


def test_second_crawl_costs_little_and_catches_the_changed_page(
    server: FixtureServer, site_file: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    sites = list(path_to_sites(site_file[0]).values())
    crawl_sites(sites, db_path=db)
    site_file[1]["n2"]["amount"] = 400  # the notice is corrected on the site
    (second,) = crawl_sites(sites, db_path=db)

    n1_hits = server.hits_for("main", "/art/2024/n1.html")
    assert n1_hits[-1].headers.get("If-None-Match") == '"n1-v1"' and n1_hits[-1].status == 304
    assert second.changed_documents == 1 and second.new_documents == 0
    assert second.not_modified == 1  # n1 by ETag (slow.html is on listing page 2, not walked again)
    assert second.rules_changed >= 1
    # stop paging at items already seen: page 2 of the listing is not fetched again
    assert len(server.hits_for("main", "/list/index_1.html")) == 1
    # attachments of an unchanged page are not fetched again
    assert len(server.hits_for("files", "/files/a.pdf")) == 1

    n2_url = server.url("main", "/art/2024/n2.html")
    versions = _rows(db, "SELECT source_version FROM documents WHERE source = ? ORDER BY id", n2_url)
    assert versions == [(1,), (2,)]
    amounts = sorted(json.loads(p)["amount"] for (p,) in _rows(
        db, "SELECT params FROM rule_versions WHERE kind = 'personal_contribution'"))
    assert "400" in amounts and "380" in amounts

    # the page disappears: recorded as gone, its documents kept
    del server.routes[("main", "/art/2024/n2.html")]
    (third,) = crawl_sites(sites, db_path=db)
    assert third.gone == 1 and _status(db, "/art/2024/n2.html")[0] == "gone"
    assert len(_rows(db, "SELECT id FROM documents WHERE source = ?", n2_url)) == 2


def test_politeness_held_in_a_whole_crawl(server: FixtureServer, site_file: tuple[Path, dict[str, Any]],
                                          tmp_path: Path) -> None:
    crawl_sites(list(path_to_sites(site_file[0]).values()), db_path=tmp_path / "store.db")
    rate = 8.0
    for alias in ("main", "files"):
        arrivals = sorted(h.at for h in server.hits_for(alias))
        assert len(arrivals) >= 4
        gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
        # starts are spaced by 1/rate from the moment a request is on the wire; allow 30 ms
        # for the server's threads to be scheduled on a busy machine
        assert min(gaps) >= 1 / rate - 0.03, (alias, gaps)
        assert server.max_in_flight[alias] <= 2


def test_cli_crawl_site_report_and_sites_listing(server: FixtureServer, site_file: tuple[Path, dict[str, Any]],
                                                 tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    result = runner.invoke(main, ["crawl", "--site", "fixture", "--config", str(site_file[0]), "--db", str(db)])
    assert result.exit_code == 1, result.output  # some pages failed: exit 1, each on stderr
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("fixture (run 1): fetched ") and "new documents 5" in first_line
    assert "errors 5" in first_line and "errors by kind:" in result.stdout
    assert "error: " + server.url("main", "/art/2024/broken.html") in result.stderr

    listing = runner.invoke(main, ["sites", "--config", str(site_file[0]), "--db", str(db), "--format", "json"])
    assert listing.exit_code == 0, listing.output
    (row,) = json.loads(listing.stdout)
    assert row["site"] == "fixture" and row["last_status"] == "finished" and row["errors"] == 5
    assert row["notices"] == 8 and row["attachments"] == 4 and row["listed_first_page"] == 5
    assert 0 < row["error_rate"] < 1


def test_cli_crawl_start_url_with_link_pattern_and_max_pages(server: FixtureServer,
                                                             site_file: tuple[Path, dict[str, Any]],
                                                             tmp_path: Path) -> None:
    db = tmp_path / "adhoc.db"
    start = server.url("main", "/list/index.html")
    result = CliRunner().invoke(main, ["crawl", start, "--link-pattern", r"/art/2024/n\d\.html$", "--max-pages", "3",
                                       "--db", str(db), "--json", "--progress"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["site"] == "adhoc:" + server.netloc("main")
    assert report["fetched"] == 3 and report["new_documents"] == 2  # listing + n1 + n2; attachments left queued
    assert report["pending"] >= 1
    progress = [line for line in result.stderr.splitlines() if line.startswith("[adhoc:")]
    assert len(progress) == 3 and "fetched 3" in progress[-1]  # one counter line per page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "exactly one of"),
        (["http://127.0.0.2/", "--site", "x"], "exactly one of"),
        (["--site", "nope"], "no site named nope"),
        (["--site", "fixture", "--link-pattern", "x"], "--link-pattern goes with START_URL"),
    ],
)
def test_cli_usage_errors_exit_2(site_file: tuple[Path, dict[str, Any]], args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["crawl", *args, "--config", str(site_file[0])])
    assert result.exit_code == 2 and message in result.output


def test_stop_at_seen_ignores_pinned_old_notices(server: FixtureServer, tmp_path: Path) -> None:
    from crawl_fixture_site import Route, listing_html, notice_html

    def publish(new: list[int]) -> None:
        # a pinned old notice on top, then the newest first, 3 per page
        order = [0, *new, *range(9, 0, -1)]
        pages = [order[i:i + 3] for i in range(0, len(order), 3)]
        for p, chunk in enumerate(pages):
            name = "index.html" if p == 0 else f"index_{p}.html"
            nxt = f"index_{p + 1}.html" if p + 1 < len(pages) else None
            items = [(f"/art/{n}.html", f"城乡居民医保通知{n}") for n in chunk]
            server.add("main", f"/list/{name}", Route(listing_html(items, nxt).encode("gbk"), content_type="text/html"))
        for n in order:
            server.add("main", f"/art/{n}.html", Route(notice_html(amount=100 + n).encode("gbk"), content_type="text/html"))

    publish([])
    path = tmp_path / "pinned.toml"
    path.write_text(f'name = "pinned"\nstart = ["{server.url("main", "/list/index.html")}"]\n'
                    '[detail]\nlink_pattern = "/art/"\n[politeness]\nrate = 50\n', encoding="utf-8")
    sites = list(path_to_sites(path).values())
    db = tmp_path / "pinned.db"
    (first,) = crawl_sites(sites, db_path=db)
    assert first.new_documents == 10
    publish([13, 12, 11, 10])  # four new notices: they fill page 0 and spill onto page 1
    (second,) = crawl_sites(sites, db_path=db)
    assert second.new_documents == 4  # the pinned notice 0 did not stop paging on page 0
    assert len(server.hits_for("main", "/list/index_2.html")) == 1  # page 2 holds only seen notices


def test_listing_links_straight_to_files(server: FixtureServer, tmp_path: Path) -> None:
    from crawl_fixture_site import Route, listing_html, pdf_bytes

    server.add("main", "/list/index.html", Route(listing_html([
        ("/upload/notice.pdf", "城乡居民医保缴费通知"), ("/upload/form.wps", "城乡居民医保申报表"),
    ]).encode("gbk"), content_type="text/html"))
    octet = "application/octet-stream"  # what many gov servers send for every file
    server.add("main", "/upload/notice.pdf", Route(pdf_bytes("2024年度城乡居民医保个人缴费标准为每人每年380元。"),
                                                   content_type=octet))
    server.add("main", "/upload/form.wps", Route(b"\xd0\xcf\x11\xe0" + b"\0" * 500, content_type=octet))
    path = tmp_path / "files.toml"
    path.write_text(f'name = "files"\nstart = ["{server.url("main", "/list/index.html")}"]\n'
                    '[detail]\nlink_pattern = "/upload/"\n[politeness]\nrate = 50\n', encoding="utf-8")
    db = tmp_path / "files.db"
    (report,) = crawl_sites(list(path_to_sites(path).values()), db_path=db)
    assert report.new_documents == 1 and report.unreadable == 1 and not report.errors
    assert _rows(db, "SELECT format FROM documents") == [("pdf",)]
    assert _status(db, "/upload/form.wps")[:2] == ("unreadable", 200)
