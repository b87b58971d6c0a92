"""Document fields of one notice: title, doc number, dates, issuers, region, policy year, script, cites.

Reads the parsed text (through the normaliser's simplified view), the metadata table a
government site prints (索引号/发布机构/发文日期/文号/标题, from ``parsed.meta`` or inline
``key | value |`` lines) and the facts already found (DOC_NO for the notice's own number and
its citations). Pure: no I/O beyond this package's data files, no spaCy.

    >>> from extractors.contract import ParsedDocument
    >>> from extractors.normalise import text_to_normalised
    >>> text = ("吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\\n"
    ...         "各市（州）医疗保障局：\\n为做好参保缴费工作，现通知如下。\\n吉林省医疗保障局\\n2023年9月8日")
    >>> p = ParsedDocument(source="x.txt", sha256="0" * 64, format="txt", text=text)
    >>> d = parsed_to_document(p, text_to_normalised(text), [])
    >>> d.issuers, d.region.code, d.published, d.policy_year
    (['吉林省医疗保障局'], '220000', '2023-09-08', 2024)

How each field is chosen is written down in the README ("Document metadata") and, next to
the code, in the docstring of each ``_find_*`` function.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import Callable

import numpy

from . import regions as _regions
from .contract import Fact, NoticeDocument, ParsedDocument, Region
from .normalise import Normalised
from .values import cn_to_decimal

__all__ = ["parsed_to_document"]

# "(" first and the look-behind after it: re then jumps from "(" to "(" instead of trying
# the look-behind at every char (same matches as "(?<=[CJK])\(…")
_PINYIN_GLUE = re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")
_FILLER = re.compile(r"[?？\ufffd]{1,}|\u3000|\xa0")
# what the normaliser would have removed: a Normalised that still has it skipped the normaliser
# (?? / U+FFFD / ideographic or no-break space; tested with `in`, much faster than a regex)
_UNNORMALISED = ("??", "\ufffd", "\u3000", "\xa0")
_FULLWIDTH = str.maketrans("０１２３４５６７８９：（）［］", "0123456789:()[]")
_SENTENCE_PUNCT = re.compile(r"[，。；;！!？]")
# a CJK-ish org token: the name itself, possibly with brackets (中国（广西）自由贸易试验区)
_ORG_BODY = r"[\u4e00-\u9fff（）()]"
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUNS = re.compile(r"[\u4e00-\u9fff]+")
_MOJIBAKE = re.compile(r"锟斤拷|烫烫烫|屯屯屯|Ã.|Â.|â€|ï¿½|\ufffd")
# a char every _MOJIBAKE match holds: a text without any of them has no match (one-char `in`
# tests are ~10x faster than the regex scan, and than `in` with the longer strings)
_MOJIBAKE_CHARS = ("锟", "烫", "屯", "Ã", "Â", "â", "ï", "\ufffd")


# --- data files --------------------------------------------------------------------------------

def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class _Vocab:
    meta_roles: dict[str, str]  # normalised key → role
    title_end: re.Pattern[str]
    title_about: re.Pattern[str]
    title_endings: tuple[str, ...]  # a standalone title ends with one of these
    title_last_chars: frozenset[str]  # … so its last char is one of these
    org: re.Pattern[str]
    org_suffix: tuple[str, ...]
    org_foreign: re.Pattern[str]  # a char no org name (body or suffix) contains
    level_cues: dict[str, re.Pattern[str]]
    noise: re.Pattern[str]
    repost: re.Pattern[str]


def _first_chars(words: tuple[str, ...] | list[str]) -> str:
    """A character class of the first chars of ``words``."""
    return "[" + "".join(re.escape(c) for c in sorted({w[0] for w in words})) + "]"


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    roles: dict[str, str] = {}
    for line in _data_lines("meta_keys.tsv")[1:]:
        role, keys = line.split("\t", 1)
        for key in keys.split():
            roles[key] = role
    endings = sorted(_data_lines("meta_title_endings.txt"), key=len, reverse=True)
    end_alt = "|".join(map(re.escape, endings))
    # what may follow a title: nothing, a space, a bracketed note ((征求意见稿)), a separator
    after = r"(?=$|[\s(（\[【|｜_，,:：]|——)"
    title_end = re.compile(rf"(?:{end_alt}){after}")
    # (?=[first chars]) before an alternation: the lazy run tries the alternation after each
    # char, and re tried all 40 branches there; the look-ahead (implied by the alternation,
    # so the matches are the same) turns most of those tries into one char test
    title_about = re.compile(rf"关于[^。；;\n]{{2,160}}?的?(?={_first_chars(endings)})(?:{end_alt}){after}")
    suffixes = tuple(sorted(_data_lines("meta_org_suffixes.txt"), key=len, reverse=True))
    org = re.compile(rf"{_ORG_BODY}{{1,40}}?(?={_first_chars(suffixes)})(?:{'|'.join(map(re.escape, suffixes))})")
    suffix_chars = "".join(sorted({c for s in suffixes for c in s}))
    org_foreign = re.compile(rf"[^\u4e00-\u9fff（）(){re.escape(suffix_chars)}]")
    cues: dict[str, re.Pattern[str]] = {}
    for line in _data_lines("meta_level_cues.tsv")[1:]:
        level, words = line.split("\t", 1)
        cues[level] = re.compile("|".join(map(re.escape, words.split())))
    noise = re.compile("|".join(map(re.escape, (w.strip() for w in _data_lines("meta_noise_lines.txt")))))
    repost = re.compile("|".join(map(re.escape, _data_lines("meta_repost_cues.txt"))))
    return _Vocab(roles, title_end, title_about, tuple(endings), frozenset(e[-1] for e in endings), org, suffixes, org_foreign,
                  cues, noise, repost)


@lru_cache(maxsize=1)
def _converters() -> tuple[object, object] | None:
    try:
        import opencc
    except ImportError:  # the normaliser needs it too; without it script stays "unknown"
        return None
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def _t2s(text: str) -> str:
    conv = _converters()
    if conv is None:
        return text
    out = conv[0].convert(text)  # type: ignore[attr-defined]
    return out if len(out) == len(text) else text  # length-preserving in practice (pitfalls.md)


# --- the working text ----------------------------------------------------------------------------

@dataclass
class _Work:
    """A cleaned, simplified copy of the normalised text with a map back to the original."""

    text: str
    # to_orig[i] = index in the original text of work char i (for i < len(text); the list may
    # go on: the normaliser's offsets are used as they are, not copied)
    to_orig: list[int]

    def from_orig(self, orig_index: int) -> int:
        return bisect.bisect_left(self.to_orig, orig_index, 0, len(self.text))


def _norm_to_work(norm: Normalised) -> _Work:
    # The normaliser already converts to simplified and drops pinyin glue and `?` runs; this
    # module only redoes it when the text plainly did not go through those steps.
    t = norm.text
    # (_UNNORMALISED as one-char tests first: those are the fast ones)
    if not (("?" in t and "??" in t) or "\ufffd" in t or "\u3000" in t or "\xa0" in t or _PINYIN_GLUE.search(t)):
        return _Work(norm.text, norm.offsets)
    src = _t2s(norm.text).translate(_FULLWIDTH)
    keep: list[int] = []
    chars: list[str] = []
    drop = [False] * len(src)
    for m in _PINYIN_GLUE.finditer(src):
        for i in range(m.start(), m.end()):
            drop[i] = True
    fill = [False] * len(src)
    for m in _FILLER.finditer(src):
        for i in range(m.start(), m.end()):
            fill[i] = True
    prev_fill = False
    for i, ch in enumerate(src):
        if drop[i]:
            continue
        if fill[i]:
            if not prev_fill:  # a run of fillers becomes one space
                chars.append(" ")
                keep.append(i)
            prev_fill = True
            continue
        prev_fill = False
        chars.append(ch)
        keep.append(i)
    offsets = norm.offsets
    to_orig = [offsets[i] if i < len(offsets) else len(norm.original) for i in keep]
    return _Work("".join(chars), to_orig)


class _Lines:
    """The lines of the work text as parallel lists (one object per line was a cost), read
    from the top only as far as asked: ``cover(pos)`` / ``cover_lines(n)`` first, then the
    lists hold every line starting at or before ``pos`` / the first ``n`` lines."""

    __slots__ = ("text", "starts", "ends", "texts", "_next")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []  # where line i's stripped text starts in the work text (increasing)
        self.ends: list[int] = []  # … and ends
        self.texts: list[str] = []  # line i, stripped ("" for a blank line)
        self._next = 0  # where the first line not read yet starts; -1 once all are read

    def cover(self, pos: int) -> None:
        """Read the lines up to the one holding ``pos`` (all of them when ``pos`` is past the end)."""
        if self._next < 0 or pos < self._next:
            return
        text = self.text
        cut = text.find("\n", pos)
        self._read(text[self._next: cut] if cut >= 0 else text[self._next:])
        self._next = cut + 1 if cut >= 0 else -1

    def cover_lines(self, count: int) -> None:
        """Read at least the first ``count`` lines (or all)."""
        if count <= len(self.texts) or self._next < 0:
            return
        # where line count - 1 (or the last line) starts: what is left after count - 1 splits
        self.cover(len(self.text) - len(self.text.split("\n", count - 1)[-1]))

    def _read(self, chunk: str) -> None:
        # all in C (map / accumulate): start = end of the raw line - length of its lstripped form
        parts = chunk.split("\n")
        lengths = list(map(len, parts))
        base = self._next
        # raw line k ends at base + (the lengths of lines 0..k) + k newlines
        raw_ends = map(operator.add, accumulate(lengths), range(base, base + len(parts)))
        starts = list(map(operator.sub, raw_ends, map(len, map(str.lstrip, parts))))
        texts = list(map(str.strip, parts))
        self.starts += starts
        self.ends += map(operator.add, starts, map(len, texts))
        self.texts += texts


# --- metadata table ------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _norm_key(key: str) -> str:
    return re.sub(r"[\s:：|]", "", _t2s(key))


_CELL_SEP = re.compile(r"[|｜]")
_KEY_VALUE = re.compile(r"^([^\s:：]{2,8})\s*[:：]\s*(\S.*)$")
_NEXT_KEY = re.compile(r"\s+(?=[\u4e00-\u9fff][^\s:：]{1,7}\s*[:：])")  # where the next key: starts
_PAIR_SEP = re.compile(r"\s*[:：]\s*")
_LEAD_STAMP = re.compile(r"((?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+")


def _meta(parsed: ParsedDocument, lines: _Lines) -> tuple[dict[str, str], set[int]]:
    """Role → value from parsed.meta and from inline ``key | value |`` lines; and those lines' indexes."""
    roles = _vocab().meta_roles
    out: dict[str, str] = {}
    for key, value in parsed.meta.items():
        role = roles.get(_norm_key(key))
        if not role or role in out:  # converting the value (OpenCC) only when it is kept
            continue
        value = _t2s(value).strip()
        if value:
            out[role] = value
    meta_lines: set[int] = set()
    # .txt files and flattened pages carry the table inline, near the top
    lines.cover_lines(40)
    for idx, text in enumerate(lines.texts[:40]):
        if "|" in text or "｜" in text:
            cells = [c.strip() for c in _CELL_SEP.split(text)]
        elif ":" in text or "：" in text:
            # (2026-09-08 10:32　来源：…: a byline may open with its date and time, unlabelled)
            stamp = _LEAD_STAMP.match(text) if text[:1].isdigit() else None
            if stamp:
                text = text[stamp.end() :]
            m = _KEY_VALUE.match(text)
            # a byline holds several pairs: 来源：X 作者：Y 发布时间：2023-09-12 阅读：2856
            cells = [c.strip() for seg in _NEXT_KEY.split(text) for c in _PAIR_SEP.split(seg, 1)] if m else []
            if stamp and cells:
                cells = ["发布时间", stamp.group(1)] + cells
        else:
            continue  # no cells: nothing below can happen
        found = False
        for i in range(len(cells) - 1):
            role = roles.get(_norm_key(cells[i]))
            if role is None:
                continue
            found = True
            value = cells[i + 1]
            if not value or role in out:  # nothing to store (checked first: the title test converts)
                continue
            if roles.get(_norm_key(value)) is not None:  # an empty cell: the next key follows
                continue
            if role == "title" and _title_from_string(_t2s(value), -1, -1, "meta") is None:
                continue  # 名称：固始县医疗保障局 in a contact list is no title
            out[role] = value
        if found:
            meta_lines.add(idx)
    return out, meta_lines


