"""extractors: pure text → facts → rules (no I/O). See extract.parsed_to_extraction."""

from .contract import Extraction, Fact, NoticeDocument, ParsedDocument, Region, Rule
from .extract import parsed_to_extraction
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
