"""Plain-text notices: decode (UTF-8 / UTF-16 BOM / GB18030 / Big5) and keep the text as written."""

from __future__ import annotations

import hashlib
import re

from extractors.contract import ParsedDocument

from .encoding import bytes_to_text
from .errors import EmptyDocument
from .html import lines_to_meta
from .selectors import META_KEYS, NOISE_LINES

__all__ = ["txt_to_parsed"]

# "来源：…", "发布日期：…" lines head many saved pages; they are not the title.
_META_LINE = re.compile(r"^(%s)\s*[:：]" % "|".join(map(re.escape, META_KEYS)))


def _is_title_candidate(line: str) -> bool:
    return "|" not in line and not _META_LINE.match(line) and not any(p.match(line) for p in NOISE_LINES)


def txt_to_parsed(raw: bytes, *, source: str, charset: str | None = None) -> ParsedDocument:
    """A ParsedDocument whose text is the file's text (newlines normalised, controls dropped).

    ``charset`` is a declared label (e.g. from a Content-Type header); detection still checks it.
    """
    decoded = bytes_to_text(raw, source=source, declared=[(charset, "header")] if charset else ())
    if not decoded.text.strip():
        raise EmptyDocument(source)
    lines = [line.strip() for line in decoded.text.splitlines() if line.strip()]
    # the first line that is not page furniture (a saved page may start with breadcrumbs)
    meta = lines_to_meta(lines)
    title = meta.get("标题") or meta.get("標題") or next(
        (line for line in lines[:10] if _is_title_candidate(line)), None)
    return ParsedDocument(
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        format="txt",
        text=decoded.text,
        encoding=decoded.encoding,
        title_hint=title if title and len(title) <= 100 else None,  # a one-line file has no title line
        meta=meta,
        flags=list(decoded.flags),
    )