# --- dates ---------------------------------------------------------------------------------------

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "О": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3,
             "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# (2016年9月2O日: a digit lost to a letter O is no date — the day must not run on into one)
_DATE_ARABIC = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})(?!\d)(?![OoОＯ〇])\s*日?")
# (X then X{3} rather than X{4}: a pattern that opens with a char class lets re skip to the
# next char of that class; one that opens with a repeat is tried at every char, ~2.4x slower)
_DATE_CN = re.compile(r"([〇○零一二三四五六七八九OО][〇○零一二三四五六七八九OО]{3})\s*年\s*([一二三四五六七八九十]{1,3})"
                      r"\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
# a date-looking run in a signature that cannot be read (汾西县: "2022113")
# (19|20 first, then "no digit before it" as a look-behind over those two chars: re can skip
# to the next 1/2 instead of testing the look-behind at every char)
_DATE_GARBLED = re.compile(r"(?:19|20)(?<!\d..)\d{5,6}(?!\d)")
# every char any of the three date patterns can match (a superset): a match never contains
# any other char, so next to one of those a scan can start or stop without changing the matches
_DATE_SOFT = re.compile(r"[\d\s年月日\-/.〇○零一二三四五六七八九十OОＯ]")


def _cn_small(s: str) -> int | None:
    """一 … 三十一 → 1 … 31."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGIT.get(tens, None) if tens else 1
        o = _CN_DIGIT.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _CN_DIGIT.get(s) if len(s) == 1 else None


@lru_cache(maxsize=4096)  # a notice repeats its dates; date() + isoformat() per match was a cost
def _make_date(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


@dataclass
class _Date:
    start: int
    end: int
    iso: str | None  # None when it looks like a date but is not a valid one


def _dates(text: str, lo: int = 0, hi: int | None = None) -> list[_Date]:
    """The dates of ``text`` that start in [lo, hi): the same ones, with the same spans, as a
    scan of the whole text finds there (only the part around [lo, hi) is scanned)."""
    n = len(text)
    hi = n if hi is None else min(hi, n)
    if lo >= hi:
        return []
    # widen [lo, hi) to chars no match can contain (or the text's ends): a whole-text scan has
    # no match across such a char, so scanning from / up to it finds the same matches inside;
    # look-behinds still see the chars before `pos` (re reads the whole string for them)
    pos = max(lo, 0)
    while pos > 0 and _DATE_SOFT.match(text, pos - 1):
        pos -= 1
    endpos = hi
    while endpos < n and _DATE_SOFT.match(text, endpos):
        endpos += 1
    out: list[_Date] = []
    for m in _DATE_ARABIC.finditer(text, pos, endpos):
        out.append(_Date(m.start(), m.end(), _make_date(int(m[1]), int(m[2]), int(m[3]))))
    for m in _DATE_CN.finditer(text, pos, endpos):
        y = "".join(str(_CN_DIGIT.get(c, "")) for c in m[1])
        mo, d = _cn_small(m[2]), _cn_small(m[3])
        iso = _make_date(int(y), mo, d) if len(y) == 4 and mo and d else None
        out.append(_Date(m.start(), m.end(), iso))
    taken = [(d.start, d.end) for d in out]
    for m in _DATE_GARBLED.finditer(text, pos, endpos):
        if not any(s <= m.start() < e for s, e in taken):
            g = m.group()
            # 20250105日: eight digits before 日 read one way only (the fact reader repairs it too);
            # 2022113 stays ambiguous (2022-11-3 or 2022-1-13)
            iso = (_make_date(int(g[:4]), int(g[4:6]), int(g[6:8]))
                   if len(g) == 8 and text.startswith("日", m.end()) else None)
            out.append(_Date(m.start(), m.end(), iso))
    out.sort(key=lambda d: d.start)
    if pos < lo or endpos > hi:
        out = [d for d in out if lo <= d.start < hi]
    return out


def _parse_date(value: str) -> str | None:
    value = value.translate(_FULLWIDTH).strip()
    compact = re.match(r"^((?:19|20)\d{2})(\d{2})(\d{2})$", value)  # a table's 20240912
    if compact:
        return _make_date(int(compact[1]), int(compact[2]), int(compact[3]))
    found = [d for d in _dates(value) if d.iso]
    return found[0].iso if found else None


# --- document numbers (for the metadata table and when no facts were handed in) ------------------

_DOCNO = re.compile(
    r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（{]\s*((?:19|20)\d{2})\s*[〕\]］】)）}]\s*第?\s*(\d{1,5})\s*号")
# 汾政办发〔202246: the closing bracket and 号 lost; year = first 4 digits (a documented repair)
_DOCNO_LOST_BRACKET = re.compile(r"([\u4e00-\u9fff]{1,12}?)\s*〔\s*((?:19|20)\d{2})(\d{1,4})(?!\d)\s*号?")
_DOCNO_LEAD_JUNK = re.compile(r"^(?:根据|按照|依据|参照|见|按|据|和|及|与|、|号|文)+")


@dataclass
class _DocNo:
    start: int
    end: int
    canonical: str
    repaired: bool


def _docnos(text: str) -> list[_DocNo]:
    out: list[_DocNo] = []
    for m in _DOCNO.finditer(text):
        code = _DOCNO_LEAD_JUNK.sub("", m[1])
        if code:
            out.append(_DocNo(m.start(), m.end(), f"{code}〔{m[2]}〕{int(m[3])}号", False))
    for m in _DOCNO_LOST_BRACKET.finditer(text):
        if any(d.start <= m.start() < d.end for d in out):
            continue
        code = _DOCNO_LEAD_JUNK.sub("", m[1])
        if code:
            out.append(_DocNo(m.start(), m.end(), f"{code}〔{m[2]}〕{int(m[3])}号", True))
    out.sort(key=lambda d: d.start)
    return out


_CITING = re.compile(r"根据|按照|依据|参照|执行|见|转发|印发")


def _fact_docnos(facts: list[Fact], work: _Work) -> list[_DocNo]:
    out: list[_DocNo] = []
    for f in [f for f in facts if f.type == "DOC_NO"]:  # (a comprehension: most facts are not)
        if not f.value or not f.value.get("canonical"):
            continue
        if {"incomplete", "corrupt"} & set(f.flags) or not f.value.get("year"):
            continue
        out.append(_DocNo(work.from_orig(f.start), work.from_orig(f.end), str(f.value["canonical"]),
                          "repaired" in f.flags))
    out.sort(key=lambda d: d.start)
    return out


# --- issuers ---------------------------------------------------------------------------------------

_ORG_SEP = re.compile(r"[\s、，,]+")
_ORG_PIECE = re.compile(r"[^\s、，,]+")

# how the first half of a name broken over two lines starts (国家税务总局宁夏回族 / 自治区税务局)
_GLUE_START = re.compile(r"^(?:国家|中国|中共|共青团|中华人民共和国)")


def _split_orgs(chunk: str) -> list[str] | None:
    """``吉林省医疗保障局 吉林省民政厅`` → the names; None unless the whole chunk is org names.

    A piece that does not end like an org name is glued to the next one: titles and signatures
    wrap lines inside a name (国家税务总局宁夏回族 / 自治区税务局).
    """
    pieces = [p for p in _ORG_SEP.split(chunk) if p]
    if not pieces:
        return None
    names: list[str] = []
    i = 0
    while i < len(pieces):
        group = _org_group(pieces, i)
        if group is None:
            return None
        names.append(group[0])
        i = group[1] + 1
    return _merge_tax_bureau(names)


def _org_group(pieces: list[str], i: int) -> tuple[str, int] | None:
    """The org name glued from ``pieces[i]`` on (up to the first piece where it ends like one),
    and the index of its last piece; None when the glue fails or the pieces run out."""
    v = _vocab()
    pending = ""
    for k in range(i, len(pieces)):
        if pending and not _GLUE_START.match(pending) and not _regions.text_to_region_mentions(pending):
            return None  # 有效 / 单位名称 before a name is page text, not a wrapped name
        pending += pieces[k]
        if pending.endswith(v.org_suffix) and v.org.fullmatch(pending):
            return pending, k
    return None


def _merge_tax_bureau(names: list[str]) -> list[str]:
    """国家税务总局 / 宁夏回族自治区税务局 on two lines is one body: that region's tax bureau."""
    merged: list[str] = []
    for name in names:
        if merged and merged[-1] == "国家税务总局" and name.endswith("税务局"):
            merged[-1] += name
        else:
            merged.append(name)
    return merged


def _org_tail(prefix: str) -> tuple[list[str], int] | None:
    """The org names at the end of ``prefix`` (what stands before 关于 in a title), and where they start.

    That is _split_orgs of the longest chunk of whole pieces at the end that gives names. The
    chunks are walked from the right, each split as its first name plus the (already known)
    split of the chunk after that name: the same names as splitting every chunk anew.
    """
    found = list(_ORG_PIECE.finditer(prefix))
    pieces = [m.group() for m in found]
    foreign = _vocab().org_foreign
    # names[i]: the names (before _merge_tax_bureau) of the chunk from piece i on, or None
    names: list[list[str] | None] = [None] * len(pieces) + [[]]
    best = -1
    for i in range(len(pieces) - 1, -1, -1):
        if foreign.search(pieces[i]):
            # this piece is glued into a name that can never match the org pattern: every
            # chunk from here or further left is no list of names
            break
        group = _org_group(pieces, i)
        if group is not None:
            rest = names[group[1] + 1]
            if rest is not None:
                names[i] = [group[0], *rest]
                best = i
    if best < 0:
        return None
    return _merge_tax_bureau(names[best]), found[best].start()  # type: ignore[arg-type]


# --- title -----------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_ONLY_FILLER = re.compile(r"[\s?？]*")


@dataclass
class _Title:
    start: int  # in work text; -1 for metadata / title_hint
    end: int
    orgs: list[str]
    body: str  # from 关于 (or the whole standalone line), whitespace removed
    source: str  # meta / body / hint
    # the body named at the head of a standalone title (固始县医疗保障局2025年度…招标公告)
    lead: list[str] = field(default_factory=list)

    @property
    def issuers(self) -> list[str]:
        return self.orgs or self.lead

    @property
    def text(self) -> str:
        return (" ".join(self.orgs) + self.body) if self.orgs else self.body

    @property
    def skeleton(self) -> str:
        return _DIGITS.sub("#", self.body)

    @property
    def years(self) -> list[str]:
        return _YEAR.findall(self.body)


def _nows(s: str) -> str:
    # = re.sub(r"\s+", "", s): str.split() splits on the same chars as \s (both use
    # Py_UNICODE_ISSPACE; checked over every code point), ~4x faster on a title
    return "".join(s.split())


_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．]|第[一二三四五六七八九十百\d]{1,4}[条章节部分])")
# a headline tag (【重要通知】) and right after it the one who speaks, in a form that is no
# org name (岩口镇向家村, 某某小学): part of the title
_TAGGED_HEAD = re.compile(r"^\s*【[^】]{1,10}】([\u4e00-\u9fff]{2,20})$")
_LEAD_ORG = re.compile(r"^([\u4e00-\u9fff]{2,30}?(?:局|厅|委员会|政府|办公室|中心))(?=(?:19|20)\d{2}\s*年)")


