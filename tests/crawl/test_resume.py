"""A crawl killed with SIGKILL mid-run resumes on the next run: no duplicates, nothing lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from crawl_fixture_site import FixtureServer, Route, listing_html, notice_html

from ingest.crawl.crawler import crawl_sites
from ingest.crawl.sites import path_to_sites

REPO = Path(__file__).resolve().parents[2]
PAGES = 3
PER_PAGE = 8


def _build(server: FixtureServer, tmp_path: Path) -> Path:
    for p in range(PAGES):
        items = [(f"/art/{p}-{i}.html", f"城乡居民医保通知{p}-{i}") for i in range(PER_PAGE)]
        name = "index.html" if p == 0 else f"index_{p}.html"
        nxt = f"index_{p + 1}.html" if p + 1 < PAGES else None
        server.add("main", f"/list/{name}", Route(listing_html(items, nxt).encode("gbk"), content_type="text/html"))
        for i in range(PER_PAGE):
            body = notice_html(title=f"城乡居民医保通知{p}-{i}", amount=300 + p * PER_PAGE + i).encode("gbk")
            server.add("main", f"/art/{p}-{i}.html", Route(body, content_type="text/html", delay=0.05))
    path = tmp_path / "resume.toml"
    path.write_text(f"""
name = "resume"
start = ["{server.url('main', '/list/index.html')}"]
revisit = false          # done pages are not re-checked: the resumed run fetches only what is left
[detail]
link_pattern = "/art/"
[politeness]
rate = 10
host_concurrency = 1
timeout = 5
""", encoding="utf-8")
    return path


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_sigkill_mid_crawl_then_resume(server: FixtureServer, tmp_path: Path) -> None:
    config = _build(server, tmp_path)
    db = tmp_path / "store.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "crawl", "--site", "resume", "--config", str(config), "--db", str(db)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while _count(db, "SELECT COUNT(*) FROM crawl_urls WHERE kind = 'detail' AND status = 'done'") < 6:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited"
            assert time.monotonic() < deadline, "the crawl made no progress"
            time.sleep(0.05)
    finally:
        proc.kill()  # SIGKILL: no cleanup, no finally blocks in the child
        proc.wait()
    total = PAGES * PER_PAGE
    done_before = _count(db, "SELECT COUNT(*) FROM crawl_urls WHERE kind = 'detail' AND status = 'done'")
    assert 6 <= done_before < total, "kill the crawl mid-run, not after it"
    assert _count(db, "SELECT COUNT(*) FROM crawl_runs WHERE status = 'running'") == 1

    (report,) = crawl_sites(list(path_to_sites(config).values()), db_path=db)
    assert report.resumed_from == 1 and not report.errors, report

    # nothing lost: every notice on every listing page is stored, exactly once
    sources = [f"{server.url('main', f'/art/{p}-{i}.html')}" for p in range(PAGES) for i in range(PER_PAGE)]
    conn = sqlite3.connect(db)
    try:
        per_source = dict(conn.execute("SELECT source, COUNT(*) FROM documents GROUP BY source").fetchall())
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM crawl_urls GROUP BY status").fetchall())
        runs = conn.execute("SELECT id, status FROM crawl_runs ORDER BY id").fetchall()
    finally:
        conn.close()
    assert {s: per_source.get(s) for s in sources} == {s: 1 for s in sources}
    assert statuses == {"done": total + PAGES}
    assert runs == [(1, "interrupted"), (2, "finished")]
    assert report.new_documents == total - done_before

    # no duplicate work: a notice is fetched again only if it was in flight when killed
    refetched = [s for s in sources if len(server.hits_for("main", s.split(server.netloc("main"))[1])) > 1]
    assert len(refetched) <= 1  # host_concurrency = 1


def test_a_second_process_on_the_same_site_is_refused(server: FixtureServer, tmp_path: Path) -> None:
    config = _build(server, tmp_path)
    db = tmp_path / "store.db"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        conn = sqlite3.connect(db)
        from ingest.crawl.state import CrawlState

        CrawlState(conn)  # creates the tables
        conn.execute("INSERT INTO crawl_runs (site, started_at, pid) VALUES ('resume', '2026-01-01T00:00:00+00:00', ?)",
                     (sleeper.pid,))
        conn.commit()
        conn.close()
        (busy,) = crawl_sites(list(path_to_sites(config).values()), db_path=db)
        assert busy.fetched == 0 and "being crawled by process" in busy.errors[0][1]
        assert server.hits_for("main") == []
    finally:
        sleeper.kill()
        sleeper.wait()
    (resumed,) = crawl_sites(list(path_to_sites(config).values()), db_path=db)  # its process is gone: resume
    assert resumed.resumed_from == 1 and resumed.new_documents == PAGES * PER_PAGE
