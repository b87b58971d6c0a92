"""ingest.crawl: scheduled, polite crawls of notice sites into raw captures and the store."""

from .sites import SiteConfig, load_sites

__all__ = ["SiteConfig", "load_sites"]