_EXPLAINER_TITLE = re.compile(r"^(?:[\u4e00-\u9fff]{2,30}?(?:局|厅|委员会|政府|办公室|中心))?(《[^《》]{6,100}》(?:政策)?(?:解读|问答|图解))$")


def _title_from_string(s: str, start: int, end: int, source: str,
                       tails: dict[int, tuple[list[str], int] | None] | None = None) -> _Title | None:
    """A title inside one string (a line, merged lines, a meta cell), or None.

    ``tails``: _org_tail of ``s[:i]`` by ``i``, filled and read here; for strings that all
    start with the same text (a line, then it joined with the next ones) up to each such ``i``.
    """
    v = _vocab()
    if "关于" not in s and not _may_end_title(s, v):
        return None  # neither form below can match (the common case: most lines are no title)
    for m in v.title_about.finditer(s):
        if m.start() > 0 and s[m.start() - 1] in "《<“\"":
            continue  # a citation: 《关于…的通知》
        body = _nows(m.group())
        if body.count("《") != body.count("》"):
            continue
        prefix = s[: m.start()]
        if tails is None:
            tail = _org_tail(prefix.rstrip())
        elif m.start() in tails:
            tail = tails[m.start()]
        else:
            tail = tails[m.start()] = _org_tail(prefix.rstrip())
        orgs: list[str] = []
        if tail is not None:
            orgs = tail[0]
        elif prefix.strip() and _SENTENCE_PUNCT.search(prefix[-30:]):
            continue  # 关于 in the middle of a sentence
        else:
            tagged = _TAGGED_HEAD.match(prefix)
            if tagged:  # 【重要通知】岩口镇向家村关于…: the headline after its tag is the title
                body = tagged[1] + body
        return _Title(start, end, orgs, body, source)
    # a standalone line: XX县2024年城乡居民医保参保缴费工作方案 (not a section heading:
    # 四、待遇享受规定 / （二）实施办法 / 第三条)
    compact = _nows(s)
    if _ENUMERATED.match(compact):
        return None
    explainer = _EXPLAINER_TITLE.match(compact)
    if explainer:  # 《…的通知》政策解读: an explainer's title names the notice (an office's line above is not part of it)
        return _Title(start, end, [], explainer.group(1), source)
    if 6 <= len(compact) <= 70 and not _SENTENCE_PUNCT.search(compact) and v.title_end.search(compact + " "):
        m_end = v.title_end.search(compact + " ")
        if m_end is not None and m_end.end() == len(compact) and "《" not in compact[:2]:
            lead = _LEAD_ORG.match(compact)
            named = [lead[1]] if lead and _regions.text_to_region_mentions(lead[1]) else []
            return _Title(start, end, [], compact, source, named)
    return None


def _may_end_title(s: str, v: _Vocab) -> bool:
    """False when ``s`` cannot be a standalone title: that needs 6-70 chars without whitespace
    ending in one of the title endings."""
    compact = _nows(s)
    return 6 <= len(compact) <= 70 and compact.endswith(v.title_endings)


