"""spaCy components that find facts: a tokenizer, a sentence setter, regex rulers, a resolver.

Each class follows spaCy's shape: keyword-only config, ``__call__`` → ``match`` →
``set_annotations``, ``to_disk``/``from_disk`` for its data; the factories that register
them are in :mod:`extractors.factories`.

Pattern data (``data/fact_patterns.jsonl``, one JSON object a line, in order):

- ``{"define": NAME, "pattern": REGEX}``: a macro; later patterns write ``{NAME}``.
- ``{"label", "id", "parser", "priority", "pattern", "needs"?, "scan"?, "comment"?}``:
  ``label`` is a fact type or ``LOOKALIKE``; ``parser`` names a function in ``PARSERS``
  that turns the match's named groups into a value (or drops the match); ``priority``
  breaks ties between equally long overlapping hits; ``needs`` lists characters one of
  which must be near the match (a cheap pre-filter); ``scan: "full"`` runs the pattern
  over the whole text instead of only the windows around numbers.
- vocabularies from ``data/fact_*.txt`` are added as ``{"vocab": NAME, "words": […]}``.

Spans written (all in the normalised text's coordinates):

- ``doc.spans["not_facts"]``: look-alikes (ICP备, 公网安备, 索引号, phones, ages …),
  label ``LOOKALIKE``, ``span._.fact_pattern`` names the pattern.
- ``doc.spans["fact_candidates"]``: every pattern hit, possibly overlapping;
  ``span._.fact_candidates[label]`` = ``(value, flags, pattern_id, priority)``.
- ``doc.spans["facts"]``: the resolved, non-overlapping facts, label = fact type,
  ``span._.fact_value`` / ``span._.fact_flags`` / ``span._.fact_pattern``.
"""

from __future__ import annotations

import json
import re
import re._constants as _sre_c  # what re's own parser returns (for the first-char look-ahead)
import re._parser as _sre_p
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from . import values as V

__all__ = [
    "Candidate",
    "FACT_LABELS",
    "FactResolver",
    "NoticeCharTokenizer",
    "NoticeSentencizer",
    "PARSERS",
    "PatternRuler",
    "default_patterns",
    "doc_to_text",
    "text_to_windows",
]

FACT_LABELS = ("DATE", "DATE_RANGE", "DURATION", "MONEY", "PERCENT", "DOC_NO")  # = contract.FactType

