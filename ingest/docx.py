"""Word .docx notices with python-docx: body paragraphs and tables in order; headers/footers skipped."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from extractors.contract import ParsedDocument, TableBlock

from .encoding import clean_text
from .errors import DocxParseError, EmptyDocument
from .html import lines_to_meta

__all__ = ["docx_to_parsed"]

_WS_NEWLINE = re.compile(r"\s*\n\s*")
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese_count(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else _chinese_count(rest)
                                     if rest >= 20 else "一" + _chinese_count(rest))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return _chinese_count(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


class _Numbering:
    """Word auto-numbering ("一、", "（一）", "1.") rendered into the text, because the
    reader sees it: python-docx's paragraph.text leaves it out. Counters run per list (numId)
    and level; a deeper level restarts when a shallower one advances. Bullets add nothing."""

    def __init__(self, document: Any, styles: "_Styles") -> None:
        self.styles = styles
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → fmt, text, start
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            lvls: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(qn("w:lvl")):
                lvls[int(lvl.get(qn("w:ilvl"), "0"))] = self._level(lvl)
            abstract[an.get(qn("w:abstractNumId"), "")] = lvls
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            lvls = dict(abstract.get(ref.get(qn("w:val"), "") if ref is not None else "", {}))
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if ilvl in lvls and start is not None:
                    fmt, text, _ = lvls[ilvl]
                    lvls[ilvl] = (fmt, text, int(start.get(qn("w:val"), "1")))
            for ilvl, spec in lvls.items():
                self.levels[(num.get(qn("w:numId"), ""), ilvl)] = spec

    @staticmethod
    def _level(lvl: Any) -> tuple[str, str, int]:
        def val(tag: str, default: str) -> str:
            el = lvl.find(qn(tag))
            return el.get(qn("w:val"), default) if el is not None else default

        return val("w:numFmt", "decimal"), val("w:lvlText", ""), int(val("w:start", "1"))

    def label(self, paragraph: Paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        if num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = self.levels[(num_id, ilvl)]
        counters[ilvl] = start if counters[ilvl] == 0 else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none") or not text:
            return ""

        def level_value(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            spec = self.levels.get((num_id, level))
            count = counters[level] or (spec[2] if spec else 1)
            return _format_number(count, spec[0] if spec else "decimal")

        return re.sub(r"%([1-9])", level_value, text)

    def _num_pr(self, paragraph: Paragraph) -> tuple[str, int] | None:
        # the paragraph's own numPr, else its style's (List Number and heading styles carry one)
        for pPr in (paragraph._p.pPr, self.styles.of(paragraph)[1]):
            if pPr is None:
                continue
            num_pr = pPr.find(qn("w:numPr"))
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                ilvl = num_pr.find(qn("w:ilvl"))
                if num_id is not None:
                    return num_id.get(qn("w:val"), "0"), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
        return None


class _Styles:
    """Paragraph style id → (name, pPr), read once: python-docx's paragraph.style scans every
    style on each call (≈4 ms a paragraph with the default template)."""

    def __init__(self, document: Any) -> None:
        self.by_id: dict[str, tuple[str, Any]] = {}
        self.default: tuple[str, Any] = ("", None)
        try:
            root = document.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        for style in root.findall(qn("w:style")):
            if style.get(qn("w:type")) != "paragraph":
                continue
            name_el = style.find(qn("w:name"))
            entry = (name_el.get(qn("w:val"), "") if name_el is not None else "", style.find(qn("w:pPr")))
            self.by_id[style.get(qn("w:styleId"), "")] = entry
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self.default = entry

    def of(self, paragraph: Paragraph) -> tuple[str, Any]:
        pPr = paragraph._p.pPr
        pStyle = pPr.find(qn("w:pStyle")) if pPr is not None else None
        if pStyle is None:
            return self.default
        return self.by_id.get(pStyle.get(qn("w:val"), ""), self.default)


def _blocks(parent: Any, element: Any) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables of a body in document order, looking inside content controls
    (w:sdt), which python-docx's own iterators skip."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(parent, content)


def _cell_text(cell: Any) -> str:
    # Paragraphs inside a cell are one cell value; nested tables are read into it as well.
    parts = [p.text for p in cell.paragraphs]
    for table in cell.tables:
        parts += [" ".join(c.text for c in row.cells) for row in table.rows]
    return clean_text(_WS_NEWLINE.sub(" ", " ".join(p for p in parts if p.strip())).strip())


def _table_rows(table: Table) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = []
        previous = None
        for cell in row.cells:
            # a horizontally merged cell comes back once per grid column: keep it once
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(_cell_text(cell))
        if any(cells):
            rows.append(cells)
    return rows


def docx_to_parsed(raw: bytes, *, source: str) -> ParsedDocument:
    """Parse a .docx; raise DocxParseError naming the source if it is not a readable document."""
    try:
        document = Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocxParseError(source, f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - lxml/python-docx raise many types on broken XML
        raise DocxParseError(source, f"{type(exc).__name__}: {exc}") from None

    lines: list[str] = []
    tables: list[TableBlock] = []
    offset = 0
    title: str | None = None
    styles = _Styles(document)
    numbering = _Numbering(document, styles)
    for block in _blocks(document, document.element.body):
        if isinstance(block, Paragraph):
            label = numbering.label(block) if block.text.strip() else ""
            if label and not re.search(r"[、.．)）:：\s]$", label):
                label += " "
            # Soft line breaks inside a paragraph are kept; lines are stripped of indentation.
            for i, part in enumerate(block.text.split("\n")):
                if i == 0 and label:
                    part = label + part.lstrip(" \t\u3000\xa0")
                line = clean_text(part).strip(" \t\u3000\xa0")
                if not line:
                    continue
                style = styles.of(block)[0]
                # raw style names: "Title", "heading 1" (python-docx shows them capitalised)
                if title is None and (style.lower() == "title" or style.lower().startswith("heading")):
                    title = line
                lines.append(line)
                offset += len(line) + 1
        else:
            rows = _table_rows(block)
            if not rows:
                continue
            start = offset
            for row in rows:
                line = " | ".join(c or "" for c in row)
                lines.append(line)
                offset += len(line) + 1
            tables.append(TableBlock(rows=rows, start=start, end=offset - 1))
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyDocument(source)
    core_title = (document.core_properties.title or "").strip()
    return ParsedDocument(
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        format="docx",
        text=text,
        title_hint=core_title or title or next((ln for ln in lines[:5] if 6 <= len(ln) <= 100), None),
        tables=tables,
        meta=lines_to_meta(text.splitlines()),
    )
