"""Clause recognition: sentences of normalised text, rule triggers (spaCy PhraseMatcher) and the values in each.

The rule builder (rules.py) works sentence by sentence. This module cuts norm.text into
sentences (。；!? and line breaks, which is finer than a sentencizer needs to be for rules:
one notice sentence often states two rules either side of a ；), finds the trigger phrases
of every rule kind with one PhraseMatcher pass over the whole Doc (patterns live in
data/rule_triggers.jsonl), and reads the typed values (dates, windows, money, percentages,
durations) inside the sentences that have a trigger.

Values come from two sources, merged: the facts H1's pipeline found (mapped from original
to normalised offsets; they win where they overlap, and a fact flagged invalid_date /
corrupt / incomplete or with value None makes the value untrusted) and a small local
reader for what rules need beyond facts: month-only windows (9月至11月), month ends
(至次年2月底) and year-less ends (至12月31日) resolved against the window's start.

    >>> s = text_to_sentences("个人缴费标准为每人每年380元。集中缴费期为2023年10月1日至12月31日。")
    >>> [t.label for t in s[0].triggers], [v.value for v in s[1].values if v.type == "DATE_RANGE"]
    (['CONTRIB'], [{'start': '2023-10-01', 'end': '2023-12-31'}])
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import json
import re
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable

from .values import cn_to_decimal

__all__ = [
    "BAD_FLAGS",
    "Sentence",
    "Trigger",
    "Value",
    "facts_to_values",
    "fill_values",
    "load_vocab",
    "sentence_to_values",
    "text_to_sentences",
]

_DATA = Path(__file__).parent / "data"

# a fact or value with one of these flags is never bound to a rule (contract: "no rule is
# ever built on a value flagged invalid_date, corrupt or incomplete")
BAD_FLAGS = frozenset({"invalid_date", "corrupt", "incomplete"})
# flags a fact reader may null a value for that a rule keeps, flagged, for review
_REVIEW_ONLY = frozenset({"window_reversed"})


class Value:
    """A typed value inside a sentence; start/end are offsets into norm.text."""

    __slots__ = ("type", "start", "end", "text", "value", "flags", "from_fact")

    def __init__(self, type: str, start: int, end: int, text: str, value: dict[str, Any] | None,
                 flags: list[str] | None = None, from_fact: bool = False) -> None:
        self.type = type  # DATE, DATE_RANGE, DURATION, MONEY, PERCENT
        self.start, self.end, self.text, self.value = start, end, text, value
        self.flags: list[str] = [] if flags is None else flags
        self.from_fact = from_fact

    def _key(self) -> tuple[Any, ...]:
        return (self.type, self.start, self.end, self.text, self.value, self.flags, self.from_fact)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return "Value({}, {}, {}, {!r}, {!r}, {!r}, from_fact={})".format(*self._key())

    @property
    def trusted(self) -> bool:
        if self.value is None:
            return False
        flags = self.flags
        return not flags or BAD_FLAGS.isdisjoint(flags)


class Trigger:
    """A trigger phrase of one rule kind (label) at norm.text[start:end]; attrs from the data file."""

    __slots__ = ("label", "start", "end", "text", "attrs")

    def __init__(self, label: str, start: int, end: int, text: str, attrs: dict[str, Any] | None = None) -> None:
        self.label, self.start, self.end, self.text = label, start, end, text
        self.attrs = {} if attrs is None else attrs

    def __repr__(self) -> str:
        return f"Trigger({self.label!r}, {self.start}, {self.end}, {self.text!r}, {self.attrs!r})"


class Sentence:
    """One sentence of norm.text (start/end offsets) with its triggers; values, year mentions
    and sub-clauses are read on first use (most sentences never need them): see fill_values.

    A plain slotted class, not a dataclass: a notice has a hundred or more sentences and most
    are only ever looked at for their text."""

    __slots__ = ("index", "start", "end", "text", "triggers", "_values", "_years", "_subclauses", "_loader",
                 "_by_label")

    def __init__(self, index: int, start: int, end: int, text: str) -> None:
        self.index, self.start, self.end, self.text = index, start, end, text
        self.triggers: list[Trigger] = []
        self._values: list[Value] = _NONE
        self._years: list[tuple[int, int, int]] = _NONE  # (start, end, year)
        self._subclauses: list[tuple[int, int]] = _NONE
        self._loader: Callable[[Sentence], Any] | None = None
        self._by_label: dict[str, list[Trigger]] | None = None

    def __repr__(self) -> str:
        return f"Sentence({self.index}, {self.start}, {self.end}, {self.text!r})"

    def with_label(self, label: str) -> list[Trigger]:
        if not self.triggers:
            return _NONE
        if self._by_label is None:
            self._by_label = {}
            for t in self.triggers:
                self._by_label.setdefault(t.label, []).append(t)
        return self._by_label.get(label, _NONE)

    def _load(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            loader(self)

    @property
    def values(self) -> list[Value]:
        if self._loader is not None:
            self._load()
        return self._values

    @property
    def years(self) -> list[tuple[int, int, int]]:
        if self._loader is not None:
            self._load()
        return self._years

    @property
    def subclauses(self) -> list[tuple[int, int]]:
        if self._loader is not None:
            self._load()
        return self._subclauses

    def labels(self) -> set[str]:
        return {t.label for t in self.triggers}

    def rel(self, pos: int) -> int:
        return pos - self.start

    def between(self, a: int, b: int) -> str:
        """norm.text[a:b] restricted to this sentence."""
        start = self.start
        if a < start:
            a = start
        if b > self.end:
            b = self.end
        return self.text[a - start : b - start] if b > a else ""

    def subclause_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.subclauses:
            if s <= pos < e:
                return s, e
        return self.start, self.end


# the shared empty list of every sentence that has no values / years / sub-clauses / triggers
# of a label (never appended to: fill_values assigns new lists)
_NONE: list[Any] = []


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _triggers() -> list[dict[str, Any]]:
    lines = (_DATA / "rule_triggers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@lru_cache(maxsize=1)
def _vocab() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (_DATA / "rule_vocab.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            # longest first, so a scan for "any of these" prefers the most specific word
            out[row["name"]] = sorted(row["words"], key=len, reverse=True)
    return out


def load_vocab(name: str) -> list[str]:
    """A named word list from data/rule_vocab.jsonl (longest words first)."""
    try:
        return _vocab()[name]
    except KeyError:
        raise KeyError(f"no word list {name!r} in data/rule_vocab.jsonl; known: {sorted(_vocab())}") from None


# --------------------------------------------------------------------------- matcher


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    return spacy.blank("zh")  # char segmenter: no download, one token per character


_MATCHERS: dict[int, tuple[Any, Any]] = {}


def _matcher_for(vocab: Any) -> Any:
    """One PhraseMatcher per vocab, compiled once (patterns as char tokens)."""
    hit = _MATCHERS.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    matcher = PhraseMatcher(vocab)
    by_label: dict[str, list[Any]] = {}
    for row in _triggers():
        words = list(row["pattern"])
        by_label.setdefault(row["label"], []).append(Doc(vocab, words=words, spaces=[False] * len(words)))
    for label, docs in by_label.items():
        matcher.add(label, docs)
    _MATCHERS[id(vocab)] = (vocab, matcher)
    return matcher


@lru_cache(maxsize=1)
def _trigger_attrs() -> dict[str, dict[str, Any]]:
    return {row["pattern"]: {k: v for k, v in row.items() if k not in ("label", "pattern")} for row in _triggers()}


def _char_doc(text: str, doc: Any) -> Any:
    """The teammates' Doc when it is char-tokenised over the same text, else our own."""
    # doc.text joins every token (slow); the last token's end and the token count say enough:
    # same length, and about one token per non-space character (the char segmenter)
    if doc is not None and len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) in (len(text), len(text.rstrip())):
        visible = len(text) - sum(text.count(c) for c in " \n\t\u3000")
        if len(doc) >= 0.9 * visible:
            return doc
    return _nlp().make_doc(text)


