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
    for block in _blocks(document, document.element.body):
        if isinstance(block, Paragraph):
            # Soft line breaks inside a paragraph are kept; lines are stripped of indentation.
            for part in block.text.split("\n"):
                line = clean_text(part).strip(" \t\u3000\xa0")
                if not line:
                    continue
                style = (block.style.name if block.style is not None else "") or ""
                if title is None and (style == "Title" or style.startswith("Heading")):
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
