"""Facts → typed rules with evidence (issue 3): one builder per rule kind over recognised clauses.

Flow: relevance check (relevance.py) → sentences with triggers and values (clauses.py) →
per-kind builders bind values to triggers → candidates merged (the same rule stated twice is
one rule with `also_evidence`), conflicting values flagged, sanity flags (sanity.py), and
evidence mapped back to original offsets.

Binding is positional and guarded: a value binds to the nearest trigger of its kind before it
in the same sentence, only when nothing between them says the value belongs to something else
(data/rule_vocab.jsonl: money_blockers, contrib_blockers …), and never when the value is
untrusted (a fact flagged invalid_date / corrupt / incomplete, or value None).

    >>> from extractors.contract import NoticeDocument
    >>> from extractors.normalise import text_to_normalised
    >>> d = NoticeDocument(source="x", sha256="0" * 64, policy_year=2024)
    >>> n = text_to_normalised("2024年度全省居民医保个人缴费标准为每人每年380元。")
    >>> [(r.kind.value, r.policy_year, r.params["amount"]) for r in facts_to_rules(d, n, None, [])]
    [('personal_contribution', 2024, '380')]
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from typing import Any, Callable

from .clauses import Sentence, Trigger, Value, facts_to_values, fill_values, load_vocab, text_to_sentences
from .contract import Evidence, Fact, Flag, NoticeDocument, Rule, RuleKind
from .groups import ENUMERATOR, phrase_to_alternatives, phrase_to_groups, phrase_to_tier, phrase_to_tiers
from .normalise import Normalised
from .relevance import text_is_relevant
from .rule_context import (
    _INCREASE_RE,
    _LEVEL_SHARE,
    _base_conf,
    _Cand,
    _Ctx,
    _day_after,
    _evidence_span,
    _has_any,
    _is_old_value,
    _trig,
    _values,
    _year_for,
)
from .rule_tables import _row_kind, _table_blocks, _table_is_read, _table_rules, _year_columns
from .sanity import rule_to_sanity_flags

__all__ = ["facts_to_rules"]


# --------------------------------------------------------------------------- amounts


def _amount_rules(ctx: _Ctx, label: str, kind: str, blockers: list[str]) -> list[_Cand]:
    out: list[_Cand] = []
    common = load_vocab("money_blockers")
    min_words = load_vocab("min_bound")
    for sent in (ctx.having("FISCAL", "ASSIST") if label == "FISCAL" else ctx.having(label)):
        trigs = _trig(sent, label)
        if label == "FISCAL":
            # 各级财政对参保居民的补助标准为…: 补助 after 财政 is the fiscal subsidy
            trigs = sorted(trigs + [t for t in sent.triggers if t.label == "ASSIST" and t.text in ("补助", "补贴", "给予补助")
                                    and "财政" in sent.between(t.start - 12, t.start)
                                    and "资助" not in sent.between(t.start - 12, t.start)], key=lambda t: t.start)
        # (no trigger before an amount: 各级财政按照每人每年不低于640元的标准给予补助 names it after)
        if (not trigs and not (label == "FISCAL" and "财政" in sent.text)) or \
                ("元" not in sent.text and "￥" not in sent.text and "¥" not in sent.text):
            continue  # no amount, nothing to bind (and the sentence's values are never read)
        consumed: tuple[int, int] | None = None  # amounts read as listed respectively
        if "分别" in sent.text:
            aside = _respectively_aside(sent)
            if aside is not None:
                consumed = aside[0]  # (2022年度分别为420元、350元): read by _pair_respectively_asides
            else:
                listed = _respectively(ctx, sent, trigs, kind)
                if listed:
                    out += listed
                    consumed = (min(c.value_at for c in listed), max(c.value_at for c in listed) + 1)
        bound_end: dict[int, int] = {}  # trigger start → end of the amount it already took
        for v in _values(sent, "MONEY"):
            if consumed is not None and consumed[0] <= v.start < consumed[1]:
                continue
            owner = None
            for t in trigs:
                if t.end <= v.start and v.start - t.end <= 30 and not t.attrs.get("after_value"):
                    owner = t
                elif t.attrs.get("after_value") and v.end <= t.start and t.start - v.end <= 2:
                    owner = t  # 按每人每年350元标准收缴: the amount comes first
                    break
            if owner is None:
                # 2026年度为每人每年420元,2027年度为每人每年440元: a second amount chained to the
                # one its trigger already took (the checks below still ask for a year or a tier)
                owner = next((t for t in trigs if t.start in bound_end and 0 <= v.start - bound_end[t.start] <= 20), None)
            if owner is None and label == "FISCAL" and v.trusted and v.value and \
                    _FISCAL_BEFORE.search(sent.between(v.start - 20, v.start)) and \
                    _FISCAL_AFTER.match(sent.between(v.end, v.end + 10)):
                # 各级财政按照每人每年不低于640元的标准给予补助: the subsidy named after its amount
                year, ysrc = _year_for(ctx, sent, v.start)
                bound = "min" if _FLOOR_WORDS.search(sent.between(v.start - 6, v.start)) else "exact"
                out.append(_Cand(kind, year, {"amount": v.value["amount"], "currency": "CNY", "per": "person_year",
                                              "bound": bound}, {}, _evidence_span(sent, v.start, v.end),
                                 _base_conf(ysrc) - 0.05, list(v.flags), order=v.start))
                continue
            if owner is None:
                continue
            if owner.attrs.get("after_value"):
                if _has_any(sent.text, ["职工", "灵活就业", "大病保险"]):
                    continue
                if not re.search(r"按\s*(?:照)?\s*(?:每人每年)?\s*$", sent.between(v.start - 8, v.start)) or not v.trusted:
                    continue
                year, ysrc = _year_for(ctx, sent, v.start)
                out.append(_Cand(kind, year, {"amount": v.value["amount"], "currency": "CNY", "per": "person_year"},
                                 {"scheme": "basic_medical", "population": "all"},
                                 _evidence_span(sent, v.start, owner.end), _base_conf(ysrc) - 0.1, list(v.flags),
                                 order=v.start))
                continue
            gap = sent.between(owner.end, v.start)
            if _has_any(gap, common) or _has_any(gap, blockers):
                continue
            if owner.start in bound_end:
                # a second amount after the same trigger is another rule only when something
                # says for whom or for which year (学生儿童每人每年380元 / 2022年为350元);
                # 每户最高不超过3000元 is not a second standard
                between = sent.between(bound_end[owner.start], v.start)
                if not (phrase_to_tiers(between) or re.search(r"\d{4}\s*年", between) or _LAST_YEAR.search(between)
                        or _GRADE_WORD.search(between) or _RAISED_TO.search(between)):
                    continue
            # another trigger of a different kind between the owner and the amount takes it
            if any(owner.end <= t.start and t.end <= v.start and t.label not in (label, "START")
                   and not (label == "FISCAL" and t.label == "ASSIST" and t.text in ("补助", "补贴"))
                   for t in sent.triggers):
                continue
            if not v.trusted or v.value is None or _is_old_value(sent, v):
                continue
            if v.value.get("currency", "CNY") != "CNY" or "amount" not in v.value:
                continue  # 美元 / 港币 amounts are not yuan standards
            if "万" in v.text or "亿" in v.text or _INCREASE_RE.search(sent.between(v.start - 4, v.start)):
                continue
            if _PER_YUAN.search(sent.between(v.start - 24, v.start)):
                continue  # 个人每缴1元钱,财政补助1.8元以上: a ratio, not an amount per person
            if _INCREMENT.search(sent.between(v.start - 10, v.start)):
                continue  # 市、县两级财政每人每年再增加补助10元: an increment over another standard
            after = sent.between(v.end, v.end + 4)
            if after.startswith(("/月", "每月")) or re.match(r"^\s*[/每]\s*(?:人\s*)?[·.]?\s*月", after):
                continue  # a monthly figure is not the yearly contribution
            # the year nearest before the amount: 380元,比2022年度的350元 gives each its own year
            year, ysrc = _year_for(ctx, sent, v.start)
            if ctx.policy_year is not None and _LAST_YEAR.search(sent.between(v.start - 10, v.start)):
                year, ysrc = ctx.policy_year - 1, "clause"  # 每人每年400元(去年是380元)
            params: dict[str, Any] = {"amount": v.value["amount"], "currency": "CNY", "per": "person_year"}
            conditions: dict[str, Any] = {}
            flags = list(v.flags)
            conf = _base_conf(ysrc)
            head = sent.between(sent.start, owner.start)
            if kind == "fiscal_subsidy" and _LEVEL_SHARE.search(sent.between(owner.start - 6, owner.start)):
                continue  # 省级财政补助每人每年200元: one level's share, not the subsidy standard
            if kind == "personal_contribution":
                if _has_any(sent.between(owner.start - 6, owner.start), load_vocab("after_assistance")):
                    continue  # 资助后个人缴纳150元 is the net amount of an assistance rule
                if owner.text == "个人缴纳" and sent.between(owner.start - 1, owner.start) == "由":
                    continue  # 由个人缴纳15元、医保统筹基金划转15元: a share of the amount, not the standard
                if (owner.text in ("个人缴纳", "个人一次性缴纳") or owner.text == "个人缴费"
                        and sent.between(owner.end, v.start).strip() in ("", "为")) and any(
                        t.label == "ASSIST" and t.end <= owner.start for t in sent.triggers):
                    continue  # 每人每年资助200元,个人缴纳180元 / 每人资助150元,个人缴费230元: the net amount again
                ltc = max(head.rfind(w) for w in load_vocab("ltc_words"))
                basic = max(head.rfind("医疗保险"), head.rfind("医保"))
                if "职工" in sent.between(max(sent.start, owner.start - 12), owner.start):
                    continue
                if _PREDECESSOR.search(sent.between(sent.start, owner.start)):
                    continue  # 原新农合个人缴费为…: a merged scheme's old standard, not this year's
                conditions["scheme"] = "long_term_care" if ltc >= 0 and ltc > basic - 8 else "basic_medical"
                sub_start = sent.subclause_of(owner.start)[0]
                # the amount's sub-clause, the trigger's, then the sentence's head: (一)在校学生及
                # 未满18周岁的未成年人(以下简称学生儿童),个人缴费标准为每人每年400元
                conditions["population"] = _population(
                    [sent.between(sent.subclause_of(v.start)[0], v.start), sent.between(sub_start, owner.start),
                     sent.between(sent.start, sub_start)]
                    + ([sent.between(sent.start, v.start)] if owner.start == owner.end else []))  # a continued clause
                paid = _paid_condition(sent, sent.start, owner.start)
                conditions.update(paid)
            else:
                bound = "exact"
                tail = sent.between(v.end, v.end + 3)
                if _has_any(gap, min_words) or tail.startswith(("以上", "及以上")):
                    bound = "min"
                params["bound"] = bound
            if not v.from_fact:
                conf -= 0.03
            bound_end[owner.start] = v.end
            cand = _Cand(kind, year, params, conditions, _evidence_span(sent, owner.start, v.end), conf, flags,
                         order=owner.start, value_at=v.start)
            # 个人缴费标准不低于每人每年400元 (a higher level's floor, quoted): see _drop_quoted_floors
            cand.floor = kind == "personal_contribution" and bool(_FLOOR_WORDS.search(sent.between(v.start - 8, v.start)))
            out.append(cand)
    return out


_FLOOR_WORDS = re.compile(r"不低于|不少于")
_FISCAL_STANDARD = re.compile(r"财政[^,，。；]{0,12}(?:补助|补贴)(?:标准|金额)?\s*(?:为|是)?\s*(?:不低于|不少于)?\s*"
                              r"(?:每人每年|每人|人均)?\s*(?:不低于|不少于)?\s*$")
_INCREMENT = re.compile(r"(?:再|另|额外)\s*(?:增加|提高|增补)\s*(?:补助|补贴)?\s*$")
_PER_YUAN = re.compile(r"每(?:缴纳|缴费|缴|交|出)\s*(?:1|一)\s*(?:元|块)")
_RESPECTIVELY = re.compile(r"分别\s*(?:为|是|按|按照|确定为|调整为|提高到|提高至|执行)?")
_ITEM_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_AMOUNT_JOIN = re.compile(r"^\s*(?:和|、|,|，|及|与|；|;)?\s*(?:每人每年|每人|人均)?\s*(?:不低于|不少于)?\s*$")


def _respectively(ctx: _Ctx, sent: Sentence, trigs: list[Trigger], kind: str) -> list[_Cand]:
    """成年居民和学生儿童个人缴费标准分别为每人每年590元和420元 / 2025年度、2026年度分别为…: the
    n-th amount after 分别 is the n-th tier (or grade, or year) listed before it. Only when the
    counts agree; then the amounts are read here and nowhere else."""
    m = _RESPECTIVELY.search(sent.text)
    if m is None or not any(t.start < sent.start + m.start() for t in trigs):
        return []
    head = sent.text[: m.start()]
    amounts: list[Value] = []
    for v in _values(sent, "MONEY"):
        if sent.rel(v.start) < m.end():
            continue
        if amounts and not _AMOUNT_JOIN.match(sent.between(amounts[-1].end, v.start)):
            break
        if not amounts and not _AMOUNT_JOIN.match(sent.between(sent.start + m.end(), v.start)):
            return []
        amounts.append(v)
    if len(amounts) < 2 or any(not v.trusted or v.value is None or "万" in v.text or "亿" in v.text for v in amounts):
        return []
    years = [int(y) for y in _ITEM_YEAR.findall(head)]
    items: list[tuple[str, int | None]] = []
    if len(years) == len(amounts) and len(set(years)) == len(years):
        items = [("all", y) for y in years]
    elif kind == "personal_contribution":
        grades = _GRADE_WORD.findall(head)
        if len(grades) == len(amounts):
            items = [(g, None) for g in grades]
        else:
            tiers = _tiers_in_order(head)
            if not tiers and sent.index > 0 and all(t.start == t.end for t in trigs):
                # 成年居民每人每年590元,学生儿童每人每年420元。2026年度分别为560元和400元: the tiers
                # of the sentence the trigger was lent from
                tiers = _tiers_in_order(ctx.sentences[sent.index - 1].text)
            if len(tiers) == len(amounts):
                items = [(t, None) for t in tiers]
    if not items:
        return []
    year, ysrc = _year_for(ctx, sent, amounts[0].start)
    all_floors = bool(_FLOOR_WORDS.search(sent.between(sent.start + m.end(), amounts[0].start)))  # 分别为不低于670元、700元
    out = []
    for (who, item_year), v in zip(items, amounts):
        params: dict[str, Any] = {"amount": v.value["amount"], "currency": "CNY", "per": "person_year"}
        if kind == "personal_contribution":
            cond: dict[str, Any] = {"scheme": "basic_medical", "population": who}
        else:
            cond = {}
            params["bound"] = "min" if all_floors or _FLOOR_WORDS.search(sent.between(v.start - 6, v.start)) else "exact"
        out.append(_Cand(kind, item_year or year, params, cond, _evidence_span(sent, sent.start + m.start(), v.end),
                         _base_conf("clause" if item_year else ysrc), list(v.flags), order=v.start, value_at=v.start))
    return out


_ASIDE = re.compile(r"[(（](?P<head>[^()（）]{0,20}?)分别\s*(?:为|是)?(?P<body>[^()（）]{0,40})[)）]")


def _respectively_aside(sent: Sentence) -> tuple[tuple[int, int], int | None, list[Value]] | None:
    """(2022年度分别为420元、350元) after amounts: its span, its year and its amounts (two or more)."""
    m = _ASIDE.search(sent.text)
    if m is None:
        return None
    lo, hi = sent.start + m.start(), sent.start + m.end()
    amounts = [v for v in _values(sent, "MONEY") if lo <= v.start < hi]
    if len(amounts) < 2:
        return None
    year = _ITEM_YEAR.search(m.group("head"))
    return (lo, hi), int(year.group(1)) if year else None, amounts


def _pair_respectively_asides(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """…成年居民每人每年450元,未成年人…每人每年380元(2022年度分别为420元、350元) / …440元,…补助…不低于
    每人每年760元(2026年度分别为420元、730元): the aside's n-th amount is the year's counterpart of
    the n-th of the amounts read just before it in the sentence (same kind, people and bound)."""
    out: list[_Cand] = []
    for sent in ctx.sentences:
        if "分别" not in sent.text or not ("(" in sent.text or "（" in sent.text) or sent._loader is None and not sent._values:
            continue
        aside = _respectively_aside(sent)
        if aside is None or aside[1] is None:
            continue
        (lo, _hi), year, amounts = aside
        before = sorted((c for c in cands if c.kind in ("personal_contribution", "fiscal_subsidy")
                         and sent.start <= c.value_at < lo), key=lambda c: c.value_at)
        if len(before) < len(amounts):
            continue
        for c, v in zip(before[-len(amounts):], amounts):
            if not v.trusted or v.value is None:
                continue
            out.append(_Cand(c.kind, year, {**c.params, "amount": v.value["amount"]}, dict(c.conditions),
                             (sent.start, sent.end), _base_conf("clause") - 0.05, list(v.flags), order=v.start,
                             value_at=v.start))
    return out


def _tiers_in_order(phrase: str) -> list[str]:
    """The tier words of a phrase in the order they are written (longest word at each place)."""
    found: list[tuple[int, str]] = []
    taken = [False] * len(phrase)
    for word in load_vocab("population_tiers"):  # longest first
        start = phrase.find(word)
        while start >= 0:
            if not any(taken[start : start + len(word)]):
                taken[start : start + len(word)] = [True] * len(word)
                found.append((start, word))
            start = phrase.find(word, start + 1)
    return [w for _, w in sorted(found)]


def _drop_quoted_floors(cands: list[_Cand]) -> list[_Cand]:
    """自治区文件明确…个人缴费标准不低于每人每年400元…我市…确定为每人每年420元: a contribution stated
    only as a floor gives way to the exact standard the notice sets for the same year and people."""
    exact = {(c.year, c.conditions.get("scheme"), _pop_key(c)) for c in cands
             if c.kind == "personal_contribution" and not c.floor}
    return [c for c in cands if not (c.kind == "personal_contribution" and c.floor
                                     and (c.year, c.conditions.get("scheme"), _pop_key(c)) in exact)]


_PREDECESSOR = re.compile(r"(?:^|[,，;；。、])\s*(?:整合前的?[^,，]{0,8}[,，])?\s*原(?:新农合|新型农村合作医疗|城镇居民)")
_FISCAL_BEFORE = re.compile(r"财政[^,，。；;]{0,4}按(?:照)?\s*(?:人均|每人每年|每人)?\s*(?:不低于|不少于)?\s*$")
_FISCAL_AFTER = re.compile(r"^\s*(?:的)?\s*标准\s*(?:给予|予以|进行)?\s*(?:补助|补贴)")
_RAISED_TO = re.compile(r"(?:提高|增加|调整|上调|提升)\s*(?:到|至|为)\s*(?:每人每年)?\s*(?:不低于|不少于)?\s*$")  # 由…520元提高到550元: the new value
_LAST_YEAR = re.compile(r"(?:去年|上年度?|上一年度?)\s*(?:(?:是|为)\s*(?:每人每年)?|[(（]|的)?\s*$")  # 去年是380元 / 比去年的380元 / 去年150元


def _listed_contributions(ctx: _Ctx) -> list[_Cand]:
    """个人缴费标准如下: (一)学生儿童:每人每年400元; (二)… — one rule per tier line.

    An item may state last year's figure beside this year's (780元(2018年度为720元)); each
    amount takes the year mention nearest before it."""
    out: list[_Cand] = []
    for i, sent in enumerate(ctx.sentences):
        if not _trig(sent, "CONTRIB") or not re.search(r"[:：]\s*[。]?$", sent.text):
            continue
        year, ysrc = _year_for(ctx, sent, sent.end)
        for item in ctx.sentences[i + 1 : i + 8]:
            if item.triggers and not {t.label for t in item.triggers} <= {"START", "CONTRIB"}:
                break
            fill_values(item, ctx.facts, ctx.policy_year)
            money = [v for v in _values(item, "MONEY") if v.trusted and v.value and "万" not in v.text]
            if not money:
                break
            head = item.text[: item.rel(money[0].start)]
            tier = phrase_to_tier(head)
            if not tier:
                break
            population = re.sub(r"^\s*[(（][一二三四五六七八九十\d]+[)）]|[(（][^()（）]*[)）]|缴费|每人每年|[:：,，\s]", "", head) or tier
            for v in money:
                y, src = year, ysrc
                mentions = [yy for s_, e_, yy in item.years if e_ <= v.start]
                if mentions and (ctx.policy_year is None or abs(mentions[-1] - ctx.policy_year) <= 1):
                    y, src = mentions[-1], "clause"
                out.append(_Cand("personal_contribution", y,
                                 {"amount": v.value["amount"], "currency": "CNY", "per": "person_year"},
                                 {"scheme": "basic_medical", "population": population}, (item.start, item.end),
                                 _base_conf(src) - 0.05, list(v.flags), order=v.start))
    return out


def _paid_condition(sent: Sentence, lo: int, hi: int) -> dict[str, Any]:
    """paid_before / paid_between from a conditional 在X前 / 在X至Y 参保缴费的 before `hi`."""
    out: dict[str, Any] = {}
    for v in sent.values:
        if not (lo <= v.start and v.end <= hi) or not v.trusted or v.value is None:
            continue
        tail = sent.between(v.end, v.end + 14)
        if v.type == "DATE" and _BEFORE.match(tail):
            out["paid_before"] = v.value["date"]
        elif v.type == "DATE_RANGE" and re.match(r"^\s*(?:期间|内)?\s*(?:参保|缴费|缴纳|完成|补缴)", tail):
            out["paid_between"] = [v.value["start"], v.value["end"]]
    return out


# --------------------------------------------------------------------------- windows

_AFTER_WINDOW = re.compile(r"(?:结束后|结束之后|截止后|期满后)\s*(?:至|到)\s*$")
_DIGIT = re.compile(r"月|\d\s*[-./—]\s*\d|\d{8}\s*日")  # a date or window can be in the sentence
_CONDITIONAL_AFTER = re.compile(r"^[^,，。；]{0,40}的\s*[,，]")


def _enrollment_rules(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    last_window: dict[str, Any] | None = None
    for sent in ctx.having("ENROLL"):
        trigs = _trig(sent, "ENROLL")
        if not trigs or not _DIGIT.search(sent.text):
            continue
        emitted: list[_Cand] = []
        for v in _values(sent, "DATE_RANGE"):
            owner = _window_owner(sent, trigs, v) or _after_concentrated(sent, trigs, v)
            if owner is None or "享受" in sent.between(v.start, v.end):
                continue  # (从2025年1月1日起就能享受待遇,享受期到2025年12月31日止: a benefit window)
            tail = sent.between(v.end, sent.end)
            if _CONDITIONAL_AFTER.match(tail) and "享受" in tail and (owner.text == "应于" or owner.start >= v.end):
                continue
            if owner.text == "应于" and not re.match(r"^\s*(?:参保|缴纳|缴费|办理)", tail):
                continue
            if _CONDITIONAL_AFTER.match(tail) and "享受" in tail and owner.end <= v.start and owner.start < v.start - 25:
                continue  # 在X至Y缴纳…的,从…起享受: a benefit_start condition, not a window
            if not v.trusted or v.value is None:
                continue
            year, ysrc = _year_for(ctx, sent, min(owner.start, v.start))
            if year is None:
                year, ysrc = _window_policy_year(v.value["end"]), "inferred"
            phase = owner.attrs.get("phase")
            cond = {"phase": phase} if phase else {}
            conf = _base_conf(ysrc) - (0.05 if "year_inferred" in v.flags else 0.0)
            cand = _Cand("enrollment_period", year, dict(v.value), cond,
                         _evidence_span(sent, min(owner.start, v.start), max(owner.end, v.end)), conf, list(v.flags),
                         order=v.start)
            emitted.append(cand)
            last_window = {"cand": cand, "sent": sent.index}
        # single end dates: 可延迟缴费至X (extended, starts the day after the window before it)
        # and 征期截止X (the whole period, from the earliest start stated beside it)
        for v in _values(sent, "DATE"):
            if not v.trusted or v.value is None:
                continue
            pre = sent.between(v.start - 12, v.start)
            owner = next((t for t in reversed(trigs) if t.end <= v.start and v.start - t.end <= 8), None)
            label = next((t for t in trigs if t.start >= v.end and t.start - v.end <= 6 and t.attrs.get("phase") == "extended"
                          and re.match(r"^\s*(?:前)?\s*(?:为|是|仍可|可|均可|还可)?\s*$", sent.between(v.end, t.start))), None)
            if label is not None and _AFTER_WINDOW.search(pre):
                owner = label  # 集中征缴期结束后至2024年3月31日为补充缴费期: starts the day after the window
            elif owner is not None and owner.attrs.get("phase") != "extended" and _AFTER_WINDOW.search(pre):
                # 延长缴费期:集中缴费期结束后至2025年3月31日 — the heading names the window
                owner = next((t for t in reversed(trigs) if t.end <= owner.start and owner.start - t.end <= 4
                              and t.attrs.get("phase") == "extended"), owner)
            if owner is None:
                continue
            if owner.attrs.get("phase") == "extended" and re.search(r"(?:至|到)\s*$", pre):
                base = emitted[-1] if emitted else (last_window["cand"] if last_window and sent.index - last_window["sent"] <= 3 else None)
                if base is None or base.params.get("end") is None:
                    continue
                start = _day_after(base.params["end"])
                cand = _Cand("enrollment_period", base.year, {"start": start, "end": v.value["date"]},
                             {"phase": "extended"}, _evidence_span(sent, min(owner.start, v.start), max(owner.end, v.end)),
                             base.confidence - 0.1,
                             list(v.flags), order=v.start)
                emitted.append(cand)
            elif not owner.attrs.get("phase") and re.search(r"(?:截止|截至|截止到|截止至|止于)\s*(?:日期)?\s*(?:为|到|至)?\s*$", pre) \
                    and emitted:
                starts = [c.params["start"] for c in emitted if c.params.get("start")]
                if not starts:
                    continue
                year = emitted[0].year
                first = min((c for c in emitted if c.params.get("start")), key=lambda c: c.params["start"])
                flags = sorted(set(v.flags) | set(first.flags))  # the start's flags (year_inferred) come along
                cand = _Cand("enrollment_period", year, {"start": first.params["start"], "end": v.value["date"]}, {},
                             _evidence_span(sent, sent.start, v.end), emitted[0].confidence - 0.05, flags,
                             order=v.start)
                emitted.append(cand)
        # 集中缴费期为2023年9月1日起,缴费截止时间为2023年12月25日: start and end in two sub-clauses
        if not emitted:
            dates = [v for v in _values(sent, "DATE") if v.value]
            for a in dates:
                if not re.match(r"^\s*(?:起|开始|启动)", sent.between(a.end, a.end + 2)):
                    continue
                owner = next((t for t in reversed(trigs) if t.end <= a.start and a.start - t.end <= 6), None) \
                    or next((t for t in trigs if a.end <= t.start <= a.end + 6), None)  # 自X起开始征缴,…截止时间为Y
                b = next((d for d in dates if d.start > a.end and (
                          re.search(r"(?:截止|截至|持续)\s*(?:时间|日期)?\s*(?:为|到|至)?\s*$", sent.between(d.start - 10, d.start))
                          or re.match(r"^\s*(?:截止|止|结束)", sent.between(d.end, d.end + 3)))), None)
                if owner is None or b is None or not (a.trusted and b.trusted) or "享受" in sent.between(a.end, b.start):
                    continue  # (…从2025年1月1日起就能享受待遇,享受期到…止: a benefit window)
                year, ysrc = _year_for(ctx, sent, owner.start)
                phase = owner.attrs.get("phase")
                start, end = a.value["date"], b.value["date"]
                if "year_inferred" in a.flags and year is not None and start[:4] == str(year) and start[5:7] >= "07":
                    # 2025年度…已于9月1日启动,将持续至12月31日: an autumn window before its insurance year
                    start = f"{year - 1}{start[4:]}"
                    if "year_inferred" in b.flags and end[:4] == str(year):
                        end = f"{year - 1}{end[4:]}"
                emitted.append(_Cand("enrollment_period", year, {"start": start, "end": end},
                                     {"phase": phase} if phase else {}, _evidence_span(sent, owner.start, b.end),
                                     _base_conf(ysrc) - 0.05, sorted(set(a.flags) | set(b.flags)), order=a.start))
                break
        out += emitted
    return out


_AFTER_CONC = re.compile(r"^\s*(?:结束后|结束之后|截止后|期满后)|^\s*内[^,，。；]{0,8}的")
_MISSED = re.compile(r"(?:未能|未|没有|没能)\s*(?:按时)?\s*(?:在|于)?\s*$")
_WINDOW_USE = re.compile(r"^\s*(?:前|内|期间)?\s*(?:仍可|还可|可以|可|均可)?\s*(?:继续)?\s*(?:办理)?\s*(?:参保|缴费|补缴|缴纳)")


def _after_concentrated(sent: Sentence, trigs: list[Trigger], v: Value) -> Trigger | None:
    """集中征缴期结束后,2024年1月1日至2月29日可继续办理参保缴费 / 未能在集中参保期内缴费的,可在X至Y参保缴费:
    a window for those after or outside the concentrated one is the extended window (a zero-width
    trigger at the window), when the window is for paying."""
    conc = [t for t in trigs if t.attrs.get("phase") == "concentrated" and t.end <= v.start and v.start - t.end <= 30]
    if not conc:
        return None
    t = conc[-1]
    gap = sent.between(t.end, v.start)
    if not _AFTER_CONC.match(gap) or (gap.lstrip().startswith("内") and not _MISSED.search(sent.between(t.start - 8, t.start))):
        return None
    if not (_WINDOW_USE.match(sent.between(v.end, v.end + 12)) or re.search(r"(?:可在|可于|仍可在|还可在)\s*$", gap)):
        return None
    return Trigger("ENROLL", v.start, v.start, "", {"phase": "extended"})


def _window_owner(sent: Sentence, trigs: list[Trigger], v: Value) -> Trigger | None:
    """The enrollment trigger a window belongs to: one before it in its sub-clause, one right
    after it (9月至11月为集中征缴期), or one ending the sub-clause before with a colon."""
    sub = sent.subclause_of(v.start)
    inside = [t for t in trigs if v.start <= t.start and t.end <= v.end]
    if inside:
        return inside[0]  # 自2023年9月起开始集中缴费,至2023年12月31日结束
    if _BENEFIT_AFTER.match(sent.between(v.end, v.end + 12)):
        return None  # 2024年1月1日至12月31日享受待遇: a benefit window
    rivals = [t for t in sent.triggers if t.label in ("BENEFIT", "NEWBORN", "WAIT") and t.end <= v.start and t.start >= sub[0]]
    before = [t for t in trigs if t.end <= v.start and t.start >= sub[0]]
    if before and not (rivals and rivals[-1].start > before[-1].start):
        return before[-1]
    # 9月至11月为集中征缴期 / 2024年9月1日—2024年12月31日为2025年度集中参保缴费期
    after = [t for t in trigs if t.start >= v.end and t.end <= sub[1] and
             (t.start - v.end <= 4 or _LABEL_AFTER.match(sent.between(v.end, t.start)))]
    if after:
        return after[0]
    prev = sent.subclause_of(sub[0] - 1) if sub[0] > sent.start else None
    if prev and not rivals and re.search(r"[:：]\s*$|为\s*[,，]?\s*$", sent.between(*prev)):
        before = [t for t in trigs if prev[0] <= t.start and t.end <= v.start]
        return before[-1] if before else None
    if prev and not rivals:
        # 增设延长缴费期,自2025年1月1日起至2月28日止: the sub-clause before ends with the window's name
        named = [t for t in trigs if prev[0] <= t.start and t.end <= prev[1] and prev[1] - t.end <= 1]
        if named:
            return named[-1]
    return None


_LABEL_AFTER = re.compile(r"^\s*(?:为|是)\s*(?:\d{4}\s*年度?)\s*(?:的)?\s*(?:城乡居民医保|居民医保|城乡居民基本医疗保险)?费?\s*$")
_BENEFIT_AFTER = re.compile(r"^\s*(?:止|为止)?\s*[,，]?\s*(?:看病|就医)?\s*(?:可|均可|方可|都能|都可以|均能|能|可以|就能)?\s*"
                            r"(?:享受|(?:按规定)?\s*报(?:销)?)")  # (…看病都能按规定报销 / 看病都能报: a poster's words)


def _window_policy_year(end: str) -> int:
    d = dt.date.fromisoformat(end)
    return d.year + 1 if d.month >= 9 else d.year


def _benefit_period_rules(ctx: _Ctx) -> list[_Cand]:
    out = []
    for sent in ctx.having("BENEFIT", "START"):
        trigs = _trig(sent, "BENEFIT")
        if not trigs and not (_trig(sent, "START") and "月" in sent.text and _values(sent, "DATE_RANGE")):
            continue
        for v in _values(sent, "DATE_RANGE"):
            owner = next((t for t in reversed(trigs) if t.end <= v.start and (v.start - t.end <= 12 or (
                v.start - t.end <= 24 and re.search(r"[,，]\s*为\s*$", sent.between(t.end, v.start))))), None)
            if owner is None and v.value is not None and _BENEFIT_AFTER.match(sent.between(v.end, v.end + 12)) \
                    and re.search("待遇|报", sent.between(v.end, v.end + 20)) and v.value["start"][5:] == "01-01":
                owner = Trigger("BENEFIT", v.start, v.start, "")
            if owner is None and v.value is not None and v.value["start"][5:] == "01-01" \
                    and re.search(r"享受\s*$", sent.between(v.start - 3, v.start)) \
                    and re.match(r"^\s*(?:的)?[^,，。；]{0,8}待遇", sent.between(v.end, v.end + 12)):
                owner = Trigger("BENEFIT", v.start, v.start, "")  # 享受2027年1月1日至12月31日的居民医保待遇
            if owner is None or not v.trusted or v.value is None:
                continue
            year, ysrc = _year_for(ctx, sent, owner.start)
            if year is None:
                year, ysrc = int(v.value["start"][:4]), "inferred"
            out.append(_Cand("benefit_period", year, dict(v.value), {}, _evidence_span(sent, owner.start, v.end),
                             _base_conf(ysrc), list(v.flags), order=v.start))
        # 自2025年1月1日起享受待遇,待遇享受期至2025年12月31日: the two ends in two sub-clauses
        for t in trigs:
            end = next((v for v in _values(sent, "DATE") if t.end <= v.start and
                        re.match(r"^\s*(?:为|是)?\s*(?:至|到|截至|截止)\s*$", sent.between(t.end, v.start))), None)
            start = next((v for v in reversed(_values(sent, "DATE")) if v.end <= t.start and v.value and (
                          re.match(r"^\s*(?:起|开始)", sent.between(v.end, v.end + 2))
                          or re.search(r"(?:生效|起始|开始)(?:时间|日期)\s*(?:为|是)\s*$", sent.between(v.start - 10, v.start)))),
                         None)  # (待遇生效时间为2025年1月1日,待遇享受期至2025年12月31日)
            if end is None or start is None or not (end.trusted and start.trusted) or not end.value or not start.value:
                continue
            year, ysrc = _year_for(ctx, sent, t.start)
            if year is None:
                year, ysrc = int(start.value["date"][:4]), "inferred"
            out.append(_Cand("benefit_period", year, {"start": start.value["date"], "end": end.value["date"]}, {},
                             _evidence_span(sent, start.start, end.end), _base_conf(ysrc) - 0.05,
                             sorted(set(start.flags) | set(end.flags)), order=start.start))
    return out


# --------------------------------------------------------------------------- waiting period

_EXCEPT_BRACKET = re.compile(r"[(（]\s*([^()（）]{2,60}?)\s*等?\s*除外\s*[)）]")
# 新生儿在出生后90日内参保缴费的…: a group ends where its condition (在…内/前/后…的) starts
_CONDITION_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})在[^,，、]{0,24}?(?:内|前|后)[^,，、]{0,10}的.*$")
_SETS_A_WAIT = re.compile(r"(?:设置|设立|实行)?\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:个月|日|天)\s*(?:的)?\s*(?:待遇)?等待期"
                         r"|等待期\s*(?:为)?\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:个月|日|天)")
# a worked example: 例如… / 3+2=5个月 (its sum is no rule)
_EXAMPLE = re.compile(r"例子|例如|举例|比如|假设|假如|譬如|\d\s*[+＋]\s*\d+\s*[=＝]\s*\d")
_VARIABLE = re.compile(
    r"每(?:多|增加|满)?\s*(?P<pre>(?:连续)?(?:中断缴费|中断参保|中断|断保|断缴)|未参保|欠缴|未连续参保|断)?\s*(?P<y>\d+|[一二两三])\s*年\s*"
    r"(?P<post>断保|中断|断缴)?[^。；]{0,30}?"
    r"(?:增加|延长|多等|加)\s*(?:变动(?:待遇)?等待期\s*)?(?P<m>\d+|[一二两三]|[一二三四五六七八九十]{1,3})\s*(?P<mu>个月|天|日)"
)
# 断保1年加1个月 (a village poster: no 每)
_VARIABLE_PLAIN = re.compile(r"(?P<pre>断保|断缴|中断)\s*(?P<y>\d+|[一二两三])\s*年\s*(?:就|再)?\s*(?:加|增加|延长|多等)\s*"
                             r"(?P<m>\d+|[一二两三])\s*(?P<mu>个月|天|日)(?P<post>(?!))?")
_UNITS = {"个月": "month", "天": "day", "日": "day"}
# 断缴时间每增加1年…增加1个月: the broken enrollment is named just before 每
_BROKEN_BEFORE = re.compile(r"断缴|断保|中断|未连续参保|欠缴")
_MAX = re.compile(r"(?:最长|最多|合计|累计|总计|总|最高)?\s*不(?:得)?超过\s*(?P<n>\d+|[一二三四五六七八九十两百]+)\s*(?P<u>个月|天|日)"
                  r"|(?:最长|最多)\s*(?:要)?\s*(?:等待?)?\s*(?P<n2>\d+|[一二三四五六七八九十两百]+)\s*(?P<u2>个月|天|日)")
_DAYS_AFTER = re.compile(r"(?:缴费|参保)(?:之日|次日|后)?\s*起?\s*(?:满)?\s*(?P<n>\d+|[一二三四五六七八九十百]+)\s*(?P<u>日|天|个月)\s*(?:后|以后)\s*(?:开始|方可|才能|即可|可)?\s*享受")


def _small_int(s: str) -> int:
    from .clauses import _cn_to_int  # the same numeral reading as values

    n = _cn_to_int(s)
    return n if n is not None else 0


def _waiting_rules(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    negation = load_vocab("waiting_negation")
    reduction = load_vocab("waiting_reduction")
    pending_exempt: list[tuple[int, list[str]]] = []
    for sent in ctx.having("WAIT", "START"):
        if _EXAMPLE.search(sent.text):
            continue  # 举个例子:…待遇等待期为固定等待期3个月加变动等待期2个月 is a worked example
        # 要等3个月才能报销 (a village notice) is a wait; 需要等待3个工作日 is not
        trigs = [t for t in _trig(sent, "WAIT") if t.text != "要等" or sent.between(t.end, t.end + 1) != "待"]
        days_after = _DAYS_AFTER.search(sent.text) if "享受" in sent.text else None
        if not trigs and not days_after:
            continue
        neg = _has_any(sent.text, negation)
        neg_at = sent.text.find(neg) if neg else -1
        if neg and _SETS_A_WAIT.search(sent.text[:neg_at]):
            # …的自缴费之日起设置3个月待遇等待期,…新生儿…自出生之日起享受待遇、不设等待期: one
            # sentence sets the wait and exempts a group; the exemption joins the rule read below
            clause = re.split(r"[,，;；]", sent.text[:neg_at].rstrip("、,， "))[-1]
            clause = _CONDITION_TAIL.sub("", clause)
            pending_exempt.append((sent.index, phrase_to_groups(clause)))
            neg = None
        if neg:
            subject = sent.text[: sent.text.find(neg)]
            # 退役军人、新就业大学生等特殊群体在规定时限内参保的 / 新生儿在出生后90日内参保缴费的,…:
            # the groups end where their condition (在…内/前/后…的) starts
            subject = _CONDITION_TAIL.sub("", subject)
            subject = re.sub(r"(?:在[^,，]{0,20}(?:期外|期内|以外)[^,，]{0,12}的|参保缴费的|的)\s*[,，]?\s*$", "", subject)
            groups = phrase_to_groups(subject)
            if not groups:  # 新生儿在出生后90天内…的,自出生之日起享受待遇,不受等待期限制: the head names them
                head = re.split(r"[,，]", subject)[0]
                groups = phrase_to_groups(re.split(r"出生后|出生之日|在|于|自|\d", head, maxsplit=1)[0])
            pending_exempt.append((sent.index, groups))
            # 设置…等待期3个月。新生儿、在校大学生等特殊群体不设等待期: the exemption follows the rule
            # (every rule of the sentences just before: 2026年度…30天;自2027年度起…3个月。新生儿…不设等待期)
            for c in out:
                if groups and c.kind == "waiting_period" and c.sent_index >= 0 and 0 <= sent.index - c.sent_index <= 3:
                    have = c.conditions.setdefault("exempt", [])
                    have += [g for g in groups if g not in have]
            continue
        variable = _broken_variable(sent.text)
        mx = _MAX.search(sent.text)
        if trigs and _has_any(sent.text, reduction) and not variable:
            continue
        dur = None
        owner = trigs[0] if trigs else None
        for t in trigs:
            for v in _values(sent, "DURATION"):
                if v.value is None or v.value.get("unit") not in ("day", "month", "working_day"):
                    continue
                if v.value.get("unit") == "working_day" and "等待期" not in t.text:
                    continue  # 办理时需等待3个工作日: a processing time, not a waiting period
                if variable and variable.start() <= sent.rel(v.start) < variable.end():
                    continue
                if re.search(r"(?:不超过|不得超过|最长|最多)\s*(?:要)?\s*(?:等待?)?\s*$", sent.between(v.start - 6, v.start)) \
                        and not re.match(r"^\s*的\s*(?:固定)?\s*(?:待遇)?\s*等待期", sent.between(v.end, v.end + 10)):
                    continue  # a cap (合计不超过6个月 / 最长要等6个月), read by _MAX; not 设置不超过3个月的固定待遇等待期
                if _is_old_value(sent, v) or _in_replaced_quote(sent, v):
                    continue  # 由现行的3个月调整为6个月 / 将“…设置6个月待遇等待期”调整为:…
                near = (t.end <= v.start and v.start - t.end <= 12) or (v.end <= t.start and t.start - v.end <= 10)
                if near:
                    dur, owner = v, t
                    break
            if dur:
                break
        if dur is None and days_after and (not trigs or all(abs(t.start - (sent.start + days_after.start())) > 12 for t in trigs)):
            n = _small_int(days_after.group("n"))
            unit = {"日": "day", "天": "day", "个月": "month"}[days_after.group("u")]
            params: dict[str, Any] = {"amount": n, "unit": unit}
            pos = sent.start + days_after.start()
            year, ysrc = _year_for(ctx, sent, pos)
            enrollee = _enrollee_of(ctx, sent)
            kinds = sum(1 for e in ("interrupted", "first_time", "continuous")
                        if _has_any(sent.text, load_vocab(f"enrollee_{e}")))
            if unit == "day" and enrollee and kinds < 2:  # (新参保或中断后续保的: late enrollees of any kind)
                # in a list of benefit starts by enrollee status (首次参保…自缴费之日起满30日后享受)
                # the days are that status's benefit start; alone (seed 003) they read as a waiting period
                out.append(_Cand("benefit_start", year, {"from": "days_after_payment", "days": n},
                                 {"enrollee": enrollee}, _evidence_span(sent, pos, sent.start + days_after.end()),
                                 _base_conf(ysrc) - 0.1, [], order=pos))
                continue
            subject = sent.text[: days_after.start()]
            applies = _applies_phrase(subject)
            cond = {"applies_to": applies} if applies else {}
            out.append(_Cand("waiting_period", year, params, cond, _evidence_span(sent, pos, sent.start + days_after.end()),
                             _base_conf(ysrc) - 0.1, [], order=pos))
            continue
        if dur is None:
            # a variable part or a cap stated in its own sentence belongs to the waiting period before it
            if out and out[-1].sent_index >= 0 and sent.index - out[-1].sent_index <= 3:
                if variable:
                    out[-1].params.update(_variable_params(variable, mx))
                    _join_variable_subject(out[-1], sent.text[: variable.start()])
                elif mx and "variable_amount" in out[-1].params:
                    out[-1].params.update(_max_params(mx))
            continue
        assert owner is not None
        year, ysrc = _year_for(ctx, sent, min(owner.start, dur.start))
        params = {"amount": dur.value["amount"], "unit": dur.value["unit"]}
        if variable:
            params.update(_variable_params(variable, mx))
        cond: dict[str, Any] = {}
        exempt = []
        m = re.search(r"除\s*([^,，。；]{2,60}?)\s*(?:以)?外", sent.text)
        if m:
            exempt += phrase_to_groups(m.group(1))
        for bracket in _EXCEPT_BRACKET.finditer(sent.text):  # (新生儿、退役军人等除外)
            exempt += [g for g in phrase_to_groups(bracket.group(1)) if g not in exempt]
        exempt += [g for idx, gs in pending_exempt if sent.index - idx <= 3 for g in gs]
        lead_end = min(owner.start, dur.start) - sent.start
        lead = sent.text[m.end() if m and m.end() < lead_end else 0 : lead_end]
        applies = _applies_phrase(lead)
        if applies:
            cond["applies_to"] = applies
        if exempt:
            cond["exempt"] = list(dict.fromkeys(exempt))
        cand = _Cand("waiting_period", year, params, cond, _evidence_span(sent, min(owner.start, dur.start), dur.end),
                     _base_conf(ysrc), list(dur.flags), order=dur.start)
        cand.sent_index = sent.index
        if not variable:
            _variable_from_next(ctx, sent, cand)
        out.append(cand)
    return out


def _broken_variable(text: str) -> re.Match[str] | None:
    """The variable part of a wait (每断保1年增加1个月), or None; 每连续参保1年… is an incentive,
    not a longer wait for broken enrollment, unless the broken enrollment is named just before."""
    variable = _VARIABLE.search(text) or _VARIABLE_PLAIN.search(text)
    if variable and not (variable.group("pre") or variable.group("post")) \
            and not _BROKEN_BEFORE.search(text[max(0, variable.start() - 8) : variable.start()]):
        return None
    return variable


def _join_variable_subject(cand: _Cand, subject: str) -> None:
    """对断缴人员,每断缴1年…: who the variable part is for is also who the waiting period applies to."""
    subject = re.sub(r"^\s*(?:其中|对于|对)\s*[,，]?", "", subject)
    subject = re.sub(r"[,，]?\s*(?:断缴时间|中断时间)?\s*$", "", subject)
    have = cand.conditions.get("applies_to", [])
    # 未连续参保的 again after 未连续参保的人员 names nobody new
    new = [p for p in _applies_phrase(subject) if not any(p.rstrip("的") in h or h in p for h in have)]
    if new:
        cand.conditions["applies_to"] = have + new


def _variable_from_next(ctx: _Ctx, sent: Sentence, cand: _Cand) -> None:
    """断缴的,每断一年再多等1个月,最多等6个月: a variable part in a next sentence that names no
    waiting period itself (a sentence that does is read on its own turn)."""
    for nxt in ctx.sentences[sent.index + 1 : sent.index + 3]:
        if any(t.label in ("WAIT", "START") for t in nxt.triggers):
            return
        variable = _broken_variable(nxt.text)
        if variable:
            cand.params.update(_variable_params(variable, _MAX.search(nxt.text)))
            _join_variable_subject(cand, nxt.text[: variable.start()])
            return


def _in_replaced_quote(sent: Sentence, v: Value) -> bool:
    """将《通知》第三条“…设置6个月待遇等待期”调整为:…: a value quoted from the text being replaced."""
    head = sent.text[: sent.rel(v.start)]
    i = head.rfind("“")
    if i < 0 or "”" in head[i:]:
        return False
    j = sent.text.find("”", sent.rel(v.end))
    return j >= 0 and bool(re.match(r"^\s*(?:调整为|修改为|改为|变更为|修订为|废止)", sent.text[j + 1 : j + 8]))


def _enrollee_of(ctx: _Ctx, sent: Sentence) -> str | None:
    """first_time / continuous / interrupted from the sentence or the short heading before it."""
    words = {e: load_vocab(f"enrollee_{e}") for e in ("interrupted", "first_time", "continuous")}
    for text in (sent.text, ctx.sentences[sent.index - 1].text if sent.index > 0 else ""):
        found = next((e for e, ws in words.items() if _has_any(text, ws)), None)
        if found:
            return found
        if text is sent.text:
            continue
    return None


def _variable_params(variable: re.Match[str], mx: re.Match[str] | None) -> dict[str, Any]:
    """The part of a waiting period that grows: 每断保1年增加1个月, 合计不超过6个月 (the corpus'
    gold convention: variable_amount/_unit/_per, max_amount/_unit)."""
    out: dict[str, Any] = {"variable_amount": _small_int(variable.group("m")), "variable_unit": _UNITS[variable.group("mu")],
                           "variable_per": "year_of_broken_enrollment"}
    if mx:
        out.update(_max_params(mx))
    return out


def _max_params(mx: re.Match[str]) -> dict[str, Any]:
    return {"max_amount": _small_int(mx.group("n") or mx.group("n2")), "max_unit": _UNITS[mx.group("u") or mx.group("u2")]}


def _applies_phrase(lead: str) -> list[str]:
    lead = _QA_LEAD.sub("", lead.replace("\n", ""))  # a Q&A notice's 答: (and a hard-wrapped line's break)
    lead = re.sub(r"^[^,，]*?(?:起|开始)\s*[,，]", "", lead)  # 自2025年起,
    lead = re.sub(r"(?:设置|设立|实行|执行|参保后|固定|有|的|不超过)+\s*$", "", lead.strip(" ,，"))
    lead = re.sub(r"(?:设置|设立|实行|执行|参保后|固定|有|不超过)+\s*$", "", lead.strip(" ,，"))
    # the last comma part that names who, not when (自缴费之日起 / 按…标准缴费 are not people)
    parts = [p for p in re.split(r"[,，]", lead) if p.strip() and not re.match(r"^\s*(?:自|从|按|答)", p)]
    if not parts:
        return []
    phrase = parts[-1]
    while len(parts) > 1 and re.match(r"^\s*或", phrase):  # A,或B的人员: both alternatives
        parts.pop()
        phrase = parts[-1] + phrase
    # 未在集中缴费期内参保的,以及断保后再参保的,设置…: each part a conjunction joins on is one more
    phrases = [phrase]
    while len(parts) > 1 and re.match(r"^\s*(?:以及|及|和|与)", phrases[0]) and parts[-2].rstrip().endswith("的"):
        parts.pop()
        phrases.insert(0, parts[-1])
    out: list[str] = []
    for phrase in phrases:
        phrase = re.split(r"[:：]", phrase)[-1]  # ★特别提醒:集中缴费期结束后再参保的 → after the heading
        phrase = re.sub(r"(?:缴费后|参保后)$", "", phrase.strip())
        phrase = re.sub(r"^(?:以及|及|和|与|或者|或)", "", ENUMERATOR.sub("", phrase))  # 2.… / 二、… / 以及…
        phrase = re.sub(r"(?<=的)\s*自[^,，]*$|(?<=[员民户])\s*自[^,，]*$", "", phrase)  # …续保的自缴费之日起
        # keep only what names people or a situation (…的人员, 未连续参保, 在…期外参保缴费的),
        # not a scheme name left over from the sentence (将居民医保待遇等待期…)
        out += [p for p in phrase_to_alternatives(phrase)
                if re.search(r"的|人|参保|缴费|户|生|对象|者", p) and not re.search(r"(?:医保|保险)$", p)]
    return out


# --------------------------------------------------------------------------- assistance

# 个人再缴纳270元 / 个人缴费230元 / 自己只交300元: the amount right after says what the person still pays
_QA_LEAD = re.compile(r"^\s*[答问]\s*[:：]\s*")  # 答: / 问: opening a Q&A notice's clause
_NET_RIGHT_BEFORE = re.compile(r"(?:个人|自己)\s*(?:再|仅|只|只需|只要|只需要|需|还需)?\s*(?:缴纳|缴费|缴|交)\s*(?:为)?\s*$")
# 资助比例不低于个人缴费最低标准的70%: the rate of the standard an assistance pays
_RATE_OF_STANDARD = re.compile(r"(?:资助|补助)比例\s*(?:为|是)?\s*(?:不低于|不少于)?\s*(?:个人缴费(?:最低)?(?:标准)?的)?\s*$")
_ASSIST_GATE = re.compile(r"全额|定额|全部|全包|全给|[%％]|百分之|元|个人缴费部分")
_ASSIST_CTX = re.compile(r"资助|补助|补贴|代缴|减免")
# an assistance rate is followed at once by its verb: 按60%给予缴费补助, 50%资助
_ASSIST_AFTER = re.compile(r"^\s*(?:的)?\s*(?:标准)?\s*(?:给予|予以|进行|实行)?\s*(?:个人缴费|缴费|参保)?\s*(?:定比|比例|定额)?\s*(?:资助|补助|补贴|代缴|减免)")


def _assistance_rules(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    net_words = load_vocab("net_amount_triggers")
    not_assist = load_vocab("percent_not_assist")
    for sent in ctx.having("ASSIST"):
        trigs = _trig(sent, "ASSIST")
        if not trigs or not _ASSIST_GATE.search(sent.text):
            continue
        if "长期护理" in sent.text and "参加长期护理保险" in sent.text:
            continue
        stmts: list[dict[str, Any]] = []  # {mode, pos, amount?, percent?, net?, values}
        for t in trigs:
            mode = t.attrs.get("mode")
            if re.match(r"^\s*(?:对象|人员|范围|政策|资金)", sent.between(t.end, t.end + 3)):
                continue  # (一)全额资助对象。 names a heading, the statement follows
            if mode == "full":
                stmts.append({"mode": "full", "pos": t.start, "end": t.end, "flags": []})
            elif mode == "fixed":
                stmts.append({"mode": "fixed", "pos": t.start, "end": t.end, "flags": []})
        for v in _values(sent, "PERCENT"):
            if v.value is None:
                continue
            near = sent.between(v.start - 10, v.end + 10)
            after = sent.between(v.end, v.end + 10)
            before = sent.between(v.start - 10, v.start)
            if not (_ASSIST_AFTER.match(after) or re.search(
                    r"(?:资助|补助|补贴)\s*(?:个人缴费(?:标准)?的?)?\s*(?:比例|标准)?\s*(?:为|是|按照|按)?\s*(?:一半\s*[(（])?\s*$", before)
                    or _RATE_OF_STANDARD.search(sent.between(v.start - 18, v.start))):
                continue
            if _has_any(near, not_assist):
                continue
            if not v.trusted:
                stmts = []
                break
            st = {"mode": "percent", "pos": v.start, "end": v.end, "percent": v.value["percent"], "flags": list(v.flags)}
            if re.search(r"(?:不低于|不少于|至少)", sent.between(v.start - 16, v.start)):
                st["bound"] = "min"
            stmts.append(st)
        for v in _values(sent, "MONEY"):
            if v.value is None or _PER_YUAN.search(sent.between(v.start - 24, v.start)) \
                    or _INCREMENT.search(sent.between(v.start - 10, v.start)):
                continue  # (个人每缴1元,财政至少补助1.75元: a ratio; 再增加补助10元: an increment)
            before = sent.between(v.start - 14, v.start)
            if _has_any(before, net_words) or _has_any(before, load_vocab("after_assistance")) \
                    or _NET_RIGHT_BEFORE.search(before):
                stmts.append({"mode": "net", "pos": v.start, "end": v.end, "amount": v.value["amount"], "trusted": v.trusted})
            elif re.search(r"(?:资助|补助|补贴)(?:标准|金额)?\s*(?:为|是)?\s*(?:不低于|不少于)?\s*(?:每人每年|每人|人均)?\s*(?:不低于|不少于)?\s*$", before) or \
                    re.search(r"政府\s*补\s*$", before) or \
                    re.search(r"给予\s*(?:每人每年|每人)?\s*$", before) or \
                    re.search(r"(?:定额资助|定额补助|定额补贴)\s*[,，]?\s*(?:标准为)?\s*(?:每人每年|每人|人均)\s*$", before) or \
                    re.match(r"^\s*(?:的)?\s*(?:标准)?\s*(?:(?:给予|予以)\s*(?:定额)?|定额)?\s*(?:资助|补助|补贴)", sent.between(v.end, v.end + 10)):
                if "万" in v.text or "亿" in v.text or _FISCAL_STANDARD.search(sent.between(v.start - 30, v.start)):
                    continue  # (…人均财政补助标准为每人每年740元: the fiscal subsidy, not an assistance)
                bound = "min" if re.search(r"(?:不低于|不少于|至少)\s*(?:每人每年|每人|人均)?\s*$", before) else None
                stmts.append({"mode": "fixed_amount", "pos": v.start, "end": v.end, "amount": v.value["amount"],
                              "trusted": v.trusted, "flags": list(v.flags), "bound": bound})
        if not stmts and "个人缴费部分由" in sent.text and re.search(r"资助|代缴|承担|补助", sent.text):
            t = next(t for t in trigs)
            stmts.append({"mode": "full", "pos": t.start, "end": t.end, "flags": []})
        stmts.sort(key=lambda s: s["pos"])
        if not stmts:
            continue
        # fold: a fixed amount joins the fixed statement before it (or makes one); a net amount
        # joins the fixed statement before it; full and percent statements stand alone
        rules: list[dict[str, Any]] = []
        group_from = sent.start
        for st in stmts:
            if st["mode"] == "fixed_amount":
                if rules and rules[-1]["mode"] in ("full", "percent") and st["pos"] - rules[-1]["end"] <= 12 \
                        and not _assist_groups(sent.between(rules[-1]["end"], st["pos"])):
                    # 全额资助,资助420元 / 按80%资助,每人资助352元: what that full or percent
                    # assistance comes to, not another (fixed) assistance
                    rules[-1]["end"] = max(rules[-1]["end"], st["end"])
                    continue
                target = next((r for r in reversed(rules) if r["mode"] == "fixed"), None)
                if target is None:
                    groups = _assist_groups(sent.between(group_from, st["pos"]))
                    target = {"mode": "fixed", "pos": st["pos"], "end": st["end"], "groups": groups, "flags": []}
                    rules.append(target)
                if not st["trusted"]:
                    target["bad"] = True
                elif "amount" not in target:
                    target["amount"] = st["amount"]
                    target["flags"] += st["flags"]
                    if st.get("bound"):
                        target["bound"] = st["bound"]
                target["end"] = max(target["end"], st["end"])
                continue
            if st["mode"] == "net":
                # what the person still pays after the fixed or percent assistance before it
                # (按70%给予资助,个人缴纳120元); a full one leaves nothing to pay
                target = next((r for r in reversed(rules) if r["mode"] in ("fixed", "percent")), None)
                if target is not None and st["trusted"] and "net_personal_amount" not in target:
                    target["net_personal_amount"] = st["amount"]
                    target["end"] = max(target["end"], st["end"])
                continue
            phrase = sent.between(group_from, st["pos"])
            groups = _assist_groups(phrase)
            if re.search(r"上述|前述|以上(?:困难|人员|对象|群体)", phrase):
                groups = _listed_groups(ctx, sent) or groups  # 上述困难人员…: the groups listed just before
            same = next((r for r in rules if r["mode"] == st["mode"] and r.get("percent") == st.get("percent")), None)
            if same is not None and st["mode"] == "fixed" and "amount" in same \
                    and _assist_groups(sent.between(same["end"], st["pos"])):
                same = None  # 一类低保对象定额资助…300元,二类低保对象定额资助…200元: another group's own amount follows
            if same is not None:
                same["groups"] += [g for g in groups if g not in same["groups"]]
                same["end"] = max(same["end"], st["end"])
            else:
                rules.append({**st, "groups": groups})
            group_from = st["end"]
        paid = _paid_condition(sent, sent.start, sent.end)
        for r in rules:
            if r.get("bad"):
                continue
            params: dict[str, Any] = {"mode": r["mode"]}
            if r["mode"] == "fixed":
                if "amount" not in r:
                    continue  # 定额资助 without its amount: nothing a calculation can use
                params["amount"] = r["amount"]
                params["currency"] = "CNY"
                if r.get("bound"):
                    params["bound"] = r["bound"]
                if "net_personal_amount" in r:
                    params["net_personal_amount"] = r["net_personal_amount"]
            if r["mode"] == "percent":
                params["percent"] = r["percent"]
                if r.get("bound"):
                    params["bound"] = r["bound"]
                if "net_personal_amount" in r:
                    params["net_personal_amount"] = r["net_personal_amount"]
            year, ysrc = _year_for(ctx, sent, r["pos"])
            cond: dict[str, Any] = {}
            if r["groups"]:
                cond["groups"] = r["groups"]
            if "paid_before" in paid:
                cond["paid_before"] = paid["paid_before"]
            conf = _base_conf(ysrc) - (0.05 if not r["groups"] else 0.0)
            out.append(_Cand("assistance", year, params, cond, _evidence_span(sent, r["pos"], r["end"]), conf,
                             list(r.get("flags", [])), order=r["pos"]))
    return out


def _assist_groups(phrase: str) -> list[str]:
    """The groups before an assistance statement; in a list item (低保户:每人补助100元) the
    groups are the item's head, before its colon."""
    groups = phrase_to_groups(_group_phrase(phrase))
    if not groups:
        parts = re.split(r"[:：]", phrase)
        if len(parts) >= 2:
            groups = phrase_to_groups(_group_phrase(parts[-2]))
    return groups


