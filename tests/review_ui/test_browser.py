"""Browser tests: Playwright driving Debian's chromium against a live server on 127.0.0.1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import review_seed
from rulestore import open_db

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _login(page: Page, server: Any, name: str = "alice") -> None:
    page.goto(f"{server.url}/queue")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", review_seed.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#total")).to_be_visible()


def _events(store: dict[str, Any], action: str) -> list[tuple[Any, ...]]:
    db = open_db(store["path"])
    try:
        return db.execute("SELECT rule_id, actor, comment FROM review_events WHERE action = ? ORDER BY id",
                          [action]).fetchall()
    finally:
        db.conn.close()


def test_login_and_filter_the_queue(page: Page, live_server: Any, shot: Any) -> None:
    _login(page, live_server)
    # the counts beside the filters arrive from /queue/counts.json after the page
    expect(page.locator("#filters")).to_have_attribute("data-counts", "loaded")
    expect(page.locator("#filter-kind option[value=fiscal_subsidy]")).to_have_text("fiscal_subsidy (1)")
    shot(page, "queue")
    page.select_option("#filter-kind", "fiscal_subsidy")  # the filter applies on change
    expect(page).to_have_url(re.compile(r"kind=fiscal_subsidy"))
    expect(page.locator("tr.rule-row")).to_have_count(1)
    expect(page.locator("#total")).to_have_text("1")
    shot(page, "queue-filtered")


def test_approve_with_the_keyboard_then_see_the_history(page: Page, live_server: Any, live_store: dict[str, Any],
                                                       shot: Any) -> None:
    _login(page, live_server)
    page.goto(f"{live_server.url}/queue?flag=year_inferred")
    page.keyboard.press("o")  # open the selected (first) row
    expect(page.locator("body.rule-card")).to_be_visible()
    expect(page.locator("#notice-text mark.evidence")).to_have_text("每人每年不低于640元")
    shot(page, "card")
    card_url = page.url.split("?")[0]
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    shot(page, "help")
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    page.keyboard.press("a")
    expect(page.locator("#flash")).to_contain_text("Approved rule")
    assert [e[1] for e in _events(live_store, "approve")] == ["alice"]
    page.goto(card_url)
    expect(page.locator("#rule-status")).to_have_text("approved")
    history = page.locator("#history > li")
    expect(history.first).to_contain_text("alice")
    expect(history.first).to_contain_text("approve")
    shot(page, "history")


def test_correct_a_value_with_validation(page: Page, live_server: Any, shot: Any) -> None:
    _login(page, live_server)
    page.goto(f"{live_server.url}/queue?kind=fiscal_subsidy")
    page.keyboard.press("Enter")
    expect(page.locator("body.rule-card")).to_be_visible()
    card_url = page.url.split("?")[0]
    page.keyboard.press("e")
    amount = page.locator("input[name='param.amount']")
    expect(amount).to_be_focused()
    amount.fill("六百四十")
    page.keyboard.press("Enter")
    # the same card comes back with the form open, the error and what was typed
    expect(page.locator("#correct-errors")).to_contain_text("param.amount: '六百四十' is not a number")
    expect(page.locator("input[name='param.amount']")).to_have_value("六百四十")
    shot(page, "correct-invalid")
    page.keyboard.press("e")
    page.keyboard.type("650")  # the field's text is selected: typing replaces it
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Corrected rule")
    page.goto(card_url.rsplit("/", 1)[0])  # the bare rule id opens its newest version
    expect(page.locator("#rule-status")).to_have_text("approved")
    expect(page.locator("#values tr.param[data-key=amount] td.v")).to_have_text("650")
    expect(page.locator("#history li.action-correct")).to_contain_text("params.amount: 640 → 650")
    shot(page, "corrected")


def test_reject_with_a_reason_then_undo(page: Page, live_server: Any, live_store: dict[str, Any], shot: Any) -> None:
    _login(page, live_server)
    page.goto(f"{live_server.url}/queue?flag=conflict")
    page.keyboard.press("o")
    expect(page.locator("body.rule-card")).to_be_visible()
    card_url = page.url.split("?")[0]
    page.keyboard.press("r")
    expect(page.locator("#reject-reason")).to_be_focused()
    page.keyboard.type("390 is a misprint; the notice says 380")
    shot(page, "reject-reason")
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Rejected rule")
    assert _events(live_store, "reject")[0][2] == "390 is a misprint; the notice says 380"
    page.keyboard.press("u")
    expect(page.locator("#flash")).to_contain_text("Undone")
    assert page.url.split("?")[0] == card_url
    expect(page.locator("#rule-status")).to_have_text("proposed")


def test_a_script_in_a_notice_does_not_run(page: Page, live_server: Any, shot: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, live_server)
    page.goto(f"{live_server.url}/queue?region=450703&year=2025")
    page.keyboard.press("o")
    expect(page.locator("body.rule-card")).to_be_visible()
    expect(page.locator("#notice-text")).to_contain_text("<script>document.title='PWNED'")
    expect(page.locator("#notice-text")).to_contain_text("U+202E")
    shot(page, "hostile-notice")
    assert page.evaluate("window.__pwned") is None
    assert "PWNED" not in page.title()
    assert page.locator("#main script, #main img, #main a[href^='javascript']").count() == 0
    page.locator("#sources li a").first.click()
    expect(page.locator("#doc-title")).to_contain_text("<script>alert('title')</script>")
    shot(page, "hostile-document")
    assert page.evaluate("window.__pwned") is None and dialogs == []


def test_a_reviewer_clears_50_rules_with_the_keyboard_alone(page: Page, live_server: Any,
                                                           live_store: dict[str, Any], shot: Any) -> None:
    _login(page, live_server)
    # the generated notices are the unflagged, single-source, high-confidence part of the queue
    page.goto(f"{live_server.url}/queue?flag=none&corroborated=1&confidence=high")
    expect(page.locator("#total")).to_have_text("60")
    page.keyboard.press("Enter")
    for i in range(50):
        expect(page.locator("#approve-form")).to_be_visible()
        current = page.url
        page.keyboard.press("a")
        page.wait_for_url(lambda url, before=current: url != before)
        if i == 24:
            shot(page, "keyboard-25")
    expect(page.locator("#flash")).to_contain_text("Approved rule")
    approvals = _events(live_store, "approve")
    assert len(approvals) == 50 == len({a[0] for a in approvals})
    page.goto(f"{live_server.url}/queue?flag=none&corroborated=1&confidence=high")
    expect(page.locator("#total")).to_have_text("10")
    shot(page, "queue-after-50")
