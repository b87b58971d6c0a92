"""One site's crawl run: listing pages → notices → attachments, each stored as it arrives.

For every URL: fetch politely (``Fetcher``), store the raw answer (its own commit, before
any parsing), parse and extract outside any transaction, then in ONE transaction store the
document with its proposed rules, mark the URL done and queue the links it yields. A run
killed at any point leaves pending rows that the next run picks up; storing the same bytes
twice is a no-op in the store, so a page refetched after a kill is not duplicated.

    >>> from ingest.crawl.crawler import crawl_sites                        # doctest: +SKIP
    >>> [r.new_documents for r in crawl_sites([site], db_path="noticerules.db")]  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
import sqlite_utils

from rulestore.db import open_db

from ..errors import FetchError, IngestError
from .attachments import READABLE, attachment_type, content_type_to_attachment, detail_to_attachments
from .captures import capture_to_outcome, html_bytes_to_text, result_to_capture, result_to_store, store_outcome
from .errors import RobotsDisallowed, SiteBusy
from .fetcher import Fetcher, FetchResult
from .frontier import Link, ListingPage, listing_to_page
from .report import SiteReport
from .sites import SiteConfig
from .state import CrawlState, UrlRow

__all__ = ["Progress", "crawl_sites", "site_to_store"]

Progress = Callable[[SiteReport, str, int], None]  # (report so far, url just done, queued)
_T = TypeVar("_T")


class _Run:
    def __init__(
        self,
        site: SiteConfig,
        db: sqlite_utils.Database,
        fetcher: Fetcher,
        *,
        max_pages: int,
        progress: Progress | None,
        should_stop: Callable[[], bool] | None,
        extract: bool = True,
    ) -> None:
        self.site = site
        self.extract = extract
        self.db = db
        self.state = CrawlState(db.conn)
        self.fetcher = fetcher
        self.max_pages = max_pages
        self.progress = progress
        self.should_stop = should_stop or (lambda: False)
        self.run, resumed = self.state.start_run(site.name)
        self.report = SiteReport(site=site.name, run=self.run, resumed_from=resumed)
        # One queue per host, served round-robin and never more tasks per host than its
        # concurrency: a worker slot is not wasted waiting on a busy host's gate.
        self.queues: dict[str, deque[UrlRow]] = {}
        self.host_active: dict[str, int] = {}
        self.started = 0
        # Parsing and extraction run on one worker thread, so the event loop stays free to send
        # requests on time (a blocked loop would bunch requests up at the server). One thread:
        # the spaCy pipeline is used by one caller at a time; SQLite stays on the loop's thread.
        self.cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crawl-parse")

    async def _in_worker(self, fn: Callable[..., _T], *args: object, **kwargs: object) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self.cpu, lambda: fn(*args, **kwargs))

    # -- scheduling -------------------------------------------------------------------

    def _push(self, row: UrlRow | None) -> None:
        if row is not None:
            self.queues.setdefault(urlsplit(row.url).netloc, deque()).append(row)

    def _queued(self) -> int:
        return sum(len(q) for q in self.queues.values())

    def _next(self) -> UrlRow | None:
        per_host = self.site.politeness.host_concurrency
        for host in list(self.queues):
            queue = self.queues[host]
            if queue and self.host_active.get(host, 0) < per_host:
                # rotate: this host goes to the back of the round
                self.queues[host] = self.queues.pop(host)
                return queue.popleft()
        return None

    async def execute(self) -> SiteReport:
        for url in self.site.start:
            self.state.enqueue(self.site.name, url, kind="listing", run=self.run, page_index=0, revisit=True)
        for row in self.state.pending(self.site.name):
            self._push(row)
        active: dict[asyncio.Task[None], str] = {}
        workers = self.site.politeness.global_concurrency
        while True:
            while len(active) < workers and self.started < self.max_pages and not self.should_stop():
                row = self._next()
                if row is None:
                    break
                host = urlsplit(row.url).netloc
                self.host_active[host] = self.host_active.get(host, 0) + 1
                self.started += 1
                active[asyncio.create_task(self._visit(row))] = host
            if not active:
                break
            done, _ = await asyncio.wait(active, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                host = active.pop(task)
                self.host_active[host] -= 1
                task.result()  # _visit records every expected failure; a bug here should surface
        self.report.stopped = self.should_stop()
        self.report.pending = len(self.state.pending(self.site.name))
        if self.started >= self.max_pages and self.report.pending:
            self.report.notes.append(f"max_pages = {self.max_pages} reached; {self.report.pending} URLs left pending")
        for host, note in sorted(self.fetcher.robots_notes.items()):
            if "skipped" in note:
                self.report.notes.append(f"{host}: {note}")
        self.state.finish_run(self.run, self.report.to_dict(), status="interrupted" if self.report.stopped else "finished")
        self.cpu.shutdown(wait=True)
        return self.report

    # -- one URL ---------------------------------------------------------------------

    async def _visit(self, row: UrlRow) -> None:
        try:
            if row.kind == "listing":
                await self._listing(row)
            else:
                await self._document(row)
        except sqlite3.Error:
            raise  # the store itself is failing: stop (the run stays open and resumes later)
        except IngestError as exc:
            self._fail(row, str(exc) if row.url in str(exc) else f"{row.url}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a page we did not foresee: name it, the crawl goes on
            self._fail(row, f"{row.url}: {type(exc).__name__}: {exc}")
        if self.progress is not None:
            self.progress(self.report, row.url, self._queued())

    def _fail(self, row: UrlRow, message: str, *, http_status: int | None = None, status: str = "error") -> None:
        self.state.record(self.site.name, row.url, run=self.run, status=status, http_status=http_status, error=message)
        if status == "error":
            self.report.error(row.url, message)

    async def _fetch(self, row: UrlRow, *, conditional: bool) -> FetchResult | None:
        try:
            result = await self.fetcher.fetch(
                row.url,
                etag=row.etag if conditional and row.sha256 else None,
                last_modified=row.last_modified if conditional and row.sha256 else None,
            )
        except RobotsDisallowed as exc:
            self.report.skipped += 1
            self._fail(row, str(exc), status="skipped")
            return None
        except FetchError as exc:
            self._fail(row, str(exc), http_status=exc.status)
            return None
        except httpx.HTTPError as exc:  # e.g. an invalid URL on a listing page
            self._fail(row, f"{row.url}: {type(exc).__name__}: {exc}")
            return None
        self.report.fetched += 1
        # Raw capture first: committed before anything parses the body.
        result_to_store(self.db, result)
        return result

    async def _listing(self, row: UrlRow) -> None:
        result = await self._fetch(row, conditional=False)  # listings: always the full page, we need its links
        if result is None:
            return
        index = row.page_index or 0
        if not result.ok:
            if index > 0 and result.status in (404, 410):  # past the last page of a url_pattern
                self.state.record(self.site.name, row.url, run=self.run, status="done", http_status=result.status)
                return
            self._fail(row, f"{row.url}: listing page answered HTTP {result.status}", http_status=result.status)
            return
        page = await self._in_worker(_listing_bytes_to_page, result, self.site, index)
        seen = [self.state.seen_before(self.site.name, link.url, self.run) for link in page.items]
        queued: list[UrlRow | None] = []
        pag = self.site.pagination
        with self.state.transaction():
            for link in page.items:
                queued.append(self.state.enqueue(self.site.name, link.url, kind="detail", run=self.run,
                                                 parent=row.url, title=link.text, revisit=self.site.revisit))
            if index == 0:
                self.state.add_listed(self.run, len(page.items))
            go_on = page.next_url and page.items and index + 1 < pag.max_pages
            if go_on and pag.stop_at_seen and seen[-1]:
                # Newest first: when the oldest notice on this page was seen in an earlier run,
                # every later page is older still. (Not any(seen): sites pin old notices on top.)
                go_on = False
            if go_on and page.next_url:
                queued.append(self.state.enqueue(self.site.name, page.next_url, kind="listing", run=self.run,
                                                 parent=row.url, page_index=index + 1, revisit=True))
            self.state.record(self.site.name, row.url, run=self.run, status="done", http_status=result.status,
                              sha256=result.sha256)
        if index == 0:
            self.report.listed += len(page.items)
        for queued_row in queued:
            self._push(queued_row)

    async def _document(self, row: UrlRow) -> None:
        result = await self._fetch(row, conditional=True)
        if result is None:
            return
        site, run = self.site.name, self.run
        if result.not_modified:
            self.report.not_modified += 1
            self.state.record(site, row.url, run=run, status="done", http_status=304)
            return
        if result.status in (404, 410) and row.sha256:
            self.report.gone += 1
            self.state.record(site, row.url, run=run, status="gone", http_status=result.status,
                              error=f"{row.url}: was there before, now HTTP {result.status}")
            return
        if not result.ok:
            self._fail(row, f"{row.url}: HTTP {result.status}", http_status=result.status)
            return
        validators = {"etag": result.headers.get("etag"), "last_modified": result.headers.get("last-modified")}
        sha = result.sha256
        if sha == row.sha256 and (row.document_id is not None or not self.extract):
            self.report.not_modified += 1  # same bytes as last time: nothing to parse
            self.state.record(site, row.url, run=run, status="done", http_status=result.status, **validators)
            return
        # A notice link may point straight at a file; only an attachment's link text is
        # trusted for its type (a notice title may well end in ".doc" on a listing page).
        kind = content_type_to_attachment(result.content_type) or attachment_type(
            result.final_url, (row.title or "") if row.kind == "attachment" else ""
        )
        if kind is not None and kind not in READABLE:
            self.report.unreadable += 1
            self.state.record(site, row.url, run=run, status="unreadable", http_status=result.status, sha256=sha,
                              error=f"{kind}: captured (sha256 {sha[:12]}…) but this format cannot be read here; "
                              "convert it to .docx/.pdf to extract rules", **validators)
            return
        if not self.extract:  # capture-only crawl: the bytes are stored, extraction runs later
            self.report.new_documents += row.sha256 is None
            self.report.changed_documents += row.sha256 is not None
            self.state.record(site, row.url, run=run, status="done", http_status=result.status, sha256=sha,
                              **validators)
            return
        outcome = await self._in_worker(capture_to_outcome, result_to_capture(result))  # outside any transaction
        if outcome.error or outcome.extraction is None:
            self._fail(row, outcome.error or f"{row.url}: nothing extracted", http_status=result.status)
            return
        outcome.extraction.document.sha256 = sha  # the capture already stored is the document's bytes
        links = []
        if kind is None and row.kind != "attachment":
            links = await self._in_worker(_detail_bytes_to_attachments, result, self.site)
        queued: list[UrlRow | None] = []
        with self.state.transaction():
            stored = store_outcome(self.db, outcome, capture_stored=True)
            for link in links:
                queued.append(self.state.enqueue(site, link.url, kind="attachment", run=run, parent=row.url,
                                                 title=link.text, revisit=self.site.revisit))
            self.state.record(site, row.url, run=run, status="done", http_status=result.status, sha256=sha,
                              document_id=stored.document_id, **validators)
        if not stored.skipped:
            if (stored.source_version or 1) > 1:
                self.report.changed_documents += 1
            else:
                self.report.new_documents += 1
            self.report.rules_changed += stored.versions_new
            self.report.rules_corroborated += stored.corroborated
        for queued_row in queued:
            self._push(queued_row)


def _listing_bytes_to_page(result: FetchResult, site: SiteConfig, index: int) -> ListingPage:
    text = html_bytes_to_text(result.body, source=result.url, content_type=result.content_type)
    return listing_to_page(text, site=site, url=result.final_url, index=index)


def _detail_bytes_to_attachments(result: FetchResult, site: SiteConfig) -> list[Link]:
    text = html_bytes_to_text(result.body, source=result.url, content_type=result.content_type)
    return detail_to_attachments(text, site=site, url=result.final_url)


async def site_to_store(
    site: SiteConfig,
    db: sqlite_utils.Database,
    *,
    max_pages: int | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    request_log: dict[str, list[float]] | None = None,
    extract: bool = True,
) -> SiteReport:
    """Crawl one site into the store ``db``; returns its report (failures are in it, not raised).

    ``extract=False`` stores raw captures and crawl state only (no parsing or rules), e.g. to
    measure the crawler itself or to fill captures first and extract later. ``request_log``:
    a dict to fill with every request's send time per host (to measure politeness).
    """
    record = request_log is not None
    async with Fetcher(site.politeness, allowed=site.allows, transport=transport, record=record) as fetcher:
        run = _Run(site, db, fetcher, max_pages=max_pages or site.max_pages, progress=progress,
                   should_stop=should_stop, extract=extract)
        report = await run.execute()
        if request_log is not None and fetcher.request_log is not None:
            request_log.update(fetcher.request_log)
            report.notes.append(_politeness_note(fetcher.request_log, site.politeness.rate))
        return report


def _politeness_note(log: dict[str, list[float]], rate: float) -> str:
    gaps = [b - a for times in log.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    smallest = min(gaps) if gaps else float("inf")
    return f"politeness: {len(log)} hosts, smallest gap between requests to one host {smallest:.3f} s (limit {1 / rate:.3f} s)"


def crawl_sites(
    sites: list[SiteConfig],
    *,
    db_path: str | Path,
    max_pages: int | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[SiteReport]:
    """Crawl each site in turn into the store at ``db_path`` (created and migrated if needed)."""
    db = open_db(db_path)
    try:
        reports = []
        for site in sites:
            if should_stop is not None and should_stop():
                break
            try:
                reports.append(asyncio.run(site_to_store(site, db, max_pages=max_pages, progress=progress,
                                                         should_stop=should_stop)))
            except SiteBusy as exc:  # the other process owns this site's run; the other sites go on
                busy = SiteReport(site=site.name, run=0)
                busy.error(site.name, str(exc))
                reports.append(busy)
        return reports
    finally:
        db.conn.close()
