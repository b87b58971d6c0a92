"""Plain-text notices: decode (UTF-8 / UTF-16 BOM / GB18030 / Big5) and keep the text as written."""

from __future__ import annotations

import hashlib

from extractors.contract import ParsedDocument

from .encoding import bytes_to_text
from .errors import EmptyDocument

__all__ = ["txt_to_parsed"]


def txt_to_parsed(raw: bytes, *, source: str, charset: str | None = None) -> ParsedDocument:
    """A ParsedDocument whose text is the file's text (newlines normalised, controls dropped).

    ``charset`` is a declared label (e.g. from a Content-Type header); detection still checks it.
    """
    decoded = bytes_to_text(raw, source=source, declared=[(charset, "header")] if charset else ())
    if not decoded.text.strip():
        raise EmptyDocument(source)
    title = next((line.strip() for line in decoded.text.splitlines() if line.strip()), None)
    return ParsedDocument(
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        format="txt",
        text=decoded.text,
        encoding=decoded.encoding,
        title_hint=title if title and len(title) <= 100 else None,  # a one-line file has no title line
        flags=list(decoded.flags),
    )