_SPACED = re.compile(r" (?<=[\u4e00-\u9fff] )(?=[\u4e00-\u9fff])")  # the space first: re jumps to it


def _despace(line: str) -> str:
    """关 于 做 好 … 的 通 知 (a letter-spaced PDF heading) → 关于做好…的通知; other lines as they are."""
    if " " not in line:  # nothing spaced (and the counting below is the cost)
        return line
    cjk = len(line) - len(_CJK_RUNS.sub("", line))  # how many CJK chars (no list of them)
    # each spaced pair needs a space of its own: with too few spaces there is no need to count
    if cjk >= 4 and line.count(" ") >= 0.6 * (cjk - 1) and len(_SPACED.findall(line)) >= 0.6 * (cjk - 1):
        return _SPACED.sub("", line)
    return line


def _noise_lines(text: str, lines: _Lines, count: int) -> set[int]:
    """The indexes of the first ``count`` lines that hold a site-furniture word (one scan).

    A line holds one iff a scan of the text finds a match in it: the words hold no newline and
    start and end with a non-space char (they are stripped), so no match leaves its line.
    """
    if count <= 0:
        return set()
    starts = lines.starts
    out: set[int] = set()
    for m in _vocab().noise.finditer(text, 0, lines.ends[count - 1]):
        i = bisect.bisect_right(starts, m.start()) - 1
        # a notice flattened onto one line ends with the site's trailer (e-mail, 版权…): a word
        # far into a line is not what the line is
        if m.start() - starts[i] <= _NOISE_REACH:
            out.add(i)
    return out


_NOISE_REACH = 200  # chars into a line within which a furniture word marks the line


_LIST_HEAD = re.compile(r"^\s*(?:往期推荐|往期回顾|相关推荐|推荐阅读|热门推荐|猜你喜欢|延伸阅读|相关阅读|相关文章|相关链接)\s*[:：]?\s*$")

# a portal's name line above a notice (临泉县人民政府 alone, 首都之窗 北京市人民政府门户网站):
# page chrome when the title line below it names the issuers itself
_PORTAL_LINE = re.compile(r"^[\u4e00-\u9fff]{2,20}人民政府$|门户网站|首都之窗")


def _starts_with_issuers(line: str) -> bool:
    """Whether ``line`` is a complete title: its issuers, then 关于…通知 (or another ending)."""
    t = _title_from_string(line, -1, -1, "body") if "关于" in line else None
    return t is not None and bool(t.orgs) and _nows(line).startswith(_nows(t.orgs[0]))


def _body_titles(text: str, lines: _Lines, skip: set[int], limit: int) -> list[_Title]:
    """Title candidates among the first lines; up to five short lines are joined (issuer lines
    above a title wrapped over several lines, as red-head documents and PDFs print them)."""
    v = _vocab()
    out: list[_Title] = []
    lines.cover(limit)
    starts, ends, texts = lines.starts, lines.ends, lines.texts
    count = bisect.bisect_left(starts, limit)  # the lines starting before the limit
    # 往期推荐 / 相关阅读 …: the other articles listed under it are not this notice's title
    cut = next((i for i in range(3, count) if _LIST_HEAD.match(texts[i])), None)
    if cut is not None:
        count = cut
    noise = _noise_lines(text, lines, count)
    # (a stripped line that is all filler starts with ? or ？)
    usable = [i for i in range(count) if texts[i] and i not in skip and i not in noise
              and not (texts[i][0] in "?？" and _ONLY_FILLER.fullmatch(texts[i]))]
    # per usable line, computed once (a line takes part in up to five groups)
    line_texts = [texts[i] for i in usable]
    # a metadata or site-furniture line (发布时间:… / 首页 > …) just above: a wrapped title
    # never goes on across one, the lines above it are the page's, not the title's
    gap = [k > 0 and any(j in skip or j in noise for j in range(usable[k - 1] + 1, i))
           for k, i in enumerate(usable)]
    # de-spaced only when used (counting the spacing of a long line was a cost); de-spacing
    # only removes single spaces between CJK chars, so only a line with 关 于 gains a 关于
    spaced: list[str | None] = [None] * len(usable)

    def despaced(k: int) -> str:
        d = spaced[k]
        if d is None:
            d = spaced[k] = _despace(line_texts[k])
        return d

    about = ["关于" in t or ("关 于" in t and "关于" in despaced(k)) for k, t in enumerate(line_texts)]
    # a line that may stand in a wrapped title: short, no sentence punctuation, no table cell
    short = [len(t) <= 60 and "|" not in t and not _SENTENCE_PUNCT.search(t) for t in line_texts]
    # _title_from_string finds nothing in a string without 关于 that does not end like a
    # title (the last char of a string = the last char of its last line): tested first, so
    # that the strings are only joined and parsed when they can give a title
    last_chars = v.title_last_chars
    ends_ok = [t[-1] in last_chars for t in line_texts]
    n = len(usable)
    taken_until = -1
    for pos, i in enumerate(usable):
        if starts[i] < taken_until:
            continue
        # the strings tried from this line all start with it (and each one with the one before):
        # the org names before a 关于 at the same place are the same, so they are read once
        tails: dict[int, tuple[list[str], int] | None] = {}
        found = (_title_from_string(despaced(pos), starts[i], ends[i], "body", tails)
                 if about[pos] or ends_ok[pos] else None)
        # a wrapped title: join with the next short lines when that gives a (longer) title;
        # not a portal's name line onto a title line that already starts with its issuers
        # (nor a PDF's running header 大冶市医疗保障局 onto a title that opens with the same name)
        if short[pos] and not (pos + 1 < n and (_PORTAL_LINE.search(line_texts[pos]) or not about[pos]
                                                and despaced(pos + 1).startswith(despaced(pos)))
                               and _starts_with_issuers(despaced(pos + 1))):
            has_about = about[pos]
            for k in range(pos + 1, min(pos + 5, n)):
                if not short[k] or gap[k]:
                    break
                has_about = has_about or about[k]
                if not (has_about or ends_ok[k]):
                    continue  # the group joined so far (ending with line k) can be no title
                joined = " ".join(map(despaced, range(pos, k + 1)))
                cand = _title_from_string(joined, starts[i], ends[usable[k]], "body", tails)
                if cand is not None and (found is None or len(cand.text) > len(found.text)) and (
                        found is None or cand.body.startswith(found.body) or found.body in cand.text):
                    found = cand
        if found is not None:
            out.append(found)
            taken_until = found.end
    return out


_HINT_SEP = re.compile(r"\s*(?:[_|｜]|-{1,2}|——)\s*")
_SHORTENED = re.compile(r"(?:\.{2,}|…+)$")


def _clean_hint(hint: str) -> str:
    # <title> often carries the site's name: 标题_某某县人民政府 / 标题 - 网站
    if not hint:
        return ""  # (no parts)
    parts = [p.strip() for p in _HINT_SEP.split(_t2s(hint)) if p.strip()]
    return max(parts, key=len) if parts else ""


# a headline about the scheme (what a village poster or a news page heads its text with)
_SCHEME_WORD = re.compile(r"医保|医疗保险|城乡居民")
_HEAD_TAG = re.compile(r"^【[^】]{1,10}】")
_HEAD_END_PUNCT = re.compile(r"[!！~～]+$")
_LEAD_SYMBOLS = re.compile(r"^[^\u4e00-\u9fff0-9A-Za-z【\[（(]+")  # 📢 before a poster's headline


def _scheme_headline(line: str) -> str | None:
    """``line`` as a headline naming a year and the scheme (【联合村】2025年度城乡居民医保开始缴费啦！
    → 2025年度城乡居民医保开始缴费啦！), or None: a short line, no sentence inside it, no
    lead-in to a list (…分为两档：), no document number (郑医保〔2023〕58号)."""
    compact = _HEAD_END_PUNCT.sub("", _HEAD_TAG.sub("", _LEAD_SYMBOLS.sub("", _nows(line))))
    if not 6 <= len(compact) <= 40 or _ENUMERATED.match(compact) or _SENTENCE_PUNCT.search(compact):
        return None
    if ":" in compact or "：" in compact or _DOCNO.search(compact) or _DOCNO_LOST_BRACKET.search(compact):
        return None
    if not (_YEAR.search(compact) and _SCHEME_WORD.search(compact)):
        return None
    # the headline as written: its closing ！ stays (开始缴费啦！), a ~ run does not
    bang = re.search(r"[!！]+[~～]*$", _nows(line))
    return compact + bang.group().rstrip("~～")[:1] if bang else compact