def _find_triggers(text: str, doc: Any) -> list[Trigger]:
    cdoc = _char_doc(text, doc)
    matches = _matcher_for(cdoc.vocab)(cdoc)
    if not matches:
        return []
    n, size = len(cdoc), len(text)
    found = []
    # token offsets one by one: cheaper than a Span per match or a whole-doc IDX array
    spans = ((match_id, cdoc[s].idx, cdoc[e].idx if e < n else size) for match_id, s, e in matches)
    for match_id, start, end in spans:
        while end > start and text[end - 1].isspace():
            end -= 1
        found.append((start - end, start, end, match_id))
    # longest match wins where triggers overlap (个人缴费补助 is assistance, not 个人缴费);
    # ties keep the matcher's order (the sort is stable on the first two fields)
    found.sort(key=_LONGEST_FIRST)
    taken = bytearray(size + 1)
    out = []
    attrs = _trigger_attrs()
    strings = cdoc.vocab.strings
    for _neg, s, e, match_id in found:
        if taken.find(1, s, e) != -1:
            continue
        taken[s:e] = b"\x01" * (e - s)
        word = text[s:e]
        out.append(Trigger(strings[match_id], s, e, word, attrs.get(word) or {}))
    out.sort(key=_START)
    return out


_LONGEST_FIRST = itemgetter(0, 1)  # (start - end, start): longest first, then leftmost
_START = attrgetter("start")


