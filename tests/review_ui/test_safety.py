"""Everything from a crawled page renders as text: markup, javascript: links, bidi tricks."""

from __future__ import annotations

from typing import Any

import pytest
from review_helpers import soup
from fastapi.testclient import TestClient

from review_ui.highlight import Span, reveal, text_to_segments
from rulestore import open_db


def _evil(store: dict[str, Any]) -> tuple[str, int, int]:
    db = open_db(store["path"])
    try:
        row = db.execute("SELECT v.rule_id, v.version, e.document_id FROM rule_versions v "
                         "JOIN evidence e ON e.version_id = v.id WHERE e.source LIKE 'https://evil%'").fetchone()
    finally:
        db.conn.close()
    return row[0], row[1], row[2]


def _assert_inert(html: str) -> None:
    page = soup_text(html)
    # the only script is our own file; no inline handlers, no javascript: URLs anywhere
    assert [s.get("src") for s in page.find_all("script")] == ["/static/review.js"]
    assert not page.find("img")
    for tag in page.find_all(True):
        assert not any(attr.lower().startswith("on") for attr in tag.attrs), tag
        for attr in ("href", "src", "action"):
            value = tag.get(attr)
            assert not (isinstance(value, str) and value.strip().lower().startswith("javascript:")), tag
    assert "\u202e" not in html and "\u200b" not in html and "\u202c" not in html


def soup_text(html: str) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("suffix", ["", "?kind=personal_contribution"])
def test_hostile_notice_renders_as_text_on_the_rule_card(reviewer: TestClient, store: dict[str, Any],
                                                        suffix: str) -> None:
    rule_id, version, _ = _evil(store)
    response = reviewer.get(f"/rules/{rule_id}/{version}{suffix}")
    assert response.status_code == 200
    _assert_inert(response.text)
    page = soup(response)
    text = page.select_one("#notice-text").get_text()
    assert "<script>document.title='PWNED';window.__pwned=1</script>" in text
    assert '<a href="javascript:alert(1)">' in text
    assert "U+202E" in text and "U+200B" in text  # invisible characters shown, not obeyed
    assert page.select_one("#notice-text mark.evidence").get_text() == "即400元"
    amount = page.select_one("#values tr.param[data-key=amount] td.v").get_text()
    assert amount == "400<script>x</script>"


def test_hostile_notice_renders_as_text_on_document_queue_and_audit(reviewer: TestClient, store: dict[str, Any]) -> None:
    _, _, document_id = _evil(store)
    for url in (f"/documents/{document_id}", "/queue", "/queue?region=450703", "/audit"):
        response = reviewer.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.text)
    title = soup(reviewer.get(f"/documents/{document_id}")).select_one("#doc-title").get_text()
    assert title.startswith("<script>alert('title')</script>通知") and "U+202E" in title


def test_pages_send_a_strict_content_security_policy(reviewer: TestClient) -> None:
    policy = reviewer.get("/queue").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert reviewer.get("/queue").headers["x-content-type-options"] == "nosniff"


def test_raw_capture_is_never_rendered_on_our_origin(reviewer: TestClient, store: dict[str, Any]) -> None:
    _, _, document_id = _evil(store)
    raw = reviewer.get(f"/documents/{document_id}/raw")
    assert raw.headers["content-type"] == "application/octet-stream"
    assert raw.headers["content-security-policy"] == "sandbox"
    assert b"<script>" in raw.content


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("a\u202eb", 'a<span class="cc" title="invisible character">U+202E</span>b'),
    ("零\u200b宽", '零<span class="cc" title="invisible character">U+200B</span>宽'),
    ("行\n行", "行\n行"),
])
# fmt: on
def test_reveal_escapes_and_shows_invisible_characters(text: str, expected: str) -> None:
    assert str(reveal(text)) == expected


def test_segments_slice_python_string_offsets_even_outside_the_bmp() -> None:
    text = "𠀀𠀁甲380元乙"  # two astral characters: UTF-16 offsets would be off by two
    segments = text_to_segments(text, (3, 7), [Span(3, 6, "MONEY")])
    assert [(s.text, s.evidence, s.facts) for s in segments] == [
        ("𠀀𠀁甲", False, []), ("380", True, ["MONEY"]), ("元", True, []), ("乙", False, [])]
    assert segments[1].first
    # an evidence span outside the text is dropped rather than clipped onto other words
    assert not any(s.evidence for s in text_to_segments("短", (0, 5)))