def _headline_title(text: str, lines: _Lines, meta_lines: set[int]) -> _Title | None:
    """The first line as the title when it is a scheme headline standing above the notice's
    text (a village poster: 【联合村】2025年度城乡居民医保开始缴费啦！ / 各位村民：…)."""
    body_start = _body_start(text, lines, 0)
    lines.cover(body_start)
    noise = _noise_lines(text, lines, len(lines.texts))
    for i, line in enumerate(lines.texts):
        if lines.starts[i] >= body_start:
            break
        if not line or i in meta_lines or i in noise:
            continue
        if _BARE_TIP.fullmatch(_NOT_WORD.sub("", line)):
            continue  # 📢📢温馨提示📢📢 above the headline: a tag, not the title
        tip = line.strip()
        if len(tip) <= 30 and _TIP_END.search(tip) and (
                place := _regions.text_to_region_mentions(tip[:12])[:1]) and place[0].start == 0:
            return _Title(lines.starts[i], lines.ends[i], [], tip, "body")  # 项城市丁集镇前李村 温馨提示
        head = _scheme_headline(line)
        return _Title(lines.starts[i], lines.ends[i], [], head, "body") if head else None
    return None


_NOT_WORD = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]+")
_BARE_TIP = re.compile(r"温馨提示|重要提醒|缴费提醒|重要通知|通知")
_TIP_END = re.compile(r"(?:温馨提示|重要提醒|缴费提醒)$")


def _find_title(parsed: ParsedDocument, meta: dict[str, str], lines: _Lines, meta_lines: set[int],
                text: str) -> tuple[_Title | None, list[_Title], bool]:
    """The notice's own title, the body candidates, and whether a repost wrapper was seen.

    Order of trust: the metadata table's 标题; a title line near the top of the text (关于…的通知,
    or a short line ending in 通知/方案/办法…; wrapped lines are joined); the page's title hint;
    last, a first line above the notice's text that names a year and the scheme (a village
    poster's 【联合村】2025年度城乡居民医保开始缴费啦！).
    A repost site repeats the title with other years in its wrapper: when two candidates
    read the same except for their numbers, the later one (inside the reposted notice) wins and
    the document is flagged ``repost_wrapper``; so it is when a repost cue (小编, 阅读:) or a
    headline naming the scheme with other years than the title stands above the title.
    """
    limit = min(max(1500, int(len(text) * 0.4)), 20000)  # a title sits near the top
    body = _body_titles(text, lines, meta_lines, limit)
    wrapper = False
    chosen: _Title | None = None
    meta_title = meta.get("title", "").strip()
    cut = _SHORTENED.sub("", meta_title) if meta_title else meta_title
    if cut != meta_title:
        # a list page's shortened title: the full one is in the text
        full = next((t for t in body if _nows(cut) in _nows(t.text)), None)
        meta_title = "" if full is not None else cut
    if len(_nows(meta_title)) >= 6:
        chosen = _title_from_string(meta_title, -1, -1, "meta") or _Title(-1, -1, [], _nows(meta_title), "meta")
        # the document's own heading may say more (the issuers before 关于) than the table
        fuller = next((t for t in body if _nows(chosen.text) in _nows(t.text)
                       and len(_nows(t.text)) > len(_nows(chosen.text))), None)
        if fuller is not None:
            chosen = fuller
    if body:
        first = body[0]
        skeleton, years = first.skeleton, first.years
        same = [t for t in body[1:] if t.skeleton == skeleton and t.years != years]
        if same:
            wrapper = True
            body_choice = same[-1]
        else:
            # several headings before the addressee (a list of other notices left by the page
            # layout above the notice): the one closest to the addressee is the notice's own;
            # the same heading twice (page header and document header) keeps its fuller form
            start = _body_start(text, lines, 0)
            before = [t for t in body if t.start < start]
            body_choice = before[-1] if before else first
            skeleton = body_choice.skeleton
            same_text = [t for t in before if t.skeleton == skeleton]
            body_choice = max(same_text or [body_choice], key=lambda t: len(t.text))
        if chosen is None:
            chosen = body_choice
    hint = _clean_hint(parsed.title_hint or "")
    hint_title = _title_from_string(hint, -1, -1, "hint") if hint else None
    if chosen is None:
        chosen = hint_title
    if chosen is None:
        chosen = _headline_title(text, lines, meta_lines)
    elif hint_title is not None and hint_title.skeleton == chosen.skeleton and hint_title.years != chosen.years:
        wrapper = True
    if chosen is not None and chosen.start > 0:
        # a reposting site's wrapper (小编整理, 编辑:, 阅读:) above the notice's own title
        lines.cover(chosen.start)
        ends = lines.ends
        before = "\n".join(t for i, t in enumerate(lines.texts[: bisect.bisect_right(ends, chosen.start)])
                           if i not in meta_lines)
        if _vocab().repost.search(before):
            wrapper = True
        elif chosen.years:
            wrapper = _wrapper_headline(text, lines, meta_lines, body, chosen)
    return chosen, body, wrapper


def _wrapper_headline(text: str, lines: _Lines, meta_lines: set[int], body: list[_Title], chosen: _Title) -> bool:
    """Whether a headline above the notice's own title names the scheme with other years than
    the title (a news or repost page's 2023年…医保缴费问答来了，赶紧收藏！ above the reposted
    …2024年度…政策解读): the page's wrapper. Other notices' titles listed above are no headline."""
    count = bisect.bisect_right(lines.ends, chosen.start)
    noise = _noise_lines(text, lines, count)
    own = set(chosen.years)
    for i in range(count):
        line = lines.texts[i]
        if not line or i in meta_lines or i in noise or any(t.start <= lines.starts[i] < t.end for t in body):
            continue
        compact = _HEAD_END_PUNCT.sub("", _HEAD_TAG.sub("", _nows(line)))
        if len(compact) > 40 or "。" in compact or "；" in compact or compact.endswith(("：", ":")):
            continue
        years = set(_YEAR.findall(compact))
        if years and _SCHEME_WORD.search(compact) and not years & own:
            return True
    return False


# --- where the notice's text starts ----------------------------------------------------------------

# the addressee line: 各…： at the start of the text or after whitespace (the match starts at
# that whitespace). Written as two patterns that start with 各 so that re jumps from 各 to 各
# (r"(?:^|\s)各…" tried its alternation at every char of the text).
_ADDRESSEE_AT_START = re.compile(r"各[^。；;\n]{1,160}?[:：]")
_ADDRESSEE_AFTER_SPACE = re.compile(r"各(?<=\s各)[^。；;\n]{1,160}?[:：]")
_BODY_OPENERS = re.compile(r"^(?:为了?|根据|按照|依据|近日|现将|经|为进一步|为切实|为做好|为认真)")
_BODY_OPENER_FIRST = frozenset("为根按依近现经")  # the first chars of _BODY_OPENERS


def _addressee_start(work: str, after: int) -> int:
    r"""Where the first addressee match (``(?:^|\s)各…[:：]``) starting at or after ``after`` starts."""
    pos = max(after, 0)
    if pos == 0 and _ADDRESSEE_AT_START.match(work):
        return 0
    # 各 at j after whitespace: the match starts at j - 1, so j - 1 >= pos
    m = _ADDRESSEE_AFTER_SPACE.search(work, pos + 1)
    return m.start() - 1 if m else len(work)


def _body_start(work: str, lines: _Lines, after: int) -> int:
    """Where the notice proper begins (its addressee line or first paragraph) after ``after``."""
    best = _addressee_start(work, after)
    lines.cover(best)
    starts, texts = lines.starts, lines.texts
    for i in range(bisect.bisect_left(starts, after), len(starts)):  # starts increase
        if starts[i] >= best:
            break
        t = texts[i]
        if len(t) > 30 and t[0] in _BODY_OPENER_FIRST and _BODY_OPENERS.match(t):
            return starts[i]
    return best


# --- signature block ---------------------------------------------------------------------------------

@dataclass
class _Signature:
    orgs: list[str]
    date: _Date | None


def _find_signature(work: str) -> _Signature | None:
    """The issuers' names and the date closing the notice.

    Looks at each date in the last 40% of the text, last first, for names of issuing bodies
    standing between it and the end of the previous sentence (a line of their own, or the
    run after the last 。 on a flattened page). Footer lines (主办：…) never qualify: the colon
    ends the run. The imprint line (…2023年9月2日印发) counts only when nothing else does.
    """
    floor = int(len(work) * 0.6)
    fallback: _Signature | None = None
    # the dates are read chunk by chunk from the end (the signature is near it): the same
    # dates in the same order as one scan of the whole text, walked last first
    hi = len(work)
    while hi > floor:
        lo = max(floor, hi - _SIGNATURE_CHUNK)
        for d in reversed(_dates(work, lo, hi)):
            found_sig, is_imprint = _signature_at(work, d)
            if found_sig is None:
                continue
            if is_imprint:
                fallback = fallback or found_sig
                continue
            return found_sig
        hi = lo
    return fallback


