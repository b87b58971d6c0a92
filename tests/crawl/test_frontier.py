"""Listing pages → notice links and next page; notice pages → attachments (pure functions)."""

from __future__ import annotations

from ingest.crawl.attachments import attachment_type, content_type_to_attachment, detail_to_attachments
from ingest.crawl.frontier import listing_to_page
from ingest.crawl.sites import toml_to_site

LISTING = """<html><head><base href="http://h.gov.cn/zcfg/"></head><body>
<div class="menu"><a href="/index.html">首页</a><a href="/about.html">关于我们</a></div>
<ul class="list">
 <li><a href="./202409/t20240901_1.html" title="关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知">关于做好2025年度城乡居民…</a></li>
 <li><a href="202408/t20240801_2.html#top">关于开展职工运动会的通知</a></li>
 <li><a href="http://other.gov.cn/202407/t20240701_3.html">城乡居民医保（外站转载）</a></li>
 <li><a href="javascript:void(0)">城乡居民医保（脚本链接）</a></li>
 <li><a href="202406/t20240601_4.html">城乡居民医保 新生儿参保</a></li>
 <li><a href="202406/t20240601_4.html">城乡居民医保 新生儿参保（重复）</a></li>
</ul>
<div class="pages"><a href="index.html">首页</a><a class="nx" href="index_1.html">下一页</a><a href="index_9.html">尾页</a></div>
</body></html>"""


def _site(extra: str = "") -> object:
    return toml_to_site(f'name = "h"\nstart = ["http://h.gov.cn/zcfg/index.html"]\n{extra}', file="h.toml")


def test_detail_links_by_pattern_with_title_filter_base_and_dedup() -> None:
    site = _site('[detail]\nlink_pattern = "/\\\\d{6}/t\\\\d{8}_\\\\d+\\\\.html$"\ntitle_keywords = ["医疗保险", "医保"]')
    page = listing_to_page(LISTING, site=site, url="http://h.gov.cn/zcfg/index.html", index=0)  # type: ignore[arg-type]
    assert [link.url for link in page.items] == [
        "http://h.gov.cn/zcfg/202409/t20240901_1.html",
        "http://h.gov.cn/zcfg/202406/t20240601_4.html",
    ]
    # the full title from @title wins over the cut-off link text
    assert page.items[0].text == "关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知"
    assert page.next_url == "http://h.gov.cn/zcfg/index_1.html"


def test_detail_links_by_selector_and_next_by_selector() -> None:
    site = _site('[detail]\nlink_selector = "ul.list li a"\n[pagination]\nnext_selector = "a.nx"')
    page = listing_to_page(LISTING, site=site, url="http://h.gov.cn/zcfg/index.html", index=0)  # type: ignore[arg-type]
    assert len(page.items) == 3  # same-host list links only; the menu is not in the selector
    assert page.next_url == "http://h.gov.cn/zcfg/index_1.html"


def test_next_page_by_url_pattern_when_no_link() -> None:
    site = _site('[pagination]\nurl_pattern = "index_{n}.html"\nnext_text = ["下页"]')
    html = '<a href="/zcfg/202401/t1.html">医保通知</a>'
    first = listing_to_page(html, site=site, url="http://h.gov.cn/zcfg/index.html", index=0)  # type: ignore[arg-type]
    third = listing_to_page(html, site=site, url="http://h.gov.cn/zcfg/index_2.html", index=2)  # type: ignore[arg-type]
    assert first.next_url == "http://h.gov.cn/zcfg/index_1.html"
    assert third.next_url == "http://h.gov.cn/zcfg/index_3.html"


def test_without_pattern_all_same_host_links_except_paging() -> None:
    site = _site()
    page = listing_to_page(LISTING, site=site, url="http://h.gov.cn/zcfg/index.html", index=0)  # type: ignore[arg-type]
    urls = [link.url for link in page.items]
    assert "http://h.gov.cn/zcfg/index_1.html" not in urls and "http://h.gov.cn/zcfg/index_9.html" in urls
    assert all(u.startswith("http://h.gov.cn/") for u in urls)


def test_attachments_on_a_notice_page() -> None:
    site = _site('attachments = ["pdf", "docx", "xls"]')
    html = """<p>附件：<a href="/files/%E9%99%84%E4%BB%B6.PDF">附件1</a>
      <a href="/dl.jsp?id=7">缴费标准表.xls</a><a href="/files/b.docx">附件2</a><a href="/files/b.docx">again</a>
      <a href="/files/c.wps">WPS 文件</a><a href="http://other.cn/x.pdf">外站.pdf</a></p>"""
    links = detail_to_attachments(html, site=site, url="http://h.gov.cn/zcfg/a.html")  # type: ignore[arg-type]
    assert [(link.url.rsplit("/", 1)[1], attachment_type(link.url, link.text)) for link in links] == [
        ("%E9%99%84%E4%BB%B6.PDF", "pdf"), ("dl.jsp?id=7", "xls"), ("b.docx", "docx"),
    ]


def test_attachment_types_from_content_type() -> None:
    assert content_type_to_attachment("application/pdf; qs=0.9") == "pdf"
    assert content_type_to_attachment("application/msword") == "doc"
    assert content_type_to_attachment("text/html; charset=gbk") is None
