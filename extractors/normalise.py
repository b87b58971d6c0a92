"""Text → normalised text (simplified, cleaned) with an offset map back to the original.

Steps, in order; each keeps, for every output character, the span of original
characters it came from:

1. ``clean``: lone surrogates and C0/C1 control characters → U+FFFD; zero-width
   characters and BOMs removed; no-break / ideographic spaces → " ".
2. ``html``: tags left in the text (``</span>``, ``<br/>``) removed (block tags → "\\n");
   entities (``&nbsp;`` ``&amp;`` ``&#8203;``) decoded.
3. ``pinyin``: parenthesised pinyin glued after a character (``發(fā)``, ``區(qū)``) removed.
4. ``fullwidth``: full-width digits, letters and ％ → ASCII (one to one).
5. ``t2s``: OpenCC traditional → simplified; length-preserving (checked; a line whose
   length would change is converted character by character instead).
6. ``filler``: runs of ``?`` / U+FFFD (mojibake filler) → one space.
7. ``numspace``: spaces inside numbers, dates and document numbers removed
   (``2025 年`` → ``2025年``, ``〔2023〕114 號`` → ``〔2023〕114號``).
8. ``unwrap``: in a hard-wrapped dump (a PDF copied as text), the line breaks inside
   sentences and the page breaks between two halves of one are removed.

Chinese numerals are left in place; :mod:`extractors.values` parses them where a
pattern finds them, so their facts point at the original characters.

    >>> n = text_to_normalised("發(fā)文 2025 年")
    >>> n.text
    '发文 2025年'
    >>> n.original[slice(*n.to_original(3, 8))]
    '2025 年'
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

__all__ = ["Normalised", "text_to_normalised"]


@dataclass(frozen=True)
class Normalised:
    """The normalised text and its map back to ``original``.

    ``offsets[i]`` is the index in ``original`` where normalised char ``i`` starts;
    ``offsets[len(text)] == len(original)``. ``ends[i]`` is where it ends (a char that
    replaced several, like the space for ``&nbsp;``, ends after all of them).
    """

    original: str
    text: str
    # offsets[i] = index in `original` of normalised char i; len(offsets) == len(text) + 1
    offsets: list[int]
    ends: list[int] = field(default_factory=list)
    steps: tuple[str, ...] = ()  # the names of the steps that changed something
    # True when text_to_normalised made it (so an empty ``steps`` means "nothing to change",
    # not "never normalised"); lets metadata skip re-checking the script of a clean text
    by_normaliser: bool = field(default=False, compare=False, repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span to the original text."""
        if start == end:
            return self.offsets[start], self.offsets[start]
        if self.ends:
            return self.offsets[start], self.ends[end - 1]
        return self.offsets[start], self.offsets[end - 1] + 1


# One step's state: the text, and per char the (start, end) of its source in the original.
_State = tuple[str, list[int], list[int]]


def _regex_step(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], gate: re.Pattern[str] | None = None
) -> Callable[[str, list[int], list[int]], _State]:
    """A step that replaces each match; replacement chars map to the whole matched span
    (or one to one when the replacement has the match's length). The pattern must not
    match the empty string. ``gate``, when given, finds something every match contains:
    a text without it is passed through without running ``pattern``."""

    def step(text: str, starts: list[int], ends: list[int]) -> _State:
        if gate is not None and gate.search(text) is None:
            return text, starts, ends
        edits = [(m.start(), m.end(), r) for m in pattern.finditer(text) if (r := repl(m)) != m.group()]
        return _apply_edits(text, starts, ends, edits)

    return step


def _apply_edits(text: str, starts: list[int], ends: list[int], edits: list[tuple[int, int, str]]) -> _State:
    """Replace text[a:b] by r for each (a, b, r), in order and not overlapping, with the offsets."""
    if not edits:
        return text, starts, ends
    out: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    pos = 0
    for a, b, r in edits:
        out.append(text[pos:a])
        ns.extend(starts[pos:a])
        ne.extend(ends[pos:a])
        if r:
            out.append(r)
            if len(r) == b - a:
                ns.extend(starts[a:b])
                ne.extend(ends[a:b])
            else:
                ns.extend([starts[a]] * len(r))
                ne.extend([ends[b - 1]] * len(r))
        pos = b
    out.append(text[pos:])
    ns.extend(starts[pos:])
    ne.extend(ends[pos:])
    return "".join(out), ns, ne