# --------------------------------------------------------------------------- sentences

# a sentence is what runs up to and including a run of stops (。；!? | and line breaks)
_SENT = re.compile(r"[^。；;！？!?\n|]*[。；;！？!?\n|]*")
_SUB_END = re.compile(r"[，,：:]")
_BOOK = re.compile(r"《[^《》\n]{0,120}》")


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans of cited titles 《…》: their years and trigger words are not the notice's own."""
    return [(m.start(), m.end()) for m in _BOOK.finditer(text)] if "《" in text else []


def text_to_sentences(text: str, doc: Any = None, facts: Iterable[Value] = (), default_year: int | None = None) -> list[Sentence]:
    """Cut `text` into sentences; the ones with a trigger get their values and year mentions."""
    sentences = []
    starts = []
    for m in _SENT.finditer(text):
        seg = m.group()
        body = seg.strip()
        if body:
            s = m.start() + (seg.find(body[0]) if seg[0] != body[0] else 0)
            starts.append(s)
            sentences.append(Sentence(len(sentences), s, s + len(body), body))
    masked = _masked(text)
    mstarts = [ms for ms, _ in masked]
    for trig in _find_triggers(text, doc):
        if masked:  # the cited titles are sorted and never overlap: one bisect per trigger
            j = bisect.bisect_right(mstarts, trig.start) - 1
            if j >= 0 and trig.start < masked[j][1]:
                continue
        i = bisect.bisect_right(starts, trig.start) - 1
        if i >= 0 and trig.end <= sentences[i].end:
            sentences[i].triggers.append(trig)
    fact_list = sorted(facts, key=_START)
    fact_starts = [v.start for v in fact_list]

    def load(sent: Sentence) -> None:
        fill_values(sent, fact_list, default_year, masked, fact_starts)

    for sent in sentences:
        if sent.triggers:
            sent._loader = load
    return sentences


def fill_values(sent: Sentence, facts: list[Value], default_year: int | None,
                masked: list[tuple[int, int]] | None = None, starts: list[int] | None = None) -> Sentence:
    """Read a sentence's sub-clauses, values and year mentions (facts sorted by start; `starts`
    their start offsets when the caller has them)."""
    sent._loader = None
    if sent._subclauses:
        return sent
    sent._subclauses = _subclauses(sent)
    local = sentence_to_values(sent.text, sent.start, default_year=default_year)
    if starts is None:
        starts = [v.start for v in facts]
    lo = bisect.bisect_left(starts, sent.start)
    hi = bisect.bisect_left(starts, sent.end, lo)
    inside = [f for f in facts[lo:hi] if f.end <= sent.end]
    sent._values = _merge_values(local, inside) if local or inside else []
    if masked is None:
        masked = _masked(sent.text)
        masked = [(s + sent.start, e + sent.start) for s, e in masked]
    sent._years = _year_mentions(sent.text, sent.start, [m for m in masked if m[0] < sent.end and sent.start < m[1]]
                                 if masked else masked)
    return sent