def _group_phrase(phrase: str) -> str:
    """The group words of a phrase before an assistance statement (drop conditions and verbs)."""
    phrase = re.split(r"[；;:：]", phrase)[-1]
    phrase = re.sub(r"(?:政府|财政)?\s*(?:每人每年|每人)?\s*(?:给予)?\s*(?:补助|资助|补贴)\s*$", "", phrase)  # 低保户政府补助
    # a conditional 在…前完成…缴费的 / 参加…的 ends the group list
    phrase = re.sub(r"[,，]?\s*(?:在|于)[^,，]{0,30}(?:前|后|期间|以内)[^,，]{0,20}的\s*[,，]?", "，", phrase)
    phrase = re.sub(r"[,，]\s*\d{4}\s*年度?的?[^,，]*$", "", phrase)
    phrase = re.sub(r"[,，]?\s*(?:政府)?(?:对其|对)?\s*个人缴费部分[^,，]*$", "", phrase)
    return phrase


def _listed_groups(ctx: _Ctx, sent: Sentence) -> list[str]:
    """Groups listed line by line before a 上述/以上 statement (…包括: A；B；C)."""
    out: list[str] = []
    for prev in reversed(ctx.sentences[max(0, sent.index - 8) : sent.index]):
        text = prev.text.strip(" ；;。")
        if text.endswith((":", "：")) or len(text) > 50 or re.match(r"^[一二三四五六七八九十]+、|^[(（]", text):
            break
        out = phrase_to_groups(re.sub(r"^(?:民政|扶贫|残疾人联合会|残联|卫生计生|乡村振兴|医保)[^认]{0,6}认定的", "", text)) [:1] + out
    return out


