"""The whole extraction of one notice: parsed text → normalised → facts → document → rules.

Pure: text in, models out, deterministic for a given EXTRACTOR_VERSION.

    >>> from extractors.contract import ParsedDocument
    >>> p = ParsedDocument(source="x.txt", sha256="0" * 64, format="txt",
    ...                    text="2024年度个人缴费标准为每人每年380元。")
    >>> [f.value for f in parsed_to_extraction(p).facts if f.type == "MONEY"]
    [{'amount': '380', 'currency': 'CNY'}]
"""

from __future__ import annotations

import functools
from typing import Any

from .contract import Extraction, ParsedDocument
from .normalise import text_to_normalised
from .version import EXTRACTOR_VERSION

__all__ = ["parsed_to_extraction"]


@functools.cache
def _stages() -> tuple[Any, Any, Any]:
    """The spaCy-side stages, imported on the first extraction rather than at import time, so
    that importing extractors (rulestore and review_ui import its pure modules; every CLI verb
    imports this one) does not load spaCy and the pipeline."""
    from .facts import normalised_to_facts
    from .metadata import parsed_to_document
    from .rules import facts_to_rules

    return normalised_to_facts, parsed_to_document, facts_to_rules


def parsed_to_extraction(parsed: ParsedDocument) -> Extraction:
    """Extract document fields, facts and rules from one parsed notice."""
    normalised_to_facts, parsed_to_document, facts_to_rules = _stages()
    norm = text_to_normalised(parsed.text)
    facts, doc = normalised_to_facts(norm)
    document = parsed_to_document(parsed, norm, facts)
    document.extractor_version = EXTRACTOR_VERSION
    document.chars = len(parsed.text)
    rules = facts_to_rules(document, norm, doc, facts)
    return Extraction(document=document, facts=facts, rules=rules)
