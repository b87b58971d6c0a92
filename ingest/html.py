"""Gov-site HTML to a ParsedDocument: decode first, then the notice body, title and metadata table.

The text reads like the page: the metadata table rows (``索引号 | … | 发布机构 | …``), the
title, the date/source line, then the body with block structure kept as newlines and body
tables as ``cell | cell`` lines (each also a TableBlock). Navigation, breadcrumbs, share
buttons, footers and "相关阅读" are left out.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from extractors.contract import ParsedDocument, TableBlock

from .encoding import bytes_to_text, charset_from_html_head, clean_text
from .errors import EmptyDocument
from .selectors import (
    BODY_SELECTORS,
    FOOTER_MARKERS,
    META_KEYS,
    META_TAG_NAMES,
    NOISE_CSS,
    NOISE_LINES,
    NOISE_TOKENS,
    STRONG_META_KEYS,
    TITLE_SELECTORS,
)

__all__ = ["html_to_parsed", "lines_to_meta"]

# A selector match with fewer Chinese characters than this is a teaser or an empty shell.
_MIN_BODY_CHARS = 30
# Cells longer than this, or a nested table, mean a layout table (old TRS pages put the whole
# body in one): it is rendered as blocks, not as " | " rows.
_MAX_DATA_CELL = 300

_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "center", "address",
    "figure", "figcaption", "hr", "caption", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
    "body", "html", "fieldset", "legend", "details", "summary",
})
_SKIP_STRINGS = (Comment, Doctype, CData, Declaration, ProcessingInstruction)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# &nbsp; &ensp; &emsp; &thinsp; … are spacing, not content (gov pages indent with them).
_WS = re.compile(r"[ \t\n\r\f\v\xa0\u2000-\u200a\u202f\u205f]+")
# Invisible characters dropped outright: a zero-width space between 居民 and 医保 is no space.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|——|\s-\s|—)\s*")
_DATE = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}")
_DATE_KEY = re.compile(r"(发布|發布|发文|發文|成文|更新)?(日期|时间|時間)\s*[:：]")
# Page furniture printed in the date/source line: font-size switches, print/close buttons.
# The bracketed switch is removed from any line; the bare buttons only end the date line.
_FONT_SWITCH = re.compile(r"[【\[]\s*字[体體号號][:：]?[^】\]]{0,20}[】\]]")
_TRAILING_BUTTONS = re.compile(r"[【\[]?(打印|关闭|收藏|打印本页|关闭窗口|列印|關閉)[】\]]?\s*$")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _key_pattern(key: str) -> str:
    return r"[\s\u3000]*".join(map(re.escape, key))


# Longest keys first so 发文日期 wins over 日期-like prefixes of other keys.
_KEYS_RE = "|".join(_key_pattern(k) for k in sorted(META_KEYS, key=len, reverse=True))
_CELL_KEY = re.compile(rf"^[\s\u3000]*(?P<key>{_KEYS_RE})[\s\u3000]*[:：]?[\s\u3000]*(?P<val>.*)$", re.S)
_INLINE_PAIR = re.compile(rf"(?P<key>{_KEYS_RE})[\s\u3000]*[:：][\s\u3000]*")
_STRONG_KEY = re.compile("|".join(_key_pattern(k) for k in sorted(STRONG_META_KEYS, key=len, reverse=True)))
# Bounds on the walk up from key strings: a metadata block is a few levels above its labels.
_MAX_KEY_STRINGS = 50
_MAX_META_LEVELS = 8
# Pinyin glued after characters by some repost sites ("發(fā)文時間"): dropped before keys are
# matched (values keep it; the extractors' normaliser deals with it there).
_PINYIN = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
# A value in a free-text info line ends where the next "word：" label starts.
_NEXT_LABEL = re.compile(r"[\s\u3000]+[^\s\u3000:：]{1,8}[:：]")


def _cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


def _squash(key: str) -> str:
    return re.sub(r"[\s\u3000:：]", "", key)


# ---------------------------------------------------------------------------------------------
# Rendering an element to lines


@dataclass
class _Table:
    rows: list[list[str]]


@dataclass
class _Writer:
    """Collects lines (str) and tables in document order; inline text joins into one line."""

    items: list[str | _Table] = field(default_factory=list)
    _buf: list[str] = field(default_factory=list)

    def text(self, s: str) -> None:
        self._buf.append(s)

    def newline(self) -> None:
        if self._buf:
            line = _inline(self._buf)
            self._buf.clear()
            if line:
                self.items.append(line)

    def table(self, rows: list[list[str]]) -> None:
        self.newline()
        if rows:
            self.items.append(_Table(rows))


def _inline(pieces: Iterable[str]) -> str:
    """Join inline text: whitespace runs become one space, except a source line break
    between two Chinese characters, which a reader does not see, so it is dropped."""
    raw = _INVISIBLE.sub("", "".join(pieces))

    def repl(m: re.Match[str]) -> str:
        before = raw[m.start() - 1] if m.start() else ""
        after = raw[m.end()] if m.end() < len(raw) else ""
        if ("\n" in m.group() or "\r" in m.group()) and _CJK_OR_PUNCT.match(before or " ") and \
                _CJK_OR_PUNCT.match(after or " "):
            return ""
        return " "

    return _WS.sub(repl, raw).strip(" \u3000")


def _is_layout_table(table: Tag) -> bool:
    """One pass over the descendants (bs4's find_all costs ~50 µs a call on big tables)."""
    cells = 0
    current: Tag | None = None
    length = 0
    for node in table.descendants:
        if isinstance(node, Tag):
            if node.name == "table":
                return True
            if node.name in ("td", "th"):
                cells += 1
                current, length = node, 0
        elif current is not None and not isinstance(node, _SKIP_STRINGS):
            length += len(node)
            if length > _MAX_DATA_CELL:
                return True
    return cells <= 1


def _cells(tr: Tag) -> list[Tag]:
    return [c for c in tr.children if isinstance(c, Tag) and c.name in ("td", "th")]


def _table_rows(table: Tag) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table.find_all("tr"):
        cells = []
        for cell in _cells(tr):
            w = _Writer()
            _walk(cell, w)
            w.newline()
            cells.append(" ".join(i for i in w.items if isinstance(i, str)))
        if any(cells):
            rows.append(cells)
    return rows


def _walk(el: Tag, w: _Writer) -> None:
    """Render el's children into w. Iterative, so hostile nesting cannot exhaust the stack.
    Inside <pre> (and <textarea>-like plain blocks) source newlines are line breaks."""
    stack: list[tuple[Iterator[Any], bool, bool]] = [(iter(el.children), False, el.name == "pre")]
    while stack:
        children, is_block, in_pre = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                w.newline()
            continue
        if isinstance(child, NavigableString):
            if isinstance(child, _SKIP_STRINGS):
                continue
            if in_pre and "\n" in child:
                for i, part in enumerate(str(child).split("\n")):
                    if i:
                        w.newline()
                    w.text(part)
            else:
                w.text(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        pre = in_pre or name == "pre"
        if name == "br":
            w.newline()
        elif name == "table" and not _is_layout_table(child):
            w.table(_table_rows(child))
        elif name in _BLOCK_TAGS:
            w.newline()
            stack.append((iter(child.children), True, pre))
        else:
            stack.append((iter(child.children), False, pre))


def _element_to_items(el: Tag) -> list[str | _Table]:
    w = _Writer()
    if el.name == "table" and not _is_layout_table(el):
        w.table(_table_rows(el))
    else:
        _walk(el, w)
    w.newline()
    return w.items


# ---------------------------------------------------------------------------------------------
# Finding the parts of a page


class _Simple(NamedTuple):
    """A `tag#id.class.class` selector, matched without soupsieve (one pass over the tree
    instead of one full-tree select per selector: 5–10× faster on big gov pages)."""

    tag: str | None
    id: str | None
    classes: frozenset[str]


_SIMPLE = re.compile(r"^(?P<tag>[a-zA-Z][\w-]*)?(?P<rest>([#.][\w-]+)*)$")


def _simple(css: str) -> _Simple:
    m = _SIMPLE.match(css.strip())
    if not m:
        raise ValueError(f"selector {css!r} is not of the form tag#id.class; simplify it in selectors.py")
    parts = re.findall(r"[#.][\w-]+", m.group("rest"))
    ids = [p[1:] for p in parts if p[0] == "#"]
    return _Simple(m.group("tag"), ids[0] if ids else None,
                   frozenset(p[1:] for p in parts if p[0] == "."))


_BODY_SIMPLE = [_simple(sel.css) for sel in BODY_SELECTORS]
_TITLE_SIMPLE = [_simple(sel.css) for sel in TITLE_SELECTORS]
_NOISE_TAGS = frozenset(t.strip() for t in NOISE_CSS.split(","))


def _matches(el: Tag, sel: _Simple) -> bool:
    if sel.tag and el.name != sel.tag:
        return False
    if sel.id and el.get("id") != sel.id:
        return False
    if sel.classes:
        classes = el.get("class") or []
        return sel.classes.issubset(classes)
    return True


def _gone(el: Tag) -> bool:
    """Whether el was decomposed. Read from __dict__: bs4's own `decomposed` property falls
    through Tag.__getattr__ to a subtree search (find("_decomposed")) on live elements."""
    return bool(el.__dict__.get("_decomposed", False))


def _select(elements: list[Tag], sel: _Simple) -> list[Tag]:
    return [el for el in elements if not _gone(el) and _matches(el, sel)]


def _drop_noise(soup: BeautifulSoup) -> list[Tag]:
    """Drop script/nav/form/… and hidden elements; return the remaining elements in order."""
    elements = soup.find_all(True)
    for el in elements:
        if _gone(el):
            continue
        style = el.get("style")
        if el.name in _NOISE_TAGS or (isinstance(style, str) and _DISPLAY_NONE.search(style)):
            el.decompose()
    return [el for el in elements if not _gone(el)]


def _noise_tokens(el: Tag) -> bool:
    words: list[str] = []
    for attr in ("id", "class"):
        value = el.get(attr)
        if isinstance(value, list):
            value = " ".join(value)
        if value:
            words += re.split(r"[-_\s]+", value.lower())
    return any(word in NOISE_TOKENS for word in words)


def _drop_noise_within(body: Tag) -> None:
    total = max(1, _cjk_len(body.get_text()))
    for el in body.find_all(True):
        if _gone(el):
            continue
        if el.name in ("header", "footer", "aside") or _noise_tokens(el):
            if _cjk_len(el.get_text()) < total / 3:
                el.decompose()


def _link_cjk(el: Tag) -> int:
    return sum(_cjk_len(a.get_text()) for a in el.find_all("a"))


def _body_by_selectors(elements: list[Tag]) -> Tag | None:
    for sel in _BODY_SIMPLE:
        found = [el for el in _select(elements, sel) if _cjk_len(el.get_text()) >= _MIN_BODY_CHARS]
        if found:
            return max(found, key=lambda el: _cjk_len(el.get_text()))
    return None


def _body_by_density(soup: BeautifulSoup) -> Tag | None:
    """Readability-style: paragraphs score their parent fully and grandparent half; an
    element with text directly inside (br-separated bodies) scores itself. Link text counts
    against, so navigation lists lose to prose."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}

    def add(el: Tag | None, value: float) -> None:
        if el is None or not isinstance(el, Tag) or el.name in ("html", "[document]"):
            return
        scores[id(el)] = scores.get(id(el), 0.0) + value
        elements[id(el)] = el

    for el in soup.find_all(["p", "li", "h2", "h3", "h4", "pre", "blockquote"]):
        value = _cjk_len(el.get_text()) - 2 * _link_cjk(el)
        if value > 0:
            add(el.parent, value)
            add(el.parent.parent if el.parent else None, value / 2)
    for el in soup.find_all(["div", "td", "section", "article", "span", "font", "body"]):
        direct = "".join(str(s) for s in el.children if isinstance(s, NavigableString)
                         and not isinstance(s, _SKIP_STRINGS))
        value = _cjk_len(direct)
        if value >= 10:
            add(el, value)
            add(el.parent, value / 2)
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    for key in ranked[:10]:
        if scores[key] < _MIN_BODY_CHARS / 2:
            break
        if not FOOTER_MARKERS.search(elements[key].get_text()):
            return elements[key]
    return None


def _strip_site_suffix(title: str) -> str:
    """'关于…的通知_吉林省医疗保障局' → the longest part, which is the notice title."""
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    return max(parts, key=len).strip() if parts else title.strip()


def _pairs_from_cells(cells: list[str]) -> Iterator[tuple[str, str]]:
    """Key/value pairs from a row of cells: "key | value" pairs or "key：value" cells."""
    cells = [_PINYIN.sub("", c) if "(" in c[:12] else c for c in cells]
    i = 0
    while i < len(cells):
        m = _CELL_KEY.match(cells[i])
        if m:
            key, value = _squash(m.group("key")), m.group("val").strip()
            if not value and i + 1 < len(cells) and not _CELL_KEY.match(cells[i + 1]):
                value = cells[i + 1].strip()
                i += 1
            if value:
                yield key, value
        i += 1


def _pairs_from_line(line: str) -> Iterator[tuple[str, str]]:
    """Key/value pairs from free text such as '发布时间：2023-09-08  来源：吉林省医保局'."""
    if "(" in line:
        line = _PINYIN.sub("", line)
    matches = list(_INLINE_PAIR.finditer(line))
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = line[m.end(): nxt.start() if nxt else len(line)]
        value = _NEXT_LABEL.split(value)[0].strip(" \u3000|｜")
        if value:
            yield _squash(m.group("key")), value


def _pairs_from_element(el: Tag) -> list[tuple[str, str]]:
    if el.name == "table":
        pairs: list[tuple[str, str]] = []
        for row in _table_rows(el):
            pairs += _pairs_from_cells(row)
        return pairs
    pairs = []
    for item in _element_to_items(el):
        if isinstance(item, str):
            pairs += _pairs_from_line(item)
    return pairs


def _is_meta_block(pairs: list[tuple[str, str]]) -> bool:
    keys = {k for k, _ in pairs}
    return len(keys) >= 2 and bool(keys & STRONG_META_KEYS)


# Only the head of a plain-text/PDF/DOCX notice may hold its metadata table.
_META_HEAD_LINES = 15


def lines_to_meta(lines: list[str]) -> dict[str, str]:
    """The 索引号/发布机构/… pairs printed at the head of a notice as text (``key | value``
    rows or ``key：value`` lines), as in a saved gov page; {} unless they look like such a
    table (two keys, one of them strong: see selectors.STRONG_META_KEYS).

        >>> lines_to_meta(["索 引 号 | 640324042/2024-00073 | 文 号 | 宁医保发〔2024〕3号 |", "正文"])
        {'索引号': '640324042/2024-00073', '文号': '宁医保发〔2024〕3号'}
    """
    pairs: list[tuple[str, str]] = []
    for line in lines[:_META_HEAD_LINES]:
        if "|" in line:
            pairs += _pairs_from_cells([c.strip() for c in line.split("|")])
        else:
            pairs += _pairs_from_line(line)
    if not _is_meta_block(pairs):
        return {}
    meta: dict[str, str] = {}
    for key, value in pairs:
        meta.setdefault(key, value)
    return meta


def _find_meta_block(soup: BeautifulSoup) -> Tag | None:
    """The smallest table/list/div holding the 索引号/发布机构/… metadata pairs, if any.

    Found by walking up from the strings that carry a strong key, so the cost stays linear
    in the page (a scan of every div's text is quadratic on deeply nested pages).
    """
    for string in soup.find_all(string=_STRONG_KEY)[:_MAX_KEY_STRINGS]:
        el = string.parent
        for _ in range(_MAX_META_LEVELS):
            if el is None or el.name in ("body", "html", "[document]"):
                break
            if el.name in ("table", "ul", "dl", "div") and not (
                    el.name == "table" and _is_layout_table(el)) and len(el.get_text()) <= 3000:
                if _is_meta_block(_pairs_from_element(el)):
                    return el
            el = el.parent
    return None


def _overlaps(a: Tag, b: Tag | None) -> bool:
    return b is not None and (a is b or b in a.parents or a in b.parents)


def _find_info_line(soup: BeautifulSoup, avoid: list[Tag | None]) -> Tag | None:
    """The short 'date / source' line printed under a title ('发布时间：2023-09-08 来源：…'):
    the smallest element around a date label whose text also holds a date."""
    for string in soup.find_all(string=_DATE_KEY)[:_MAX_KEY_STRINGS]:
        el = string.parent
        for _ in range(_MAX_META_LEVELS):
            if el is None or el.name in ("body", "html", "[document]"):
                break
            text = el.get_text()
            if len(text) > 200:
                break
            if el.name in ("div", "p", "span", "td", "li", "font", "h4", "h5", "h6") and \
                    _DATE.search(text) and not any(_overlaps(el, other) for other in avoid):
                return el
            el = el.parent
    return None


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    wanted = {n.lower(): n for n in META_TAG_NAMES}
    for tag in soup.find_all("meta"):
        name = tag.get("name")
        content = tag.get("content")
        if isinstance(name, str) and isinstance(content, str) and name.lower() in wanted:
            value = _inline([content])
            if value:
                meta[wanted[name.lower()]] = value
    return meta


def _find_title_element(elements: list[Tag], hints: list[str]) -> Tag | None:
    """The heading that carries the notice title: the first heading-like element whose text
    and a hint (<title>, ArticleTitle, the metadata 标题) contain one another. A heading that
    is only a small part of the hint (the site logo "吉林省医疗保障局" inside the ArticleTitle)
    does not count: it must cover 60% of the hint."""
    squashed_hints = [_squash(h) for h in hints if len(_squash(h)) >= 6]
    for sel in _TITLE_SIMPLE:
        for el in _select(elements, sel):
            text = _squash(el.get_text())
            if 6 <= len(text) <= 200 and any(
                    h in text or (text in h and len(text) >= 0.6 * len(h)) for h in squashed_hints):
                return el
    return None


# ---------------------------------------------------------------------------------------------
# Assembling the text


def _assemble(parts: list[list[str | _Table]]) -> tuple[str, list[TableBlock]]:
    lines: list[str] = []
    tables: list[TableBlock] = []
    offset = 0
    for items in parts:
        for item in items:
            if isinstance(item, _Table):
                rows = [[clean_text(cell) for cell in row] for row in item.rows]
                row_lines = [" | ".join(row).rstrip(" |") or "|" for row in rows]
                start = offset
                for line in row_lines:
                    lines.append(line)
                    offset += len(line) + 1
                tables.append(TableBlock(rows=[list(r) for r in rows], start=start, end=offset - 1))
            else:
                line = clean_text(_FONT_SWITCH.sub("", item)).strip(" \u3000")
                if not line or any(p.match(line) for p in NOISE_LINES):
                    continue
                lines.append(line)
                offset += len(line) + 1
    return "\n".join(lines), tables


def html_to_parsed(raw: bytes, *, source: str, charset: str | None = None) -> ParsedDocument:
    """Parse an HTML page: decode (header, BOM, meta, detection), then body/title/metadata.

    ``charset`` is the label from a Content-Type header, if the page was fetched.
    """
    declared: list[tuple[str, str]] = []
    if charset:
        declared.append((charset, "header"))
    meta_charset = charset_from_html_head(raw)
    if meta_charset:
        declared.append((meta_charset, "meta"))
    decoded = bytes_to_text(raw, source=source, declared=declared)
    # Never raw bytes: lxml/bs4 silently empty a GBK page whose meta says gb2312 (pitfalls.md).
    soup = BeautifulSoup(decoded.text, "lxml")

    meta = _meta_tags(soup)
    page_title_el = soup.find("title")
    page_title = _strip_site_suffix(_inline([page_title_el.get_text()])) if page_title_el else ""
    elements = _drop_noise(soup)

    body = _body_by_selectors(elements) or _body_by_density(soup) or soup.body or soup
    meta_block = _find_meta_block(soup)
    meta_inside_body = meta_block is not None and _overlaps(meta_block, body)
    if meta_block is not None:
        for key, value in _pairs_from_element(meta_block):
            meta.setdefault(key, value)

    hints = [meta.get(k, "") for k in ("标题", "標題", "ArticleTitle")] + [page_title]
    title_el = _find_title_element(elements, hints)
    info_el = _find_info_line(soup, [body, meta_block, title_el])
    if info_el is not None:
        for key, value in _pairs_from_element(info_el):
            meta.setdefault(key, value)

    title_hint = next((h for h in hints[:3] if h), None)
    if title_hint is None and title_el is not None:
        title_hint = _inline([title_el.get_text()])
    title_hint = title_hint or page_title or None

    # Rendering order = how a reader meets the page: metadata table, title, date line, body.
    body_items: list[str | _Table] = []
    if isinstance(body, Tag):
        _drop_noise_within(body)
        body_items = _element_to_items(body)
    parts: list[list[str | _Table]] = []
    if meta_block is not None and not meta_inside_body:
        parts.append(_element_to_items(meta_block))
    head_lines = [_squash(i) for i in body_items[:5] if isinstance(i, str)]
    title_line = _inline([title_el.get_text()]) if title_el is not None else (title_hint or "")
    squashed = _squash(title_line)
    # The title is printed once: not again when the body starts with it (or with part of a
    # longer <title>, e.g. without the issuer prefix).
    if title_line and not (title_el is not None and _overlaps(title_el, body)) and not any(
            squashed in h or (len(h) >= 6 and h in squashed) for h in head_lines):
        parts.append([title_line])
    if info_el is not None:
        parts.append([_TRAILING_BUTTONS.sub("", i).strip() if isinstance(i, str) else i
                      for i in _element_to_items(info_el)])
    parts.append(body_items)
    text, tables = _assemble(parts)
    if not text.strip():
        raise EmptyDocument(source)
    return ParsedDocument(
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        format="html",
        text=text,
        encoding=decoded.encoding,
        title_hint=title_hint,
        meta=meta,
        tables=tables,
        flags=list(decoded.flags),
    )