# --------------------------------------------------------------------------- newborn, benefit start, coverage

_WINDOW = re.compile(r"(?P<n>\d+|[一二三四五六七八九十百]+)\s*(?P<u>个月|天|日|周)\s*(?:内|以内|之内)")


def _newborn_rules(ctx: _Ctx) -> list[_Cand]:
    cands: list[_Cand] = []
    birth, reg, nxt = load_vocab("newborn_birth"), load_vocab("newborn_registration"), load_vocab("newborn_next_month")
    for sent in ctx.having("NEWBORN"):
        trigs = _trig(sent, "NEWBORN")
        if not trigs:
            continue
        t = trigs[0]
        rest = sent.between(t.start, sent.end)
        full = sent.text
        benefit_from = None
        if _has_any(rest, birth) or _has_any(full, birth) and ("享受" in full or "报" in full):
            benefit_from = "birth"
        elif _has_any(full, reg):
            benefit_from = "registration"
        elif _has_any(full, nxt):
            benefit_from = "next_month_after_payment"
        if benefit_from is None or ("享受" not in full and "报" not in full):
            continue  # (…生下来就能报: a poster's 报 is 报销)
        params: dict[str, Any] = {"benefit_from": benefit_from}
        w = _WINDOW.search(full)
        if w and re.search(r"出生", full[max(0, w.start() - 8) : w.end() + 6]):
            unit = {"个月": "month", "天": "day", "日": "day", "周": "week"}[w.group("u")]
            n = _small_int(w.group("n"))
            if n:
                params = {"window_amount": n, "window_unit": unit, "benefit_from": benefit_from}
        elif re.search(r"出生\s*(?:后)?\s*\d+\s*(?:个月|天|日)\s*(?:后|以后)", full):
            continue  # the late case (出生3个月后参保的, 从缴费次月起): not the newborn rule
        year, ysrc = _year_for(ctx, sent, t.start)
        cands.append(_Cand("newborn_enrollment", year, params, {}, _evidence_span(sent, t.start, sent.end),
                           _base_conf(ysrc) - 0.05, [], order=t.start))
    with_window = [c for c in cands if "window_amount" in c.params]
    return with_window[:1] if with_window else cands[:1]


