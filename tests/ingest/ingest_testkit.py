"""Builders for ingest tests: real PDFs (reportlab + WenQuanYi Zen Hei) and real DOCX files.

A uniquely named module (not conftest) so `from ingest_testkit import …` cannot pick up another
test area's conftest when the whole suite runs.
"""

from __future__ import annotations

import io
from pathlib import Path

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
BAD_DIR = Path(__file__).parent / "bad"


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        # subfont 0 of the .ttc; fonts-noto-cjk does not work with reportlab (pitfalls.md)
        pdfmetrics.registerFont(TTFont("WQY", FONT_PATH, subfontIndex=0))
    return "WQY"


def build_pdf(
    pages: list[list[str | list[list[str]]]],
    *,
    header: str | None = None,
    page_numbers: bool = False,
    title: str | None = None,
) -> bytes:
    """A PDF whose pages hold paragraphs (str) and grid tables (list of rows), in order."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    style = ParagraphStyle("zh", fontName=font, fontSize=12, leading=18, wordWrap="CJK")
    buf = io.BytesIO()

    def on_page(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont(font, 9)
        if header:
            canvas.drawString(72, A4[1] - 40, header)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 30, f"第 {doc.page} 页")

    doc = SimpleDocTemplate(buf, pagesize=A4, title=title or "", topMargin=72, bottomMargin=72)
    story = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        for block in page:
            if isinstance(block, str):
                story.append(Paragraph(block, style))
                story.append(Spacer(1, 6))
            else:
                table = Table(block)
                table.setStyle(TableStyle([
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ]))
                story.append(table)
                story.append(Spacer(1, 6))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def build_image_pdf(pages: int = 1) -> bytes:
    """A 'scanned' PDF: each page is an image and there is no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # a tiny grey bitmap as PPM, no PIL needed to write it; reportlab reads it through PIL if
    # present, so draw plain rectangles as inline image data instead when PIL is missing
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(pages):
        try:
            from PIL import Image

            img = Image.new("L", (200, 280), 200)
            c.drawImage(ImageReader(img), 50, 50, width=500, height=700)
        except ImportError:  # pragma: no cover - reportlab depends on pillow
            c.rect(50, 50, 500, 700, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def build_docx(blocks: list[str | list[list[str]]], *, header: str | None = None,
               footer: str | None = None, title: str | None = None) -> bytes:
    """A .docx with paragraphs (str) and tables (list of rows) in order."""
    from docx import Document

    document = Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if title:
        document.add_heading(title, level=1)
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def build_cid_pdf(n_chars: int = 40) -> bytes:
    """A one-page PDF in a CID font without a ToUnicode map: pdfminer reads '(cid:258)' glyphs,
    as from Word exports whose fonts were embedded without Unicode mappings."""
    text = "A" * n_chars
    content = ("BT /F1 12 Tf 72 720 Td <" + "0102" * n_chars + "> Tj ET").encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /XYZ /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out
