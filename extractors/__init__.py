"""extractors: pure text → facts → rules (no I/O). See extract.parsed_to_extraction.

Importing the package does not load spaCy: ``parsed_to_extraction`` imports the pipeline on its
first call, so rulestore and review_ui (which use only ``extractors.contract`` and
``extractors.regions``) and CLI verbs that never extract stay light.
"""

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