_START_TIME = re.compile(r"待遇(?:起始|开始)(?:时间|日期)\s*(?:为|是)\s*(?:缴费|参保缴费)(?:之日)?\s*(?:的)?\s*次月\s*(?:1\s*日)?")
_FROM_PYS = re.compile(r"(?:从|自|于)?\s*(?P<y>\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起|开始)")
_FROM_NEXT = re.compile(r"(?:缴费|缴纳|参保)[^,，。；]{0,8}次月\s*(?:1\s*日)?\s*(?:起|开始)")
# (compiled once: the benefit-start builder tests every sentence of the notice)
_HEADING_ITEM = re.compile(r"^\s*[(（][一二三四五六七八九十\d]+[)）]")
_HEADING_OPEN = re.compile(r"^\s*[(（一二三四五六七八九十]")
# 自缴费次日起享受待遇 (not 自缴费次日起满3个月后方可享受: a waiting period counted from then)
_FROM_NEXT_DAY = re.compile(r"(?:缴费|缴纳|参保)(?:之日)?\s*(?:的)?\s*次日\s*(?:起|开始)(?!\s*(?:满|计算|\d|[一二三四五六七八九十]))")
_FROM_THIRD = re.compile(r"第\s*(?:3|三)\s*个月\s*(?:1\s*日)?\s*(?:起|开始)")


