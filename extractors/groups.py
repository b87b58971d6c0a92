"""Group and population words: who a rule is for (资助对象, 等待期 applies_to/exempt, 参保率 groups, tiers).

Group phrases in notices are lists joined by 、/和/以及/及 with qualifiers in brackets and
trailing 等人员; a rule's conditions keep the groups' own words, cleaned of those.

    >>> phrase_to_groups("其中,对城乡低保对象、返贫致贫人口以及脱贫不稳定人口")
    ['城乡低保对象', '返贫致贫人口', '脱贫不稳定人口']
    >>> phrase_to_tier("长期护理保险试点统筹区居民2024年度个人缴费标准")
    '长期护理保险试点统筹区居民'
"""

from __future__ import annotations

import re
from functools import lru_cache

from .clauses import load_vocab

__all__ = ["phrase_to_alternatives", "phrase_to_groups", "phrase_to_tier", "phrase_to_tiers"]

# a group's words end in a noun for people (人员, 对象, 人口, 儿童, 户 …)
_GROUP_END = re.compile(
    r"(?:人员|对象|人口|儿童|孤儿|老年人|残疾人|未成年人|户|学生|居民|群体|群众|子女|父母|患者|军人|职工|人群|"
    r"成员|家庭|新生儿|人|者|生|员|童|属|范围)$"
)
_AFTER_GROUP = re.compile(r"参加(?:城乡)?(?:居民|基本)|参保个人缴费|参合个人缴费|参合|个人缴费|(?<=[员象口童儿人户体众属者])(?:按|由|给予|在\d|的个人|每人|每年|可|均|实行|参保|的医保费|的医疗保险费)")
_BRACKETS = re.compile(r"[(（][^()（）]{0,60}[)）]")
_DATES = re.compile(r"(?:在|于)?\s*\d{4}\s*年[^,，、]{0,20}?(?:前|以前|之前|后|以后|期间)(?:完成)?[^,，、]{0,20}?的")
_SPLIT = re.compile(r"(?<![一二三四1-4])、|(?<=[一二三四1-4])、(?![一二三四1-4]级)|以及|及其他|和|及|与|，|,|；|;")
# a list item's number (1. / 2、/ 二、/ (三)) before a group, but not 一、二级 (grades one and two)
ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、(?![一二三四1-4]级)|\d{1,2}\s*[.、．](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）]|[①-⑳])\s*")
_TRAIL = re.compile(r"(?:等困难群体|等特殊群体|等困难人员|等人员|等群体|等人群|等对象|等)$")
# 对 starts a group phrase, except inside 对象/对接/对照/对应/对比/对待
_CUT = re.compile(r"(?:对于|对)(?![象接照应比待])|其中")
_LEAD_VERBS = re.compile(r"^(?:对于|对|将|凡是|凡|其中|经|由)")
_TAIL_VERBS = re.compile(r"(?:可通过医疗救助|可通过|通过医疗救助|给予|实行|按照|按|可|均可|由|政府|参加基本医保|的参保缴费|的)+$")


def _clean(word: str) -> str:
    word = ENUMERATOR.sub("", word.strip(" 　:：。．.\t").replace("\n", ""))  # (a hard-wrapped line's break)
    word = _LEAD_VERBS.sub("", word)
    for prefix in load_vocab("group_drop_prefix"):
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            word = word[len(prefix) :]
    word = _TRAIL.sub("", word)
    word = _TAIL_VERBS.sub("", word)
    word = _TRAIL.sub("", word)
    # what follows the group's noun is the rule (参加居民医保的个人缴费部分, 按…, 由…)
    m = _AFTER_GROUP.search(word)
    if m and m.start() >= 2:
        word = _TRAIL.sub("", word[: m.start()])
    # a heading glued before the list (资助参保政策 特困人员) is not part of the group
    word = word.split()[-1] if word.split() else word
    return word.strip(" 　:：")


_NOT_A_GROUP = re.compile(r"每人|^(?:按照|按|标准)")


def phrase_to_groups(phrase: str) -> list[str]:
    """Split a group phrase into the groups' words (order kept, duplicates dropped)."""
    phrase = _BRACKETS.sub("", phrase)
    phrase = _DATES.sub("", phrase)
    # the phrase proper starts after the last 对/其中 (其中,对城乡特困人员 → 城乡特困人员)
    cuts = list(_CUT.finditer(phrase))
    if cuts:
        phrase = phrase[cuts[-1].end() :]
    for cut in load_vocab("group_cut"):
        if phrase.startswith(cut):
            phrase = phrase[len(cut) :]
    out: list[str] = []
    for part in _SPLIT.split(phrase):
        word = _clean(part)
        # 标准为每人 / 按照每人 end in 人 but name the amount's unit, not a group
        if len(word) >= 2 and word not in out and _GROUP_END.search(word) and len(word) <= 40 \
                and not _NOT_A_GROUP.search(word):
            out.append(word)
    return out


def phrase_to_alternatives(phrase: str) -> list[str]:
    """Split an applies_to phrase on 或 only (未在集中参保期内参保或未连续参保的人员 → two)."""
    phrase = _BRACKETS.sub("", phrase).strip(" ,，:：")
    phrase = _LEAD_VERBS.sub("", phrase)
    parts = [p.strip(" ,，") for p in re.split(r"或者|或", phrase)]
    return [p for p in parts if len(p) >= 2]


@lru_cache(maxsize=1)
def _any_tier() -> re.Pattern[str]:
    # one scan says whether any tier word is in a phrase at all (most phrases name none)
    return re.compile("|".join(map(re.escape, load_vocab("population_tiers"))))


def phrase_to_tier(phrase: str) -> str | None:
    """The population tier named in a phrase (longest listed word), if any."""
    if not _any_tier().search(phrase):
        return None
    for word in load_vocab("population_tiers"):
        if word in phrase:
            return word
    return None


_NO_TIERS: frozenset[str] = frozenset()


def phrase_to_tiers(phrase: str) -> frozenset[str]:
    """Every tier word in a phrase (brackets dropped): the identity of a population."""
    phrase = _BRACKETS.sub("", phrase)
    if not _any_tier().search(phrase):
        return _NO_TIERS
    found: list[str] = []
    for word in load_vocab("population_tiers"):  # longest first; a shorter word inside a found one is skipped
        if word in phrase and not any(word in f for f in found):
            found.append(word)
    return frozenset(found)