def _subclauses(sent: Sentence) -> list[tuple[int, int]]:
    out, s = [], sent.start
    for m in _SUB_END.finditer(sent.text):
        out.append((s, sent.start + m.end()))
        s = sent.start + m.end()
    if s < sent.end:
        out.append((s, sent.end))
    return out


# --------------------------------------------------------------------------- values

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_to_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    total, num = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (num or 1) * _CN_UNITS[ch]
            num = 0
        else:
            return None
    return total + num


def _dec(s: str, scale: int = 1) -> str:
    d = Decimal(s) * scale
    out = format(d.normalize(), "f")
    return out


_NUM = r"\d+(?:\.\d+)?"
_CN_NUM = r"[零〇一二两三四五六七八九十百千]+"
# Each value regex opens with a look-ahead for the chars a match can start with: re then
# rejects every other position with one class test instead of trying the look-behinds and
# alternatives there (same matches; the date atoms ~8x faster, the others ~1.5x).
_MONEY = re.compile(rf"(?=\d)(?<![\d.])(?P<n>{_NUM})\s*(?P<u>万|亿)?\s*元")
_PERCENT = re.compile(rf"(?=[\d百])(?:(?<![\d.])(?P<n>{_NUM})\s*[%％]|百分之(?P<cn>{_CN_NUM}))")
_DURATION = re.compile(
    rf"(?=[\d零〇一二两三四五六七八九十百千])(?<![\d.月年])(?P<n>\d+|{_CN_NUM})\s*(?P<u>个工作日|工作日|个自然月|个月|天|日|周(?!岁)|年(?![\d度]))"
)
_DURATION_HINT = re.compile(r"[日天月年周]")
_DURATION_UNITS = {"个工作日": "working_day", "工作日": "working_day", "个自然月": "month", "个月": "month",
                   "天": "day", "日": "day", "周": "week", "年": "year"}

# date atoms: full dates, month-day, month ends, bare months, compact 20221225日, corrupt years
_ATOM = re.compile(
    r"(?=[\d次翌下明])(?:"  # every alternative starts with a digit or 次年/翌年/下(一)年/明年
    r"(?P<full>(?<!\d)(?P<fy>\d{4})\s*年\s*(?P<fm>\d{1,2})\s*月\s*(?P<fd>\d{1,2})\s*[日号])"
    r"|(?P<iso>(?<![\d.])(?P<iy>\d{4})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})(?![\d.]))"
    r"|(?P<compact>(?<!\d)(?P<cy>20\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)\s*日)"
    r"|(?P<corrupt>\d{5,}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)"
    r"|(?P<mend>(?:(?P<ey>(?<!\d)\d{4})\s*年\s*|(?P<enext>次年|翌年|下一年|下年|明年))?(?P<em>\d{1,2})\s*月\s*(?:底|末|份底))"
    r"|(?P<md>(?:(?P<mnext>次年|翌年|下一年|下年|明年))?(?<![\d.])(?P<mm>\d{1,2})\s*月\s*(?P<mdd>\d{1,2})\s*[日号])"
    r"|(?P<mon>(?:(?P<oy>(?<!\d)\d{4})\s*年\s*|(?P<onext>次年|翌年|下一年|下年|明年))?(?<![\d.])(?P<om>\d{1,2})\s*月(?:份)?(?![\d底末份]))"
    r")"
)
# what may stand between a window's two ends: 至 / 起至 / 开始,原则上至 / 起开始集中缴费,至
_RANGE_GAP = re.compile(
    r"^\s*(?:起|开始)?\s*(?:开始)?\s*(?:集中)?(?:参保缴费|参保|缴费|征缴|征收)?\s*[,，]?\s*(?:原则上|最迟|一般)?\s*"
    r"(?:至|到|—|–|-|~|～|－|—)\s*$"
)