def _closing_date(work: str) -> str | None:
    """The date standing alone on the last line of the text, if any."""
    tail = work.rstrip()
    start = tail.rfind("\n") + 1
    dates = _dates(tail, start, len(tail))
    if len(dates) == 1 and dates[0].iso and not (tail[start : dates[0].start].strip() or tail[dates[0].end :].strip()):
        return dates[0].iso
    return None


def _early_signature(work: str) -> _Signature | None:
    """A signature block before the last 40%: an org line and a date alone on the next line,
    closing a 印发 cover letter above the attached 方案, or under a Q&A's title. Only asked
    when nothing closes the notice."""
    floor = int(len(work) * 0.6)
    for d in _dates(work, 0, floor):
        line_start = work.rfind("\n", 0, d.start) + 1
        line_end = work.find("\n", d.end)
        if work[line_start:d.start].strip() or work[d.end: line_end if line_end >= 0 else len(work)].strip():
            continue  # not a date alone on its line
        found, is_imprint = _signature_at(work, d)
        if found is not None and not is_imprint:
            return found
    return None


_SIGNATURE_CHUNK = 300  # chars of dates read at a time (the last date is mostly the signature's)


def _signature_at(work: str, d: _Date) -> tuple[_Signature | None, bool]:
    """The signature closing at date ``d`` (or None), and whether ``d`` is an imprint date."""
    v = _vocab()
    before = work[max(0, d.start - 200): d.start]
    cut = max(before.rfind(c) for c in "。；;:：!！?？")
    chunk = before[cut + 1:]
    if cut >= 0 and before[cut] in ":：" and "\n" not in chunk.strip():
        return None, False  # 来源：XX县医疗保障局 / 发布人：… is a page label, not a signature
    chunk = _SEAL_NOTE.sub(" ", chunk)
    lines_before = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
    if not lines_before:
        return None, False
    # take the trailing lines that are org names
    names: list[str] = []
    for ln in reversed(lines_before):
        if v.noise.search(ln):
            break
        found = _split_orgs(ln)
        if found is None:
            break
        names[:0] = found
    if not names:
        return None, False
    # the imprint line under 抄送 (XX办公室 2023年9月2日印发) is the printing date: the
    # signature above it, when there is one, is the notice's own date
    return _Signature(_merge_tax_bureau(names), d), _IMPRINT.match(work, d.end, d.end + 4) is not None


_BRACKETED = re.compile(r"^[(（]([^()（）]{4,80})[)）]$")


def _closing_orgs(work: str) -> list[str]:
    """The org names a news or repost page closes the notice with, in brackets: （北流市医疗保障局）.

    Read from the last lines up, past the page's furniture (上一篇…, 责任编辑：…); the first
    other line decides. Only used when no dated signature exists.
    """
    v = _vocab()
    for line in reversed(work[-600:].split("\n")[1:] if len(work) > 600 else work.split("\n")):
        line = line.strip()
        if not line or v.noise.search(line) or _KEY_VALUE.match(line):
            continue
        m = _BRACKETED.match(line)
        return (_split_orgs(m[1]) or []) if m else []
    return []


_SEAL_NOTE = re.compile(r"[(（][^()（）]{0,12}(?:盖章|印章|章|印)[)）]")
_IMPRINT = re.compile(r"\s*印发")


# --- region --------------------------------------------------------------------------------------------

def _ancestors(code: str) -> list[str]:
    try:
        return _regions.region_chain(code)
    except _regions.RegionError:
        return [code]


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


_LEVELS = ("province", "city", "county")


def _mention_scores(mentions: list, weight: float = 1.0) -> Counter[str]:
    """Each mention adds to its division and every ancestor (ambiguous names split their weight)."""
    scores: Counter[str] = Counter()
    for m in mentions:
        share = weight / len(m.codes)
        for code in m.codes:
            for anc in _ancestors(code)[:-1]:
                scores[anc] += share
    return scores


def _children(code: str) -> list[str]:
    t = _regions._tables()
    out: list[str] = []
    for child in t.children.get(code, []):
        div = t.by_code[child]
        if div.is_placeholder:  # look through 市辖区 / 省直辖县级行政区划
            out.extend(t.children.get(child, []))
        else:
            out.append(child)
    return out


@lru_cache(maxsize=1)
def _two_char_children() -> dict[str, dict[str, str]]:
    """City code → {two-char name of a child (as _children lists them) → the last child with it}."""
    out: dict[str, dict[str, str]] = {}
    for code in _regions._tables().children:
        if _level(code) != "city":
            continue
        named: dict[str, str] = {}
        for child in _children(code):
            child_name = _regions.code_to_division(child).name
            if len(child_name) == 2:
                named[child_name] = child  # the last one wins, as in a walk over all of them
        if named:
            out[code] = named
    return out


@lru_cache(maxsize=1)
def _two_char_divisions() -> dict[str, list[str]]:
    """Two-character official names (魏县, 盂县, 城区) → their codes."""
    return {name: codes for name, codes in _regions._tables().by_name.items() if len(name) == 2}


def _descend(scores: Counter[str], target: str | None, start: str | None = None) -> str | None:
    """Walk from the best province down while one child clearly dominates its siblings.

    With a target level (from who issued the notice or whom it addresses) the walk goes down
    to that level on any clear winner; without one it needs strong evidence (3+ mentions,
    3× the runner-up, a quarter of the parent's weight) to leave a level.
    """
    if start is None:
        provinces = [(s, c) for c, s in scores.items() if _level(c) == "province"]
        if not provinces:
            return None
        provinces.sort(reverse=True)
        if len(provinces) > 1 and provinces[1][0] * 2 > provinces[0][0] and target is None:
            return None
        code = provinces[0][1]
    else:
        code = start
    while True:
        lvl = _level(code)
        if target is not None and _LEVELS.index(lvl) >= _LEVELS.index(target):
            return code
        kids = sorted(((scores.get(k, 0.0), k) for k in _children(code)), reverse=True)
        kids = [k for k in kids if k[0] > 0]
        if not kids:
            return code
        best, runner = kids[0][0], (kids[1][0] if len(kids) > 1 else 0.0)
        if target is not None:
            ok = best >= 1 and best >= 2 * runner
        else:
            ok = best >= 3 and best >= 3 * runner and best >= 0.25 * scores.get(code, 0.0)
        if not ok:
            return code
        code = kids[0][1]


