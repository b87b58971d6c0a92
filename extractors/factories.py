"""Every spaCy factory of noticerules, registered under a namespaced, versioned name.

Names read ``noticerules_<what>_v<N>``: spaCy refuses dots in factory names (E853), so
the house pattern ``noticerules.date_ruler.v1`` is spelled ``noticerules_date_ruler_v1``.
To change a component's behaviour, register ``.v2`` beside ``.v1`` rather than editing
``.v1``, so a saved pipeline keeps meaning what it meant. Importing this module is what
makes the names known to ``spacy.load`` / ``Language.from_disk``.
"""

from __future__ import annotations

from typing import Any, Callable

import spacy
from spacy.language import Language

from .components import FactResolver, NoticeCharTokenizer, NoticeSentencizer, PatternRuler

__all__ = ["FACTORY_NAMES", "TOKENIZER"]

# Registry functions (unlike factories) may have dots in their names.
TOKENIZER = "noticerules.char_tokenizer.v1"


@spacy.registry.tokenizers(TOKENIZER)
def make_char_tokenizer(segmenter: str = "char") -> Callable[[Language], NoticeCharTokenizer]:
    def create(nlp: Language) -> NoticeCharTokenizer:
        return NoticeCharTokenizer(nlp.vocab, segmenter=segmenter)

    return create

SENTENCIZER = "noticerules_sentencizer_v1"
LOOKALIKE_RULER = "noticerules_lookalike_ruler_v1"
DATE_RULER = "noticerules_date_ruler_v1"
AMOUNT_RULER = "noticerules_amount_ruler_v1"
DOCNO_RULER = "noticerules_docno_ruler_v1"
FACT_RESOLVER = "noticerules_fact_resolver_v1"

FACTORY_NAMES = (SENTENCIZER, LOOKALIKE_RULER, DATE_RULER, AMOUNT_RULER, DOCNO_RULER, FACT_RESOLVER)

_DEFAULT_PUNCT = ["。", "！", "？", "!", "?", "；", ";"]


@Language.factory(
    SENTENCIZER,
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": _DEFAULT_PUNCT, "split_on_newline": True},
)
def make_sentencizer(nlp: Language, name: str, punct_chars: list[str], split_on_newline: bool) -> NoticeSentencizer:
    return NoticeSentencizer(nlp, name, punct_chars=punct_chars, split_on_newline=split_on_newline)


@Language.factory(
    LOOKALIKE_RULER,
    assigns=["doc.spans"],
    default_config={"labels": ["LOOKALIKE"], "spans_key": "not_facts", "load_default_patterns": True},
)
def make_lookalike_ruler(
    nlp: Language, name: str, labels: list[str], spans_key: str, load_default_patterns: bool
) -> PatternRuler:
    return PatternRuler(nlp, name, labels=labels, spans_key=spans_key, load_default_patterns=load_default_patterns)


@Language.factory(
    DATE_RULER,
    assigns=["doc.spans"],
    default_config={"labels": ["DATE", "DATE_RANGE"], "spans_key": "fact_candidates", "load_default_patterns": True},
)
def make_date_ruler(
    nlp: Language, name: str, labels: list[str], spans_key: str, load_default_patterns: bool
) -> PatternRuler:
    return PatternRuler(nlp, name, labels=labels, spans_key=spans_key, load_default_patterns=load_default_patterns)


@Language.factory(
    AMOUNT_RULER,
    assigns=["doc.spans"],
    default_config={
        "labels": ["MONEY", "PERCENT", "DURATION"],
        "spans_key": "fact_candidates",
        "load_default_patterns": True,
    },
)
def make_amount_ruler(
    nlp: Language, name: str, labels: list[str], spans_key: str, load_default_patterns: bool
) -> PatternRuler:
    return PatternRuler(nlp, name, labels=labels, spans_key=spans_key, load_default_patterns=load_default_patterns)


@Language.factory(
    DOCNO_RULER,
    assigns=["doc.spans"],
    default_config={"labels": ["DOC_NO"], "spans_key": "fact_candidates", "load_default_patterns": True},
)
def make_docno_ruler(
    nlp: Language, name: str, labels: list[str], spans_key: str, load_default_patterns: bool
) -> PatternRuler:
    return PatternRuler(nlp, name, labels=labels, spans_key=spans_key, load_default_patterns=load_default_patterns)


@Language.factory(
    FACT_RESOLVER,
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"candidates_key": "fact_candidates", "lookalikes_key": "not_facts", "spans_key": "facts"},
)
def make_fact_resolver(
    nlp: Language, name: str, candidates_key: str, lookalikes_key: str, spans_key: str
) -> FactResolver:
    return FactResolver(
        nlp, name, candidates_key=candidates_key, lookalikes_key=lookalikes_key, spans_key=spans_key
    )