_ISO_HINT = re.compile(r"\d{4}[-./]")


class _Atom:
    __slots__ = ("kind", "start", "end", "y", "m", "d", "next_year", "flags")

    def __init__(self, kind: str, start: int, end: int, y: int | None, m: int | None, d: int | None,
                 next_year: bool = False, flags: list[str] | None = None) -> None:
        self.kind = kind  # full, md, mend, mon, bad
        self.start, self.end, self.y, self.m = start, end, y, m
        self.d = d  # None for month-only; -1 for month end
        self.next_year = next_year
        self.flags: list[str] = [] if flags is None else flags


def _atoms(text: str) -> list[_Atom]:
    out: list[_Atom] = []
    if "月" not in text and "日" not in text and not _ISO_HINT.search(text):
        return out  # no date can be here; the big alternation below is the costly part
    for m in _ATOM.finditer(text):
        # the outer group of the alternative that matched (cheaper than a 30-key groupdict)
        kind = m.lastgroup
        g = m
        if kind == "full":
            out.append(_Atom("full", m.start(), m.end(), int(g["fy"]), int(g["fm"]), int(g["fd"])))
        elif kind == "iso":
            out.append(_Atom("full", m.start(), m.end(), int(g["iy"]), int(g["im"]), int(g["id"])))
        elif kind == "compact":
            out.append(_Atom("full", m.start(), m.end(), int(g["cy"]), int(g["cm"]), int(g["cd"]), flags=["repaired"]))
        elif kind == "corrupt":
            out.append(_Atom("bad", m.start(), m.end(), None, None, None, flags=["corrupt"]))
        elif kind == "mend":
            out.append(_Atom("mend", m.start(), m.end(), int(g["ey"]) if g["ey"] else None, int(g["em"]), -1,
                             next_year=bool(g["enext"])))
        elif kind == "md":
            # 65438+2月31日: a number glued before the month is garbage, not a year
            bad = m.start() > 0 and text[m.start() - 1] in "+＋"
            out.append(_Atom("md", m.start(), m.end(), None, int(g["mm"]), int(g["mdd"]), next_year=bool(g["mnext"]),
                             flags=["corrupt"] if bad else []))
        elif kind == "mon":
            out.append(_Atom("mon", m.start(), m.end(), int(g["oy"]) if g["oy"] else None, int(g["om"]), None,
                             next_year=bool(g["onext"])))
    return out


def _mk_date(y: int | None, m: int | None, d: int | None, *, end: bool) -> tuple[str | None, list[str]]:
    """ISO date (or None) and flags; d None = first/last day of the month, -1 = last day."""
    if y is None or m is None:
        return None, ["incomplete"]
    if not (1990 <= y <= 2100):
        return None, ["corrupt"]
    if not (1 <= m <= 12):
        return None, ["invalid_date"]
    last = calendar.monthrange(y, m)[1]
    if d is None:
        d = last if end else 1
    elif d == -1:
        d = last
    if not (1 <= d <= last):
        return None, ["invalid_date"]
    return dt.date(y, m, d).isoformat(), []