for _name in ("fact", "fact_value", "fact_flags", "fact_pattern", "fact_candidates"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One pattern hit, in normalised-text character offsets."""

    label: str
    start: int
    end: int
    value: dict[str, Any] | None
    flags: tuple[str, ...]
    pattern_id: str
    priority: int


# ---------------------------------------------------------------------------------------
# pattern data


def _data_path(name: str) -> Path:
    return Path(str(resources.files("extractors") / "data" / name))


def _read_words(name: str) -> list[str]:
    lines = _data_path(name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


def default_patterns() -> list[dict[str, Any]]:
    """The shipped pattern records: data/fact_patterns.jsonl plus the vocabularies it uses."""
    text = _data_path("fact_patterns.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    records.append({"vocab": "docno_cut_words", "words": _read_words("fact_docno_cut_words.txt")})
    return records


_MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def _expand(pattern: str, defines: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in defines:
            raise ValueError(
                f"pattern {where!r} uses undefined macro {{{m.group(1)}}}; "
                f"define it first with a {{'define': {m.group(1)!r}, 'pattern': …}} record "
                f"(defined: {', '.join(sorted(defines)) or 'none'})"
            )
        return defines[m.group(1)]

    return _MACRO_RE.sub(sub, pattern)


# ---------------------------------------------------------------------------------------
# value parsers: match → (value, flags, start override, end override) or None to drop

_Parsed = tuple[dict[str, Any] | None, list[str], int | None, int | None]
_Parser = Callable[[re.Match[str], dict[str, list[str]]], "_Parsed | None"]


def _g(m: re.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _p_none(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    return None, [], None, None


def _p_corrupt(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    """A year with digits too many (20255年度, 201617年度): garbled text, value null, flag corrupt."""
    return None, ["corrupt"], None, None


def _garbled(*parts: str | None) -> bool:
    """Whether a month or day is written with more than two significant digits (12月311日).

    Such a number is garbled text, not an impossible calendar date: the fact is kept with
    value null and flag ``corrupt`` (a zero-padded 031日 is still the 31st).
    """
    for p in parts:
        if p and len(p) > 2 and p.isdigit() and len(p.lstrip("0")) > 2:
            return True
    return False


def _p_ymd(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    y, mo, d = m.group("y", "m", "d")
    if (len(mo) > 2 or len(d) > 2) and _garbled(mo, d):  # the length test spares most calls
        return None, ["corrupt"], None, None
    value, flags = V.ymd_to_date(y, mo, d)
    return value, flags, None, None


def _p_ymd_repaired(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    value, flags = V.ymd_to_date(m.group("y"), m.group("m"), m.group("d"))
    if value is None:  # 20181232日: nothing restored, an invalid date (value null)
        return None, flags, None, None
    return value, ["repaired", *flags], None, None


def _p_ymd_century(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    """A two-digit year (21年6月12日): 00-49 → 20xx, 50-99 → 19xx, flagged year_inferred."""
    if _garbled(m.group("m"), m.group("d")):
        return None, ["year_inferred", "corrupt"], None, None
    yy = int(m.group("y"))
    value, flags = V.ymd_to_date((2000 if yy < 50 else 1900) + yy, m.group("m"), m.group("d"))
    return value, ["year_inferred", *flags], None, None


_YEAR_RE = re.compile(r"(?<!\d)(\d{4})\s?年")
_SENTENCE_END = "。！？!?；;\n"


def _p_md_same_year(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed | None:
    """当年12月31日: the year is the last YYYY年 earlier in the same sentence."""
    text, pos = m.string, m.start()
    start = max(text.rfind(c, 0, pos) for c in _SENTENCE_END) + 1
    years = _YEAR_RE.findall(text, start, pos)
    if not years:
        return None
    if _garbled(m.group("m"), m.group("d")):
        return None, ["year_inferred", "corrupt"], None, None
    value, flags = V.ymd_to_date(years[-1], m.group("m"), m.group("d"))
    return value, ["year_inferred", *flags], None, None


def _p_md_flag_only(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed | None:
    if _g(m, "garble") or _garbled(m.group("m"), m.group("d")):
        return None, ["corrupt"], None, None
    flags = V.md_to_flags(m.group("m"), m.group("d"))
    # a possible month-day without a year is no fact: its year is unknown
    return (None, flags, None, None) if flags else None


_END_SUFFIXES = ("g", "s", "b", "c", "d")  # the other spellings of a range's end (GLUED_END …)


def _end_group(groups: dict[str, str | None], name: str) -> str | None:
    """The first of ``name``+g/s/b/c/d that matched: a regex cannot give two alternatives one
    group name."""
    for suffix in _END_SUFFIXES:
        v = groups.get(name + suffix)
        if v is not None:
            return v
    return None


def _range(m: re.Match[str], repaired: bool) -> _Parsed:
    groups = m.groupdict()
    start = (groups["y1"], groups["m1"], groups["d1"])
    y2, m2, d2 = groups.get("y2"), groups.get("m2"), groups.get("d2")
    if m2 is None and d2 is None:
        # the end is spelled another way: GLUED_END (…至20181231日, restored) or one of
        # range_glued_start's alternatives
        y2, m2, d2 = _end_group(groups, "y2"), _end_group(groups, "m2"), _end_group(groups, "d2")
        repaired = True
    if _garbled(start[1], start[2], m2, d2):
        # a garbled endpoint (…至12月311日): the window cannot be trusted
        return None, ["corrupt", *(["year_inferred"] if not y2 else [])], None, None
    value, flags = V.range_to_value(
        start, (y2, m2, d2), next_year=bool(groups.get("next")), end_of_month=bool(groups.get("eom"))
    )
    if repaired and value is not None:  # nothing is restored when it is no date (…至20181232日)
        flags = ["repaired", *flags]
    return value, flags, None, None


def _p_range(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    return _range(m, repaired=False)


def _p_range_repaired(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    """A range whose start lost its separators (20180901日至…): flagged repaired."""
    return _range(m, repaired=True)


def _p_ym_range(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    value, flags = V.ym_range_to_value(m.group("y1"), m.group("m1"), _g(m, "y2"), m.group("m2"))
    return value, flags, None, None


def _p_duration(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    value, flags = V.duration_to_value(m.group("n"), m.group("u"))
    return value, flags, None, None


def _p_money(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    value, flags = V.amount_to_money(
        m.group("n"),
        _g(m, "mult") or "",
        currency=_g(m, "cur") or "",
        jiao=_g(m, "jiao") or "",
        fen=_g(m, "fen") or "",
    )
    return value, flags, None, None


def _p_money_spaced(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    """4 0 0元: the digits a PDF dump spaced out, joined; flagged repaired."""
    value, flags = V.amount_to_money(re.sub(r"\s", "", m.group("n")), _g(m, "mult") or "")
    return value, (["repaired", *flags] if value is not None else flags), None, None


def _p_incomplete(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    """A value with a part lost (?000元, 1.?万元): value null, flag incomplete."""
    return None, ["incomplete"], None, None


def _p_percent(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    value, flags = V.percent_to_value(m.group("n"), per_mille=bool(_g(m, "mille")))
    return value, flags, None, None


_MAX_ISSUER = 14  # the longest issuer code read back from a bracket ("国家税务总局X市税务局" style runs are cut)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _issuer_before(text: str, pos: int, vocab: dict[str, list[str]]) -> tuple[str | None, int]:
    """The issuer code written right before ``pos`` and where the fact then starts.

    Reads back over Chinese characters (at most _MAX_ISSUER), also through a parenthesised
    issuer ("(钦市税发)〔2022〕27号"), and cuts everything up to the last docno_cut_word
    ("参照宁医保发" → 宁医保发). Returns (None, pos) when there is no issuer.
    """
    i = pos
    while i > 0 and pos - i < 2 and text[i - 1] in " \n":  # "吉医保联 〔2023〕", a PDF line wrap
        i -= 1
    paren = i > 0 and text[i - 1] in ")）"
    end = i - 1 if paren else i
    k = end
    while k > 0 and end - k < _MAX_ISSUER and _is_cjk(text[k - 1]):
        k -= 1
    if k == end or (paren and not (k > 0 and text[k - 1] in "(（")):
        return None, pos
    raw = text[k:end]
    cut = 0
    for word in vocab.get("docno_cut_words", ()):
        j = raw.rfind(word)
        if j == 0 and word in ("年", "月", "日") and not (k > 0 and text[k - 1].isdigit()):
            continue  # （日医保发〔2023〕12号: 日喀则's code, not the end of a date (…5日医保发)
        if j >= 0 and j + len(word) > cut:
            cut = j + len(word)
    issuer = raw[cut:]
    if not issuer:
        return None, pos
    start = k - 1 if paren and cut == 0 else k + cut
    return issuer, start


def _p_docno(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    issuer, start = _issuer_before(m.string, m.start(), vocab)
    value, flags = V.docno_to_value(issuer, m.group("y"), m.group("n"))
    if _g(m, "stray") and value is not None:
        flags = ["repaired", *flags]  # 〔2022〕30)号: a stray bracket before 号
    return value, flags, start, None


def _p_docno_repaired(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed | None:
    issuer, start = _issuer_before(m.string, m.start(), vocab)
    if issuer is None:  # "〔202246" alone is too little to call a document number
        return None
    value, flags = V.docno_to_value(issuer, m.group("y"), m.group("n"))
    return value, ["repaired", *flags], start, None


def _p_docno_no_year(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed | None:
    text, pos = m.string, m.start()
    if text[pos] not in "〔[【［(（﹝〖":  # a bare number: the issuer must end in 发/字/函
        before = text[pos - 1] if pos and text[pos - 1] != " " else (text[pos - 2] if pos > 1 else "")
        if before not in "发字函":
            return None
    issuer, start = _issuer_before(text, pos, vocab)
    if issuer is None or len(issuer) < 2:
        return None
    value, flags = V.docno_to_value(issuer, None, m.group("n"))
    return value, flags, start, None


def _p_docno_no_number(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed | None:
    issuer, start = _issuer_before(m.string, m.start(), vocab)
    if issuer is None or len(issuer) < 2:  # "〔2019〕号" alone is too little to call a document number
        return None
    return None, ["incomplete"], start, None


def _p_docno_year_seq(m: re.Match[str], vocab: dict[str, list[str]]) -> _Parsed:
    value, flags = V.yearseq_to_docno(m.group("y"), m.group("n"))
    return value, flags, None, None


PARSERS: dict[str, _Parser] = {
    "none": _p_none,
    "corrupt": _p_corrupt,
    "ymd": _p_ymd,
    "ymd_repaired": _p_ymd_repaired,
    "ymd_century": _p_ymd_century,
    "md_flag_only": _p_md_flag_only,
    "md_same_year": _p_md_same_year,
    "range": _p_range,
    "range_repaired": _p_range_repaired,
    "ym_range": _p_ym_range,
    "duration": _p_duration,
    "money": _p_money,
    "money_spaced": _p_money_spaced,
    "incomplete": _p_incomplete,
    "percent": _p_percent,
    "docno": _p_docno,
    "docno_repaired": _p_docno_repaired,
    "docno_no_year": _p_docno_no_year,
    "docno_no_number": _p_docno_no_number,
    "docno_year_seq": _p_docno_year_seq,
}


@dataclass(frozen=True)
class _Compiled:
    label: str
    id: str
    parser: _Parser
    priority: int
    regex: re.Pattern[str]
    full_scan: bool  # False: only run inside the windows around numbers
    needs: frozenset[str]  # run only where one of these chars occurs (empty: everywhere)


# Every fact (and every numeric look-alike) contains an Arabic digit or a Chinese numeral
# that a unit follows, so patterns only run in windows around those anchors: a window
# starts WINDOW_BEFORE chars before an anchor (人民币, ICP备, 索引号:) and
# ends WINDOW_AFTER after it (units such as 个工作日, look-aheads such as 以上/待遇).
# A doc number with an empty year bracket (〔〕12号) still has its number as an anchor.
# Look-behinds still see the text before a window. The longest pre-anchor context a
# pattern matches is "索 引 号 | " (8 chars); doc-number issuers are read back in Python.
WINDOW_BEFORE = 10
WINDOW_AFTER = 12
_CN_NUM = "〇零○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
# (the leading look-ahead names every char an anchor can start with: re then skips the other
# chars fast instead of trying each alternative at each of them; same matches)
_ANCHOR_RE = re.compile(
    rf"(?=[\d百千半RC{_CN_NUM}])"
    rf"(?:\d+|[百千]分之|半年|RMB|CNY|[{_CN_NUM}]+(?=[^\n]{{0,2}}[年月日号元圆天周星工岁%]))"
)


_CATEGORY_CLASS = {_sre_c.CATEGORY_DIGIT: r"\d", _sre_c.CATEGORY_SPACE: r"\s", _sre_c.CATEGORY_WORD: r"\w"}


def _first_chars(items: Any) -> tuple[list[str], bool] | None:
    """The chars a parsed regex sequence can start with (as char-class pieces) and whether it
    can match empty; None when that is not simply known (., [^…], back-references, flags)."""
    out: list[str] = []
    for op, av in items:
        if op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            continue  # zero width: the next item gives the first char (a superset is fine)
        if op is _sre_c.LITERAL:
            return out + [re.escape(chr(av))], False
        if op is _sre_c.IN:
            for iop, iav in av:
                if iop is _sre_c.LITERAL:
                    out.append(re.escape(chr(iav)))
                elif iop is _sre_c.RANGE:
                    out.append(f"{re.escape(chr(iav[0]))}-{re.escape(chr(iav[1]))}")
                elif iop is _sre_c.CATEGORY and iav in _CATEGORY_CLASS:
                    out.append(_CATEGORY_CLASS[iav])
                else:
                    return None  # a negated class, \D …
            return out, False
        if op is _sre_c.BRANCH:
            nullable = False
            for seq in av[1]:
                sub = _first_chars(seq)
                if sub is None:
                    return None
                out += sub[0]
                nullable = nullable or sub[1]
            if not nullable:
                return out, False
            continue
        if op is _sre_c.SUBPATTERN:
            if av[1] or av[2]:
                return None  # local flags (?i:…)
            sub = _first_chars(av[3])
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, _sre_c.POSSESSIVE_REPEAT):
            sub = _first_chars(av[2])
            if sub is not None and av[0] == 0:
                sub = (sub[0], True)
        elif op is _sre_c.ATOMIC_GROUP:
            sub = _first_chars(av)
        else:
            return None  # ., [^x] as a literal, back-references, conditionals
        if sub is None:
            return None
        out += sub[0]
        if not sub[1]:
            return out, False
    return out, True


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def _with_first_chars(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` behind a look-ahead for the chars its matches can start with, when known.

    Most fact patterns open with a look-behind or an alternation, which re tries at every
    position of a window; the look-ahead rejects most positions with one class test. Same
    matches, groups and spans (the look-ahead only states what a match's first char must be).
    """
    if regex.flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL) or _GLOBAL_FLAGS.match(regex.pattern):
        return regex  # keep it simple: inline global flags (?i) must stay first
    try:
        first = _first_chars(_sre_p.parse(regex.pattern, regex.flags))
    except Exception:  # re's private parser changed: run the pattern as it is
        return regex
    if first is None or first[1] or not first[0]:
        return regex  # unknown, or the pattern can match empty
    try:
        return re.compile(f"(?=[{''.join(first[0])}])(?:{regex.pattern})", regex.flags)
    except re.error:
        return regex


