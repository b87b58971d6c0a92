"""HTML: decode first, the notice body (no navigation), the gov metadata table, title, tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.html import html_to_parsed
from ingest.parse import bytes_to_parsed, source_to_parsed

PAGES = Path(__file__).parent / "pages"

# fmt: off
# page → (encoding route, must be in text, must not be in text)
PAGE_CASES = {
    "trs_metadata_table.html": (
        "gb18030 (meta gb2312)",
        ["索 引 号： | 11220000MB1234567X/2023-00027 | 主题分类： | 医疗保障",
         "文　　号： | 吉医保联〔2023〕27号", "2024年度个人缴费标准为每人每年380元。",
         "普通居民 | 380元 | 不低于640元", "发布时间：2023-09-08 来源：吉林省医疗保障局",
         "现将有关事项通知如下："],
        ["首页", "当前位置", "政务公开", "分享到", "相关阅读", "版权所有", "ICP备", "var x", "字体", "微博"],
    ),
    "layout_table_br.html": (
        "gb18030 (meta gbk)",
        ["某县人民政府办公室关于开展2023年度城乡居民医保费征缴工作的通知\n日期：2022-11-15",
         "各乡镇人民政府，县直各有关单位：\n2023年度城乡居民基本医疗保险费征缴工作已经开始",
         "新生儿在出生后3个月内参保缴费的"],
        ["网站首页", "机构概况", "通知公告", "主办单位", "ICP备"],
    ),
    "short_notice_long_footer.html": (
        "utf-8 (meta utf-8)",
        ["关于2024年度居民医保缴费标准的公告\n2024年度我县城乡居民医保个人缴费标准为每人每年380元。\n特此公告。"],
        ["主办单位", "ICP备", "网站标识码", "首页"],
    ),
    "trad_gbk_no_charset.html": (
        "gb18030 (detected)",
        ["汾西縣人民政府辦公室關於開展2023年度城鄉居民基本醫療保險費征繳工作的通知\n2022-11-15\n汾政辦發〔2022〕46號",
         "個人繳費標準為每人每年350元。", "汾西縣人民政府辦公室\n2022年11月15日"],
        ["首頁", "政府信息公開", "字體", "打印本頁", "關閉窗口", "ICP"],
    ),
    "ul_metadata_article.html": (
        "utf-8 (meta utf-8)",
        ["索引号：640000/2024-00073\n发布机构：宁夏回族自治区医疗保障局",
         "关于做好2025年度城乡居民基本医疗保险参保征缴工作的通知\n各市、县（区）医疗保障局：",
         "个人缴费标准为每人每年400元。"],
        ["您现在的位置", "首页", "分享到", "相关文件", "版权所有", "\n\n"],
    ),
}
META_CASES = {
    "trs_metadata_table.html": {
        "索引号": "11220000MB1234567X/2023-00027", "发布机构": "吉林省医疗保障局", "主题分类": "医疗保障",
        "发文日期": "2023年09月08日", "文号": "吉医保联〔2023〕27号", "有效性": "有效",
        "标题": "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知",
        "ArticleTitle": "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知",
        "PubDate": "2023-09-08 10:20", "ContentSource": "吉林省医疗保障局", "发布时间": "2023-09-08",
        "来源": "吉林省医疗保障局",
    },
    "layout_table_br.html": {"日期": "2022-11-15", "来源": "县政府办"},
    "trad_gbk_no_charset.html": {},
    "short_notice_long_footer.html": {},
    "ul_metadata_article.html": {
        "索引号": "640000/2024-00073", "发布机构": "宁夏回族自治区医疗保障局", "成文日期": "2024-09-20",
        "发文字号": "宁医保发〔2024〕30号", "主题分类": "社会保障",
    },
}
TITLES = {
    "trs_metadata_table.html": "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知",
    "layout_table_br.html": "某县人民政府办公室关于开展2023年度城乡居民医保费征缴工作的通知",
    "short_notice_long_footer.html": "关于2024年度居民医保缴费标准的公告",
    "trad_gbk_no_charset.html": "汾西縣人民政府辦公室關於開展2023年度城鄉居民基本醫療保險費征繳工作的通知",
    "ul_metadata_article.html": "关于做好2025年度城乡居民基本医疗保险参保征缴工作的通知",
}
# fmt: on


@pytest.mark.parametrize("name", sorted(PAGE_CASES))
def test_page_text(name: str) -> None:
    route, present, absent = PAGE_CASES[name]
    parsed = source_to_parsed(str(PAGES / name))
    assert parsed.format == "html"
    assert parsed.encoding == route
    assert parsed.flags == (["encoding_guessed"] if "detected" in route else [])
    for snippet in present:
        assert snippet in parsed.text, snippet
    for snippet in absent:
        assert snippet not in parsed.text, snippet


@pytest.mark.parametrize("name", sorted(META_CASES))
def test_page_meta_and_title(name: str) -> None:
    parsed = source_to_parsed(str(PAGES / name))
    assert parsed.meta == META_CASES[name]
    assert parsed.title_hint == TITLES[name]


def test_reading_order_metadata_title_date_body() -> None:
    text = source_to_parsed(str(PAGES / "trs_metadata_table.html")).text
    lines = text.splitlines()
    assert lines[0].startswith("索 引 号")
    assert lines[4] == TITLES["trs_metadata_table.html"]
    assert lines[5].startswith("发布时间：2023-09-08")
    assert lines[6] == "各市（州）医疗保障局："
    assert lines[-1] == "2023年9月8日"
    assert text.count("吉医保联〔2023〕27号") == 1


def test_tables_are_blocks_with_offsets() -> None:
    parsed = source_to_parsed(str(PAGES / "trs_metadata_table.html"))
    assert len(parsed.tables) == 2  # the metadata table and the table of standards
    standards = parsed.tables[1]
    assert standards.rows == [["类别", "个人缴费", "财政补助"], ["普通居民", "380元", "不低于640元"],
                              ["大学生", "380元", "不低于640元"]]
    assert standards.start is not None and standards.end is not None
    assert parsed.text[standards.start:standards.end] == (
        "类别 | 个人缴费 | 财政补助\n普通居民 | 380元 | 不低于640元\n大学生 | 380元 | 不低于640元")
    meta_table = parsed.tables[0]
    assert parsed.text[meta_table.start:meta_table.end].startswith("索 引 号： | ")


def _page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}<title>测试页面</title></head><body>{body}</body></html>".encode("utf-8")


def test_source_line_breaks_between_chinese_are_not_spaces() -> None:
    raw = _page('<div id="zoom"><p>2024年度个人缴费标准为每人每年\n   380元，财政补助不低于\n640元。</p>'
                "<p>English words\nstay apart.</p></div>")
    parsed = bytes_to_parsed(raw, source="x.html")
    assert "每人每年 380元" in parsed.text  # a break next to a digit is a space, as a browser shows it
    assert "财政补助不低于 640元" in parsed.text or "财政补助不低于640元" in parsed.text
    assert "English words stay apart." in parsed.text


def test_cjk_line_break_dropped() -> None:
    raw = _page('<div class="TRS_Editor"><p>城乡居民基本\n医疗保险个人缴费标准为每人每年380元，特此通知。</p></div>')
    assert "城乡居民基本医疗保险" in bytes_to_parsed(raw, source="x.html").text


def test_density_fallback_picks_prose_over_link_lists() -> None:
    nav = "".join(f'<li><a href="/{i}">栏目链接名称第{i}个</a></li>' for i in range(40))
    prose = "".join(f"<p>第{i}条：城乡居民基本医疗保险个人缴费标准为每人每年380元。</p>" for i in range(5))
    raw = _page(f'<div class="left"><ul>{nav}</ul></div><div class="right"><div>{prose}</div></div>')
    parsed = bytes_to_parsed(raw, source="x.html")
    assert "第4条：城乡居民" in parsed.text
    assert "栏目链接" not in parsed.text


def test_hidden_elements_and_scripts_dropped() -> None:
    raw = _page('<div id="zoom"><p>个人缴费标准为每人每年380元，集中缴费期为2023年9月1日至12月31日。</p>'
                '<p style="display:none">隐藏的旧标准每人每年350元</p><script>document.write("脚本")</script></div>')
    text = bytes_to_parsed(raw, source="x.html").text
    assert "380元" in text and "350元" not in text and "脚本" not in text


def test_title_site_suffix_stripped() -> None:
    raw = ("<html><head><meta charset='utf-8'><title>关于做好2024年度城乡居民医保参保缴费工作的通知_政策文件_某市"
           "人民政府</title></head><body><div id='zoom'><p>个人缴费标准为每人每年380元，集中缴费期为2023年9月"
           "1日至12月31日。</p></div></body></html>").encode("utf-8")
    parsed = bytes_to_parsed(raw, source="x.html")
    assert parsed.title_hint == "关于做好2024年度城乡居民医保参保缴费工作的通知"
    assert parsed.text.splitlines()[0] == parsed.title_hint


def test_gb2312_declared_page_with_gbk_only_characters() -> None:
    # 镕 and 醫 are GBK but not GB2312: a gb2312 decoder would fail; gb18030 reads them
    body = "<div id='zoom'><p>朱镕基同志醫保讲话摘录，个人缴费标准为每人每年380元，请各地认真落实。</p></div>"
    raw = f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head>" \
          f"<body>{body}</body></html>".encode("gbk")
    parsed = bytes_to_parsed(raw, source="x.html")
    assert parsed.encoding == "gb18030 (meta gb2312)"
    assert "朱镕基同志醫保" in parsed.text and parsed.flags == []


def test_big5_page() -> None:
    raw = ("<html><head><meta charset='big5'></head><body><div id='zoom'><p>廣州市城鄉居民基本醫療保險"
           "個人繳費標準為每人每年400元，請各區認真貫徹落實。</p></div></body></html>").encode("big5")
    parsed = bytes_to_parsed(raw, source="x.htm")
    assert parsed.encoding == "big5hkscs (meta big5)"
    assert "個人繳費標準為每人每年400元" in parsed.text


def test_header_charset_beats_missing_meta() -> None:
    raw = "<html><body><div id='zoom'><p>个人缴费标准为每人每年380元，集中缴费期为2023年9月1日至12月31日。</p>" \
          "</div></body></html>"
    parsed = html_to_parsed(raw.encode("gbk"), source="x.html", charset="GBK")
    assert parsed.encoding == "gb18030 (header GBK)" and "380元" in parsed.text


def test_key_value_cells_in_one_cell_and_th_td() -> None:
    raw = _page("<table><tr><th>索引号</th><td>000014349/2024-00073</td><th>发文机关</th><td>国家医保局</td></tr>"
                "<tr><td>发文字号：医保发〔2024〕19号</td><td>成文日期：2024年07月25日</td></tr></table>"
                "<div id='zoom'><p>各省、自治区、直辖市医疗保障局：2024年居民医保人均财政补助标准提高30元，"
                "达到每人每年不低于670元。</p></div>")
    parsed = bytes_to_parsed(raw, source="x.html")
    assert parsed.meta["索引号"] == "000014349/2024-00073"
    assert parsed.meta["发文机关"] == "国家医保局"
    assert parsed.meta["发文字号"] == "医保发〔2024〕19号"
    assert parsed.meta["成文日期"] == "2024年07月25日"
    assert parsed.text.splitlines()[0] == "索引号 | 000014349/2024-00073 | 发文机关 | 国家医保局"


def test_traditional_metadata_keys() -> None:
    raw = _page("<table><tr><td>索 引 號</td><td>640324042/2024-00073</td><td>發文時間</td><td>2024-09-24</td></tr>"
                "<tr><td>發布機構</td><td>同心縣醫療保障局</td><td>文 號</td><td></td></tr></table>"
                "<div id='zoom'><p>2025年度全區城鄉居民基本醫療保險集中參保期限從2024年9月25日開始。</p></div>")
    parsed = bytes_to_parsed(raw, source="x.html")
    assert parsed.meta == {"索引號": "640324042/2024-00073", "發文時間": "2024-09-24", "發布機構": "同心縣醫療保障局"}


def test_site_logo_heading_is_not_the_title() -> None:
    raw = _page("<div class='logo'><h1>吉林省医疗保障局</h1></div>"
                "<div class='article'><h2>关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知</h2>"
                "<div class='TRS_Editor'><p>个人缴费标准为每人每年380元，集中缴费期为2023年9月1日至12月31日。</p></div></div>",
                head="<meta charset='utf-8'><meta name='ArticleTitle' content='吉林省医疗保障局关于做好2024年度城乡居民"
                     "基本医疗保险参保缴费工作的通知'>")
    parsed = bytes_to_parsed(raw, source="x.html")
    assert parsed.text.splitlines()[0] == "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"
    assert "吉林省医疗保障局\n" not in parsed.text


@pytest.mark.parametrize("head", [b"\xef\xbb\xbf<html>", b'<?xml version="1.0"?>\n<!DOCTYPE html><html>',
                                  b"<!-- saved page -->\n<HTML>", b"  <!doctype html>\n<html>"])
def test_html_sniffed_without_extension(head: bytes) -> None:
    from ingest.parse import bytes_to_format

    assert bytes_to_format(head + b"<body><p>x</p></body></html>", source="saved_page") == "html"
    assert bytes_to_format(head + b"<body></body></html>", source="https://example.org/view?id=1") == "html"


def test_pre_keeps_its_lines() -> None:
    raw = _page("<div id='zoom'><pre>一、缴费标准\n个人缴费每人每年380元。\n\n二、缴费时间\n2023年9月1日至12月31日。</pre></div>")
    text = bytes_to_parsed(raw, source="x.html").text
    assert "一、缴费标准\n个人缴费每人每年380元。\n二、缴费时间\n2023年9月1日至12月31日。" in text


# fmt: off
NOISE_OR_NOT = [
    ("【字體：大 中 小】", True), ("字体：大中小 打印", True), ("【打印本页】【关闭窗口】", True),
    ("分享到：微信 微博", True), ("相关阅读", True), ("当前位置：首页 > 政策文件", True), ("上一篇：关于…", True),
    ("字号为三号仿宋。", False), ("分享了先进地区的做法。", False), ("一、打印机采购", False),
    ("相关部门要加强协作。", False), ("首页面设计费5000元。", False),
]
# fmt: on


@pytest.mark.parametrize("line,noise", NOISE_OR_NOT)
def test_noise_lines_only_match_furniture(line: str, noise: bool) -> None:
    from ingest.selectors import NOISE_LINES

    assert any(p.match(line) for p in NOISE_LINES) is noise


def test_spacing_entities_and_invisible_characters() -> None:
    raw = _page("<div id='zoom'><p>&emsp;&emsp;居民&#8203;医保个人缴费&shy;标准为每人每年&ensp;380元，"
                "集中缴费期为2023年9月1日至12月31日。&nbsp;</p></div>")
    text = bytes_to_parsed(raw, source="x.html").text
    assert "居民医保个人缴费标准为每人每年 380元，集中缴费期为2023年9月1日至12月31日。" in text.splitlines()
