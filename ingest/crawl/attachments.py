"""Attachments: which links on a notice page are files to follow, and which we can read.

PDF and DOCX become documents of their own (tied to their page through the crawl state's
``parent``); DOC, WPS, XLS and XLSX are fetched and captured but recorded ``unreadable``
because ingest.parse has no reader for them here, so they are listed, never dropped.

    >>> attachment_type("http://h/files/附件1.PDF"), attachment_type("http://h/dl?id=7", "申报表.xlsx")
    ('pdf', 'xlsx')
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .frontier import Link, html_to_links
from .sites import SiteConfig

__all__ = ["READABLE", "attachment_type", "content_type_to_attachment", "detail_to_attachments"]

# What ingest.parse.bytes_to_parsed can turn into text.
READABLE = frozenset({"pdf", "docx"})
_KNOWN = ("pdf", "docx", "doc", "wps", "xls", "xlsx")
_EXT = re.compile(r"\.([A-Za-z0-9]{2,5})$")
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.ms-works": "wps",
    "application/kswps": "wps",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def attachment_type(url: str, text: str = "") -> str | None:
    """The attachment type (pdf, docx, doc, wps, xls, xlsx) of a link, from its path, else its text."""
    for candidate in (unquote(urlsplit(url).path), text.strip()):
        m = _EXT.search(candidate)
        if m and m.group(1).lower() in _KNOWN:
            return m.group(1).lower()
    return None


def content_type_to_attachment(content_type: str | None) -> str | None:
    """The attachment type a Content-Type header announces, if it is one of ours."""
    if not content_type:
        return None
    return _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def detail_to_attachments(html: str, *, site: SiteConfig, url: str) -> list[Link]:
    """Links on a notice page to attachment types the site follows, on allowed hosts, once each."""
    wanted = set(site.attachments)
    out: list[Link] = []
    seen: set[str] = set()
    for link in html_to_links(html, url=url):
        kind = attachment_type(link.url, link.text)
        if kind in wanted and link.url not in seen and site.allows(link.url):
            seen.add(link.url)
            out.append(link)
    return out