def _level_hint(content: str) -> str | None:
    counts = {lvl: len(p.findall(content)) for lvl, p in _vocab().level_cues.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# national bodies: 国家医疗保障局, 国务院办公厅, 财政部, 国家税务总局 (a region name inside,
# 国家税务总局吉林省税务局, makes it a regional body and is checked separately)
_NATIONAL_ISSUER = re.compile(r"^(?:国家|国务院|中共中央|全国|中华人民共和国)|^[\u4e00-\u9fff]{2,10}部$")

# an issuer named by its level only (自治区医疗保障局, 县医保局); 市场监督管理局 is not 市
_GENERIC_ISSUER = re.compile(r"^(自治区|省|市(?!场)|州|盟|县|区|旗)(?=[\u4e00-\u9fff]{2})")
_GENERIC_LEVEL = {"自治区": "province", "省": "province", "市": "city", "州": "city", "盟": "city",
                  "县": "county", "区": "county", "旗": "county"}


def _issuer_region(name: str, scores: Callable[[], Counter[str]]) -> tuple[str | None, str | None]:
    """(code, level hint) for one issuer: the deepest division its name states, else the level
    its generic prefix names (自治区医疗保障局 → province)."""
    mentions = _division_mentions(name)
    named = {c for m in mentions for c in m.codes}
    best: str | None = None
    for m in mentions:
        codes = list(m.codes)
        if len(codes) > 1:
            # an ambiguous name (鼓楼区): first the one under a division the same name states
            # (福州市鼓楼区), else the one the rest of the text supports
            inside = [c for c in codes if named & set(_ancestors(c)[1:])]
            codes = inside or codes
        code = codes[0]
        if len(codes) > 1:
            sc = scores()
            code = max(codes, key=lambda c: sum(sc.get(a, 0.0) for a in _ancestors(c)[1:-1]))
        if best is None or _LEVELS.index(_level(code)) > _LEVELS.index(_level(best)):
            best = code  # the deepest division the name states
        if _level(code) == "city":
            # a two-character county right after its city (阳泉市城区, 阳泉市郊区, 阳泉市盂县):
            # too common as a word to be scanned for alone, safe right after its city
            child = _two_char_children().get(code, {}).get(name[m.end: m.end + 2])
            if child is not None:
                best = child
    if best is not None:
        return best, None
    stripped = re.sub(r"^国家税务总局", "", name)
    # a two-character county opening an org name (魏县医疗保障局, 国家税务总局魏县税务局): too
    # common as a word to be scanned for in text, safe as the head of an issuer's name
    codes = _two_char_divisions().get(stripped[:2], []) if len(stripped) > 3 else []
    if len(codes) > 1:  # 城区 / 郊区: only where the rest of the text points
        sc = scores()
        support = {c: sum(sc.get(a, 0.0) for a in _ancestors(c)[1:-1]) for c in codes}
        top = max(support.values())
        codes = [c for c in codes if support[c] == top] if top > 0 else []
    if len(codes) == 1:
        return codes[0], None
    generic = _GENERIC_ISSUER.match(stripped)
    return None, (_GENERIC_LEVEL[generic[1]] if generic else None)


def _find_region(issuers: list[str], own_docno: str | None, content: Callable[[], str],
                 publisher: str | None, title: str | None = None) -> tuple[Region, list[str]]:
    """The jurisdiction of the issuing authority (not the site hosting the page).

    1. the region an issuer's name states (国家税务总局钦州市钦北区税务局 → 钦北区);
       national bodies only (国家医保局 财政部) → ``000000``;
    2. a title that opens with a division's name (钦北区2025年度…政策问答);
    3. an issuer named by level only (自治区医疗保障局) → the best division of that level in
       the text; else the level words of the addressee (各县（区）→ city, 各乡镇 → county);
    4. division names in the text, walked from province down while one clearly dominates;
       the province whose abbreviation opens the notice's own number (吉医保联 → 吉林省) and
       the page's 来源/发布机构 add votes;
    5. the 发布机构 of the metadata table alone, last (it is often a reposting site).
    """
    flags: list[str] = []
    cache: list[Counter[str]] = []

    def scores() -> Counter[str]:
        # scanning the whole text for division names is the costly part: only when needed
        if not cache:
            found = _mention_scores(_division_mentions(content()))
            if own_docno:
                abbr = _regions.abbreviation_to_region(own_docno[0])
                if abbr is not None and abbr.code:
                    found[abbr.code] += 5
            if publisher:
                found.update(_mention_scores(_regions.text_to_region_mentions(publisher), 2.0))
            cache.append(found)
        return cache[0]

    codes: list[str] = []
    hinted: list[str] = []
    if issuers and all(_NATIONAL_ISSUER.match(n) and not _regions.text_to_region_mentions(n) for n in issuers):
        return _regions.code_to_region(_regions.NATIONAL), flags  # 国家医保局 财政部 …
    for name in issuers:
        code, lvl = _issuer_region(name, scores)
        if code:
            codes.append(code)
        elif lvl:
            hinted.append(lvl)
    code: str | None = None
    # (a tag's 【 or a 📢 before the name still opens the line: 【肥乡区天台山镇前屯村委会温馨提示】)
    lead = _opening_division(_CITATION.sub("", title)) if title and not codes else None
    if not codes and lead is None:
        # a village poster's header (项城市丁集镇前李村 温馨提示 / 宾川县金牛镇XX村委会): one of the
        # first lines opens with a division's name
        for line in [ln.strip() for ln in content()[:300].split("\n") if ln.strip()][:3]:
            head = _opening_division(line)
            if head is not None and len(head.name) >= 3:
                lead = head
                break
    if codes:
        # issuers of one notice share a jurisdiction; the most named one wins, the first on a tie
        code = Counter(codes).most_common(1)[0][0]
    elif lead is not None:
        code, _ = _issuer_region(lead.name, scores)
        if code is None and len(lead.codes) == 1:
            code = lead.codes[0]  # (a two-character county's office: 泾县医疗保障局)
    else:
        target = hinted[0] if hinted else _level_hint(content())
        code = _descend(scores(), target)
        if code is None and publisher:
            pub, _ = _issuer_region(publisher, scores)
            code = pub
    if code is None:
        return Region(), flags
    try:
        return _regions.code_to_region(code), flags
    except _regions.RegionError:
        return Region(), flags


_OPENING_MARKS = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]{0,4}")


def _opening_division(line: str) -> _regions.Mention | None:
    """The division whose name opens ``line`` (after a tag's 【 or an emoji), or None."""
    skip = _OPENING_MARKS.match(line).end()  # type: ignore[union-attr]  (matches the empty string)
    head = _regions.text_to_region_mentions(line[skip : skip + 12])[:1]
    if head and head[0].start == 0:
        return head[0]
    # 泾县医疗保障局负责人就…: a two-character county (left out of running-text scans, where such
    # names are mostly ordinary words) is one when an office's name follows it
    two = _TWO_CHAR_OFFICE.match(line, skip)
    codes = _two_char_divisions().get(two.group(1), []) if two else []
    return _regions.Mention(0, 2, two.group(1), tuple(codes), False) if two and len(codes) == 1 else None


def _division_mentions(text: str) -> list[_regions.Mention]:
    """The division names in ``text``, less a short name followed by 社区/村/街道 (台城街道朝阳社区
    居民委员会: a community named 朝阳, not 朝阳市)."""
    return [m for m in _regions.text_to_region_mentions(text) if not (m.short and _COMMUNITY_AFTER.match(text, m.end))]


_COMMUNITY_AFTER = re.compile(r"社区|村|居委会|居民委员会|小区|街道|大街|路")
_TWO_CHAR_OFFICE = re.compile(r"([\u4e00-\u9fff][县区旗])(?=医疗保障局|医保局|人民政府|财政局|税务局|人力资源和社会保障局|卫生健康)")


def _expand_issuer(name: str, region: Region) -> str:
    """自治区医疗保障局 → 宁夏回族自治区医疗保障局 when the region is known at that level."""
    generic = _GENERIC_ISSUER.match(name)
    if generic is None or _regions.text_to_region_mentions(name):
        return name
    word = generic[1]
    full = {"province": region.province, "city": region.city, "county": region.county}[_GENERIC_LEVEL[word]]
    if full and full.endswith(word):
        return full + name[len(word):]
    return name


# --- policy year ---------------------------------------------------------------------------------------

_CN_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九])[一二][〇零○一二三四五六七八九]{3}(?=\s*年度)")


def _digit_years(text: str) -> str:
    """二〇二三年度 → 2023年度 (same length: offsets into ``text`` stay valid)."""
    if "〇" not in text and "零" not in text and "○" not in text:
        return text
    return _CN_YEAR.sub(lambda m: str(cn_to_decimal(m.group())), text)  # (four numerals: four digits)


_YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*(?:年度?)?\s*(?:—|–|-|－|~|～|至|到|、|和)\s*(?:19|20)\d{2}\s*年度")
_YEAR_DU = re.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR_SCHEME = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)\s*(?:度|城乡|居民|城镇|全[省市县区]|医保|医疗|基本医疗|参保)")
_CITATION = re.compile(r"《[^》]{0,120}》|〔\d{4}〕|\[\d{4}\]")


def _find_policy_year(title: str | None, content: Callable[[], str], published: str | None) -> int | None:
    """The insurance year governed.

    ``N年度`` in the title; else the year most often written ``N年度`` in the text (citations
    excluded; a year more than one before or two after publication is not taken); else
    ``N年城乡居民…`` in the title or text. A title's ``N年`` without 度 names the campaign year
    (关于做好2024年城乡居民医保集中参保缴费工作的通知, issued 2024-09): when the text says
    ``N+1年度`` at least twice, that is the year governed.
    """
    if title:
        title = _digit_years(title)  # 关于做好二〇二三年度…: the year in numerals
        m = _YEAR_SPAN.search(title) or _YEAR_DU.search(title)  # 2026—2027年度: from its first year
        if m:
            return int(m[1])
    plain = _CITATION.sub(" ", _digit_years(content()))
    pub_year = int(published[:4]) if published else None

    def counted(pattern: re.Pattern[str]) -> Counter[int]:
        years = Counter(int(y) for y in pattern.findall(plain))
        if pub_year is not None:
            years = Counter({y: n for y, n in years.items() if pub_year - 1 <= y <= pub_year + 2})
        return years

    def top(years: Counter[int]) -> int:
        best = max(years.values())
        return max(y for y, n in years.items() if n == best)  # a tie goes to the later year

    du = counted(_YEAR_DU)
    m = _YEAR_SCHEME.search(title or "")
    if m:
        title_year = int(m[1])
        return title_year + 1 if du.get(title_year + 1, 0) >= 2 and du.get(title_year + 1, 0) > du.get(title_year, 0) else title_year
    if du:
        return top(du)
    scheme = counted(_YEAR_SCHEME)
    return top(scheme) if scheme else None


# --- script ------------------------------------------------------------------------------------------------

