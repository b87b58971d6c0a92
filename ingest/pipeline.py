"""`noticerules ingest`: source → capture → parse → extract → rulestore, one transaction per input.

    >>> from ingest.pipeline import sources_to_store
    >>> report = sources_to_store(["corpus/seeds/004_dc74051e39256895.txt"], db_path="x.db")  # doctest: +SKIP

Each input is read once (raw bytes kept as the capture), parsed with
``ingest.parse.bytes_to_parsed``, extracted with ``extractors.parsed_to_extraction`` and stored
(with the normalised text, ``extractors.normalise``, for the review UI's document page)
with ``rulestore.store.ingest_extraction`` in one transaction: a killed run leaves every input
either fully stored or not at all, and the next run skips what is already stored (same bytes,
same extractor version). One input's failure is reported and the run goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from extractors import parsed_to_extraction
from extractors.normalise import text_to_normalised
from extractors.version import EXTRACTOR_VERSION
from rulestore.db import now_iso, open_db
from rulestore.models import Capture, IngestResult
from rulestore.store import ingest_extraction

from .errors import FetchError, InputNotFound, InputTooLarge, IngestError
from .parse import bytes_to_parsed
from .settings import Settings, settings_from_env

__all__ = ["IngestReport", "capture_to_stored", "source_to_capture", "source_to_store", "sources_to_store",
           "store_to_reextracted"]


@dataclass
class IngestReport:
    """What a run did: one result per stored/skipped input, one (source, message) per failure."""

    results: list[IngestResult] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def source_to_capture(source: str, settings: Settings | None = None) -> Capture:
    """Read a local path or fetch an http(s) URL into a :class:`Capture` (raw bytes + provenance)."""
    settings = settings or settings_from_env()
    if _is_url(source):
        import httpx

        try:
            with httpx.Client(headers={"User-Agent": settings.user_agent}, follow_redirects=True,
                              max_redirects=settings.max_redirects, trust_env=False,
                              timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)) as client:
                response = client.get(source)
        except httpx.HTTPError as exc:
            raise FetchError(source, f"{type(exc).__name__}: {exc}") from None
        if response.status_code >= 400:
            raise FetchError(source, "the server answered with an error", response.status_code)
        if len(response.content) > settings.max_bytes:
            raise InputTooLarge(source, len(response.content), settings.max_bytes)
        return Capture(content=response.content, source=source, fetched_at=now_iso(),
                       content_type=response.headers.get("content-type"), status=response.status_code,
                       headers={k.lower(): v for k, v in response.headers.items()})
    path = Path(source)
    if not path.is_file():
        raise InputNotFound(source)
    size = path.stat().st_size
    if size > settings.max_bytes:
        raise InputTooLarge(source, size, settings.max_bytes)
    return Capture(content=path.read_bytes(), source=source, fetched_at=now_iso())


def capture_to_stored(db: sqlite_utils.Database, capture: Capture) -> IngestResult:
    """Parse, extract and store bytes already fetched (the crawler's entry point).

    A no-op (``skipped``) when these bytes went through this extractor version before.
    """
    sha = hashlib.sha256(capture.content).hexdigest()
    # the cheap check first: the same bytes through this extractor are already stored
    row = db.execute("SELECT id, source_version FROM documents WHERE sha256 = ? AND extractor_version = ?",
                     [sha, EXTRACTOR_VERSION]).fetchone()
    if row is not None:
        return IngestResult(source=capture.source, sha256=sha, document_id=row[0], skipped=True, source_version=row[1])
    parsed = bytes_to_parsed(capture.content, source=capture.source, content_type=capture.content_type)
    extraction = parsed_to_extraction(parsed)
    if extraction.document.extractor_version is None:
        extraction.document.extractor_version = EXTRACTOR_VERSION
    return ingest_extraction(db, extraction, capture=capture, text=parsed.text,
                             normalised_text=text_to_normalised(parsed.text).text)


def source_to_store(db: sqlite_utils.Database, source: str, settings: Settings | None = None) -> IngestResult:
    """Capture, parse, extract and store one input; raises IngestError / StoreError naming it."""
    return capture_to_stored(db, source_to_capture(source, settings))


def store_to_reextracted(db: sqlite_utils.Database) -> IngestReport:
    """Run the current extractor over every stored capture it has not seen yet.

    Values the new extractor states again only gain nothing (same capture, same span) or a
    new span; changed values become new proposed versions flagged conflict: only the changes
    go back to review. The capture's original fetch time and headers stay in ``fetches``.
    """
    report = IngestReport()
    rows = db.execute("SELECT c.sha256, c.first_source, c.content_type FROM captures c WHERE EXISTS "
                      "(SELECT 1 FROM documents d WHERE d.sha256 = c.sha256) AND NOT EXISTS "
                      "(SELECT 1 FROM documents d WHERE d.sha256 = c.sha256 AND d.extractor_version = ?) "
                      "ORDER BY c.first_fetched_at", [EXTRACTOR_VERSION]).fetchall()
    for sha, source, content_type in rows:
        (content,) = db.execute("SELECT content FROM captures WHERE sha256 = ?", [sha]).fetchone()
        try:
            parsed = bytes_to_parsed(content, source=source, content_type=content_type)
            extraction = parsed_to_extraction(parsed)
            if extraction.document.extractor_version is None:
                extraction.document.extractor_version = EXTRACTOR_VERSION
            report.results.append(ingest_extraction(db, extraction, text=parsed.text,
                                                    normalised_text=text_to_normalised(parsed.text).text))
        except Exception as exc:  # noqa: BLE001 - one capture's failure is reported, the rest go on
            report.failures.append((source, f"{source}: {type(exc).__name__}: {exc}"))
    return report


def sources_to_store(sources: Iterable[str], *, db_path: str | Path,
                     on_result: Callable[[str, IngestResult | None, str | None], None] | None = None) -> IngestReport:
    """Ingest every source into the store at ``db_path``; failures are collected, not raised.

    ``on_result(source, result, error_message)`` is called after each input (for progress).
    """
    from rulestore.errors import StoreError

    db = open_db(db_path)
    report = IngestReport()
    settings = settings_from_env()
    try:
        for source in sources:
            try:
                result = source_to_store(db, source, settings)
            except (IngestError, StoreError) as exc:
                message = str(exc) if isinstance(exc, IngestError) else f"{source}: {exc}"
                report.failures.append((source, message))
                if on_result:
                    on_result(source, None, message)
                continue
            except Exception as exc:  # noqa: BLE001 - a bug or unforeseen input: name it, go on
                message = f"{source}: {type(exc).__name__}: {exc}"
                report.failures.append((source, message))
                if on_result:
                    on_result(source, None, message)
                continue
            report.results.append(result)
            if on_result:
                on_result(source, result, None)
    finally:
        db.conn.close()
    return report
