"""extractors.metadata: document-field cases first seen on the blind held-out sets (holdout2-4), as snippets."""

from __future__ import annotations

import pytest

from extractors.contract import NoticeDocument, ParsedDocument
from extractors.metadata import parsed_to_document
from extractors.normalise import text_to_normalised

BODY = "为做好2025年度城乡居民基本医疗保险参保缴费工作，现将有关事项通知如下。一、个人缴费标准为每人每年400元。"
TITLE = "临泉县医疗保障局 临泉县财政局 国家税务总局临泉县税务局关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知"


def _doc(text: str, *, meta: dict[str, str] | None = None, title_hint: str | None = None,
         fmt: str = "txt") -> NoticeDocument:
    parsed = ParsedDocument(source="t." + fmt, sha256="0" * 64, format=fmt, text=text,  # type: ignore[arg-type]
                            meta=meta or {}, title_hint=title_hint)
    return parsed_to_document(parsed, text_to_normalised(text), [])


@pytest.mark.parametrize("portal", ["临泉县人民政府", "首都之窗 临泉县人民政府门户网站"])
@pytest.mark.parametrize("nav", ["首页 > 信息公开 > 通知公告\n", ""])
def test_portal_name_line_is_not_glued_onto_a_title_that_names_its_issuers(portal: str, nav: str) -> None:
    d = _doc(f"{portal}\n{nav}{TITLE}\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == TITLE
    assert d.issuers == ["临泉县医疗保障局", "临泉县财政局", "国家税务总局临泉县税务局"]


def test_issuer_lines_above_a_title_without_issuers_are_still_joined() -> None:
    # a red-head document: the issuers on lines of their own, then 关于…的通知
    d = _doc(f"临泉县人民政府\n关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == "临泉县人民政府关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知"
