"""The site registry: one TOML file per notice site, validated strictly with pydantic.

    >>> site = toml_to_site('name = "demo"\\nstart = ["http://127.0.0.1:8000/list/"]', file="demo.toml")
    >>> site.allowed_hosts, site.politeness.rate
    (['127.0.0.1:8000'], 1.0)

Every politeness setting is declared once, in ``Politeness``, with its default and help
text; a site file overrides only what it names.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..settings import Settings as _IngestSettings
from .errors import SiteConfigError

__all__ = [
    "ATTACHMENT_TYPES",
    "Detail",
    "Pagination",
    "Politeness",
    "SiteConfig",
    "adhoc_site",
    "default_config_path",
    "load_sites",
    "path_to_sites",
    "toml_to_site",
]

# File extensions an attachment link may end in, and whether ingest.parse can read them.
ATTACHMENT_TYPES: dict[str, bool] = {
    "pdf": True,
    "docx": True,
    "doc": False,
    "wps": False,
    "xls": False,
    "xlsx": False,
}

# Shared with `noticerules ingest` URL fetching (ingest.settings): one declaration each.
_PROJECT_UA = _IngestSettings.user_agent
_MAX_BYTES = _IngestSettings.max_bytes
_MAX_REDIRECTS = _IngestSettings.max_redirects


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Politeness(_Strict):
    """How hard the crawler may hit a host. The defaults are the only place they are declared."""

    rate: float = Field(1.0, gt=0, le=100, description="requests per second per host (at most)")
    host_concurrency: int = Field(2, ge=1, le=32, description="requests in flight per host")
    global_concurrency: int = Field(16, ge=1, le=1024, description="requests in flight in the whole run")
    timeout: float = Field(20.0, gt=0, le=600, description="seconds to wait for connect/read before a retry")
    retries: int = Field(3, ge=0, le=10, description="retries after a timeout, connection error or 5xx")
    backoff: float = Field(1.0, ge=0, le=120, description="first retry delay in seconds; doubles each retry")
    max_bytes: int = Field(_MAX_BYTES, gt=0, description="largest response body accepted (bytes)")
    max_redirects: int = Field(_MAX_REDIRECTS, ge=0, le=20, description="redirect hops followed (within allowed hosts)")
    user_agent: str = Field(_PROJECT_UA, min_length=8, description="User-Agent; names the project and a contact URL")
    obey_robots: bool = Field(True, description="honour robots.txt (Disallow and Crawl-delay)")


class Pagination(_Strict):
    """How to get from one listing page to the next."""

    next_text: list[str] = Field(
        default_factory=lambda: ["下一页", "下页", "后页", "next", "Next"],
        description="anchor texts of the next-page link",
    )
    next_selector: str | None = Field(None, description="CSS selector of the next-page link (wins over next_text)")
    url_pattern: str | None = Field(
        None,
        description="next pages by URL, e.g. 'index_{n}.html' (relative to the start URL); "
        "used when no next link is found",
    )
    first_n: int = Field(1, ge=0, description="{n} of the second listing page (index.html, index_1.html, …)")
    max_pages: int = Field(20, ge=1, le=10_000, description="listing pages walked per start URL")
    stop_at_seen: bool = Field(
        True, description="stop paging once the last (oldest) notice on a listing page was seen in an earlier run"
    )

    @field_validator("url_pattern")
    @classmethod
    def _has_n(cls, v: str | None) -> str | None:
        if v is not None and "{n}" not in v:
            raise ValueError(f"{v!r} has no '{{n}}' placeholder; write e.g. 'index_{{n}}.html'")
        return v


class Detail(_Strict):
    """Which links on a listing page are notices."""

    link_pattern: str | None = Field(None, description="regex searched in the absolute URL of a link")
    link_selector: str | None = Field(None, description="CSS selector of notice links on a listing page")
    title_keywords: list[str] = Field(
        default_factory=list, description="follow only links whose text has one of these (empty: all)"
    )

    @field_validator("link_pattern")
    @classmethod
    def _compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"{v!r} is not a valid regular expression: {exc}") from None
        return v


class SiteConfig(_Strict):
    """One notice site: where to start, how to page, what to follow, how politely."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description="short unique name")
    title: str | None = None
    start: list[str] = Field(min_length=1, description="listing URLs the crawl starts from")
    allowed_hosts: list[str] = Field(default_factory=list, description="hosts (host or host:port); default: those of start")
    schedule: str | None = Field(None, description="cron expression for `noticerules schedule`, e.g. '0 6 * * *'")
    attachments: list[Literal["pdf", "docx", "doc", "wps", "xls", "xlsx"]] = Field(
        default_factory=lambda: ["pdf", "docx", "doc", "wps", "xls", "xlsx"],
        description="attachment types followed from detail pages",
    )
    max_pages: int = Field(1000, ge=1, description="fetches per run (listing + detail + attachments)")
    revisit: bool = Field(True, description="re-check (conditional GET) notices still listed, to catch changes")
    pagination: Pagination = Field(default_factory=Pagination)
    detail: Detail = Field(default_factory=Detail)
    politeness: Politeness = Field(default_factory=Politeness)

    @field_validator("start")
    @classmethod
    def _http_urls(cls, v: list[str]) -> list[str]:
        for url in v:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{url!r} is not an http(s) URL; write e.g. 'https://example.gov.cn/list/'")
        return v

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        if v is not None and not croniter.is_valid(v):
            raise ValueError(f"{v!r} is not a cron expression; write e.g. '0 6 * * *' (daily at 06:00)")
        return v

    @model_validator(mode="before")
    @classmethod
    def _default_hosts(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("allowed_hosts") and isinstance(data.get("start"), list):
            hosts: list[str] = []
            for url in data["start"]:
                if isinstance(url, str) and (host := urlsplit(url).netloc.lower()) and host not in hosts:
                    hosts.append(host)
            data = {**data, "allowed_hosts": hosts}
        return data

    def allows(self, url: str) -> bool:
        """True when url is http(s) on one of the allowed hosts (host or host:port)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        netloc = parts.netloc.lower().rsplit("@", 1)[-1]
        return netloc in self.allowed_hosts or parts.hostname.lower() in self.allowed_hosts


def _errors_to_message(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown setting; check the spelling (see ingest/sites/*.toml for every setting)"
        lines.append(f"{loc}: {msg}")
    return "; ".join(lines)


def toml_to_site(text: str, *, file: str) -> SiteConfig:
    """Parse and validate one site file's text; errors name the file and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(file, "(syntax)", f"not valid TOML: {exc}") from None
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise SiteConfigError(file, field, _errors_to_message(exc)) from None


def path_to_sites(path: Path) -> dict[str, SiteConfig]:
    """Load a site file or every *.toml in a folder; names must be unique."""
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not path.exists():
        raise SiteConfigError(str(path), "(file)", "no such file or folder; pass --config with a site file or folder")
    sites: dict[str, SiteConfig] = {}
    origin: dict[str, Path] = {}
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SiteConfigError(str(file), "(file)", f"cannot read as UTF-8 text: {exc}") from None
        site = toml_to_site(text, file=str(file))
        if site.name in sites:
            raise SiteConfigError(str(file), "name", f"{site.name!r} is already defined in {origin[site.name]}")
        sites[site.name] = site
        origin[site.name] = file
    return sites


def default_config_path() -> Path:
    """$NOTICERULES_SITES, else ./sites if it exists, else the examples shipped in ingest/sites."""
    import os

    if env := os.environ.get("NOTICERULES_SITES"):
        return Path(env)
    if Path("sites").is_dir():
        return Path("sites")
    return Path(__file__).resolve().parent.parent / "sites"


def load_sites(config: str | Path | None = None) -> dict[str, SiteConfig]:
    """Every site of a config file or folder (default: default_config_path())."""
    return path_to_sites(Path(config) if config is not None else default_config_path())


def adhoc_site(start_url: str, *, link_pattern: str | None = None, max_pages: int | None = None) -> SiteConfig:
    """The site `noticerules crawl START_URL` builds: same host, optional link regex."""
    parts = urlsplit(start_url)
    name = "adhoc:" + (parts.netloc or "invalid")
    data: dict[str, Any] = {"name": name, "start": [start_url], "detail": {"link_pattern": link_pattern}}
    if max_pages is not None:
        data["max_pages"] = max_pages
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        raise SiteConfigError(start_url, "(command line)", _errors_to_message(exc)) from None
