"""Normalised text → facts, through a spaCy pipeline (blank zh + noticerules components).

The Doc that :func:`normalised_to_facts` returns (what extractors.rules builds on):

- ``doc.text == norm.text`` (the NORMALISED text: simplified, cleaned); one token per
  CJK character / digit (spaCy's ``char`` segmenter).
- Sentence boundaries are set (``doc.sents``): after 。！？!?；; and at line breaks.
- ``doc.spans["facts"]``: one Span per fact, sorted by position, never overlapping;
  ``span.label_`` is the fact type (DATE, DATE_RANGE, DURATION, MONEY, PERCENT, DOC_NO);
  ``span._.fact`` is the :class:`~extractors.contract.Fact` (offsets into the ORIGINAL
  text), ``span._.fact_value`` / ``span._.fact_flags`` its value and flags,
  ``span._.fact_pattern`` the id of the pattern that found it.
- ``doc.spans["not_facts"]``: look-alikes (ICP备/公网安备 numbers, 索引号, phones, ages,
  e-mail, URLs …) that were deliberately NOT made facts; label ``LOOKALIKE``.
- ``doc.spans["fact_candidates"]``: every raw pattern hit, overlapping (for debugging).
- ``doc.user_data["noticerules.norm"]``: the :class:`~extractors.normalise.Normalised`,
  so ``norm.to_original(span.start_char, span.end_char)`` maps any span back.

    >>> from extractors.normalise import text_to_normalised
    >>> facts, doc = normalised_to_facts(text_to_normalised("每人每年380元。"))
    >>> [(f.type, f.text, f.value) for f in facts]
    [('MONEY', '380元', {'amount': '380', 'currency': 'CNY'})]
    >>> doc.spans["facts"][0]._.fact is facts[0]
    True
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import factories as F
from .contract import Fact
from .normalise import Normalised

__all__ = ["build_pipeline", "normalised_to_facts"]

# the char tokenizer needs ~1 KB per token; larger inputs are refused by ingest first
_MAX_LENGTH = 5_000_000


def build_pipeline() -> Language:
    """A fresh ``spacy.blank("zh")`` pipeline with the noticerules fact components."""
    # char segmentation (no download, no jieba/pkuseg), by our linear-time tokenizer
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": F.TOKENIZER, "segmenter": "char"}}})
    nlp.max_length = _MAX_LENGTH
    for name in F.FACTORY_NAMES:
        nlp.add_pipe(name, name=name.removeprefix("noticerules_").rsplit("_v", 1)[0])
    return nlp


@lru_cache(maxsize=1)
def _nlp() -> Language:
    return build_pipeline()


def normalised_to_facts(norm: Normalised) -> tuple[list[Fact], Doc]:
    """Return the facts (offsets into norm.original) and the spaCy Doc over norm.text."""
    nlp = _nlp()
    if len(norm.text) > nlp.max_length:
        raise ValueError(
            f"notice text of {len(norm.text):,} characters is longer than the {nlp.max_length:,} "
            "the fact pipeline takes (about 1 KB of memory per character); split the document "
            "or cut it before extraction"
        )
    doc = nlp.make_doc(norm.text)
    doc.user_data["noticerules.text"] = norm.text  # spares every component a doc.text rebuild
    doc.user_data["noticerules.norm"] = norm
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    facts: list[Fact] = []
    for span in doc.spans["facts"]:
        start, end = norm.to_original(span.start_char, span.end_char)
        ext = span._  # one Underscore per span: each ``span._`` builds a new one
        text = norm.original[start:end]
        value, flags = ext.fact_value, list(ext.fact_flags or [])
        if ext.fact_pattern == "money_spaced" and ("?" in text or "\ufffd" in text or "？" in text):
            # 4?0元: the space between the digits was a lost digit (the ? filler), not spacing
            value, flags = None, ["incomplete"]
        fact = Fact(type=span.label_, text=text, start=start, end=end, value=value, flags=flags)
        ext.fact = fact
        facts.append(fact)
    return facts, doc
