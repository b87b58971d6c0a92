"""PDF: reading order, tables as rows (once), page spans, running headers and page numbers dropped."""

from __future__ import annotations

import pytest

from ingest.errors import PdfParseError
from ingest.parse import bytes_to_parsed
from ingest.pdf import pdf_to_parsed
from ingest_testkit import build_cid_pdf, build_image_pdf, build_pdf

LONG = ("为切实做好2024年度全省城乡居民基本医疗保险参保缴费工作，根据国家有关文件要求，结合我省实际，"
        "现就有关事项通知如下，集中参保缴费期为2023年9月15日至2023年12月31日，请各地认真贯彻落实。")
TABLE = [["类别", "个人缴费", "财政补助"], ["普通居民", "380元", "不低于640元"], ["大学生", "380元", "不低于640元"]]


@pytest.fixture(scope="module")
def notice_pdf() -> bytes:
    return build_pdf(
        [
            ["关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知", LONG, "一、筹资标准", TABLE, "二、其他事项"],
            ["三、待遇享受期为2024年1月1日至12月31日。", LONG],
            ["四、本通知自印发之日起施行。"],
        ],
        header="吉林省医疗保障局文件",
        page_numbers=True,
        title="关于做好2024年度居民医保工作的通知",
    )


def test_text_in_reading_order_with_wrapped_lines_joined(notice_pdf: bytes) -> None:
    parsed = pdf_to_parsed(notice_pdf, source="n.pdf")
    lines = parsed.text.splitlines()
    assert lines[0] == "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"
    assert lines[1] == LONG  # wrapped over three lines on the page, one line here
    assert lines[2] == "一、筹资标准"
    assert lines[-1] == "四、本通知自印发之日起施行。"
    assert parsed.format == "pdf" and parsed.encoding is None and parsed.flags == []


def test_running_header_and_page_numbers_dropped(notice_pdf: bytes) -> None:
    text = pdf_to_parsed(notice_pdf, source="n.pdf").text
    assert "吉林省医疗保障局文件" not in text
    assert "第 1 页" not in text and "第 2 页" not in text


def test_table_rows_once_with_offsets(notice_pdf: bytes) -> None:
    parsed = pdf_to_parsed(notice_pdf, source="n.pdf")
    assert len(parsed.tables) == 1
    table = parsed.tables[0]
    assert table.page == 1 and table.rows == TABLE
    assert table.start is not None and table.end is not None
    assert parsed.text[table.start:table.end] == "\n".join(" | ".join(r) for r in TABLE)
    assert parsed.text.count("不低于640元") == 2  # in the rows only, not again as loose text
    # the table sits between the heading before it and the one after it
    assert parsed.text.index("一、筹资标准") < table.start < parsed.text.index("二、其他事项")


def test_page_spans_cover_each_page(notice_pdf: bytes) -> None:
    parsed = pdf_to_parsed(notice_pdf, source="n.pdf")
    assert [p.page for p in parsed.pages] == [1, 2, 3]
    first, second, third = parsed.pages
    assert parsed.text[first.start:first.end].startswith("关于做好2024年度")
    assert parsed.text[first.start:first.end].endswith("二、其他事项")
    assert parsed.text[second.start:second.end].startswith("三、待遇享受期")
    assert parsed.text[third.start:third.end] == "四、本通知自印发之日起施行。"
    assert first.end < second.start < third.start and third.end == len(parsed.text)


def test_title_hint_from_pdf_metadata(notice_pdf: bytes) -> None:
    assert pdf_to_parsed(notice_pdf, source="n.pdf").title_hint == "关于做好2024年度居民医保工作的通知"


def test_title_hint_falls_back_to_first_line() -> None:
    raw = build_pdf([["关于做好2024年度城乡居民医保工作的通知", "个人缴费每人每年380元。"]])
    assert pdf_to_parsed(raw, source="n.pdf").title_hint == "关于做好2024年度城乡居民医保工作的通知"


def test_partly_scanned_pdf_keeps_text_and_flags_needs_ocr() -> None:
    text_pdf = build_pdf([["个人缴费标准为每人每年380元。"]])
    scan = build_image_pdf(1)
    # a two-page PDF: text page then image page, merged with pdfplumber's writer-free route:
    # pypdf is not a dependency, so check the image-only document and the text one separately
    assert pdf_to_parsed(scan, source="s.pdf").flags == ["needs_ocr"]
    assert pdf_to_parsed(text_pdf, source="t.pdf").flags == []


def test_sniffed_without_extension(notice_pdf: bytes) -> None:
    parsed = bytes_to_parsed(notice_pdf, source="https://example.org/download?id=3",
                             content_type="application/octet-stream")
    assert parsed.format == "pdf"
    parsed = bytes_to_parsed(notice_pdf, source="attachment.htm", content_type="text/html")
    assert parsed.format == "pdf"  # magic bytes beat a wrong label


def test_truncated_in_the_middle_names_input(notice_pdf: bytes) -> None:
    with pytest.raises(PdfParseError, match=r"^cut\.pdf: cannot read PDF: truncated"):
        pdf_to_parsed(notice_pdf[: len(notice_pdf) // 2], source="cut.pdf")


def test_paragraph_across_a_page_break_is_one_line() -> None:
    paragraph = "".join(f"第{i:02d}句城乡居民基本医疗保险个人缴费标准为每人每年380元，" for i in range(60)) + "特此通知。"
    raw = build_pdf([[paragraph]], page_numbers=True)
    parsed = pdf_to_parsed(raw, source="long.pdf")
    assert parsed.text == paragraph
    assert len(parsed.pages) == 2
    first, second = parsed.pages
    assert first.start == 0 and first.end == second.start and second.end == len(paragraph)
    assert 0 < second.start < len(paragraph)


def test_fake_bold_overprinted_text_read_once() -> None:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ingest_testkit import _font

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(_font(), 16)
    for dx in (0, 0.3, 0.6):  # a heading drawn three times, slightly shifted: fake bold
        c.drawString(72 + dx, 760, "关于做好居民医保工作的通知")
    c.setFont(_font(), 12)
    c.drawString(72, 730, "个人缴费标准为每人每年380元。")
    c.showPage()
    c.save()
    parsed = pdf_to_parsed(buf.getvalue(), source="bold.pdf")
    assert parsed.text == "关于做好居民医保工作的通知\n个人缴费标准为每人每年380元。"


def test_metadata_lines_at_the_head_fill_meta() -> None:
    raw = build_pdf([["五常市医疗保障局关于开展2020年度城乡居民基本医疗保险集中参保缴费工作的公告",
                      "文号：五医保发〔2019〕12号", "发布日期：2019-9-8", "广大城乡居民：个人缴费每人每年280元。"]])
    parsed = pdf_to_parsed(raw, source="m.pdf")
    assert parsed.meta == {"文号": "五医保发〔2019〕12号", "发布日期": "2019-9-8"}


def test_glyphs_without_unicode_mapping_are_not_text() -> None:
    parsed = pdf_to_parsed(build_cid_pdf(), source="cid.pdf")
    assert parsed.text == "" and parsed.flags == ["needs_ocr"]
    assert "(cid:" not in parsed.text
