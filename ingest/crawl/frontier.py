"""What to fetch next: notice links and the next page on a listing page, attachments on a notice.

Pure functions over decoded HTML; the crawler decides what is new.

    >>> from ingest.crawl.sites import toml_to_site
    >>> site = toml_to_site('name="d"\\nstart=["http://h/list/index.html"]\\n'
    ...                     '[detail]\\nlink_pattern="/art/"', file="d.toml")
    >>> page = listing_to_page('<a href="/art/1.html">通知</a><a href="index_1.html">下一页</a>',
    ...                        site=site, url="http://h/list/index.html", index=0)
    >>> [l.url for l in page.items], page.next_url
    (['http://h/art/1.html'], 'http://h/list/index_1.html')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import Tag

from .sites import SiteConfig

__all__ = ["Link", "ListingPage", "html_to_links", "listing_to_page"]


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass
class ListingPage:
    items: list[Link] = field(default_factory=list)  # notice links, in page order
    next_url: str | None = None


def _soup(html: str) -> BeautifulSoup:
    # html.parser on a decoded str: no encoding guessing by bs4 (see pitfalls.md on GBK + lxml).
    return BeautifulSoup(html, "html.parser")


def _base(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return urljoin(url, str(base["href"])) if isinstance(base, Tag) else url


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url, _frag = urldefrag(urljoin(base, href))
    return url if urlsplit(url).scheme in ("http", "https") else None


def _link_text(a: Tag) -> str:
    text = " ".join(a.get_text(" ", strip=True).split())
    title = a.get("title")
    # Listing pages often cut long titles ("关于做好2024年度…") and keep the full one in @title.
    if isinstance(title, str) and len(title.strip()) > len(text):
        return title.strip()
    return text


def _anchors(soup: BeautifulSoup | Tag, base: str, selector: str | None = None) -> list[Link]:
    found = soup.select(selector) if selector else soup.find_all("a", href=True)
    links: list[Link] = []
    for node in found:
        a = node if node.name == "a" else node.find("a", href=True)
        if not isinstance(a, Tag) or not a.get("href"):
            continue
        url = _absolute(base, str(a["href"]))
        if url:
            links.append(Link(url, _link_text(a)))
    return links


def html_to_links(html: str, *, url: str) -> list[Link]:
    """Every http(s) link of a page, absolute, without fragments, with its text."""
    soup = _soup(html)
    return _anchors(soup, _base(soup, url))


def _next_url(soup: BeautifulSoup, site: SiteConfig, base: str, url: str, index: int) -> str | None:
    pag = site.pagination
    if pag.next_selector:
        links = _anchors(soup, base, pag.next_selector)
        return links[0].url if links and links[0].url != url else None
    for link in _anchors(soup, base):
        if link.url != url and any(word in link.text for word in pag.next_text):
            return link.url
    if pag.url_pattern:
        start = next((s for s in site.start if url.startswith(s.rsplit("/", 1)[0])), site.start[0])
        return urljoin(start, pag.url_pattern.format(n=pag.first_n + index))
    return None


def listing_to_page(html: str, *, site: SiteConfig, url: str, index: int) -> ListingPage:
    """Notice links and the next listing page of listing page number ``index`` (0 = start URL)."""
    soup = _soup(html)
    base = _base(soup, url)
    next_url = _next_url(soup, site, base, url, index)
    detail = site.detail
    candidates = _anchors(soup, base, detail.link_selector)
    pattern = re.compile(detail.link_pattern) if detail.link_pattern else None
    skip = {url, next_url, *site.start}
    items: list[Link] = []
    seen: set[str] = set()
    for link in candidates:
        if link.url in skip or link.url in seen or not site.allows(link.url):
            continue
        if pattern is not None and not pattern.search(link.url):
            continue
        if detail.title_keywords and not any(k in link.text for k in detail.title_keywords):
            continue
        if pattern is None and detail.link_selector is None and any(w in link.text for w in site.pagination.next_text):
            continue  # without a pattern, at least do not mistake paging links for notices
        seen.add(link.url)
        items.append(link)
    if next_url is not None and not site.allows(next_url):
        next_url = None
    return ListingPage(items=items, next_url=next_url)