@lru_cache(maxsize=2)  # the rulers of one Doc ask in turn; big texts are not kept around
def text_to_windows(text: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """The merged (start, end, chars) windows of ``text`` around numbers, where facts can be.

    ``chars`` is the set of characters in the window, so a pattern whose ``needs`` (e.g.
    元 for money) are absent skips the window without running its regex.
    """
    windows: list[list[int]] = []
    n = len(text)
    for m in _ANCHOR_RE.finditer(text):
        a, b = max(0, m.start() - WINDOW_BEFORE), min(n, m.end() + WINDOW_AFTER)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    return tuple((a, b, frozenset(text[a:b])) for a, b in windows)


def doc_to_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("noticerules.text")
    if text is None:
        text = doc.user_data["noticerules.text"] = doc.text
    return text


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label)
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span


# ---------------------------------------------------------------------------------------
# components


class NoticeCharTokenizer:
    """spaCy's ``char`` segmentation for Chinese, in linear time.

    Same tokens as ``spacy.zh.ChineseTokenizer(segmenter="char")``: one token per
    non-space character, one following space kept as ``whitespace_``, any other run of
    whitespace its own token. spaCy's version aligns words with ``text[pos:].index``,
    which copies the rest of the text for every character (quadratic: ~6 ms for a
    4,000-character notice against ~1 ms here). Tokens are handed to ``Doc`` as string ids
    (one dict look-up per char, ids cached): ``Doc`` then skips hashing every token's text,
    which was most of its cost (~1 ms → ~0.2 ms for 4,700 chars); the Doc is the same.
    """

    _WS_RE = re.compile(r"\s+")

    def __init__(self, vocab: Any, segmenter: str = "char") -> None:
        if segmenter != "char":
            raise ValueError(
                f"noticerules' tokenizer supports segmenter 'char' only, not {segmenter!r}; "
                "use spacy.zh.ChineseTokenizer for jieba"
            )
        self.vocab = vocab
        self.segmenter = segmenter
        self._ids: dict[str, int] = {}  # token text → StringStore id (grows with the vocab)

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in self._WS_RE.finditer(text):
            a, b = m.span()
            if a > pos:  # a run of non-space chars: one token each (C-speed extend)
                words.extend(text[pos:a])
                spaces.extend([False] * (a - pos))
                if text[a] == " ":  # the first space after a token is its whitespace_
                    spaces[-1] = True
                    a += 1
            if b > a:
                words.append(text[a:b])
                spaces.append(False)
            pos = b
        if pos < len(text):
            words.extend(text[pos:])
            spaces.extend([False] * (len(text) - pos))
        ids = self._ids
        try:
            orths = list(map(ids.__getitem__, words))
        except KeyError:  # a char not seen before: register it (Doc makes its lexeme)
            add = self.vocab.strings.add
            for w in words:
                if w not in ids:
                    ids[w] = add(w)
            orths = list(map(ids.__getitem__, words))
        return Doc(self.vocab, words=orths, spaces=spaces)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return json.dumps({"segmenter": self.segmenter}).encode()

    def from_bytes(self, data: bytes, **kwargs: Any) -> "NoticeCharTokenizer":
        self.segmenter = json.loads(data).get("segmenter", "char")
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps({"segmenter": self.segmenter}), encoding="utf-8")

    def from_disk(self, path: str | Path, **kwargs: Any) -> "NoticeCharTokenizer":
        return self