# 1. clean -------------------------------------------------------------------------------
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CLEAN_RE = re.compile(
    "[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _ZERO_WIDTH + "\u00a0\u3000\u2002-\u200a\u202f]"
)


def _clean_repl(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _ZERO_WIDTH:
        return ""
    if ch in "\u00a0\u3000\u202f" or "\u2002" <= ch <= "\u200a":
        return " "
    return "\ufffd"


# 2. html residue -------------------------------------------------------------------------
_BLOCK_TAGS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
_HTML_RE = re.compile(
    r"</?([a-zA-Z][a-zA-Z0-9]{0,10})(?:\s[^<>\n]{0,200})?/?>"  # a tag
    r"|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});"  # an entity
    # a closing tag whose "<" was eaten by mojibake ("院??稍?/span>"); with "<" the
    # first branch matched already (no look-behind here: it would slow every position)
    r"|/(span|font|p|div|strong|em|a|b)>"
)


def _html_repl(m: re.Match[str]) -> str:
    s = m.group()
    if s.startswith("&"):
        try:
            out = html.unescape(s)
        except (ValueError, OverflowError):
            return " "
        if out == s:
            return s
        out = "".join(c for c in out if c not in _ZERO_WIDTH).replace("\u00a0", " ").replace("\u3000", " ")
        # a decoded surrogate or control char would break later steps
        return "".join(" " if unicodedata.category(c) in ("Cs", "Cc") and c != "\n" else c for c in out)
    return "\n" if (m.group(1) or m.group(2) or "").lower() in _BLOCK_TAGS else ""


# 3. pinyin glued after a character ---------------------------------------------------------
# A tone-marked vowel is required, so "(verb的縮寫)" or "(2023)" are never touched. No
# look-behind: mojibake often eats the character itself ("當?shù)剞r", "?,F(xiàn)將").
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_RE = re.compile(
    r"(?:(?P<q>[?\ufffd])|[(（])"  # "當?shù)剞": the "(" itself can be lost to the filler
    r"(?=[a-zü" + _TONED + r"]{0,6}[" + _TONED + r"])[a-zü" + _TONED + r"]{1,7}[)）]"
)
_TONED_RE = re.compile("[" + _TONED + "]")  # in every match: most notices have none

# 4. full-width digits, letters, ％, ． between digits --------------------------------------
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH[0xFF05] = ord("%")
_FULLWIDTH_DOT_RE = re.compile(r"(?<=\d)．(?=\d)")
_HAS_FULLWIDTH_RE = re.compile("[\uff05\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

# 6. ? filler -------------------------------------------------------------------------------
_FILLER_RE = re.compile(r"[?\ufffd][?\ufffd]*")  # = [?\ufffd]+; a leading class lets re skip fast

# 7. spaces inside numbers, dates, document numbers ------------------------------------------
# spaces, or one line break (a PDF line wrapped inside "2024年9\n月25日"), inside a number
_SPACE_RUN_RE = re.compile(r"[ \t]*\r?\n[ \t]*|[ \t]+")
_NUM_BEFORE_SPACE = set("0123456789年月〔[【［(（第〕]】］)）")  # then a digit after the space
_AFTER_DIGIT_SPACE = set("年月日号號元%〕]】］)）万亿个個")  # after "<digit><space>"
_WRAP_BEFORE = set("年月〔[【［〕]】］至到")  # a line break is only dropped inside a date, a range (…1月1日至\n2026年…) or doc number
_WRAP_AFTER = set("年月日号〕]】］")


def _numspace_drops(text: str, a: int, b: int) -> bool:
    """Whether the space run text[a:b] goes: between a digit and a unit/bracket, or a
    date/bracket char and a digit."""
    if a == 0 or b >= len(text):
        return False
    before, after = text[a - 1], text[b]
    wrapped = "\n" in text[a:b]
    digit_after = after.isdigit() and after.isascii()
    digit_before = before.isdigit() and before.isascii()
    if wrapped:
        return (digit_after and before in _WRAP_BEFORE) or (digit_before and after in _WRAP_AFTER)
    if digit_after and before in _NUM_BEFORE_SPACE and not before.isdigit():
        return True
    return digit_before and after in _AFTER_DIGIT_SPACE


def _numspace_repl(m: re.Match[str]) -> str:
    """The numspace step as a regex replacement (the step itself runs :func:`_numspace_step`)."""
    return "" if _numspace_drops(m.string, m.start(), m.end()) else m.group()


# The same runs as _SPACE_RUN_RE, written to start with a char class (re then skips to the next
# whitespace char instead of trying both alternatives at every char: ~3x faster); a group, so
# ``split`` returns the runs too.
_SPACE_RUN_SPLIT_RE = re.compile(
    r"([ \t\r\n](?:(?<=\r)\n[ \t]*|(?<=\n)[ \t]*|(?<=[ \t])(?:[ \t]*\r?\n[ \t]*|[ \t]*)))"
)
_ASCII_DIGITS = frozenset("0123456789")


def _numspace_step(text: str, starts: list[int], ends: list[int]) -> _State:
    """Step 7 over every space run of ``_SPACE_RUN_RE``; only runs next to an ASCII digit can go.

    ``split`` with a group hands back the runs (the same ones ``finditer`` finds) without a
    Python call per run: a notice has a run at every line break, few of them next to a digit.
    """
    parts = _SPACE_RUN_SPLIT_RE.split(text)  # piece, run, piece, run, …, piece
    edits: list[tuple[int, int, str]] = []
    pos = len(parts[0])
    for i in range(1, len(parts), 2):
        a = pos
        b = a + len(parts[i])
        pos = b + len(parts[i + 1])
        # the char before / after the run ("" when another run or the text's end is there)
        if (parts[i - 1][-1:] in _ASCII_DIGITS or parts[i + 1][:1] in _ASCII_DIGITS) and _numspace_drops(text, a, b):
            edits.append((a, b, ""))
    return _apply_edits(text, starts, ends, edits)


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc  # imported lazily: a pure-data import of this module stays cheap

    return opencc.OpenCC("t2s").convert


def _t2s_preserving(text: str) -> str:
    """OpenCC t2s, falling back to char-by-char (keeping any char whose conversion would
    change length) on the lines where the phrase conversion changed the length."""
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out
    fixed = []
    for line in text.splitlines(keepends=True):
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c2 := convert(c)) != 1 else c2 for c in line)
        fixed.append(conv)
    return "".join(fixed)


