"""Turn a local path or URL into a ParsedDocument (text that fact offsets refer to).

PLACEHOLDER: owned by the parsing work (issue 2, item 3); the signatures are fixed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.contract import ParsedDocument

from .errors import InputNotFound

__all__ = ["bytes_to_parsed", "source_to_parsed"]


def bytes_to_parsed(raw: bytes, *, source: str, content_type: str | None = None) -> ParsedDocument:
    """Parse raw bytes; the format comes from content_type, then the source's extension, then sniffing."""
    text = raw.decode("utf-8", errors="replace")
    return ParsedDocument(source=source, sha256=hashlib.sha256(raw).hexdigest(), format="txt", text=text)


def source_to_parsed(source: str) -> ParsedDocument:
    """Read a path or http(s) URL and parse it. Raises an IngestError naming the source."""
    path = Path(source)
    if not path.exists():
        raise InputNotFound(source)
    return bytes_to_parsed(path.read_bytes(), source=source)
