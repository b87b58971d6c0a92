"""Relevance: is a notice about resident medical-insurance enrollment and contributions at all?

A notice that never names resident medical insurance, or whose off-topic words (招标,
基本养老金调整 …) outnumber its on-topic ones, yields no rules and the document flag
`not_relevant`. So does a title naming another scheme (职工基本医疗保险) and not the resident
one, and a title about another subject (医保电子凭证, 异地就医 …) naming neither the scheme nor
enrollment, unless the text names the scheme twice or more and speaks of contributions. Word
lists live in data/rule_vocab.jsonl (relevance_core / _topic / _off_topic / _other_subject /
_other_scheme).

    >>> text_is_relevant("关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知")
    True
    >>> text_is_relevant("关于2024年调整退休人员基本养老金的通知。基本养老金调整……")
    False
    >>> text_is_relevant("城乡居民医保参保人员医保电子凭证激活率达到80%以上。", "关于全面推广应用医保电子凭证的通知")
    False
"""

from __future__ import annotations

import re
from functools import lru_cache

from .clauses import load_vocab

__all__ = ["text_is_relevant"]


@lru_cache(maxsize=None)
def _pattern(name: str) -> re.Pattern[str]:
    # one alternation, longest words first (load_vocab order), so each place counts once
    return re.compile("|".join(map(re.escape, load_vocab(name))))


def _count(text: str, name: str) -> int:
    return sum(1 for _ in _pattern(name).finditer(text))


def _has(text: str, name: str) -> bool:
    """``_count(text, name) > 0`` without counting: a scan finds a match iff some word of the
    list is in the text, and ``in`` stops at the first (the counts matter only in one case)."""
    words = load_vocab(name)
    if not words:  # an empty list compiles to a pattern that matches everywhere
        return _pattern(name).search(text) is not None
    return any(w in text for w in words)


_CONTRIBUTIONS = re.compile(r"个人缴费|参保缴费|缴费标准")  # a text that speaks of contributions at all


def text_is_relevant(text: str, title: str | None = None) -> bool:
    """True when the notice is about resident medical insurance enrollment / contributions."""
    title_core = bool(title) and _has(title, "relevance_core")
    if not (title_core or _has(text, "relevance_core")):
        return False  # no core word: core count 0
    if title:
        # the title says what the notice is about; a tender for 城乡居民医保参保缴费宣传服务
        # names the scheme and 参保缴费 in its title but is still a tender
        if _has(title, "relevance_off_topic"):
            return False
        title_topic = _has(title, "relevance_topic")
        if title_core and title_topic:
            return True
        # 关于做好2026年度灵活就业人员参加职工基本医疗保险缴费工作的通知: another scheme's notice,
        # however much its text says about moving over from the resident scheme
        if _has(title, "relevance_other_scheme") and not title_core:
            return False
        # 关于全面推广应用医保电子凭证的通知: a title about another subject, naming neither the
        # scheme nor enrollment or contributions, unless the text itself dwells on the scheme
        if _has(title, "relevance_other_subject") and not title_topic and not title_core \
                and (_count(text, "relevance_core") < 2 or not _CONTRIBUTIONS.search(text)):
            return False
    # (one regex scan: a dozen `in` scans of the whole text for the off-topic words cost more)
    if _pattern("relevance_off_topic").search(text) is None:
        return _has(text, "relevance_topic")  # no off-topic word: any topic word will do
    # calibrated on the seeds (core >= 3, topic >= 10 in every relevant one) and on H3's
    # off-topic notices: a pension notice mentions 居民医保 once or twice in passing
    core = _count(text, "relevance_core") + (_count(title, "relevance_core") if title else 0)
    off = _count(text, "relevance_off_topic")
    topic = _count(text, "relevance_topic")
    return core + topic > 2 * off and (core >= 2 or topic >= 3)