_STEPS: tuple[tuple[str, Callable[[str, list[int], list[int]], _State]], ...] = (
    ("clean", _regex_step(_CLEAN_RE, _clean_repl)),
    ("html", _regex_step(_HTML_RE, _html_repl)),
    ("pinyin", _regex_step(_PINYIN_RE, lambda m: m.group("q") or "", _TONED_RE)),
)
# 8. hard-wrapped lines -------------------------------------------------------------------------
_WRAP_END = frozenset("。；;！!？?：:")
_WRAP_NEXT = re.compile(r"^[\u4e00-\u9fff0-9（(“]")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\d{1,2}\s*[.、．](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）]|第[一二三四五六七八九十]+[章条])")
_PAGE_MARK = re.compile(r"^(?:[—\-－]\s*\d+\s*[—\-－]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_RUN_ON_BREAK = re.compile(r"[^。；;！!？?：:\s]\n[\u4e00-\u9fff0-9]")  # a line ending mid-sentence
_TITLE_END = re.compile(r"(?:通知|通告|公告|方案|办法|意见|决定|细则|规定|的函|解读)$")  # a title's last line
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _width(line: str) -> int:
    """Display columns: CJK and full-width forms count double (two GB18030 bytes, one for ASCII;
    the encoder does the counting in C)."""
    return len(line.encode("gb18030", "replace"))


def _unwrap_step(text: str, starts: list[int], ends: list[int]) -> _State:
    """Step 8: a hard-wrapped dump (a PDF copied as text: no line longer than 100 chars, ten or
    more lines, three in ten, about as wide as the page and ending mid-sentence) has its wrap
    breaks removed, and a page break between two halves of a sentence (blank lines, ``— 1 —``,
    the running header) with them. A line ending a sentence or heading, an indented next line (a
    new paragraph), an enumerated heading, a title's last line and a date alone (a signature's)
    are never joined. Ordinary text, whose paragraphs are lines of their own, is left alone."""
    # (cheap gates first: the longest line, then ten breaks inside a sentence at least)
    raws = text.split("\n")
    longest = max(map(len, raws))
    if longest > 100 or longest < 20 or len(raws) < 8 or len(_RUN_ON_BREAK.findall(text)) < 10:
        return text, starts, ends
    lines = []  # (start, end, raw)
    pos = 0
    for raw in raws:
        lines.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    widths = [_width(raw.strip()) for _, _, raw in lines]
    # the page width: the 80th percentile of the lines' widths (one line the numspace step joined
    # across a wrap, 2025年9月 / 1日, is wider than the page)
    measured = sorted(w for w in widths if w >= 10)
    if not measured:
        return text, starts, ends
    widest = measured[int(0.8 * (len(measured) - 1))]
    if widest < 40:  # a page of short lines (a menu, a poster) is not a page of wrapped prose
        return text, starts, ends
    # ten or more full lines ending mid-sentence, three in ten of the lines: a poster's or a menu's
    # lines end where their items end (measured on the corpus: dumps 0.39-0.52; posters up to 0.38
    # but never ten such lines)
    run_on = sum(1 for (_, _, raw), w in zip(lines, widths) if w >= 0.85 * widest and raw.strip()[-1:] not in _WRAP_END)
    if run_on < 10 or run_on < 0.3 * len(measured):
        return text, starts, ends
    seen: set[str] = set()
    edits: list[tuple[int, int, str]] = []
    for i, (_, end, raw) in enumerate(lines):
        body = raw.strip()
        if body:
            seen.add(body)
        if not body or body[-1] in _WRAP_END or widths[i] < 0.4 * widest or _PAGE_MARK.match(body) \
                or _TITLE_END.search(body) \
                or (_HEADING.match(body) and len(body) <= 24 and "。" not in body):
            continue
        j, furniture = i + 1, False
        while j < len(lines):
            nxt = lines[j][2].strip()
            if not nxt:
                furniture = True
            elif _PAGE_MARK.match(nxt) or (furniture and nxt in seen and j + 1 < len(lines) and not lines[j + 1][2].strip()):
                furniture = True  # a page number, or the running header repeated after the break
            else:
                break
            j += 1
        if j >= len(lines) or (furniture and not any(_PAGE_MARK.match(lines[k][2].strip()) for k in range(i + 1, j))):
            continue  # a blank line alone is a paragraph break, not a page break
        nxt_raw = lines[j][2]
        nxt = nxt_raw.strip()
        if nxt_raw[:1].isspace() or not _WRAP_NEXT.match(nxt) or _HEADING.match(nxt) or _DATE_LINE.match(nxt):
            continue
        edits.append((end, lines[j][0], ""))
    return _apply_edits(text, starts, ends, edits)


_LATE_STEPS: tuple[tuple[str, Callable[[str, list[int], list[int]], _State]], ...] = (
    ("filler", _regex_step(_FILLER_RE, lambda m: " ")),
    ("numspace", _numspace_step),
    ("unwrap", _unwrap_step),
)


def text_to_normalised(text: str) -> Normalised:
    """Normalise a notice's text, keeping the map from each output char to the original."""
    starts = list(range(len(text)))
    ends = list(range(1, len(text) + 1))
    changed: list[str] = []
    cur = text
    for name, step in _STEPS:
        new, starts, ends = step(cur, starts, ends)
        if new != cur:
            changed.append(name)
        cur = new
    # length-preserving steps
    new = cur
    if _HAS_FULLWIDTH_RE.search(cur):
        new = cur.translate(_FULLWIDTH)
        if "．" in new:
            new = _FULLWIDTH_DOT_RE.sub(".", new)
    if new != cur:
        changed.append("fullwidth")
    cur = new
    new = _t2s_preserving(cur)
    if len(new) != len(cur):  # pragma: no cover - guarded by _t2s_preserving
        raise AssertionError("OpenCC t2s changed the text length; offsets would be wrong")
    if new != cur:
        changed.append("t2s")
    cur = new
    for name, step in _LATE_STEPS:
        new, starts, ends = step(cur, starts, ends)
        if new != cur:
            changed.append(name)
        cur = new
    return Normalised(original=text, text=cur, offsets=[*starts, len(text)], ends=ends, steps=tuple(changed),
                      by_normaliser=True)