def sentence_to_values(text: str, offset: int = 0, *, default_year: int | None = None) -> list[Value]:
    """The local reading of one sentence's values (offsets shifted by `offset`)."""
    values: list[Value] = []
    atoms = _atoms(text)
    full_years = [a.y for a in atoms if a.kind == "full" and a.y]
    context_year = full_years[0] if full_years else None
    used: set[int] = set()
    for i in range(len(atoms) - 1):
        a, b = atoms[i], atoms[i + 1]
        if i in used or not _RANGE_GAP.match(text[a.end : b.start]):
            continue
        if a.kind == "bad" or b.kind == "bad":
            flags = ["corrupt"]
            values.append(Value("DATE_RANGE", offset + a.start, offset + b.end, text[a.start : b.end], None, flags))
            used.update((i, i + 1))
            continue
        if a.kind == "mon" and b.kind not in ("mon", "mend") and not re.match(r"^\s*(?:起|开始)", text[a.end : b.start]):
            continue  # 9月 … 12月31日 is a window only as 自9月起…至12月31日
        flags = list(a.flags) + list(b.flags)
        ay = a.y
        if ay is None:
            ay = context_year if context_year else (default_year - 1 if default_year and a.m and a.m >= 7 else default_year)
            flags.append("year_inferred")
        by = b.y
        if by is None and ay is not None:
            by = ay + 1 if b.next_year else ay
            if not b.next_year and b.m is not None and a.m is not None and (b.m, b.d or 99) < (a.m, a.d or 0) and b.d != -1:
                by = ay + 1
            elif not b.next_year and b.m is not None and a.m is not None and b.m < a.m:
                by = ay + 1
        s, f1 = _mk_date(ay, a.m, a.d, end=False)
        e, f2 = _mk_date(by, b.m, b.d, end=True)
        flags += f1 + f2
        value = {"start": s, "end": e} if s and e else None
        values.append(Value("DATE_RANGE", offset + a.start, offset + b.end, text[a.start : b.end], value,
                            sorted(set(flags))))
        used.update((i, i + 1))
    for i, a in enumerate(atoms):
        if i in used or a.kind == "mon":
            continue
        flags = list(a.flags)
        if a.kind == "bad":
            values.append(Value("DATE", offset + a.start, offset + a.end, text[a.start : a.end], None, flags))
            continue
        y = a.y
        if y is None:
            y = context_year if context_year else default_year
            if y is not None and a.next_year:
                y += 1
            flags.append("year_inferred")
        d, f = _mk_date(y, a.m, a.d, end=True)
        flags += f
        values.append(Value("DATE", offset + a.start, offset + a.end, text[a.start : a.end],
                            {"date": d} if d else None, sorted(set(flags))))
    # cheap character checks first: most sentences hold one kind of value at most
    for m in (_MONEY.finditer(text) if "元" in text else ()):
        scale = {"万": 10000, "亿": 100000000}.get(m.group("u") or "", 1)
        values.append(Value("MONEY", offset + m.start(), offset + m.end(), m.group(0),
                            {"amount": _dec(m.group("n"), scale), "currency": "CNY"}))
    for m in (_PERCENT.finditer(text) if ("%" in text or "％" in text or "百分之" in text) else ()):
        n = m.group("n") if m.group("n") else _cn_to_int(m.group("cn") or "")
        if n is None:
            continue
        values.append(Value("PERCENT", offset + m.start(), offset + m.end(), m.group(0), {"percent": _dec(str(n))}))
    for m in (_DURATION.finditer(text) if _DURATION_HINT.search(text) else ()):
        if len(m.group("n")) >= 3 and not m.group("n").isdigit() and not re.search("[十百千]", m.group("n")):
            continue  # 二〇二二年: a year written in numerals, not 2 years
        n = _cn_to_int(m.group("n"))
        unit = _DURATION_UNITS[m.group("u")]
        pre = text[max(0, m.start() - 1) : m.start()]
        if n is None or n == 0 or pre in ("第", "至", "到", "-", "～", "~"):
            continue  # 第3个月 is an ordinal; 至25日 the end of a day range
        if unit == "year" and n > 50:
            continue
        if any(a.start <= m.start() < a.end for a in atoms):
            continue  # inside a date
        values.append(Value("DURATION", offset + m.start(), offset + m.end(), m.group(0), {"amount": n, "unit": unit}))
    values.sort(key=lambda v: (v.start, -v.end))
    return values