class NoticeSentencizer:
    """Sentence boundaries for notices: after 。！？!?； and at line breaks.

    Works on ``doc.text`` with one regex and maps the boundaries to tokens through the
    tokens' character offsets (setting ``token.is_sent_start`` one by one is quadratic
    in spaCy). Closing quotes/brackets right after a terminator stay in the sentence
    ("。”"); whitespace after it too, so a sentence starts at the next real character.
    """

    def __init__(self, nlp: Language, name: str, *, punct_chars: list[str], split_on_newline: bool) -> None:
        self.name = name
        self.punct_chars = list(punct_chars)
        self.split_on_newline = split_on_newline
        ends = "".join(re.escape(c) for c in self.punct_chars) + ("\n" if split_on_newline else "")
        closers = re.escape("”’」』）)】\"'")
        # a boundary is the position right after: terminators, closers, whitespace
        self._boundary = re.compile(f"[{ends}]+[{closers}]*\\s*") if ends else None

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> numpy.ndarray:
        """SENT_START values per token: 1 starts a sentence, -1 does not."""
        n = len(doc)
        starts = numpy.full(n, -1, dtype="int64")
        if not n:
            return starts
        starts[0] = 1
        if self._boundary is None:
            return starts
        idx = doc.to_array([IDX]).astype("int64").reshape(-1)
        text = doc_to_text(doc)
        positions = [m.end() for m in self._boundary.finditer(text) if m.end() < len(text)]
        if positions:
            tok = numpy.searchsorted(idx, numpy.array(positions, dtype="int64"), side="left")
            tok = tok[tok < n]
            starts[tok] = 1
        return starts

    def set_annotations(self, doc: Doc, starts: numpy.ndarray) -> None:
        if len(doc):
            doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))


