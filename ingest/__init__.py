"""ingest: reading, fetching, parsing, crawling and the noticerules CLI (the I/O side).

    >>> from ingest import source_to_parsed          # doctest: +SKIP
    >>> source_to_parsed("corpus/seeds/004_dc74051e39256895.txt").format
    'txt'

The store pipeline (``ingest.pipeline``), the crawler (``ingest.crawl``) and the CLI
(``ingest.cli``) are imported from their modules.
"""

from .errors import IngestError
from .parse import bytes_to_parsed, source_to_parsed

__all__ = ["IngestError", "bytes_to_parsed", "source_to_parsed"]
