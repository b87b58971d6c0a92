"""ingest.crawl: scheduled, polite crawls of notice sites into raw captures and the store.

    >>> from ingest.crawl import crawl_sites, load_sites                       # doctest: +SKIP
    >>> crawl_sites([load_sites()["jilin-ybj"]], db_path="noticerules.db")    # doctest: +SKIP
"""

from .crawler import crawl_sites, site_to_store
from .report import SiteReport, report_to_text
from .schedule import run_schedule
from .sites import SiteConfig, load_sites

__all__ = [
    "SiteConfig",
    "SiteReport",
    "crawl_sites",
    "load_sites",
    "report_to_text",
    "run_schedule",
    "site_to_store",
]
