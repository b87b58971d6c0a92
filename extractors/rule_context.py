"""The rule builder's working state and helpers: candidates, the notice context, year and evidence choice.

Split from rules.py (which keeps the per-kind builders); names keep their leading
underscore because they are private to the rule builder, not part of extractors' API.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .clauses import Sentence, Trigger, Value, load_vocab
from .contract import NoticeDocument
from .normalise import Normalised

__all__: list[str] = []


@dataclass
class _Cand:
    kind: str
    year: int | None
    params: dict[str, Any]
    conditions: dict[str, Any]
    span: tuple[int, int]  # normalised offsets of the evidence
    confidence: float
    flags: list[str] = field(default_factory=list)
    order: int = 0
    also: list[tuple[int, int]] = field(default_factory=list)
    sent_index: int = -1  # the sentence a waiting period was read from (a variable part may follow)
    # a benefit start's payment condition named by reference, resolved against the notice's
    # windows: ("phase", "concentrated") for 在集中缴费期内缴费的, ("before"|"after", ISO date)
    ref: tuple[str, str] | None = None
    floor: bool = False  # a contribution stated only as a floor (不低于), a higher level's quoted
    value_at: int = -1  # where the amount a contribution or subsidy was read from starts


@dataclass
class _Ctx:
    document: NoticeDocument
    norm: Normalised
    sentences: list[Sentence]
    policy_year: int | None
    py_inferred: bool
    facts: list[Value] = field(default_factory=list)
    _index: dict[str, list[Sentence]] | None = None

    def having(self, *labels: str) -> list[Sentence]:
        """The sentences with a trigger of one of `labels` (in order)."""
        if self._index is None:
            self._index = {}
            for sent in self.sentences:
                for label in sent.labels():
                    self._index.setdefault(label, []).append(sent)
        if len(labels) == 1:
            return self._index.get(labels[0], [])
        return sorted({id(x): x for l in labels for x in self._index.get(l, [])}.values(), key=lambda x: x.start)


# --------------------------------------------------------------------------- helpers


def _has_any(text: str, words: list[str]) -> str | None:
    for w in words:
        if w in text:
            return w
    return None


def _year_for(ctx: _Ctx, sent: Sentence, pos: int) -> tuple[int | None, str]:
    """The policy year a value at `pos` is stated for: the nearest year mention before it
    in its sentence (within a year of the notice's policy year), else the notice's year."""
    py = ctx.policy_year
    mentions = [(s, e, y) for s, e, y in sent.years if e <= pos]
    if py is not None and mentions:
        # 自2025年起,…设置3个月等待期 in a 2026 notice: a rule in force since then, still the
        # notice's year's rule (a later year, 从2027年度起, is a future rule and keeps its year)
        mentions = [(s, e, y) for s, e, y in mentions
                    if not (y < py and _SINCE.search(sent.between(s - 2, s)) and _SINCE_AFTER.match(sent.between(e, e + 8)))]
    if mentions and ("）" in sent.text or ")" in sent.text):
        # 220元（2018年度原新农合个人缴费标准为…180元），各级财政补助…490元: a year inside an
        # aside that closed before the value is the aside's
        mentions = [(s, e, y) for s, e, y in mentions if not _in_closed_aside(sent, s, pos)]
    if mentions:
        # (2023年度为350元),各级财政补助…670元: a year that an amount right after it took
        # is that amount's, not the next value's
        money = [v.start for v in sent.values if v.type == "MONEY" and v.end <= pos]
        if money:
            # … but not within one list of that year's values (2025年度的标准为成年居民690元、未成年人450元 /
            # (2025年度一档为400元、二档为700元)): no clause break between that amount and this value
            mentions = [(s, e, y) for s, e, y in mentions
                        if not any(e <= m <= e + 8 and _CLAUSE_BREAK.search(sent.between(m, pos)) for m in money)]
    # a year right before the value (2022年为350元) is its year even if a few years back;
    # farther away, only the notice's year ±1 is taken (other years are history or citations)
    before = [(s, y) for s, e, y in mentions
              if py is None or abs(y - py) <= 1 or (pos - e <= 6 and abs(y - py) <= 5)]
    if before:
        # 在过渡期内(2024年至2025年)…: a span of years governs from its first year
        years = mentions
        if len(years) >= 2 and years[-1][0] == before[-1][0] and \
                re.match(r"^\s*(?:度)?\s*(?:至|到|-|—|－|~|～)\s*$", sent.between(years[-2][1], years[-1][0])):
            return years[-2][2], "clause"
        return before[-1][1], "clause"
    nearest = [(e, y) for s, e, y in mentions]
    if py is not None and nearest:
        # 2021年度个人缴费标准为280元 in a 2024 notice: history, not a rule for the notice's year
        return None, "history"
    if py is not None:
        head = sent.between(sent.start, pos)
        # (2024年度个人缴费为380元,财政补助为670元。): an aside whose year heads it
        aside = max(head.rfind("("), head.rfind("（"))
        if aside >= 0 and ")" not in head[aside:] and "）" not in head[aside:]:
            m = re.match(r"[(（]\s*((?:19|20)\d{2})\s*年", head[aside:])
            if m and abs(int(m.group(1)) - py) <= 5:
                return int(m.group(1)), "clause"
        if _LAST_YEAR_HEAD.match(head):  # 上年度个人缴费400元、财政补助700元
            return py - 1, "clause"
        return py, "inferred" if ctx.py_inferred else "document"
    return None, "none"


_CLAUSE_BREAK = re.compile(r"[,，;；。)）]|提高|调整|增加|上调|提升|增至|降低|降至")  # (…700元提高到730元: a new value)


def _in_closed_aside(sent: Sentence, at: int, pos: int) -> bool:
    """Whether `at` lies inside a bracket that opens and closes before `pos`."""
    head = sent.between(sent.start, pos)
    rel = at - sent.start
    opened = max(head.rfind("(", 0, rel), head.rfind("（", 0, rel))
    if opened < 0 or max(head.rfind(")", opened, rel), head.rfind("）", opened, rel)) >= 0:
        return False  # no bracket open at `at`
    return head.find(")", rel) >= 0 or head.find("）", rel) >= 0


_LAST_YEAR_HEAD = re.compile(r"^\s*(?:上年度|上一年度|去年|上年)(?!度?\s*(?:基础|同期|相比|以来|已参保|参保|未参保|已缴费|缴费的))")
_SINCE = re.compile(r"[自从]\s*$")
_SINCE_AFTER = re.compile(r"^\s*(?:1\s*月\s*1\s*日)?\s*(?:起|开始)")


def _evidence_span(sent: Sentence, lo: int, hi: int) -> tuple[int, int]:
    """The sentence, or for a long sentence the sub-clauses from `lo` to `hi`."""
    if sent.end - sent.start <= 160:
        return sent.start, sent.end
    s = sent.subclause_of(lo)[0]
    e = sent.subclause_of(max(lo, hi - 1))[1]
    while e > s and sent.between(e - 1, e) in "，,：:":
        e -= 1
    return s, e


def _base_conf(year_src: str) -> float:
    # Confidence starts from where the policy year came from (stated in the clause > the
    # notice's year > inferred) and loses a little for each inference (a local value no fact
    # confirmed -0.03, an inferred window year -0.05, a window end taken from a window before
    # -0.1); conflicts and sanity flags cap it at 0.5 and below 0.6 a rule gets low_confidence.
    # Set by hand while building on the seeds and corpus/own: an ordering for reviewers
    # (which rule to check first), not a calibrated probability.
    # "history" (a value stated for a year far from the notice's) marks the candidate for removal
    return {"clause": 0.95, "document": 0.9, "inferred": 0.8, "none": 0.6, "history": -1.0}[year_src]


def _values(sent: Sentence, vtype: str) -> list[Value]:
    return [v for v in sent.values if v.type == vtype]


def _trig(sent: Sentence, label: str) -> list[Trigger]:
    return sent.with_label(label)


def _day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


_LEVEL_SHARE = re.compile(r"(?<![我全本各])(?:中央|省级|省|市级|市|县级|县|市县|区级|区)(?:级)?$")
_CHANGE_TO = re.compile(
    r"^\s*(?:/人)?[^,，。；]{0,4}?(?:提高到|提高至|提高为|调整为|调整到|调整至|改为|变为|增加到|增加至|增至|上调至|上调为|"
    r"延长至|延长为|延长到|缩短为|缩短至|降低为|降至)"
)


def _is_old_value(sent: Sentence, v: Value) -> bool:
    """由现行的3个月调整为6个月 / 由380元提高到400元: the first value is the old one.
    With its own year (由2023年的380元提高到2024年的400元) it is last year's value, kept."""
    if not _CHANGE_TO.match(sent.between(v.end, v.end + 12)):
        return False
    before = sent.between(v.start - 10, v.start)
    i = max(before.rfind("由"), before.rfind("从"))
    return i >= 0 and not re.search(r"\d{4}\s*年", before[i:])


_INCREASE_RE = re.compile("(?:" + "|".join(map(re.escape, load_vocab("increase_words"))) + r")\s*$")