class PatternRuler:
    """Regex patterns (data) → spans with parsed values, added to ``doc.spans[spans_key]``.

    ``labels`` selects which records of the pattern data this ruler runs, so the same
    data file drives the date, amount, document-number and look-alike rulers.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        labels: list[str],
        spans_key: str,
        load_default_patterns: bool,
    ) -> None:
        self.name = name
        self.labels = list(labels)
        self.spans_key = spans_key
        self._records: list[dict[str, Any]] = []
        self._compiled: list[_Compiled] = []
        self._vocab: dict[str, list[str]] = {}
        if load_default_patterns:
            self.add_patterns(default_patterns())

    @property
    def patterns(self) -> list[dict[str, Any]]:
        """All records added so far (defines, vocabularies, patterns), as data."""
        return list(self._records)

    def add_patterns(self, records: Iterable[dict[str, Any]]) -> None:
        """Add define / vocab / pattern records; patterns of other labels are kept but not run."""
        self._records.extend(records)
        self._compile()

    def clear(self) -> None:
        self._records, self._compiled, self._vocab = [], [], {}

    def _compile(self) -> None:
        defines: dict[str, str] = {}
        compiled: list[_Compiled] = []
        vocab: dict[str, list[str]] = {}
        for rec in self._records:
            if "define" in rec:
                defines[rec["define"]] = _expand(rec["pattern"], defines, rec["define"])
            elif "vocab" in rec:
                vocab[rec["vocab"]] = list(rec["words"])
            elif rec.get("label") in self.labels:
                where = rec.get("id", "?")
                parser = PARSERS.get(rec.get("parser", ""))
                if parser is None:
                    raise ValueError(
                        f"pattern {where!r} names unknown parser {rec.get('parser')!r}; "
                        f"use one of: {', '.join(sorted(PARSERS))}"
                    )
                try:
                    regex = _with_first_chars(re.compile(_expand(rec["pattern"], defines, where)))
                except re.error as exc:
                    raise ValueError(f"pattern {where!r} is not a valid regex: {exc}") from None
                full = rec.get("scan", "windows") == "full"
                needs = frozenset(rec.get("needs", ""))
                compiled.append(
                    _Compiled(rec["label"], where, parser, int(rec.get("priority", 0)), regex, full, needs)
                )
        # longer words first, so "按照" is cut before "按"
        for words in vocab.values():
            words.sort(key=len, reverse=True)
        self._compiled, self._vocab = compiled, vocab

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, list(self.match(doc)))
        return doc

    def text_to_candidates(self, text: str) -> Iterator[Candidate]:
        """The pattern hits in a plain string (what ``match`` runs on ``doc.text``)."""
        windows = text_to_windows(text)
        for pat in self._compiled:
            needs = pat.needs
            if pat.full_scan:
                if needs and not any(c in text for c in needs):
                    continue
                matches: Iterable[re.Match[str]] = pat.regex.finditer(text)
            else:
                matches = (
                    m
                    for a, b, chars in windows
                    if not needs or not needs.isdisjoint(chars)
                    for m in pat.regex.finditer(text, a, b)
                )
            for m in matches:
                parsed = pat.parser(m, self._vocab)
                if parsed is None:
                    continue
                value, flags, start, end = parsed
                s = m.start() if start is None else start
                e = m.end() if end is None else end
                if e > s:
                    yield Candidate(pat.label, s, e, value, tuple(dict.fromkeys(flags)), pat.id, pat.priority)

    def match(self, doc: Doc) -> Iterator[Candidate]:
        return self.text_to_candidates(doc_to_text(doc))

    def set_annotations(self, doc: Doc, matches: list[Candidate]) -> None:
        group = doc.spans[self.spans_key] if self.spans_key in doc.spans else SpanGroup(doc, name=self.spans_key)
        for c in matches:
            span = _char_span(doc, c.start, c.end, c.label)
            if span is None:
                continue
            ext = span._  # one Underscore per span: each ``span._`` builds a new one
            data = ext.fact_candidates or {}
            data[c.label] = (c.value, c.flags, c.pattern_id, c.priority)
            ext.fact_candidates = data
            ext.fact_pattern = c.pattern_id
            group.append(span)
        doc.spans[self.spans_key] = group

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "patterns.jsonl").open("w", encoding="utf-8") as f:
            for rec in self._records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PatternRuler":
        file = Path(path) / "patterns.jsonl"
        self.clear()
        if file.exists():
            lines = file.read_text(encoding="utf-8").splitlines()
            self.add_patterns(json.loads(line) for line in lines if line.strip())
        return self


class FactResolver:
    """Overlapping candidates → one fact per stretch of text, look-alikes removed.

    Longest span first (a range beats its endpoints, ``1.5万元`` beats ``5``), then the
    pattern's priority, then the leftmost; a candidate that overlaps a look-alike or an
    accepted fact is dropped. Writes ``doc.spans[spans_key]`` sorted by position.
    """

    def __init__(self, nlp: Language, name: str, *, candidates_key: str, lookalikes_key: str, spans_key: str) -> None:
        self.name = name
        self.candidates_key = candidates_key
        self.lookalikes_key = lookalikes_key
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[Span, str, tuple[Any, ...]]]:
        blocks = [(s.start_char, s.end_char) for s in doc.spans.get(self.lookalikes_key, [])]
        cands: list[tuple[Span, str, tuple[Any, ...]]] = []
        for span in doc.spans.get(self.candidates_key, []):
            data = (span._.fact_candidates or {}).get(span.label_)
            if data is not None:
                cands.append((span, span.label_, data))
        cands.sort(key=lambda c: (-(c[0].end_char - c[0].start_char), -c[2][3], c[0].start_char))
        # the chars already covered by a look-alike or an accepted fact (spans are never
        # empty, so "overlaps a taken span" is "covers a taken char"; linear, not pairwise)
        taken = bytearray(len(doc_to_text(doc)) + 1)
        for s, e in blocks:
            taken[s:e] = b"\x01" * (e - s)
        accepted: list[tuple[Span, str, tuple[Any, ...]]] = []
        for span, label, data in cands:
            a, b = span.start_char, span.end_char
            if taken.find(1, a, b) != -1:
                continue
            taken[a:b] = b"\x01" * (b - a)
            accepted.append((span, label, data))
        accepted.sort(key=lambda c: c[0].start_char)
        return accepted

    def set_annotations(self, doc: Doc, accepted: list[tuple[Span, str, tuple[Any, ...]]]) -> None:
        group = SpanGroup(doc, name=self.spans_key)
        for span, label, (value, flags, pattern_id, _prio) in accepted:
            fact_span = Span(doc, span.start, span.end, label=label)
            ext = fact_span._
            ext.fact_value = value
            ext.fact_flags = list(flags)
            ext.fact_pattern = pattern_id
            group.append(fact_span)
        doc.spans[self.spans_key] = group