def _benefit_start_rules(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    words = {e: load_vocab(f"enrollee_{e}") for e in ("interrupted", "first_time", "continuous")}
    prev_enrollee: str | None = None
    for sent in ctx.sentences:
        heading = len(sent.text) <= 16 or _HEADING_ITEM.match(sent.text)
        if heading and sent.text:
            found = next((e for e, ws in words.items() if _has_any(sent.text, ws)), None)
            if found or _HEADING_OPEN.match(sent.text):
                prev_enrollee = found
        if ("享受" not in sent.text and "待遇起始" not in sent.text) or not _trig(sent, "START"):
            continue
        text = sent.text
        frm = None
        m = None
        start_time = _START_TIME.search(text)
        if start_time:  # 待遇起始时间为缴费次月1日 (no 享受 needed)
            frm, m = "next_month_after_payment", start_time
        for name, rx in (() if start_time else (("third_month_after_payment", _FROM_THIRD),
                                                ("next_month_after_payment", _FROM_NEXT),
                                                ("days_after_payment", _FROM_NEXT_DAY),
                                                ("policy_year_start", _FROM_PYS))):
            m = rx.search(text)
            if m:
                frm = name
                break
        if frm is None or m is None or not re.search(r"缴纳|缴费|参保", text[: m.start()]):
            continue
        # a newborn, benefit-period or waiting-period clause near the payment condition reads it
        # (one long sentence may hold five rules: only the clauses around this one count)
        lo, hi = sent.start + m.start() - 30, sent.start + m.end() + 20
        if any(t.label in ("NEWBORN", "BENEFIT", "WAIT") and t.start < hi and t.end > lo
               and not (t.label == "WAIT" and re.search(r"(?:不设|无|免设|不再设置)\s*$", sent.between(t.start - 4, t.start)))
               for t in sent.triggers):
            continue  # (不设待遇等待期,自缴费次月1日起享受: a wait that is not there does not read it)
        if not start_time and ("享受" not in text[m.end() : m.end() + 20] or re.match(r"^\s*(?:至|到)", text[m.end() :])):
            continue  # 自2020年1月1日起至12月31日止享受: a benefit period
        enrollee = next((e for e, ws in words.items() if _has_any(text, ws)), None) or prev_enrollee
        pos = sent.start + m.start()
        year, ysrc = _year_for(ctx, sent, sent.start + m.start())
        if frm == "policy_year_start":
            y = int(m.group("y"))
            if ctx.policy_year is not None and y != ctx.policy_year:
                continue
            year, ysrc = y, "clause"
        cond: dict[str, Any] = {}
        if enrollee:
            cond["enrollee"] = enrollee
        cond.update({k: v for k, v in _paid_condition(sent, sent.start, pos).items() if k == "paid_between"})
        params: dict[str, Any] = {"from": frm, "days": 1} if frm == "days_after_payment" else {"from": frm}
        cand = _Cand("benefit_start", year, params, cond, _evidence_span(sent, sent.start, sent.start + m.end()),
                     _base_conf(ysrc) - 0.1, [], order=pos)
        if "paid_between" not in cond:
            cand.ref = _payment_ref(sent, pos)
        out.append(cand)
    return out


_BEFORE = re.compile(r"^\s*(?:前|以前|之前)")
_JOINED = re.compile(r"^\s*(?:和|及|以及|、|或|或者|与)\s*$")
_AFTER = re.compile(r"^\s*(?:以后|之后|后)")
_WITHIN = re.compile(r"^\s*(?:内|期间|以内)")


def _payment_ref(sent: Sentence, pos: int) -> tuple[str, str] | None:
    """The window a benefit start's payment condition names instead of dating it: 在集中缴费期内
    缴费的 (that phase's window), 在12月31日前缴费的 / 1月1日以后缴费的 (the part of the window
    containing the date before or after it)."""
    phased = [t for t in sent.triggers if t.label == "ENROLL" and t.attrs.get("phase") and t.end <= pos]
    for i in range(len(phased) - 1, -1, -1):
        t = phased[i]
        if _WITHIN.match(sent.between(t.end, t.end + 3)):
            if re.search(r"[未不非]", sent.between(t.start - 4, t.start)):
                return None  # 未能在集中缴费期内缴费的: paid outside that window, not inside it
            if i and _JOINED.match(sent.between(phased[i - 1].end, t.start)):
                # 在集中缴费期和延长缴费期内缴费的: from the first window's start to the second's end
                return ("phases", phased[i - 1].attrs["phase"] + "|" + t.attrs["phase"])
            return ("phase", t.attrs["phase"])
    for v in reversed(sent.values):
        if v.type != "DATE" or v.end > pos or not v.trusted or not v.value:
            continue
        tail = sent.between(v.end, v.end + 4)
        if _BEFORE.match(tail):
            return ("before", v.value["date"])
        if _AFTER.match(tail):
            return ("after", v.value["date"])
    return None


_DEADLINE_SAYS = re.compile(r"方可享受|不再享受|不予资助|逾期|仅适用于|应在|应于|须于|须在|需在|需于|务必")
_DEADLINE_WHO = {"定额": "fixed", "全额": "full", "按比例": "percent", "比例资助": "percent"}


def _assistance_deadline(ctx: _Ctx, cands: list[_Cand]) -> None:
    """资助对象在2025年12月31日前完成缴费的,方可享受资助 / 以上资助政策仅适用于…前完成缴费的人员: a
    sentence of its own that ties the assistance to paying before a date gives that date as the
    paid_before of the notice's assistance rules (of one kind only when it names it: 享受定额资助的人员…)."""
    assist = [c for c in cands if c.kind == "assistance" and "paid_before" not in c.conditions]
    if not assist:
        return
    for sent in ctx.sentences:
        text = sent.text
        if "资助" not in text or "前" not in text or not _DEADLINE_SAYS.search(text):
            continue
        if any(v.type in ("MONEY", "PERCENT") for v in sent.values):
            continue  # a statement of an assistance itself: its own paid_before is read with it
        dates = [v for v in sent.values if v.type == "DATE" and v.trusted and v.value
                 and re.match(r"^\s*(?:前|以前|之前)\s*(?:完成)?\s*(?:个人部分|个人)?\s*(?:参保|缴费|缴纳|登记|办理)",
                              sent.between(v.end, v.end + 14))]
        if len(dates) != 1:
            continue
        modes = {m for w, m in _DEADLINE_WHO.items() if w in text}
        for c in assist:
            if (not modes or c.params.get("mode") in modes) and (c.year is None or abs(int(dates[0].value["date"][:4]) - c.year) <= 1):
                c.conditions["paid_before"] = dates[0].value["date"]
        return


def _drop_fiscal_as_assistance(cands: list[_Cand]) -> list[_Cand]:
    """国家财政每人还补助700元以上: the fiscal subsidy, not a fixed assistance for nobody."""
    fiscal = [c for c in cands if c.kind == "fiscal_subsidy"]
    if not fiscal:
        return cands
    def taken(c: _Cand) -> bool:
        return (c.kind == "assistance" and c.params.get("mode") == "fixed" and not c.conditions.get("groups")
                and any(f.params.get("amount") == c.params.get("amount") and f.span[0] < c.span[1] and c.span[0] < f.span[1]
                        for f in fiscal))
    return [c for c in cands if not taken(c)]


def _concentrated_by_default(cands: list[_Cand], text: str) -> None:
    """The year's window stated without a phase word is the concentrated one when the notice
    speaks of a concentrated period (集中缴费期结束后再参保的…) or gives an extended window beside it,
    and names no other concentrated window for that year."""
    windows = [c for c in cands if c.kind == "enrollment_period"]
    for c in windows:
        if c.conditions.get("phase") or not c.params.get("start"):
            continue
        same_year = [w for w in windows if w is not c and w.year == c.year]
        if any(w.conditions.get("phase") == "concentrated" for w in same_year):
            continue
        later = [w for w in same_year if w.conditions.get("phase") == "extended" and w.params.get("start")
                 and w.params["start"] > c.params["start"]]
        # …or it is the year's only window (缴费时间:2021年9月1日至12月31日)
        if later or not same_year or _CONCENTRATED_NAMED.search(text):
            c.conditions["phase"] = "concentrated"


_CONCENTRATED_NAMED = re.compile(r"集中(?:参保)?(?:缴费|征缴|征收|参保)期")


def _resolve_payment_refs(cands: list[_Cand]) -> None:
    """paid_between for the benefit starts that name a window or a date inside one."""
    windows = [c for c in cands if c.kind == "enrollment_period" and c.params.get("start") and c.params.get("end")
               and c.confidence >= 0]
    for c in cands:
        if c.kind != "benefit_start" or c.ref is None or "paid_between" in c.conditions:
            continue
        how, what = c.ref
        if how == "phases":
            spans = []
            for phase in what.split("|"):
                found = sorted((w for w in windows if w.conditions.get("phase") == phase),
                               key=lambda w: (w.year != c.year, w.order))
                if found:
                    spans.append((found[0].params["start"], found[0].params["end"]))
            if spans:
                c.conditions["paid_between"] = [min(s for s, _ in spans), max(e for _, e in spans)]
            continue
        if how == "phase":
            found = [w for w in windows if w.conditions.get("phase") == what]
        else:
            found = [w for w in windows if w.params["start"] <= what <= w.params["end"]]
        found.sort(key=lambda w: (w.year != c.year, w.order))
        if not found:
            continue
        w = found[0]
        c.conditions["paid_between"] = {"phase": [w.params["start"], w.params["end"]],
                                        "before": [w.params["start"], what],
                                        "after": [what, w.params["end"]]}[how]


_COVERAGE_PLACE = re.compile(r"^(?:全[省市县区镇乡旗州盟]|全国)")
_COVERAGE_SCHEME = re.compile(r"(?:城乡)?(?:居民)?(?:基本)?(?:医保|医疗保险)$")
_TARGET = re.compile(r"确保|力争|达到|稳定在|保持|不低于|以上|目标|巩固|提高到|提升到|实现|争取|做到|要|应")
_STATISTIC = re.compile(r"较上年|同比|比上年|上年度|去年")  # a comparison: only in the value's own clause
_REPORTED = re.compile(r"截至|截止|目前|已达|已有|全年参保")  # a progress report: anywhere before the value


def _coverage_rules(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    min_words = load_vocab("min_bound")
    for sent in [x for x in ctx.sentences if x.triggers]:
        if "%" not in sent.text and "％" not in sent.text and "百分之" not in sent.text:
            continue
        trigs = _trig(sent, "COVERAGE")
        pcts = [v for v in _values(sent, "PERCENT") if v.value is not None]
        if not pcts:
            continue
        for v in pcts:
            owner = next((t for t in reversed(trigs) if t.end <= v.start and v.start - t.end <= 12), None)
            direct = re.match(r"^\s*(?:参保缴费|参保)", sent.between(v.end, v.end + 6))
            if owner is None and not direct:
                continue
            if "职工" in sent.between(max(sent.subclause_of(v.start)[0], v.start - 30), v.start):
                continue
            # (a statistic is worded in the target's own clause: 确保…不低于上年度,户籍人口参保率稳定在95%以上)
            lead_all = sent.between(sent.subclause_of(owner.start if owner else v.start)[0], v.start)
            if _STATISTIC.search(lead_all) or _REPORTED.search(sent.between(sent.start, v.start)) \
                    or not _TARGET.search(sent.between(sent.start, v.end + 4)):
                continue  # 截至目前参保率为85.3%: a statistic, not a target
            if not v.trusted:
                continue
            gap = sent.between(owner.end, v.start) if owner else ""
            tail = sent.between(v.end, v.end + 4)
            lead = sent.between(sent.start, owner.start if owner else v.start)
            # the groups of a second target in one sentence follow the first one's value
            # (户籍人口参保率稳定在95%以上,脱贫人口、低保对象参保率达到100%)
            lead_from = max((p.end for p in pcts if p.end <= (owner.start if owner else v.start)), default=sent.start)
            bound = "min" if (_has_any(gap, min_words) or tail.startswith(("以上", "及以上")) or
                              (direct and re.search(r"确保|实现|力争|达到", lead))
                              or v.value["percent"] == "100") else "exact"  # (保持100%: nothing above it)
            m = list(re.finditer(r"确保|力争|推动|实现|保持|做到|其中|要", lead))
            phrase = lead[m[-1].end() :] if m else lead.split("，")[-1].split(",")[-1]
            if lead_from > sent.start:
                phrase = re.sub(r"^\s*(?:及)?以上\s*", "", sent.between(lead_from, owner.start if owner else v.start))
            # 全县户籍人口基本医保参保率: the group without the place and the scheme's name
            phrase = _QA_LEAD.sub("", phrase.strip(" ,，"))
            phrase = _COVERAGE_SCHEME.sub("", _COVERAGE_PLACE.sub("", phrase))
            groups = [g for g in phrase_to_groups(phrase) if not re.search(r"居民医保|基本医疗保险|医疗保险", g)]
            year, ysrc = _year_for(ctx, sent, v.start)
            cond = {"groups": groups} if groups else {}
            out.append(_Cand("coverage_target", year, {"percent": v.value["percent"], "bound": bound}, cond,
                             _evidence_span(sent, owner.start if owner else v.start, v.end),
                             _base_conf(ysrc) - 0.05, list(v.flags), order=v.start))
    return out


# --------------------------------------------------------------------------- merge, flags, output


def _key(c: _Cand) -> tuple[Any, ...]:
    """Same key = the same rule stated again (one rule, more evidence)."""
    p, k = c.params, c.kind
    if k == "personal_contribution":
        return (k, c.year, p.get("amount"), c.conditions.get("scheme"), _pop_key(c))
    if k == "fiscal_subsidy":
        # one subsidy for every tier (a table row per tier, and the prose again) is one rule; a
        # table's bare figure and the prose's 不低于 are one rule too (the merge keeps min)
        return (k, c.year, p.get("amount"))
    if k in ("enrollment_period", "benefit_period"):
        return (k, c.year, p.get("start"), p.get("end"))
    if k == "waiting_period":
        return (k, c.year, p.get("amount"), p.get("unit"))
    if k == "assistance":
        return (k, c.year, p.get("mode"), p.get("amount"), p.get("percent"), p.get("net_personal_amount"))
    if k == "newborn_enrollment":
        return (k, c.year)
    if k == "benefit_start":
        return (k, c.year, p.get("from"), p.get("days"))
    return (k, c.year, p.get("percent"), p.get("bound"), tuple(c.conditions.get("groups", [])))


def _population(phrases: list[str]) -> str:
    """The population words of the first phrase naming a tier (2022年度成年居民个人缴费标准为 → 成年居民)."""
    for phrase in phrases:
        phrase = re.sub(r"[(（][^()（）]*[)）]", "", phrase)
        for piece in reversed(re.split(r"\d{4}\s*年度?|上一?年度?|去年|个人|每人|缴费|缴纳|标准|统一|按照|\d+\s*元|[按为,，:：;；]", phrase)):
            if phrase_to_tiers(piece):
                return piece.strip(" 、")
        grades = _GRADE_WORD.findall(phrase)  # 一档个人缴费标准为400元,二档…为775元 / 一档为420元、二档为720元
        if grades:
            return grades[-1]
    return "all"


_GRADE_WORD = re.compile(r"[一二三四五六1-6高中低]\s*档(?!次)")


def _pop_key(c: _Cand) -> Any:
    """The same population however it was worded (未成年人和在校学生 = 在校学生、未成年人)."""
    pop = c.conditions.get("population")
    if pop in (None, "all"):
        return pop
    return (phrase_to_tiers(pop) or pop, tuple(re.findall(r"[一二三四五六1-6高中低]\s*档", pop)))


def _conflict_key(c: _Cand) -> tuple[Any, ...] | None:
    """Same conflict key with different values = the notice contradicts itself."""
    if c.kind == "personal_contribution":
        return (c.kind, c.year, c.conditions.get("scheme"), _pop_key(c),
                c.conditions.get("paid_before"), tuple(c.conditions.get("paid_between", [])))
    if c.kind == "fiscal_subsidy":
        return (c.kind, c.year, c.conditions.get("population"))
    if c.kind == "enrollment_period" and c.conditions.get("phase"):
        return (c.kind, c.year, c.conditions["phase"])
    if c.kind == "benefit_period":
        return (c.kind, c.year)
    return None


def _merge(cands: list[_Cand]) -> list[_Cand]:
    merged: dict[tuple[Any, ...], _Cand] = {}
    for c in sorted(cands, key=lambda c: c.order):
        k = _key(c)
        if c.kind == "assistance" and k in merged:
            # the same assistance for other groups (特困人员 全额; 70岁以上老年人 全额) is another rule
            have, new = set(merged[k].conditions.get("groups", [])), set(c.conditions.get("groups", []))
            n = 1
            while k in merged and have and new and not (have & new):
                k = _key(c) + (n,)
                n += 1
                have = set(merged[k].conditions.get("groups", [])) if k in merged else set()
        if k not in merged:
            merged[k] = c
            continue
        m = merged[k]
        if c.span != m.span and c.span not in m.also:
            m.also.append(c.span)
        m.confidence = min(0.99, max(m.confidence, c.confidence) + 0.02)
        for name in ("groups", "applies_to", "exempt"):
            if name in c.conditions:
                have = m.conditions.setdefault(name, [])
                have += [g for g in c.conditions[name] if g not in have]
        if c.kind == "fiscal_subsidy" and "min" in (c.params.get("bound"), m.params.get("bound")):
            m.params["bound"] = "min"
        if c.kind == "fiscal_subsidy" and c.conditions.get("population") != m.conditions.get("population"):
            m.conditions.pop("population", None)  # the same subsidy for several tiers: for all of them
        for name, val in c.conditions.items():
            if not (c.kind == "fiscal_subsidy" and name == "population"):
                m.conditions.setdefault(name, val)
        for name, val in c.params.items():
            m.params.setdefault(name, val)
    out = list(merged.values())
    by_conflict: dict[tuple[Any, ...], list[_Cand]] = {}
    for c in out:
        ck = _conflict_key(c)
        if ck is not None:
            by_conflict.setdefault(ck, []).append(c)
    for group in by_conflict.values():
        if len({_key(c) for c in group}) > 1:
            for c in group:
                if Flag.conflict.value not in c.flags:
                    c.flags.append(Flag.conflict.value)
                c.confidence = min(c.confidence, 0.5)
    return out


def _fallback_policy_year(text: str) -> int | None:
    """The notice's insurance year when metadata has none: its most stated YYYY年度."""
    years = Counter(int(m.group(1)) for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})\s*年度", text[:3000]))
    if not years:
        return None
    return years.most_common(1)[0][0]


_BUILDERS: tuple[Callable[[_Ctx], list[_Cand]], ...] = (
    lambda ctx: _amount_rules(ctx, "CONTRIB", "personal_contribution", load_vocab("contrib_blockers")),
    lambda ctx: _amount_rules(ctx, "FISCAL", "fiscal_subsidy", load_vocab("fiscal_blockers")),
    _listed_contributions,
    _enrollment_rules,
    _benefit_period_rules,
    _waiting_rules,
    _assistance_rules,
    _newborn_rules,
    _benefit_start_rules,
    _coverage_rules,
)


def facts_to_rules(document: NoticeDocument, norm: Normalised, doc: Any, facts: list[Fact]) -> list[Rule]:
    """Build the contract's rules from one notice's normalised text, Doc and facts.

    Appends `not_relevant` to document.flags (and returns no rules) for a notice that is not
    about resident medical-insurance enrollment or contributions.
    """
    text = norm.text
    if not text_is_relevant(text, document.title):
        if Flag.not_relevant.value not in document.flags:
            document.flags.append(Flag.not_relevant.value)
        return []
    py = document.policy_year
    py_inferred = False
    if py is None:
        py, py_inferred = _fallback_policy_year(text), True
    values = facts_to_values(facts, norm.offsets)
    sentences = text_to_sentences(text, doc, values, default_year=py)
    table_lines = _table_blocks(text)
    # rows of tables read by their columns (个人缴费 / 财政补助 / 资助 …) are not sentences; the
    # rows of any other table (a schedule: 补缴期 | 2027年1月1日至2月28日 | …) are one sentence each
    read: list[Any] = []
    unread: list[Any] = []
    for blk in table_lines:
        (read if _table_is_read(blk) else unread).append(blk)
    rows = [(s, e) for blk in read for s, e, _ in blk]
    kept = [sent for sent in sentences if _span_at(rows, sent.start) is None] if rows else sentences
    other_rows = [(s, e) for blk in unread for s, e, _ in blk[1:]]
    if other_rows:
        kept = _rows_as_sentences(kept, other_rows, text)
        _benefit_columns(kept, unread)
    cells = [c for blk in read for c in _year_cells(blk, sentences)]
    if cells:
        kept = sorted(kept + cells, key=lambda x: x.start)
    ctx = _Ctx(document, norm, kept, py, py_inferred,
               sorted(values, key=lambda v: v.start))
    for i, sent in enumerate(ctx.sentences):
        sent.index = i
    _answer_questions(ctx.sentences)
    _continue_contributions(ctx.sentences)
    _continue_respectively(ctx.sentences)
    _continue_bare_amounts(ctx.sentences)
    cands: list[_Cand] = _table_rules(ctx, table_lines)
    for build in _BUILDERS:
        cands += build(ctx)
    cands += _pair_respectively_asides(ctx, cands)
    rules = []
    cands = [c for c in cands if c.confidence >= 0]
    _concentrated_by_default(cands, text)
    cands = _drop_fiscal_as_assistance(cands)
    cands = _drop_quoted_floors(cands)
    _resolve_payment_refs(cands)
    _assistance_deadline(ctx, cands)
    for c in sorted(_merge(cands), key=lambda c: c.order):
        flags = list(dict.fromkeys(c.flags))
        flags += [f for f in rule_to_sanity_flags(c.kind, c.year, c.params, document.published, c.conditions)
                  if f not in flags]
        conf = c.confidence
        if {"window_reversed", "percent_over_100", "amount_out_of_range", "before_publication"} & set(flags):
            conf = min(conf, 0.5)
        if conf < 0.6 and Flag.low_confidence.value not in flags:
            flags.append(Flag.low_confidence.value)
        rules.append(Rule(kind=RuleKind(c.kind), policy_year=c.year, region=document.region.model_copy(),
                          params=c.params, conditions=c.conditions, evidence=_evidence(norm, c.span),
                          also_evidence=[_evidence(norm, s) for s in c.also], confidence=round(conf, 2), flags=flags))
    return rules


_QUESTION = re.compile(r"(?:多少|多少钱|什么时候交?|何时|哪些|怎么|如何|吗|呢)\s*$")


_VALUE_HINT = re.compile(r"\d\s*(?:元|%|％|个月|日|天|号)|\d\s*月")


def _answer_questions(sentences: list[Sentence]) -> None:
    """一、交多少钱? / 2023年度每人380元。: a question heading's trigger also heads its answer
    (a zero-width copy at the answer's start, so distances read as if the answer said it)."""
    for sent, nxt in zip(sentences, sentences[1:]):
        if not sent.triggers or sent._loader is None:
            continue
        if nxt.triggers:
            # an answer that names a rule itself reads on its own, unless it opens with the value
            # the heading asks for (📌 什么时候交？ / 2024年9月1日—12月31日,…要等3个月…)
            digit = re.search(r"\d", nxt.text)
            if {t.label for t in nxt.triggers} & {t.label for t in sent.triggers} or nxt._subclauses \
                    or digit is None or nxt.start + digit.start() > nxt.triggers[0].start:
                continue
        # the normaliser reads a lone ASCII ? after a character as a lost one: a short heading
        # ending in a question word is a question too
        question = sent.text.endswith(("?", "？")) or len(sent.text) <= 16 and _QUESTION.search(sent.text)
        # 二、集中缴费时间 / 2022年9月1日至2022年12月31日。: a heading naming the rule, then its value
        heading = len(sent.text) <= 16 and ENUMERATOR.match(sent.text) and re.match(r"^\s*\d", nxt.text) \
            and _VALUE_HINT.search(nxt.text)  # (not 2025年度本市居民医保实行分类缴费: — a lead-in, no value)
        if not (question or heading):
            continue
        _lend_triggers(sent, nxt, [t for t in sent.triggers if t.label in ("CONTRIB", "ENROLL", "WAIT", "BENEFIT", "NEWBORN")])


# 上年度(2021年度)成年居民为320元、未成年人为290元: another year's standard, tier by tier
_OTHER_YEAR_HEAD = re.compile(r"^\s*(?:上年度|上一年度|去年|上年|(?:19|20)\d{2}\s*年度)\s*(?:[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）])?")
_YEAR_CHANGE_HEAD = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?\s*(?:起\s*)?(?:调整为|提高到|提高至|增加到|增至|上调至|为|是)\s*"
                               r"(?:每人每年|每人)?\s*\d+(?:\.\d+)?\s*元")


