"""DOCX: paragraphs and tables in body order, headers/footers skipped, merged cells once."""

from __future__ import annotations

import io

import pytest
from docx import Document

from ingest.docx import docx_to_parsed
from ingest.errors import EmptyDocument
from ingest.parse import bytes_to_parsed
from ingest_testkit import build_docx

TABLE = [["类别", "个人缴费"], ["普通居民", "380元"], ["大学生", "380元"]]


def test_body_order_tables_and_no_header_footer() -> None:
    raw = build_docx(
        ["各市医疗保障局：", "　　2024年度个人缴费标准见下表：", TABLE, "二、集中缴费期为2023年9月1日至12月31日。"],
        header="吉林省医疗保障局文件（页眉）", footer="第 1 页（页脚）",
        title="关于做好2024年度居民医保工作的通知",
    )
    parsed = docx_to_parsed(raw, source="n.docx")
    assert parsed.text == (
        "关于做好2024年度居民医保工作的通知\n各市医疗保障局：\n2024年度个人缴费标准见下表：\n"
        "类别 | 个人缴费\n普通居民 | 380元\n大学生 | 380元\n二、集中缴费期为2023年9月1日至12月31日。"
    )
    assert parsed.title_hint == "关于做好2024年度居民医保工作的通知"
    assert parsed.format == "docx" and parsed.flags == []
    (table,) = parsed.tables
    assert table.rows == TABLE
    assert parsed.text[table.start:table.end] == "类别 | 个人缴费\n普通居民 | 380元\n大学生 | 380元"


def test_merged_cells_read_once_and_multiline_cells_joined() -> None:
    document = Document()
    document.add_paragraph("资助标准如下：")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "困难群众资助标准"
    table.cell(1, 0).text = "特困人员"
    table.cell(1, 1).text = "全额资助"
    cell = table.cell(1, 2)
    cell.text = "个人缴费"
    cell.add_paragraph("部分")
    buf = io.BytesIO()
    document.save(buf)
    parsed = docx_to_parsed(buf.getvalue(), source="m.docx")
    assert parsed.tables[0].rows == [["困难群众资助标准"], ["特困人员", "全额资助", "个人缴费 部分"]]
    assert "困难群众资助标准\n特困人员 | 全额资助 | 个人缴费 部分" in parsed.text


def test_soft_line_breaks_kept_as_lines() -> None:
    document = Document()
    paragraph = document.add_paragraph("一、缴费标准")
    paragraph.add_run().add_break()
    paragraph.add_run("个人缴费每人每年380元。")
    buf = io.BytesIO()
    document.save(buf)
    assert docx_to_parsed(buf.getvalue(), source="b.docx").text == "一、缴费标准\n个人缴费每人每年380元。"


def test_empty_docx() -> None:
    with pytest.raises(EmptyDocument, match="empty.docx"):
        docx_to_parsed(build_docx([]), source="empty.docx")


def test_sniffed_without_extension() -> None:
    raw = build_docx(["个人缴费每人每年380元。"])
    assert bytes_to_parsed(raw, source="download.bin").format == "docx"


def test_metadata_table_at_the_head_fills_meta() -> None:
    raw = build_docx([[["索引号", "11370783MB2851726R/2023-0043115", "发布机构", "寿光市医疗保障局"],
                       ["文号", "寿医保发〔2023〕15号", "成文日期", "2023-09-08"]],
                      "各镇人民政府、街道办事处：", "个人缴费每人每年380元。"])
    parsed = docx_to_parsed(raw, source="m.docx")
    assert parsed.meta == {"索引号": "11370783MB2851726R/2023-0043115", "发布机构": "寿光市医疗保障局",
                           "文号": "寿医保发〔2023〕15号", "成文日期": "2023-09-08"}


def _numbered_docx() -> bytes:
    """Headings numbered by Word itself: level 0 "一、", level 1 "（一）" (chineseCounting)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_paragraph("x", style="List Number")  # makes sure the numbering part exists
    root = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, text in ((0, "%1、"), (1, "（%2）")):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, val in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", text)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        abstract.append(lvl)
    root.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    root.append(num)
    body = document.element.body
    body.remove(document.paragraphs[0]._p)

    def numbered(text: str, ilvl: int) -> None:
        p = document.add_paragraph(text)
        num_pr = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", str(ilvl)), ("w:numId", "90")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            num_pr.append(el)
        p._p.get_or_add_pPr().append(num_pr)

    numbered("缴费标准", 0)
    numbered("个人缴费每人每年380元。", 1)
    numbered("财政补助每人每年不低于640元。", 1)
    numbered("缴费时间", 0)
    numbered("集中缴费期为2023年9月1日至12月31日。", 1)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_word_auto_numbering_is_in_the_text() -> None:
    parsed = docx_to_parsed(_numbered_docx(), source="n.docx")
    assert parsed.text == ("一、缴费标准\n（一）个人缴费每人每年380元。\n（二）财政补助每人每年不低于640元。\n"
                           "二、缴费时间\n（一）集中缴费期为2023年9月1日至12月31日。")


def test_list_number_style_numbering() -> None:
    document = Document()
    document.add_paragraph("第一项", style="List Number")
    document.add_paragraph("第二项", style="List Number")
    document.add_paragraph("要点", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    assert docx_to_parsed(buf.getvalue(), source="l.docx").text == "1.第一项\n2.第二项\n要点"


def test_title_hint_from_heading_style_not_first_line() -> None:
    document = Document()
    document.add_paragraph("仁医保发〔2023〕33号文件附件")
    document.add_heading("关于做好2024年度城乡居民医保参保资助工作的通知", level=1)
    document.add_paragraph("个人缴费每人每年380元。")
    buf = io.BytesIO()
    document.save(buf)
    assert docx_to_parsed(buf.getvalue(), source="h.docx").title_hint == "关于做好2024年度城乡居民医保参保资助工作的通知"
