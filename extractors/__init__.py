"""extractors: pure text → facts → rules (no I/O). See extract.parsed_to_extraction.

The spaCy side is imported on first use of ``parsed_to_extraction``, so that rulestore and
review_ui, which import only ``extractors.contract`` and ``extractors.regions``, never load it.
"""

from typing import Any

from .contract import Extraction, Fact, NoticeDocument, ParsedDocument, Region, Rule
from .version import EXTRACTOR_VERSION

__all__ = [
    "EXTRACTOR_VERSION",
    "Extraction",
    "Fact",
    "NoticeDocument",
    "ParsedDocument",
    "Region",
    "Rule",
    "parsed_to_extraction",
]


def __getattr__(name: str) -> Any:  # PEP 562: lazy import of the spaCy pipeline
    if name == "parsed_to_extraction":
        from .extract import parsed_to_extraction

        return parsed_to_extraction
    raise AttributeError(f"module 'extractors' has no attribute {name!r}")