def _continue_contributions(sentences: list[Sentence]) -> None:
    """成年居民一档每人每年180元,二档每人每年350元;少年儿童和在校学生统一按一档缴费,每人每年150元。:
    a tier's amount in the clause after a contribution clause (cut at ;) continues it."""
    for sent, nxt in zip(sentences, sentences[1:]):
        if sent._loader is None or nxt.triggers or "元" not in nxt.text:
            continue
        last = sent.triggers[-1] if sent.triggers else None
        if last is None or last.label != "CONTRIB":
            continue
        # 2025年度…个人缴费标准为每人每年400元。2026年度调整为每人每年420元,2027年度调整为…: the next
        # years of the standard just stated
        if not (sent.text.endswith((";", "；")) and phrase_to_tier(nxt.text[:12])) and not _YEAR_CHANGE_HEAD.match(nxt.text) \
                and not (_OTHER_YEAR_HEAD.match(nxt.text) and phrase_to_tier(nxt.text[:24])):
            continue
        _lend_triggers(sent, nxt, [Trigger("CONTRIB", 0, 0, "", {})])


_BARE_PER_HEAD = re.compile(r"^\s*(?:今年|今年度|本年度)?\s*每人(?:每年)?\s*(?:是|为|要交|交)?\s*\d+(?:\.\d+)?\s*元")
_PAYING_NOW = re.compile(r"(?:开始|启动)\s*(?:缴费|交费|收缴|征缴)\s*(?:了|啦)?\s*[!！。]?$")