def _merge_values(local: list[Value], facts: list[Value]) -> list[Value]:
    """Facts override local readings they overlap; a bad fact makes the overlapped value untrusted."""
    out = []
    for v in local:
        over = [f for f in facts if f.start < v.end and v.start < f.end]
        if v.type not in ("DATE", "DATE_RANGE") and any(
                f.trusted and f.type in ("DATE", "DATE_RANGE") and f.start <= v.start and v.end <= f.end for f in over):
            continue  # 十二月三十一日 read as 十一日 (a duration) inside a date the fact reader found
        # a window the fact reader nulled only because it is reversed is kept, flagged, so a
        # reviewer sees the rule (sanity flag window_reversed) instead of nothing
        bad = [f for f in over if not f.trusted and not (f.value is None and f.flags and set(f.flags) <= _REVIEW_ONLY)]
        same = [f for f in over if f.trusted and f.type == v.type and f.start == v.start and f.end == v.end]
        if not bad and not same and any(f.trusted and (f.type == v.type or (f.type, v.type) == ("DATE_RANGE", "DATE"))
                                        and f.start <= v.start and v.end <= f.end and (f.start, f.end) != (v.start, v.end)
                                        for f in over):
            # 0\n元 inside the fact reader's repaired 4 0 0\n元, the end date of a range whose start
            # lost its 日 (2021年9月1至2021年12月31日): the fact is the value (added below)
            continue
        if bad:
            v.value = None
            v.flags = sorted(set(v.flags) | {fl for f in bad for fl in f.flags} | ({"corrupt"} if not any(f.flags for f in bad) else set()))
        elif same:
            v.value, v.flags, v.from_fact = same[0].value, list(same[0].flags), True
        elif over and v.type in ("DATE", "DATE_RANGE") and any(f.type in ("DATE", "DATE_RANGE") for f in over):
            v.from_fact = True  # confirmed in part: the team's date reader found a date here too
        out.append(v)
    for f in facts:
        if f.type in ("MONEY", "PERCENT", "DURATION", "DATE", "DATE_RANGE") and not any(
            v.start < f.end and f.start < v.end for v in out
        ):
            out.append(f)
    out.sort(key=lambda v: (v.start, -v.end))
    return out


_YEAR = re.compile(r"(?=[12])(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<k>年度|年)(?!\s*\d{1,2}\s*月)")
# 二〇二三年度: a year in Chinese numerals (not 二〇二二年九月, a date)
_CN_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九])(?P<y>[一二][〇零○一二三四五六七八九]{3})\s*(?:年度|年)"
                      r"(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)")


def _year_mentions(text: str, offset: int, masked: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    out = []
    for m in _YEAR.finditer(text):
        s = offset + m.start()
        if any(ms <= s < me for ms, me in masked):
            continue
        out.append((s, offset + m.end(), int(m.group("y"))))
    if "〇" in text or "零" in text or "○" in text:
        for m in _CN_YEAR.finditer(text):
            s = offset + m.start()
            if not any(ms <= s < me for ms, me in masked):
                out.append((s, offset + m.end(), int(cn_to_decimal(m.group("y")))))  # type: ignore[arg-type]  (four numerals)
        out.sort()
    return out


_VALUE_KEYS = {"DATE": ("date",), "DATE_RANGE": ("start", "end"), "MONEY": ("amount",), "PERCENT": ("percent",),
               "DURATION": ("amount", "unit")}


def facts_to_values(facts: Iterable[Any], offsets: list[int]) -> list[Value]:
    """Map contract Facts (original offsets) to Values in normalised offsets."""
    out = []
    n = len(offsets) - 1
    for f in facts:
        ftype = str(getattr(f.type, "value", f.type))
        if ftype == "DOC_NO":
            continue
        value = f.value
        if value is not None and not set(_VALUE_KEYS.get(ftype, ())) <= set(value):
            continue  # a value shape rules do not read
        if ftype == "MONEY" and value is not None and value.get("currency", "CNY") != "CNY":
            continue  # 美元 / 港币: never a yuan standard
        s = bisect.bisect_left(offsets, f.start, 0, n)
        e = bisect.bisect_left(offsets, f.end, 0, n + 1)
        if e <= s:
            e = min(n, s + 1)
        out.append(Value(ftype, s, e, f.text, f.value, list(f.flags), from_fact=True))
    return out
