"""Raw captures first, then parse → extract → store: the crawl's side of the rule store.

Every HTTP answer with a body is stored content-addressed (``rulestore.capture_to_store``)
before anything parses it, so any rule traces back to the bytes served; a 304 is logged as
a fetch without a body. ``capture_to_outcome`` then runs ``ingest.parse`` and
``extractors.parsed_to_extraction`` (CPU, outside any transaction) and ``store_outcome``
writes the document and its proposed rules (inside the caller's per-page transaction).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from extractors import parsed_to_extraction
from extractors.contract import Extraction
from extractors.normalise import text_to_normalised
from extractors.version import EXTRACTOR_VERSION
from rulestore.db import now_iso
from rulestore.models import Capture, IngestResult
from rulestore.store import capture_to_store, ingest_extraction

from ..encoding import bytes_to_text, charset_from_content_type, charset_from_html_head
from ..parse import bytes_to_parsed
from .fetcher import FetchResult

__all__ = [
    "Outcome",
    "capture_to_outcome",
    "html_bytes_to_text",
    "result_to_capture",
    "result_to_store",
    "store_outcome",
]


@dataclass
class Outcome:
    """A parsed and extracted capture, ready to store (or why it could not be)."""

    capture: Capture
    extraction: Extraction | None = None
    text: str | None = None
    normalised_text: str | None = None  # shown beside ``text`` on the review UI's document page
    error: str | None = None


def result_to_capture(result: FetchResult) -> Capture:
    return Capture(
        content=result.body,
        source=result.url,
        fetched_at=result.fetched_at,
        content_type=result.content_type,
        status=result.status,
        headers=result.headers,
    )


def result_to_store(db: sqlite_utils.Database, result: FetchResult) -> str | None:
    """Store the raw answer (own transaction, committed before parsing); return its sha256.

    A 304 has no body: only the fetch is logged (sha256 NULL), so the store's fetch log
    still shows every request the crawler made for that URL.
    """
    if result.not_modified or (not result.body and result.status != 200):
        db.execute(
            "INSERT INTO fetches (source, sha256, fetched_at, status, headers) VALUES (?, NULL, ?, ?, ?)",
            [result.url, result.fetched_at or now_iso(), result.status,
             json.dumps(result.headers, ensure_ascii=False, sort_keys=True)],
        )
        return None
    sha, _new = capture_to_store(db, result_to_capture(result))
    return sha


def html_bytes_to_text(raw: bytes, *, source: str, content_type: str | None) -> str:
    """Decode an HTML page the way ingest does: header charset, then meta/BOM, then detection."""
    declared: list[tuple[str, str]] = []
    if label := charset_from_content_type(content_type):
        declared.append((label, "header"))
    if label := charset_from_html_head(raw):
        declared.append((label, "meta"))
    return bytes_to_text(raw, source=source, declared=declared).text


def capture_to_outcome(capture: Capture) -> Outcome:
    """Parse and extract one capture; a parse failure becomes ``Outcome.error`` naming the URL."""
    try:
        parsed = bytes_to_parsed(capture.content, source=capture.source, content_type=capture.content_type)
        extraction = parsed_to_extraction(parsed)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl; it is recorded
        message = str(exc) if capture.source in str(exc) else f"{capture.source}: {type(exc).__name__}: {exc}"
        return Outcome(capture, error=message)
    if extraction.document.extractor_version is None:
        extraction.document.extractor_version = EXTRACTOR_VERSION
    return Outcome(capture, extraction=extraction, text=parsed.text,
                   normalised_text=text_to_normalised(parsed.text).text)


def store_outcome(db: sqlite_utils.Database, outcome: Outcome, *, capture_stored: bool = False) -> IngestResult:
    """Store the document and its rules as proposed (joins the caller's transaction).

    ``capture_stored``: the raw bytes are already in the store (``result_to_store``), so the
    document only references them and the fetch is not logged twice. The store decides what
    goes back to review: a rule whose value is unchanged only gains evidence; a new value
    becomes a new proposed version.
    """
    assert outcome.extraction is not None
    capture = None if capture_stored else outcome.capture
    return ingest_extraction(db, outcome.extraction, capture=capture, text=outcome.text,
                             normalised_text=outcome.normalised_text)
