"""The whole extraction of one notice: parsed text → normalised → facts → document → rules.

Pure: text in, models out, deterministic for a given EXTRACTOR_VERSION.

    >>> from extractors.contract import ParsedDocument
    >>> p = ParsedDocument(source="x.txt", sha256="0" * 64, format="txt",
    ...                    text="2024年度个人缴费标准为每人每年380元。")
    >>> [f.value for f in parsed_to_extraction(p).facts if f.type == "MONEY"]
    [{'amount': '380', 'currency': 'CNY'}]
"""

from __future__ import annotations

from .contract import Extraction, ParsedDocument
from .facts import normalised_to_facts
from .metadata import parsed_to_document
from .normalise import text_to_normalised
from .rules import facts_to_rules
from .version import EXTRACTOR_VERSION

__all__ = ["parsed_to_extraction"]


def parsed_to_extraction(parsed: ParsedDocument) -> Extraction:
    """Extract document fields, facts and rules from one parsed notice."""
    norm = text_to_normalised(parsed.text)
    facts, doc = normalised_to_facts(norm)
    document = parsed_to_document(parsed, norm, facts)
    document.extractor_version = EXTRACTOR_VERSION
    document.chars = len(parsed.text)
    rules = facts_to_rules(document, norm, doc, facts)
    return Extraction(document=document, facts=facts, rules=rules)