def _continue_bare_amounts(sentences: list[Sentence]) -> None:
    """2023年度城乡居民医疗保险开始缴费了！每人380元，…: a poster's bare 每人…元 right after it says
    the payment has started is the contribution."""
    for sent, nxt in zip(sentences, sentences[1:]):
        if not _BARE_PER_HEAD.match(nxt.text) or not _PAYING_NOW.search(sent.text):
            continue
        if any(t.label in ("CONTRIB", "ASSIST") for t in nxt.triggers) or any(t.label == "ASSIST" for t in sent.triggers):
            continue
        loader = nxt._loader or sent._loader or next((x._loader for x in sentences if x._loader is not None), None)
        if loader is not None and not nxt._subclauses:  # (values not read yet: the loader still runs)
            nxt._loader = loader
            _lend_triggers(sent, nxt, [Trigger("CONTRIB", 0, 0, "", {})])


def _continue_respectively(sentences: list[Sentence]) -> None:
    """…成年居民每人每年590元,学生儿童每人每年420元。2026年度分别为560元和400元: a sentence of
    amounts listed respectively, right after a contribution sentence, continues it."""
    for sent, nxt in zip(sentences, sentences[1:]):
        if nxt.triggers or sent._loader is None or "分别" not in nxt.text or nxt.text.count("元") < 2:
            continue
        if any(t.label == "CONTRIB" for t in sent.triggers):
            _lend_triggers(sent, nxt, [Trigger("CONTRIB", 0, 0, "", {})])


