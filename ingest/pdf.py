"""PDF notices with pdfplumber: text lines in reading order per page, tables as rows, page spans.

Choices (documented in the README):
- Characters inside a detected table are taken out of the running text and written once, as
  ``cell | cell`` rows at the table's place (a TableBlock records page and offsets), so no
  number is read twice.
- Lines wrapped by the page width are joined back (a line that reaches the right margin and
  does not end a sentence continues on the next), so "2024年9月" split across lines is one fact.
- Running headers/footers (the same line at the top or bottom of most pages, digits ignored)
  and page-number lines ("第 3 页", "- 3 -", "3/12") in the top/bottom margin are dropped.
- A page with no text layer is flagged needs_ocr; a PDF with none at all gives empty text.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from extractors.contract import PageSpan, ParsedDocument, TableBlock

from .encoding import clean_text
from .errors import PdfParseError
from .html import lines_to_meta

__all__ = ["pdf_to_parsed"]

# Share of the page height that counts as top/bottom margin for running headers and page numbers.
_MARGIN = 0.12
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,4}|[-—–－]\s*\d+\s*[-—–－]"
    r"|page\s*\d+(\s*of\s*\d+)?)[-—–－\s]*$",
    re.IGNORECASE,
)
# A wrapped line ending in one of these ends a sentence or a heading; a closing bracket does
# not ("…(鄂医保发〔2022〕37号)" often wraps right after it), so it is not in the set.
_SENTENCE_END = ("。", "！", "？", "；", "：", "!", "?", ";", ":", "。”", "。」", "。’")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# pdfplumber text settings: x_tolerance 1.5 pt keeps Latin words apart while CJK glyphs,
# which touch, never get spaces; y_tolerance 3 pt groups a line even with mixed font sizes.
_TEXT_SETTINGS: dict[str, Any] = {"x_tolerance": 1.5, "y_tolerance": 3}
# A page "has text" when it has at least this many non-space characters; scanned pages often
# carry a stray OCR-less page number or watermark glyph.
_MIN_PAGE_CHARS = 5


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float


@dataclass
class _Tab:
    rows: list[list[str | None]]
    top: float
    bottom: float


@dataclass
class _Page:
    number: int
    height: float
    width: float
    items: list[_Line | _Tab]
    no_text: bool
    has_images: bool = False


def _cell(value: str | None) -> str | None:
    if value is None:
        return None
    return _join_lines(value.split("\n")).strip()


def _join_lines(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(part[0])):
            out += " "
        out += part
    return out


def _inside(obj: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _has_overlapping_chars(chars: list[dict[str, Any]]) -> bool:
    """True when some glyph is drawn twice at (almost) the same place, as fake-bold and
    shadowed headings are. Sorting once is ~10× cheaper than pdfplumber's dedupe_chars, which
    is then only run on pages that need it."""
    ordered = sorted(chars, key=lambda c: (c.get("text", ""), c["top"], c["x0"]))
    for a, b in zip(ordered, ordered[1:]):
        if a.get("text") == b.get("text") and abs(a["top"] - b["top"]) <= 1 and abs(a["x0"] - b["x0"]) <= 1:
            return True
    return False


def _page_to_items(page: Any, number: int) -> _Page:
    if _has_overlapping_chars(page.chars):
        page = page.dedupe_chars()
    visible = [c for c in page.chars if c.get("text", "").strip()]
    unmapped = sum(1 for c in visible if c["text"].startswith("(cid:"))
    if len(visible) - unmapped < _MIN_PAGE_CHARS or unmapped > len(visible) / 2:
        # no text layer, or glyphs without a Unicode mapping ("(cid:258)"): unreadable text
        # is no text; an image, or the unmapped glyphs themselves, mean OCR would help
        return _Page(number, float(page.height), float(page.width), [], no_text=True,
                     has_images=bool(page.images) or unmapped > 0)
    if unmapped:
        page = page.filter(lambda o: not (o.get("object_type") == "char"
                                          and o.get("text", "").startswith("(cid:")))
    tables = []
    for table in page.find_tables():
        rows = table.extract()
        if len(rows) >= 2 and max((len(r) for r in rows), default=0) >= 2:
            tables.append((table.bbox, [[_cell(c) for c in row] for row in rows]))
    bboxes = [bbox for bbox, _ in tables]

    def outside(obj: dict[str, Any]) -> bool:
        return obj.get("object_type") == "char" and not any(_inside(obj, b) for b in bboxes)

    text_page = page.filter(outside) if bboxes else page
    items: list[_Line | _Tab] = [
        _Line(ln["text"], float(ln["top"]), float(ln["bottom"]), float(ln["x0"]), float(ln["x1"]))
        for ln in text_page.extract_text_lines(strip=True, return_chars=False, **_TEXT_SETTINGS)
        if ln["text"].strip()
    ]
    items += [_Tab(rows, float(bbox[1]), float(bbox[3])) for bbox, rows in tables]
    # Reading order: top to bottom; a table sorts by its top edge among the lines.
    items.sort(key=lambda it: (it.top, it.x0 if isinstance(it, _Line) else 0.0))
    return _Page(number, float(page.height), float(page.width), items, no_text=False)


def _norm_running(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop page numbers and headers/footers repeated on most pages, in the margins only."""
    def margin_lines(page: _Page) -> list[_Line]:
        return [it for it in page.items if isinstance(it, _Line) and (
            it.bottom <= page.height * _MARGIN or it.top >= page.height * (1 - _MARGIN))]

    text_pages = [p for p in pages if p.items]
    counts: Counter[str] = Counter()
    for page in text_pages:
        counts.update({_norm_running(ln.text) for ln in margin_lines(page)})
    threshold = max(2, (len(text_pages) + 1) // 2)
    for page in text_pages:
        drop = {id(ln) for ln in margin_lines(page)
                if _PAGE_NUMBER.match(ln.text) or (len(text_pages) >= 2 and
                                                   counts[_norm_running(ln.text)] >= threshold)}
        page.items = [it for it in page.items if id(it) not in drop]


def _unwrap(lines: list[_Line], page_width: float) -> tuple[list[str], bool]:
    """Join lines the page width wrapped: a line reaching the right margin that does not end
    a sentence continues on the next line (calibrated on reportlab and Word-exported notices:
    a wrapped CJK line ends within one glyph width of the text block's right edge).

    The right edge is the left margin mirrored (gov documents have near-symmetric margins,
    GB/T 9704: 28 mm / 26 mm), or the widest line if that reaches further, so on a page of
    short lines the longest one is not taken for a full, wrapped line. A narrower text block
    means no joining at all: the safe failure. Returns the lines and whether the last one
    continues after them (on the next page).
    """
    if not lines:
        return [], False
    right = max(max(ln.x1 for ln in lines), page_width - min(ln.x0 for ln in lines))
    out: list[str] = []
    carry = False
    for ln in lines:
        glyph = max(ln.bottom - ln.top, 6.0)
        text = ln.text.strip()
        if carry and out:
            out[-1] = _join_lines([out[-1], text])
        else:
            out.append(text)
        carry = ln.x1 >= right - 1.5 * glyph and not text.endswith(_SENTENCE_END) \
            and not _PAGE_NUMBER.match(text)
    return out, carry


class _TextBuilder:
    """Appends lines to the document text and reports where each lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = ""

    def add(self, line: str, *, join: bool = False) -> int:
        if not self.length:
            sep = ""
        elif join:
            sep = "" if (_CJK.match(self.last) or _CJK.match(line[0])) else " "
        else:
            sep = "\n"
        self.parts.append(sep + line)
        start = self.length + len(sep)
        self.length = start + len(line)
        self.last = line[-1]
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _open(raw: bytes, source: str) -> Any:
    try:
        return pdfplumber.open(io.BytesIO(raw))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise PdfParseError(source, "it is encrypted; save an unprotected copy") from None
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise PdfParseError(source, "it is encrypted; save an unprotected copy") from None
        raise PdfParseError(source, f"{type(inner).__name__}: {inner}; is it a complete PDF?") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise PdfParseError(source, f"{type(exc).__name__}: {exc}; is it a complete PDF?") from None


def pdf_to_parsed(raw: bytes, *, source: str) -> ParsedDocument:
    """Parse a PDF; raise PdfParseError naming the source (and page) if it cannot be read."""
    # pdfminer silently recovers what it can from a cut-off file, losing the pages after the
    # cut; a PDF must end with %%EOF (trailing junk of a few bytes is tolerated).
    if b"%%EOF" not in raw[-2048:]:
        raise PdfParseError(source, "truncated (no %%EOF at the end); download or copy it again")
    pdf = _open(raw, source)
    pages: list[_Page] = []
    title: str | None = None
    try:
        try:
            pdf_pages = pdf.pages
        except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on broken files
            raise PdfParseError(source, f"{type(exc).__name__}: {exc}") from None
        if not pdf_pages:
            raise PdfParseError(source, "it has no pages")
        for number, page in enumerate(pdf_pages, 1):
            try:
                pages.append(_page_to_items(page, number))
            except PdfParseError:
                raise
            except Exception as exc:  # noqa: BLE001 - name the page instead of a traceback
                raise PdfParseError(source, f"{type(exc).__name__}: {exc}", page=number) from None
        try:
            info = pdf.metadata or {}
        except Exception:  # noqa: BLE001 - a broken Info dictionary only costs the title hint
            info = {}
        meta_title = info.get("Title")
        if isinstance(meta_title, str) and re.search(r"[\u4e00-\u9fff]", meta_title):
            title = meta_title.strip()
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001 - close() re-reads the page tree, which may be the broken part
            pass

    _drop_running_lines(pages)
    out = _TextBuilder()
    spans: list[PageSpan] = []
    tables: list[TableBlock] = []
    carry = False  # the last line so far was cut by the page width (continues on the next page)
    first_lines: list[str] = []
    for page in pages:
        page_start: int | None = None
        buffer: list[_Line] = []

        def flush() -> None:
            nonlocal carry, page_start
            lines, carry_out = _unwrap(buffer, page.width)
            for i, line in enumerate(lines):
                line = clean_text(line)
                if not line:
                    continue
                at = out.add(line, join=carry and i == 0)
                if page_start is None:
                    page_start = at
                if len(first_lines) < 5:
                    first_lines.append(line)
            carry = carry_out if lines else carry
            buffer.clear()

        for item in page.items:
            if isinstance(item, _Line):
                buffer.append(item)
                continue
            flush()
            carry = False
            rows = [[clean_text(c) if c else c for c in row] for row in item.rows]
            t_start: int | None = None
            for row in rows:
                at = out.add(" | ".join(c or "" for c in row))
                t_start = at if t_start is None else t_start
            if t_start is not None:
                page_start = t_start if page_start is None else page_start
                tables.append(TableBlock(rows=rows, page=page.number, start=t_start, end=out.length))
        flush()
        if page.no_text:
            carry = False
        start = out.length if page_start is None else page_start
        spans.append(PageSpan(page=page.number, start=start, end=out.length))
    text = out.text()
    flags: list[str] = []
    # A scanned page is an image without text; a blank page (neither) is not worth a flag,
    # unless no page has text at all.
    if not text.strip() or any(p.no_text and p.has_images for p in pages):
        flags.append("needs_ocr")
    if not text.strip():
        text = ""
    if title is None:
        title = next((ln for ln in first_lines if 6 <= len(ln) <= 100), None)
    return ParsedDocument(
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        format="pdf",
        text=text,
        encoding=None,
        title_hint=title,
        pages=spans,
        tables=tables,
        meta=lines_to_meta(text.splitlines()),
        flags=flags,
    )
