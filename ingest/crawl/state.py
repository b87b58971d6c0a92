"""Crawl state in SQLite (the store's file): runs, and every URL a site has shown us.

A URL row goes pending → done / not_modified / error / gone / unreadable / skipped. Each
fetched page is recorded in ONE transaction together with the links it yields, so a crawl
killed at any instant resumes from the pending rows: nothing fetched twice needlessly,
nothing discovered lost. Tables are prefixed ``crawl_`` and created if missing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import SiteBusy

__all__ = ["CrawlState", "UrlRow", "open_state"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',      -- running / finished / interrupted
    listed_first_page INTEGER NOT NULL DEFAULT 0, -- notice links on the first listing page(s)
    pid INTEGER,                                 -- the crawling process (this host), to refuse overlaps
    report TEXT                                  -- JSON of the closing report's numbers
);
CREATE INDEX IF NOT EXISTS crawl_runs_site ON crawl_runs (site, id);
CREATE TABLE IF NOT EXISTS crawl_urls (
    site TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- listing / detail / attachment
    parent TEXT,                        -- the listing (detail) or notice (attachment) that linked it
    title TEXT,                         -- link text
    page_index INTEGER,                 -- listing pages: 0 = a start URL
    status TEXT NOT NULL DEFAULT 'pending',
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,                        -- of the last body fetched
    http_status INTEGER,
    error TEXT,
    document_id INTEGER,                -- the store's document for the last body parsed
    first_run INTEGER NOT NULL,
    last_run INTEGER,                   -- run that last fetched it
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    PRIMARY KEY (site, url)
);
CREATE INDEX IF NOT EXISTS crawl_urls_pending ON crawl_urls (site, status);
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class UrlRow:
    site: str
    url: str
    kind: str
    parent: str | None
    title: str | None
    page_index: int | None
    status: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    first_run: int
    last_run: int | None
    document_id: int | None


class CrawlState:
    """Crawl bookkeeping on one SQLite connection (shared with the store when possible)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.executescript(_SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(crawl_runs)")}
        if "pid" not in columns:  # a store crawled before runs recorded their process
            conn.execute("ALTER TABLE crawl_runs ADD COLUMN pid INTEGER")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested use joins the outer transaction."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    # -- runs -------------------------------------------------------------------

    def start_run(self, site: str) -> tuple[int, int | None]:
        """A new run id, and the id of an interrupted run it resumes (if any).

        Raises SiteBusy when the open run belongs to a process that is still alive (cron
        starting a second crawl of a slow site, or `crawl` beside `schedule`); a run left
        open by a killed process is closed as interrupted and resumed.
        """
        with self.transaction() as c:
            row = c.execute(
                "SELECT id, pid FROM crawl_runs WHERE site = ? AND status = 'running' ORDER BY id DESC LIMIT 1",
                (site,),
            ).fetchone()
            resumed = row[0] if row else None
            if row is not None and row[1] and row[1] != os.getpid() and _alive(row[1]):
                raise SiteBusy(site, row[1])
            if resumed is not None:
                c.execute("UPDATE crawl_runs SET status = 'interrupted' WHERE site = ? AND status = 'running'", (site,))
            cur = c.execute("INSERT INTO crawl_runs (site, started_at, pid) VALUES (?, ?, ?)",
                            (site, _now(), os.getpid()))
            assert cur.lastrowid is not None
            return cur.lastrowid, resumed

    def finish_run(self, run: int, report: dict[str, Any], *, status: str = "finished") -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, report = ? WHERE id = ?",
                (_now(), status, json.dumps(report, ensure_ascii=False), run),
            )

    def add_listed(self, run: int, count: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE crawl_runs SET listed_first_page = listed_first_page + ? WHERE id = ?", (count, run))

    def runs(self, site: str, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs of a site, newest first."""
        rows = self.conn.execute(
            "SELECT id, started_at, finished_at, status, listed_first_page, report FROM crawl_runs "
            "WHERE site = ? ORDER BY id DESC LIMIT ?",
            (site, limit),
        ).fetchall()
        keys = ("id", "started_at", "finished_at", "status", "listed_first_page", "report")
        out = []
        for row in rows:
            d = dict(zip(keys, row, strict=True))
            d["report"] = json.loads(d["report"]) if d["report"] else None
            out.append(d)
        return out

    # -- urls -------------------------------------------------------------------

    def get(self, site: str, url: str) -> UrlRow | None:
        row = self.conn.execute(
            "SELECT site, url, kind, parent, title, page_index, status, etag, last_modified, sha256, first_run, "
            "last_run, document_id FROM crawl_urls WHERE site = ? AND url = ?",
            (site, url),
        ).fetchone()
        return UrlRow(*row) if row else None

    def pending(self, site: str) -> list[UrlRow]:
        """Rows still to fetch, listings first, in discovery order."""
        rows = self.conn.execute(
            "SELECT site, url, kind, parent, title, page_index, status, etag, last_modified, sha256, first_run, "
            "last_run, document_id FROM crawl_urls WHERE site = ? AND status = 'pending' "
            "ORDER BY kind = 'listing' DESC, rowid",
            (site,),
        ).fetchall()
        return [UrlRow(*r) for r in rows]

    def enqueue(
        self,
        site: str,
        url: str,
        *,
        kind: str,
        run: int,
        parent: str | None = None,
        title: str | None = None,
        page_index: int | None = None,
        revisit: bool = True,
    ) -> UrlRow | None:
        """Queue url unless this run already has it; returns the row when newly queued.

        A URL seen in an earlier run is queued again when ``revisit`` (to catch changes
        by conditional GET) or when its last attempt failed.
        """
        with self.transaction() as c:
            existing = self.get(site, url)
            if existing is None:
                c.execute(
                    "INSERT INTO crawl_urls (site, url, kind, parent, title, page_index, status, first_run, "
                    "first_seen) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                    (site, url, kind, parent, title, page_index, run, _now()),
                )
            elif existing.status == "pending" or existing.last_run == run or existing.first_run == run:
                return None
            elif revisit or existing.status in ("error",):
                c.execute(
                    "UPDATE crawl_urls SET status = 'pending', page_index = COALESCE(?, page_index), "
                    "title = COALESCE(?, title) WHERE site = ? AND url = ?",
                    (page_index, title, site, url),
                )
            else:
                return None
            return self.get(site, url)

    def record(
        self,
        site: str,
        url: str,
        *,
        run: int,
        status: str,
        http_status: int | None = None,
        sha256: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        document_id: int | None = None,
    ) -> None:
        """What one fetch of url came to; validators (etag, sha256, document) are kept when not given."""
        with self.transaction() as c:
            c.execute(
                "UPDATE crawl_urls SET status = ?, http_status = ?, sha256 = COALESCE(?, sha256), "
                "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), error = ?, "
                "document_id = COALESCE(?, document_id), last_run = ?, last_fetched = ? WHERE site = ? AND url = ?",
                (status, http_status, sha256, etag, last_modified, error, document_id, run, _now(), site, url),
            )

    def seen_before(self, site: str, url: str, run: int) -> bool:
        """True when url was first seen in an earlier run (the "stop paging" test)."""
        row = self.get(site, url)
        return row is not None and row.first_run < run

    def counts(self, site: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT kind || ':' || status, COUNT(*) FROM crawl_urls WHERE site = ? GROUP BY 1", (site,)
        ).fetchall()
        return {k: n for k, n in rows}


def open_state(path: str) -> CrawlState:
    """Open (and create) the crawl tables in the SQLite file at path."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return CrawlState(conn)