def _changed(a: str, b: str) -> int:
    """How many positions of two equally long strings differ (numpy: a Python loop over 8,000
    chars was the cost); lone surrogates of a broken original are compared as they are."""
    x = numpy.frombuffer(a.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    y = numpy.frombuffer(b.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    return int(numpy.count_nonzero(x != y))


def _script(original: str, steps: tuple[str, ...] | None = None) -> str:
    """traditional / simplified / mixed, by how many characters t2s and s2t each change.

    ``steps`` are the normaliser's changed steps: when it ran and t2s changed nothing, the
    text has no traditional characters and the two conversions are skipped.
    """
    conv = _converters()
    sample = original[:8000]  # enough to tell; the conversions are the cost
    if steps is not None and "t2s" not in steps:
        return "simplified" if _HAS_CJK.search(sample) else "unknown"
    if conv is None:
        return "unknown"
    if not _HAS_CJK.search(sample):
        return "unknown"
    t2s = conv[0].convert(sample)  # type: ignore[attr-defined]
    s2t = conv[1].convert(sample)  # type: ignore[attr-defined]
    if len(t2s) != len(sample) or len(s2t) != len(sample):
        return "unknown"
    trad = _changed(sample, t2s)
    simp = _changed(sample, s2t)
    if trad + simp < 5:  # too few telling characters for a share: any one-sided evidence decides
        return "simplified" if trad == 0 else "traditional" if simp == 0 else "mixed"
    share = trad / (trad + simp)
    # calibrated on the seeds: traditional pages reposted through converters keep ~5% simplified
    # forms (names, 征/于 phrases); a real mix of both scripts sits far from either end
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"


def _steps_if_run(norm: Normalised) -> tuple[str, ...] | None:
    """The normaliser's changed steps, or None when they cannot tell (a hand-made identity map)."""
    steps = getattr(norm, "steps", ())
    if getattr(norm, "by_normaliser", False):
        return steps  # ran, and "t2s" is there iff it changed something
    return steps if steps or norm.text != norm.original else None


def _content(text: str, lines: _Lines, meta_lines: set[int]) -> str:
    """The non-blank lines that are neither metadata table nor site furniture, joined by newlines."""
    lines.cover(len(text))
    texts = lines.texts
    drop = set(meta_lines)
    # a line has a noise word iff one scan of the whole text finds a match in it: the words
    # hold no newline and start and end with a non-space char (they are stripped)
    noise = _vocab().noise.finditer(text)
    starts = lines.starts
    for m in noise:
        drop.add(bisect.bisect_right(starts, m.start()) - 1)
    if not drop:
        return "\n".join(filter(None, texts))
    return "\n".join(t for i, t in enumerate(texts) if t and i not in drop)


# --- putting it together ---------------------------------------------------------------------------------

_GOV_BODY = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:医疗保障局|医保局|人民政府|政府办公室|财政局|税务局|人力资源和社会保障局|卫生健康委员会|融媒体中心)$")
_BYLINE_REST = re.compile(r"[ \t\u3000]{2,}|【")  # 来源：延吉市医疗保障局　　【字体：大 中 小】
_TRAILING_STAMP = re.compile(r"(?:19|20)\d{2}(?:[-/.年]\d{1,2}){2}日?(?:\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISSUED_NOTE = re.compile(
    r"\s*[(（]\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*"
    r"(?P<org>[\u4e00-\u9fff]{2,40}?(?:政府办公室|政府办公厅|人民政府|办公室|办公厅|局|委员会))\s*印发"
    r"[^()（）\n]{0,30}[)）][ \t]*(?=\n|$)"
)


def parsed_to_document(parsed: ParsedDocument, norm: Normalised, facts: list[Fact]) -> NoticeDocument:
    """The contract's ``document`` object for one notice (see the module docstring)."""
    work = _norm_to_work(norm)
    text = work.text
    lines = _Lines(text)
    meta, meta_lines = _meta(parsed, lines)
    flags = list(parsed.flags)

    title, candidates, wrapper = _find_title(parsed, meta, lines, meta_lines, text)
    if wrapper:
        flags.append("repost_wrapper")
    title_end = title.end if title is not None and title.start >= 0 else 0
    if title is not None and title.start < 0:
        # a title from the table or the page title: where the text repeats it, the header is there
        placed = next((t for t in candidates if _nows(title.body) in _nows(t.text)), None)
        title_end = placed.end if placed is not None else 0
    body_start = _body_start(text, lines, title_end)

    cache: list[str] = []

    def content() -> str:
        # the text without the metadata table and site furniture (footer, nav, share bar);
        # built only when the region or policy year needs it
        if not cache:
            cache.append(_content(text, lines, meta_lines))
        return cache[0]

    # (2024年9月10日睢宁县人民政府办公室印发 睢政办规〔2024〕3号): a rule's issuing note under its title
    note = _ISSUED_NOTE.match(text, title_end) if title_end else None

    # --- document numbers
    # (facts given: their DOC_NOs, even none; no facts at all: the text's own scan)
    all_nos = _fact_docnos(facts, work) if facts else _docnos(text)
    doc_number: str | None = None
    doc_number_repaired = False
    meta_no = meta.get("doc_number", "").strip()
    if meta_no:
        parsed_meta_no = _docnos(_t2s(meta_no))
        if parsed_meta_no:
            doc_number = parsed_meta_no[0].canonical
            doc_number_repaired = parsed_meta_no[0].repaired
    if doc_number is None:
        # the own number stands in the header: above the title (red-head documents) or just
        # below it, before the addressee; never inside a sentence that cites it
        header_end = min(max(body_start, title_end), title_end + 250 if title_end else 300)
        for d in all_nos:
            if d.start >= header_end:
                break
            lead = text[max(0, d.start - 8): d.start]
            own_note = note is not None and note.start() <= d.start < note.end()
            if lead.endswith(("》(", "》（", "》")) or (_CITING.search(lead) and not own_note):
                continue  # a citation in the header zone
            doc_number = d.canonical
            doc_number_repaired = d.repaired
            break
    if doc_number_repaired:
        flags.append("repaired")
    cites: list[str] = []
    for d in all_nos:
        # 2022年第9号 (a 通告's running number) names no document without its issuer
        if "〔" not in d.canonical:
            continue
        if d.canonical != doc_number and d.canonical not in cites:
            cites.append(d.canonical)

    # --- dates
    signature = _find_signature(text) or _early_signature(text)
    published: str | None = None
    for role in ("date_written",):
        if meta.get(role):
            published = _parse_date(meta[role])
    if published is None and signature is not None and signature.date is not None:
        published = signature.date.iso
    if published is None and signature is None:
        # a tender's 采购人：…　联系电话：… / 2025年2月24日: a date alone on the notice's last line
        published = _closing_date(text)
    if published is None and not wrapper:
        # the dates with title_end <= start < body_start and start - title_end < 400
        header_dates = [d for d in _dates(text, title_end, min(body_start, title_end + 400)) if d.iso]
        if header_dates:
            published = header_dates[0].iso
    if published is None and meta.get("date_published"):
        published = _parse_date(meta["date_published"])

    # --- issuers
    issuers: list[str] = []
    closing = _closing_orgs(text) if signature is None else []
    if signature is not None:
        issuers = signature.orgs
        if title is not None and len(title.issuers) > len(issuers) \
                and all(any(_nows(o) == _nows(t) for t in title.issuers) for o in issuers):
            # a joint notice's title names every issuer; its signature only the lead office
            issuers = list(title.issuers)
    elif closing:
        issuers = closing
    elif note is not None:
        issuers = _split_orgs(note.group("org")) or [note.group("org")]
    elif title is not None and title.issuers:
        issuers = list(title.issuers)
    elif meta.get("issuer"):
        issuers = _split_orgs(meta["issuer"]) or [_nows(meta["issuer"])]
    elif meta.get("publisher") and _GOV_BODY.search(source := _TRAILING_STAMP.sub("", _nows(_BYLINE_REST.split(meta["publisher"].strip())[0]))) \
            and not 0 <= text.find(meta["publisher"]) >= body_start:
        # 来源:宜宾市南溪区医疗保障局 on a Q&A with no signature: the office that wrote it (a
        # reposting site's 来源 is a site, not a 局/厅/政府, and is not taken); a county's
        # 融媒体中心 writes its own news items. (来源：青州市医疗保障局　2025-09-03: the date is not the
        # name.) A byline heads its item: a 来源 line after the text begins is the page's trailer.
        issuers = _split_orgs(source) or [source]
    region_names = list(issuers) + ([" ".join(title.issuers)] if title is not None and title.issuers else [])

    region, region_flags = _find_region(region_names, doc_number, content, meta.get("publisher"),
                                        title.text if title is not None else None)
    flags += region_flags
    issuers = [_expand_issuer(n, region) for n in issuers]
    # dedupe, keep order
    issuers = list(dict.fromkeys(issuers))

    policy_year = _find_policy_year(title.text if title else None, content, published)

    original = norm.original
    if any(c in original for c in _MOJIBAKE_CHARS) and len(_MOJIBAKE.findall(original)) >= 5:
        flags.append("mojibake")

    return NoticeDocument(
        source=parsed.source,
        sha256=parsed.sha256,
        title=title.text if title is not None else None,
        doc_number=doc_number,
        published=published,
        issuers=issuers,
        region=region,
        policy_year=policy_year,
        script=_script(norm.original, _steps_if_run(norm)),  # type: ignore[arg-type]
        cites=cites,
        flags=list(dict.fromkeys(flags)),
        format=parsed.format,
        encoding=parsed.encoding,
    )