def _lend_triggers(sent: Sentence, nxt: Sentence, triggers: list[Trigger]) -> None:
    """Zero-width copies of `triggers` at the start of the next sentence (distances then read as
    if that sentence named them), which then reads its values the way `sent` does; the next
    sentence's own triggers of other kinds stay (2024年9月1日—12月31日,过了这个时间再交的,要等3个月…)."""
    lent = [Trigger(t.label, nxt.start, nxt.start, "", t.attrs) for t in triggers]
    if lent:
        nxt.triggers = lent + nxt.triggers
        nxt._by_label = None
        if nxt._loader is None:
            nxt._loader = sent._loader


def _rows_as_sentences(sentences: list[Sentence], rows: list[tuple[int, int]], text: str) -> list[Sentence]:
    """The cell sentences of each row (cut at |) joined into one sentence for the row."""
    loader = next((x._loader for x in sentences if x._loader is not None), None)
    out: list[Sentence] = []
    group: list[Sentence] = []
    row: tuple[int, int] | None = None

    def flush() -> None:
        if not group:
            return
        joined = Sentence(0, group[0].start, group[-1].end, text[group[0].start : group[-1].end])
        joined.triggers = [t for x in group for t in x.triggers]
        if joined.triggers and loader is not None:
            joined._loader = loader
        out.append(joined)
        group.clear()

    for sent in sentences:
        here = _span_at(rows, sent.start)
        if here is not None and here == row:
            group.append(sent)
            continue
        flush()
        row = here
        if here is not None:
            group.append(sent)
        else:
            out.append(sent)
    flush()
    return out


_BENEFIT_HEAD = re.compile(r"待遇享受|享受待遇|待遇起始|享受时间|待遇时间")


def _benefit_columns(sentences: list[Sentence], blocks: list[Any]) -> None:
    """阶段 | 缴费时间 | 待遇享受时间 / 集中缴费期 | 2023年9月1日至12月31日 | 2024年1月1日至12月31日: a cell under a
    benefit-time header is a benefit window (a zero-width benefit trigger at the cell's start, so the
    row's own 集中缴费期 does not take it)."""
    starts = [x.start for x in sentences]
    loader = next((x._loader for x in sentences if x._loader is not None), None)
    for blk in blocks:
        head = blk[0][2]
        cols = [j for j, (_, _, h) in enumerate(head) if _BENEFIT_HEAD.search(h)]
        for j in cols:
            for _, _, cells in blk[1:]:
                if len(cells) != len(head):
                    continue
                cs = cells[j][0]
                i = bisect.bisect_right(starts, cs) - 1
                if i < 0 or not (sentences[i].start <= cs < sentences[i].end):
                    continue
                sent = sentences[i]
                sent.triggers = sorted(sent.triggers + [Trigger("BENEFIT", cs, cs, "", {})], key=lambda t: t.start)
                sent._by_label = None
                if sent._loader is None and not sent._subclauses:
                    sent._loader = loader


def _year_cells(block: list[Any], sentences: list[Sentence]) -> list[Sentence]:
    """项目 | 2025年度 | 2026年度 / 集中缴费期 | 2024年9月1日至12月31日 | 2025年9月1日至12月31日: the
    cells of a year-column table's rows that are not amounts (windows, waiting periods), each a
    sentence of its column's year that reads as if its row's label were said before it."""
    head = block[0][2]
    years = _year_columns(head)
    if not years:
        return []
    by_start = {x.start: x for x in sentences}
    out: list[Sentence] = []
    for _, _, cells in block[1:]:
        if len(cells) != len(head) or _row_kind(cells[0][2]) is not None:
            continue  # a row of amounts is read by _table_rules
        label = by_start.get(cells[0][0])
        if label is None or not label.triggers or label._loader is None:
            continue
        for j, year in years.items():
            cs, ce, cell = cells[j]
            sent = Sentence(0, cs, ce, cell)
            _lend_triggers(label, sent, label.triggers)
            sent._loader = _with_year(label._loader, year)
            out.append(sent)
    return out


def _with_year(loader: Callable[[Sentence], Any], year: int) -> Callable[[Sentence], Any]:
    def load(sent: Sentence) -> None:
        loader(sent)
        sent._years = [(sent.start, sent.start, year)] + list(sent._years)  # the column's year heads the cell
    return load


def _span_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The one of `spans` (sorted, never overlapping: table rows are lines) that holds pos, if any."""
    i = bisect.bisect_right(spans, (pos, _BIG)) - 1
    return spans[i] if i >= 0 and spans[i][0] <= pos < spans[i][1] else None


_BIG = 1 << 62


def _evidence(norm: Normalised, span: tuple[int, int]) -> Evidence:
    s, e = norm.to_original(*span)
    return Evidence(quote=norm.original[s:e], start=s, end=e)
