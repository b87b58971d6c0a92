"""Encoding routes: BOM, valid UTF-8, declared charset checked, GB18030 vs Big5 detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.encoding import (
    bytes_to_text,
    charset_from_content_type,
    charset_from_html_head,
    clean_text,
    normalise_charset,
)
from ingest.errors import BinaryGarbage, EmptyDocument
from ingest.parse import source_to_parsed

SIMPLIFIED = "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知，个人缴费标准为每人每年380元。"
TRADITIONAL = "廣州市醫療保障局關於做好2025年度城鄉居民基本醫療保險參保繳費工作的通知，個人繳費標準為每人每年400元。"

# fmt: off
# (text, how it is encoded, declared (label, where) pairs) → (route, flags)
ROUTES = [
    (SIMPLIFIED, "utf-8", (), "utf-8", ()),
    (SIMPLIFIED, "utf-8-sig", (), "utf-8 (bom)", ()),
    (SIMPLIFIED, "utf-16", (), "utf-16-le (bom)", ()),
    (SIMPLIFIED, "gbk", (), "gb18030 (detected)", ("encoding_guessed",)),
    (SIMPLIFIED, "gb2312", (), "gb18030 (detected)", ("encoding_guessed",)),
    (TRADITIONAL, "big5", (), "big5hkscs (detected)", ("encoding_guessed",)),
    (TRADITIONAL, "gbk", (), "gb18030 (detected)", ("encoding_guessed",)),  # traditional text in GBK
    (SIMPLIFIED, "gbk", (("gb2312", "meta"),), "gb18030 (meta gb2312)", ()),
    (SIMPLIFIED, "gbk", (("GBK", "header"), ("utf-8", "meta")), "gb18030 (header GBK)", ()),
    (SIMPLIFIED, "gbk", (("utf-8", "meta"),), "gb18030 (detected; meta said utf-8)", ("charset_mismatch",)),
    (SIMPLIFIED, "utf-8", (("gb2312", "meta"),), "utf-8 (detected; meta said gb2312)", ("charset_mismatch",)),
    (SIMPLIFIED, "gbk", (("big5", "meta"),), "gb18030 (detected; meta said big5)", ("charset_mismatch",)),
    (SIMPLIFIED, "gbk", (("iso-8859-1", "header"),), "gb18030 (detected; header said iso-8859-1)",
     ("charset_mismatch",)),
    (TRADITIONAL, "big5", (("big5", "meta"),), "big5hkscs (meta big5)", ()),
    (SIMPLIFIED, "utf-8", (("utf-8", "meta"),), "utf-8 (meta utf-8)", ()),
    ("ascii only 2024", "ascii", (("gbk", "meta"),), "ascii (meta gbk)", ()),
]
# fmt: on


@pytest.mark.parametrize("text,codec,declared,route,flags", ROUTES)
def test_routes(text: str, codec: str, declared: tuple[tuple[str, str], ...], route: str,
                flags: tuple[str, ...]) -> None:
    decoded = bytes_to_text(text.encode(codec), source="x", declared=declared)
    assert decoded.text == text
    assert decoded.encoding == route
    assert decoded.flags == flags


@pytest.mark.parametrize("text", ["居民医保", "缴费380元", "城乡居民", "醫療保險"])
def test_short_texts(text: str) -> None:
    for codec in ("gbk", "big5") if text == "醫療保險" else ("gbk",):
        assert bytes_to_text(text.encode(codec), source="x").text == text


def test_gb18030_four_byte_characters() -> None:
    text = "𠮷野家参保缴费380元，" + SIMPLIFIED  # 𠮷 is outside the BMP: 4 bytes in GB18030
    decoded = bytes_to_text(text.encode("gb18030"), source="x")
    assert decoded.text == text and decoded.encoding == "gb18030 (detected)"


def test_utf16_without_bom() -> None:
    decoded = bytes_to_text("notice 2024: 380 yuan per person".encode("utf-16-le"), source="x")
    assert decoded.text == "notice 2024: 380 yuan per person"
    assert decoded.encoding == "utf-16-le (detected)"


def test_a_few_corrupt_bytes_in_utf8_are_replaced_and_flagged() -> None:
    one = SIMPLIFIED.encode("utf-8")
    raw = one * 3 + b"\xff\xfe" + one * 17  # inserted between characters
    decoded = bytes_to_text(raw, source="x")
    assert decoded.encoding == "utf-8 (detected; 2 invalid byte sequences replaced)"
    assert decoded.flags == ("mojibake",)
    assert decoded.text.count("\ufffd") == 2


def test_empty_and_garbage() -> None:
    with pytest.raises(EmptyDocument):
        bytes_to_text(b"", source="e.txt")
    with pytest.raises(BinaryGarbage, match="g.bin"):
        bytes_to_text(bytes(range(256)) * 20, source="g.bin")


@pytest.mark.parametrize("label,codec", [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("GB18030", "gb18030"),
    ("big5", "big5hkscs"), ("UTF8", "utf-8"), ("utf_8", "utf-8"), ("ISO-8859-1", "cp1252"),
    ("no-such-charset", None), (None, None),
])
def test_normalise_charset(label: str | None, codec: str | None) -> None:
    assert normalise_charset(label) == codec


def test_charset_from_headers_and_meta() -> None:
    assert charset_from_content_type("text/html; charset=GBK") == "GBK"
    assert charset_from_content_type('text/html;charset="gb2312"') == "gb2312"
    assert charset_from_content_type("text/html") is None
    assert charset_from_html_head(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">') == "gb2312"
    assert charset_from_html_head(b"<meta charset='utf-8'>") == "utf-8"
    assert charset_from_html_head(b'<?xml version="1.0" encoding="GBK"?><html>') == "GBK"
    assert charset_from_html_head(b"<html><body>no charset</body></html>") is None


def test_clean_text() -> None:
    assert clean_text("a\r\nb\rc\x00d\ufeffe\ud800f\x0c") == "a\nb\ncd" + "e\ufffdf"


# --- .txt files end to end -------------------------------------------------------------------

@pytest.mark.parametrize("codec,route", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8 (bom)"), ("utf-16", "utf-16-le (bom)"),
    ("gb18030", "gb18030 (detected)"), ("big5", "big5hkscs (detected)"),
])
def test_txt_files(tmp_path: Path, codec: str, route: str) -> None:
    text = (TRADITIONAL if codec == "big5" else SIMPLIFIED) + "\r\n第二行。\r\n"
    f = tmp_path / "n.txt"
    f.write_bytes(text.encode(codec))
    parsed = source_to_parsed(str(f))
    assert parsed.format == "txt" and parsed.encoding == route
    assert parsed.text == text.replace("\r\n", "\n")
    assert parsed.title_hint == text.splitlines()[0]  # a title-length first line


def test_txt_metadata_table_at_the_head(tmp_path: Path) -> None:
    text = ("索 引 號 | 640324042/2024-00073 | 發(fā)文時間 | 2024-09-24 |\n"
            "發(fā)布機構 | 同心縣醫(yī)療保障局 | 文 號 | |\n"
            "標 題: | 關于做好2025年度城鄉居民基本醫療保險參保征繳工作的通知 |\n"
            "各市、縣(區)醫療保障局:\n為認真做好2025年度全區城鄉居民基本醫療保險參保征繳工作……\n")
    f = tmp_path / "seedlike.txt"
    f.write_text(text, encoding="utf-8")
    parsed = source_to_parsed(str(f))
    assert parsed.text == text  # the text itself is left as written
    assert parsed.meta == {"索引號": "640324042/2024-00073", "發文時間": "2024-09-24",
                           "發布機構": "同心縣醫療保障局",
                           "標題": "關于做好2025年度城鄉居民基本醫療保險參保征繳工作的通知"}
    assert parsed.title_hint == "關于做好2025年度城鄉居民基本醫療保險參保征繳工作的通知"


def test_txt_without_metadata_table(tmp_path: Path) -> None:
    f = tmp_path / "plain.txt"
    f.write_text("首页 > 政策文件\n来源：某市医保局\n关于做好居民医保工作的通知\n正文。\n", encoding="utf-8")
    parsed = source_to_parsed(str(f))
    assert parsed.meta == {}  # one weak key is not a metadata table
    assert parsed.title_hint == "关于做好居民医保工作的通知"  # breadcrumbs and "来源：" skipped
