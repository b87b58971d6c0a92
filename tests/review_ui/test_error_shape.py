"""One error shape: `{status}.html` (else error.html) for pages, a fixed JSON body for twins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from review_helpers import SECRET, login, soup
from fastapi.testclient import TestClient

import review_ui
from review_ui import Settings, create_app

JSON_KEYS = {"ok", "status", "title", "error", "errors"}


@pytest.mark.parametrize(("path", "status"), [
    ("/rules/000000000000/1", 404),
    ("/documents/99999", 404),
    ("/no/such/page", 404),
    ("/queue?year=x", 422),
    ("/audit?after=x", 422),
])
def test_html_errors_use_the_status_template(reviewer: TestClient, path: str, status: int) -> None:
    response = reviewer.get(path)
    assert response.status_code == status
    page = soup(response)
    assert page.body["data-template"] in (f"{status}.html", "error.html")
    assert page.select_one("#error h1").get_text().startswith(str(status))
    assert page.select_one(".message").get_text()


@pytest.mark.parametrize(("path", "status"), [
    ("/rules/000000000000/1.json", 404),
    ("/documents/99999.json", 404),
    ("/queue.json?year=x", 422),
])
def test_json_twins_answer_errors_with_the_fixed_body(reviewer: TestClient, path: str, status: int) -> None:
    response = reviewer.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == JSON_KEYS and body["ok"] is False and body["status"] == status
    assert body["error"] and body["errors"]


def test_404_page_comes_from_404_html(reviewer: TestClient) -> None:
    assert soup(reviewer.get("/documents/99999")).body["data-template"] == "404.html"
    assert soup(reviewer.get("/queue?year=x")).body["data-template"] == "error.html"


def test_json_twins_of_pages(reviewer: TestClient) -> None:
    queue = reviewer.get("/queue.json").json()
    assert {"filters", "rules", "counts", "next_after"} <= set(queue)
    first = queue["rules"][0]
    card = reviewer.get(f"/rules/{first['id']}/{first['version']}.json").json()
    assert card["rule"]["id"] == first["id"] and "history" in card and "evidence" in card
    assert reviewer.get("/audit.json").json()["events"]


def test_templates_are_chosen_specific_to_generic_and_can_be_overridden(store: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "rule-fiscal_subsidy.html").write_text(
        '{% extends "rule.html" %}{% block title %}SUBSIDY {{ rule.id }}{% endblock %}', encoding="utf-8")
    (tmp_path / "404.html").write_text("<p id=custom>gone: {{ message }}</p>", encoding="utf-8")
    app = create_app(store["path"], Settings(secret_key=SECRET, template_dir=str(tmp_path)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client)
        rows = client.get("/queue.json").json()["rules"]
        subsidy = next(r for r in rows if r["kind"] == "fiscal_subsidy")
        other = next(r for r in rows if r["kind"] != "fiscal_subsidy")
        page = soup(client.get(f"/rules/{subsidy['id']}/{subsidy['version']}"))
        assert page.title.get_text().startswith("SUBSIDY ")
        assert page.body["data-template"] == "rule-fiscal_subsidy.html"
        assert soup(client.get(f"/rules/{other['id']}/{other['version']}")).body["data-template"] == "rule.html"
        custom = soup(client.get("/documents/99999"))
        assert custom.select_one("#custom").get_text() == "gone: no document 99999"


def test_unknown_setting_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown review UI setting.*page_size"):
        Settings.from_mapping({"pagesize": 10})
    with pytest.raises(ValueError, match="secret_key is 5 characters long"):
        Settings(secret_key="short")
    assert set(Settings.help()) >= {"secret_key", "page_size", "template_dir"}


def test_public_api_is_small_and_complete() -> None:
    assert review_ui.__all__ == sorted(review_ui.__all__) == ["Settings", "create_app"]
    for name in review_ui.__all__:
        assert getattr(review_ui, name)
