"""Fetch one http(s) URL with httpx: timeouts, a size limit enforced while streaming, a named user agent.

The polite crawler (ingest/crawl*) adds robots.txt and delays on top; this is the single-URL
fetch behind `noticerules extract URL` and `ingest URL`.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

import httpx

from .encoding import charset_from_content_type
from .errors import FetchError, InputTooLarge
from .settings import Settings, settings_from_env

__all__ = ["Fetched", "is_url", "url_to_fetched"]


class Fetched(NamedTuple):
    """A response body with what parsing needs to know about it."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str | None  # the full header value, e.g. "text/html; charset=GBK"
    charset: str | None  # the charset label from that header, as written
    raw: bytes


def is_url(source: str) -> bool:
    """True for http:// and https:// sources (anything else is treated as a path)."""
    return urlsplit(source).scheme.lower() in ("http", "https")


def url_to_fetched(
    url: str, *, settings: Settings | None = None, client: httpx.Client | None = None
) -> Fetched:
    """GET ``url`` and return its body; raise FetchError (naming the url) or InputTooLarge.

    The size limit is checked against Content-Length before reading and again while
    streaming, so a 50 MB response is never held in memory. ``client`` lets a caller (the
    crawler) reuse connections; its own timeouts and headers then apply.
    """
    settings = settings or settings_from_env()
    own_client = client is None
    if client is None:
        client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=True,
            max_redirects=settings.max_redirects,
        )
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(url, f"the server answered {response.reason_phrase or 'an error'}",
                                 status=response.status_code)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.max_bytes:
                raise InputTooLarge(url, int(length), settings.max_bytes)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    raise InputTooLarge(url, size, settings.max_bytes)
                chunks.append(chunk)
            content_type = response.headers.get("Content-Type")
            return Fetched(
                url=url,
                final_url=str(response.url),
                status=response.status_code,
                content_type=content_type,
                charset=charset_from_content_type(content_type),
                raw=b"".join(chunks),
            )
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out ({type(exc).__name__}); the server may be down or slow, "
                              "try again or raise NOTICERULES_READ_TIMEOUT") from None
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {settings.max_redirects} redirects") from None
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL: {exc}") from None
    except httpx.HTTPError as exc:  # connection refused, DNS failure, protocol errors
        reason = str(exc) or type(exc).__name__
        raise FetchError(url, f"no answer ({reason}); check the URL and your network") from None
    finally:
        if own_client:
            client.close()
