"""The document page shows the original and the normalised text side by side, both as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from review_helpers import soup

from ingest.pipeline import source_to_store
from rulestore import open_db
from rulestore.store import get_document

# traditional characters, full-width digits, pinyin glosses and an entity-escaped tag: the
# normaliser turns the entities into a real "<img …>", which the page must show, not run
NOTICE = ("吉林省醫療保障局關於2025年城鄉居民醫保的通知\n"
          "個人繳費標準為每人每年４００元。&lt;img src=x onerror=alert(1)&gt; 發(fā)文\n")


def _ingest(store: dict[str, Any], tmp_path: Path) -> int:
    source = tmp_path / "notice.txt"
    source.write_text(NOTICE, encoding="utf-8")
    db = open_db(store["path"])
    try:
        result = source_to_store(db, str(source))
        assert get_document(db, result.document_id)["normalised_text"] is not None  # ingest stored it
        return result.document_id
    finally:
        db.conn.close()


def test_document_page_shows_original_and_normalised_text_escaped(reviewer: TestClient, store: dict[str, Any],
                                                                  tmp_path: Path) -> None:
    document_id = _ingest(store, tmp_path)
    response = reviewer.get(f"/documents/{document_id}")
    assert response.status_code == 200
    page = soup(response)
    original = page.select_one("#notice-text").get_text()
    normalised = page.select_one("#normalised-text").get_text()
    assert "個人繳費標準為每人每年４００元。&lt;img src=x onerror=alert(1)&gt; 發(fā)文" in original
    assert "个人缴费标准为每人每年400元。<img src=x onerror=alert(1)> 发文" in normalised
    assert page.select_one(".side-by-side.single") is None and page.select_one("#no-normalised") is None
    # both texts are escaped: no element comes out of either, and the markup is in the HTML as entities
    assert not page.find("img")
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert "&amp;lt;img" in response.text  # the original's literal "&lt;" shown as typed
    twin = reviewer.get(f"/documents/{document_id}.json").json()
    assert twin["normalised_text"].startswith("吉林省医疗保障局关于2025年")


def test_document_stored_without_normalised_text_says_so(reviewer: TestClient, store: dict[str, Any]) -> None:
    db = open_db(store["path"])
    try:
        (document_id,) = db.execute("SELECT id FROM documents WHERE normalised_text IS NULL LIMIT 1").fetchone()
    finally:
        db.conn.close()
    page = soup(reviewer.get(f"/documents/{document_id}"))
    assert page.select_one("#normalised-text") is None
    assert page.select_one("#no-normalised") is not None and page.select_one("#notice-text") is not None
