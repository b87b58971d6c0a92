"""PLACEHOLDER (issue 2 item 6): document fields (title, doc_number, published, issuers, region …)."""

from __future__ import annotations

from .contract import Fact, NoticeDocument, ParsedDocument
from .normalise import Normalised

__all__ = ["parsed_to_document"]


def parsed_to_document(parsed: ParsedDocument, norm: Normalised, facts: list[Fact]) -> NoticeDocument:
    return NoticeDocument(source=parsed.source, sha256=parsed.sha256, format=parsed.format,
                          encoding=parsed.encoding, flags=list(parsed.flags))
