"""Turn a local path or http(s) URL into a ParsedDocument (the text that fact offsets refer to).

Format is chosen by unambiguous magic bytes (%PDF, a zip holding word/document.xml), then the
Content-Type, then the extension, then sniffing for HTML; see ``bytes_to_format``.

    >>> bytes_to_parsed("居民医保".encode("utf-8"), source="a.txt").text
    '居民医保'
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from extractors.contract import ParsedDocument

from .docx import docx_to_parsed
from .encoding import charset_from_content_type
from .errors import (
    DocxParseError,
    EmptyDocument,
    InputNotFound,
    InputTooLarge,
    InputUnreadable,
    PdfParseError,
    UnsupportedFormat,
)
from .fetch import is_url, url_to_fetched
from .html import html_to_parsed
from .pdf import pdf_to_parsed
from .settings import Settings, settings_from_env
from .txt import txt_to_parsed

__all__ = ["bytes_to_format", "bytes_to_parsed", "source_to_parsed"]

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".jsp": "html",
    ".asp": "html", ".aspx": "html", ".php": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_MIME = {
    "text/plain": "txt",
    "text/html": "html", "application/xhtml+xml": "html",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# Formats we recognise but cannot read, with the fix to suggest.
_KNOWN_UNSUPPORTED = {
    b"\xd0\xcf\x11\xe0": "legacy .doc/.xls (OLE2); save it as .docx",
    b"Rar!": "RAR archive; unpack it first",
    b"\x89PNG": "PNG image; OCR it first",
    b"\xff\xd8\xff": "JPEG image; OCR it first",
    b"GIF8": "GIF image",
    b"{\\rtf": "RTF; save it as .docx",
}
_HTML_SNIFF = re.compile(rb"^(\xef\xbb\xbf)?\s*(<!--.*?-->\s*)*(<\?xml[^>]*>\s*)?<(!doctype\s+html|html|head|body|meta|title)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def _is_docx(raw: bytes) -> bool:
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def bytes_to_format(raw: bytes, *, source: str, content_type: str | None = None) -> str:
    """'txt' / 'html' / 'pdf' / 'docx' for these bytes, or UnsupportedFormat naming the source.

    Magic bytes win over labels: gov download links often serve a PDF as text/html or
    application/octet-stream, and a .htm link may hold a PDF.
    """
    head = raw[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if _is_docx(raw):
        return "docx"
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _MIME:
        return _MIME[mime]
    path = urlsplit(source).path if "://" in source else source
    ext = os.path.splitext(path)[1].lower()
    if ext in _EXTENSIONS:
        wanted = _EXTENSIONS[ext]
        # the magic check above failed: the file is not what its name says
        if wanted == "pdf":
            raise PdfParseError(source, "no %PDF- header, so it is not a PDF; check the download")
        if wanted == "docx":
            raise DocxParseError(source, "not a zip holding word/document.xml")
        return wanted
    for magic, what in _KNOWN_UNSUPPORTED.items():
        if head.startswith(magic):
            raise UnsupportedFormat(source, what)
    if _HTML_SNIFF.match(head):
        return "html"
    if mime.startswith("text/") or (is_url(source) and not ext):
        return "txt"
    raise UnsupportedFormat(source, ext or mime or "no extension")


def bytes_to_parsed(raw: bytes, *, source: str, content_type: str | None = None) -> ParsedDocument:
    """Parse raw bytes; the format comes from magic bytes, content_type, the extension, sniffing."""
    if not raw.strip():
        raise EmptyDocument(source)
    fmt = bytes_to_format(raw, source=source, content_type=content_type)
    charset = charset_from_content_type(content_type)
    if fmt == "pdf":
        return pdf_to_parsed(raw, source=source)
    if fmt == "docx":
        return docx_to_parsed(raw, source=source)
    if fmt == "html":
        return html_to_parsed(raw, source=source, charset=charset)
    return txt_to_parsed(raw, source=source, charset=charset)


def _read_path(source: str, settings: Settings) -> bytes:
    path = Path(source)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputNotFound(source) from None
    except OSError as exc:
        raise InputUnreadable(source, exc.strerror or str(exc)) from None
    if path.is_dir():
        raise InputUnreadable(source, "it is a directory; pass the files in it (e.g. DIR/*.html)")
    # Checked from stat, before reading a byte; then bounded while reading (files can grow).
    if st.st_size > settings.max_bytes:
        raise InputTooLarge(source, st.st_size, settings.max_bytes)
    try:
        with path.open("rb") as fh:
            raw = fh.read(settings.max_bytes + 1)
    except OSError as exc:
        raise InputUnreadable(source, exc.strerror or str(exc)) from None
    if len(raw) > settings.max_bytes:
        raise InputTooLarge(source, len(raw), settings.max_bytes)
    return raw


def source_to_parsed(source: str, *, settings: Settings | None = None) -> ParsedDocument:
    """Read a path or http(s) URL and parse it. Raises an IngestError naming the source."""
    settings = settings or settings_from_env()
    content_type: str | None = None
    if is_url(source):
        fetched = url_to_fetched(source, settings=settings)
        raw, content_type = fetched.raw, fetched.content_type
    elif "://" in source:
        raise UnsupportedFormat(source, f"{urlsplit(source).scheme}:// URL (only http and https)")
    else:
        raw = _read_path(source, settings)
    try:
        return bytes_to_parsed(raw, source=source, content_type=content_type)
    except RecursionError:
        # pathologically nested markup; name the input instead of a bare traceback
        raise InputUnreadable(source, "nesting too deep to parse") from None
