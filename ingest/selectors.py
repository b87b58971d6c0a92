"""CSS selectors, metadata keys and noise patterns for gov-site HTML, kept as data (house style 4).

html.py tries BODY_SELECTORS in order and falls back to a text-density heuristic; add a site
here (one line, with the CMS or site it was seen on) rather than in code.

    >>> BODY_SELECTORS[0].css
    'div.TRS_Editor'
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "BODY_SELECTORS",
    "FOOTER_MARKERS",
    "META_KEYS",
    "META_TAG_NAMES",
    "NOISE_CSS",
    "NOISE_LINES",
    "NOISE_TOKENS",
    "STRONG_META_KEYS",
    "Selector",
    "TITLE_SELECTORS",
]


class Selector(NamedTuple):
    """One CSS selector with where it comes from (a CMS, a site, or "generic")."""

    css: str
    seen_on: str


# The notice body. Order matters: specific CMS containers first, generic names last, because a
# generic `div.content` often wraps navigation too. The first selector whose element holds at
# least html._MIN_BODY_CHARS Chinese characters wins.
BODY_SELECTORS: tuple[Selector, ...] = (
    Selector("div.TRS_Editor", "TRS WCM (most provincial and city portals)"),
    Selector("div.view.TRS_UEDITOR", "TRS WCM with UEditor (gov.cn policy library)"),
    Selector("div.TRS_UEDITOR", "TRS WCM with UEditor"),
    Selector("div#UCAP-CONTENT", "Kaipu/UCAP CMS (zhengce pages, many ministries)"),
    Selector("div.pages_content", "www.gov.cn zhengce content pages"),
    Selector("div#zoom", "many provincial portals (font-size zoom target)"),
    Selector("div#Zoom", "as above, capitalised id"),
    Selector("div#zoomcon", "Hanweb JCMS"),
    Selector("div#fontzoom", "Hanweb JCMS"),
    Selector("div.article-content", "generic"),
    Selector("div.article_content", "generic"),
    Selector("div.article_con", "generic"),
    Selector("div.art_con", "Hanweb"),
    Selector("div.bt_content", "generic"),
    Selector("div.news_content", "generic"),
    Selector("div.detail-content", "generic"),
    Selector("div.xxgk_content", "政府信息公开 detail pages"),
    Selector("div.wzzw", "generic (文章正文)"),
    Selector("div.zw", "generic (正文)"),
    Selector("div#zw", "generic (正文)"),
    Selector("div.zwnr", "generic (正文内容)"),
    Selector("div.content_text", "generic"),
    Selector("div.main-txt", "generic"),
    Selector("article", "HTML5 article element"),
)

# Headings that may carry the notice title (checked against <title>/ArticleTitle, see html.py).
TITLE_SELECTORS: tuple[Selector, ...] = (
    Selector("h1", "generic"),
    Selector("h2", "generic"),
    Selector("div.article-title", "generic"),
    Selector("div.title", "generic"),
    Selector("p.title", "generic"),
    Selector("td.title", "old TRS table layouts"),
    Selector("div.xxgk_title", "政府信息公开 detail pages"),
    Selector("h3", "generic"),
)

# <meta name="…"> tags gov CMSs (TRS, Kaipu, Hanweb) fill in; copied into ParsedDocument.meta.
META_TAG_NAMES: tuple[str, ...] = (
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "ColumnName",
    "ColumnType",
    "SiteName",
    "Author",
)

# Keys of the metadata table printed above a notice (政府信息公开 索引 table), simplified and
# traditional spellings. Matched with any spaces between the characters ("索 引 号").
META_KEYS: tuple[str, ...] = (
    "索引号", "索引號",
    "发布机构", "發布機構", "发文机关", "發文機關", "发文机构", "發文機構", "发文单位", "所属机构",
    "发布日期", "發布日期", "发文日期", "發文日期", "成文日期", "生成日期", "印发日期", "發佈日期",
    "发布时间", "發布時間", "发文时间", "發文時間", "实施日期", "施行日期", "废止日期",
    "文号", "文號", "发文字号", "發文字號", "文件编号", "文件編號",
    "标题", "標題", "名称", "名稱",
    "主题分类", "主題分類", "主题词", "主題詞", "信息分类", "體裁分類", "体裁分类", "组配分类",
    "公开方式", "公開方式", "公开范围", "公开时限", "有效性", "效力状态", "时效性",
    "信息来源", "来源", "來源", "发布单位", "日期",
)
# A table or list is the metadata block only if it has one of these (plus one more key):
# "来源"/"名称" alone also label ordinary tables in notice bodies.
STRONG_META_KEYS: frozenset[str] = frozenset({
    "索引号", "索引號", "发布机构", "發布機構", "发文机关", "發文機關", "文号", "文號",
    "发文字号", "發文字號", "成文日期", "发文日期", "發文日期", "主题分类", "主題分類",
    "公开方式", "公開方式", "标题", "標題",
})

# Whole elements dropped before rendering: never part of a notice body.
NOISE_CSS: str = (
    "script, style, noscript, iframe, object, embed, form, nav, select, button, input, "
    "textarea, svg, canvas, map, audio, video, template"
)
# id/class words marking navigation and page furniture (split on - _ and spaces; whole words
# only, so `content-top` is not dropped for `top`). An element carrying one is dropped when it
# holds less than a third of the body's text (a mis-named wrapper must not take the body along).
NOISE_TOKENS: frozenset[str] = frozenset({
    "nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "position",
    "location", "dqwz", "footer", "foot", "copyright", "share", "bdshare", "jiathis",
    "related", "xgwz", "xgyd", "xglj", "xgxx", "sidebar", "aside", "toolbar", "print",
    "fontsize", "zihao", "font-size", "qrcode", "ewm", "erweima", "pagination", "pager",
    "login", "search", "friendlink", "links", "advert", "ad", "banner", "comment", "comments",
})

# Lines of page furniture that survive inside body containers (font-size switches, share and
# print buttons, "related reading" headings, view counters). Matched against whole lines.
NOISE_LINES: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    r"^[【\[]\s*字[体體号號].{0,20}$|^字[体體号號]\s*[:：].{0,20}$",
    r"^[【\[]?\s*(打印|列印|關閉|关闭|返回顶部|返回頂部|收藏|纠错|糾錯)(本页|本頁|此页|文章|窗口)?\s*[】\]]?"
    r"(\s*[【\[]?\s*(打印|列印|關閉|关闭|返回顶部|返回頂部|收藏|纠错|糾錯)(本页|本頁|此页|文章|窗口)?\s*[】\]]?)*$",
    r"^(当前位置|您的位置|您现在的位置|當前位置|您現在的位置)\s*[:：].{0,80}$",
    r"^(首页|首頁)\s*[>＞»›].{0,80}$",
    r"^分享到\s*[:：]?.{0,40}$|^分享\s*[:：].{0,40}$",
    r"^(相关(阅读|链接|文章|新闻|文件|附件|信息|稿件)|延伸阅读|热点推荐|推荐阅读)\s*[:：]?$",
    r"^(扫一扫|手机扫码|用手机扫描).{0,30}$",
    r"^(上一篇|下一篇)\s*[:：].*$",
    r"^(浏览|阅读|访问|点击)(次数|量)\s*[:：]\s*\d*\s*次?$",
))

# Text that marks a site footer, never a notice: an element holding it cannot be the body
# (the density fallback would otherwise pick a long footer over a short notice).
FOOTER_MARKERS: re.Pattern[str] = re.compile(
    r"ICP[备備]|公网安备|公網安備|网站标识码|網站標識碼|版权所有|版權所有|Copyright|©|技术支持[:：]|"
    r"主办单位[:：]|主辦單位[:：]|承办单位[:：]|建议使用.{0,20}分辨率",
    re.IGNORECASE,
)
