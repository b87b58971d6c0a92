"""Crawl errors; each extends the ingest hierarchy and carries the URL or file it is about.

    IngestError(input)                       (ingest.errors)
    ├── SiteConfigError(file, field)         a site file that does not validate
    ├── SiteBusy(pid)                        another live process is crawling that site
    └── FetchError(status)                   (ingest.errors)
        ├── RobotsDisallowed                 robots.txt forbids the URL
        ├── ForeignRedirect(location)        a redirect leaving the allowed hosts
        ├── ResponseTooLarge(limit)          body over politeness.max_bytes (checked while streaming)
        └── FetchTimeout                     no answer in time, after every retry
"""

from __future__ import annotations

from ..errors import FetchError, IngestError

__all__ = ["FetchTimeout", "ForeignRedirect", "ResponseTooLarge", "RobotsDisallowed", "SiteBusy", "SiteConfigError"]


class SiteConfigError(IngestError):
    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(file, f"{field}: {message}" if not message.startswith(field + ":") else message)
        self.file = file
        self.field = field


class SiteBusy(IngestError):
    def __init__(self, site: str, pid: int) -> None:
        super().__init__(site, f"is being crawled by process {pid} (run still open); wait for it, or stop it "
                         "and run again to resume")
        self.pid = pid


class RobotsDisallowed(FetchError):
    def __init__(self, url: str) -> None:
        super().__init__(url, "disallowed by robots.txt; remove it from the site config or ask the site")


class ForeignRedirect(FetchError):
    def __init__(self, url: str, location: str, status: int) -> None:
        super().__init__(
            url, f"redirects to {location!r}, outside allowed_hosts; add that host to the site's allowed_hosts "
            "if it is the same publisher", status
        )
        self.location = location


class ResponseTooLarge(FetchError):
    def __init__(self, url: str, limit: int, size: int | None = None) -> None:
        size_text = f"{size:,} bytes" if size is not None else "the body"
        super().__init__(url, f"{size_text} exceeds politeness.max_bytes = {limit:,}; raise it for this site if genuine")
        self.limit = limit
        self.size = size


class FetchTimeout(FetchError):
    def __init__(self, url: str, seconds: float, attempts: int) -> None:
        super().__init__(url, f"no answer within {seconds:g} s after {attempts} attempts; raise politeness.timeout "
                         "or try later")
        self.seconds = seconds
        self.attempts = attempts
