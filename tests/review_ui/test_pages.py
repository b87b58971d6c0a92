"""HTML of the review pages, read with BeautifulSoup: queue, rule card, actions, documents, audit."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from review_helpers import SECRET, csrf_of, login, soup
from fastapi.testclient import TestClient

from review_ui import Settings, create_app
from rulestore import get_version, open_db, rule_history


def _db(store: dict[str, Any]) -> Any:
    return open_db(store["path"])


def _rows(client: TestClient, query: str = "") -> list[Any]:
    return soup(client.get(f"/queue?{query}")).select("tr.rule-row")


def _card(client: TestClient, rule_id: str, version: int, query: str = "") -> Any:
    response = client.get(f"/rules/{rule_id}/{version}?{query}")
    assert response.status_code == 200, response.text
    return soup(response)


def _post(client: TestClient, page: Any, form_id: str, extra: dict[str, str] | None = None) -> Any:
    form = page.select_one(f"#{form_id}")
    data = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    data.update(extra or {})
    return client.post(str(form["action"]), data=data, follow_redirects=False)


def _jilin_380(store: dict[str, Any]) -> tuple[str, int]:
    db = _db(store)
    try:
        rows = db.execute("SELECT rule_id, version FROM rule_versions WHERE params LIKE '%\"380\"%'").fetchall()
    finally:
        db.conn.close()
    return rows[0][0], rows[0][1]


def test_queue_puts_conflicts_first_and_counts_each_filter(reviewer: TestClient) -> None:
    first_visit = soup(reviewer.get("/queue"))
    # counts not computed yet: the page does not wait for them, it says so and offers the choices
    assert first_visit.select_one("#counts-pending") is not None
    assert first_visit.select_one("#filters")["data-counts-url"] == "/queue/counts.json?"
    assert "fiscal_subsidy" in [o["value"] for o in first_visit.select("#filter-kind option")]
    counts = reviewer.get("/queue/counts.json").json()
    assert {o["value"]: o["count"] for o in counts["kind"]} == {"personal_contribution": 7, "fiscal_subsidy": 1}
    assert counts["total"] == 8 and counts["stale"] is False
    rows = _rows(reviewer)
    first = rows[0]
    assert "conflict" in first.get_text()
    flagged = [r for r in rows if "flagged" in r.get("class", [])]
    # every flagged row comes before every unflagged one
    assert rows[: len(flagged)] == flagged
    page = soup(reviewer.get("/queue"))
    kinds = {o["value"]: o.get_text() for o in page.select("#filter-kind option") if o["value"]}
    assert kinds["fiscal_subsidy"].endswith("(1)")
    assert kinds["personal_contribution"].endswith("(7)")
    assert page.select_one("#total").get_text() == "8"


def test_queue_filters(reviewer: TestClient) -> None:
    assert len(_rows(reviewer, "kind=fiscal_subsidy")) == 1
    conflict = _rows(reviewer, "flag=conflict")
    assert len(conflict) == 1 and "390" in conflict[0].get_text()
    assert all("year_inferred" in r.get_text() for r in _rows(reviewer, "flag=year_inferred"))
    assert len(_rows(reviewer, "region=450703&year=2025")) == 1
    assert len(_rows(reviewer, "confidence=low")) == 2  # 10 yuan (0.6) and the hostile notice (0.5)
    assert len(_rows(reviewer, "corroborated=2")) == 1  # 380 yuan: two documents
    reviewer.get("/queue/counts.json?kind=fiscal_subsidy")
    page = soup(reviewer.get("/queue?kind=fiscal_subsidy"))
    assert page.select_one("#counts-pending") is None and not page.select_one("#filters").get("data-counts-url")
    # counts of the other facets follow the kind filter
    years = {o["value"]: o.get_text() for o in page.select("#filter-year option") if o["value"]}
    assert years == {"2023": "2023 (1)"}
    assert page.select_one("#filter-kind option[selected]")["value"] == "fiscal_subsidy"


def test_bad_filter_is_a_422_naming_the_parameter(reviewer: TestClient) -> None:
    response = reviewer.get("/queue?year=twenty")
    assert response.status_code == 422
    assert "year: 'twenty' is not a whole number" in soup(response).select_one(".message").get_text()
    as_json = reviewer.get("/queue.json?confidence=huge")
    assert as_json.status_code == 422
    assert as_json.json()["error"].startswith("confidence:")


def test_queue_keyset_paging_covers_every_rule_once(store: dict[str, Any]) -> None:
    app = create_app(store["path"], Settings(secret_key=SECRET, page_size=3))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client)
        seen: list[str] = []
        url = "/queue"
        while url:
            page = soup(client.get(url))
            seen += [r.select_one("a.open")["href"] for r in page.select("tr.rule-row")]
            nxt = page.select_one("#next-page")
            url = str(nxt["href"]) if nxt else ""
        assert len(seen) == 8 == len(set(seen))
        as_json = client.get("/queue.json").json()
        assert len(as_json["rules"]) == 3 and as_json["next_after"]


def test_rule_card_highlights_the_evidence_by_server_side_slicing(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    page = _card(reviewer, rule_id, version)
    marks = page.select("#notice-text mark.evidence")
    assert len(marks) == 1 and marks[0].get_text() == "每人每年380元"
    assert marks[0].select_one(".fact").get_text() == "380元"  # a fact inside the evidence
    assert page.select_one("#evidence-start") is marks[0]
    facts = {f.get_text() for f in page.select("#notice-text .fact")}
    assert "吉医保联[2023]27号" in facts
    values = {tr["data-key"]: tr.select_one("td.v").get_text() for tr in page.select("#values tr.param")}
    assert values["amount"] == "380"
    # corroborating documents and the conflicting version of the same key
    sources = page.select("#sources li")
    assert len(sources) == 2
    conflict = page.select("#siblings tr.sibling.conflicts")
    assert len(conflict) == 1 and "390" in conflict[0].get_text()
    history = [li.select_one(".action").get_text() for li in page.select("#history > li")]
    assert "propose" in history and "corroborate" in history


def test_approve_moves_on_and_records_the_event(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    page = _card(reviewer, rule_id, version, "kind=personal_contribution")
    response = _post(reviewer, page, "approve-form")
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.startswith("/rules/") and "kind=personal_contribution" in target and "done=approved" in target
    nxt = soup(reviewer.get(target))
    assert "Approved rule" in nxt.select_one("#flash").get_text()
    db = _db(store)
    try:
        assert get_version(db, rule_id, version).status == "approved"
        events = [e for e in rule_history(db, rule_id).events if e.action == "approve"]
        assert events[-1].actor == "alice"
    finally:
        db.conn.close()
    # the conflicting version's card now shows the change from the approved version
    other = _card(reviewer, rule_id, 2)
    diff = other.select("#approved-diff table.diff tr")[1:]
    assert [td.get_text() for td in diff[0].select("td")] == ["params.amount", "380", "390"]


def test_stale_card_cannot_overwrite_a_newer_decision(app: Any, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    with TestClient(app, base_url="http://127.0.0.1") as a, TestClient(app, base_url="http://127.0.0.1") as b:
        login(a)
        login(b, name="bob")
        card_a = _card(a, rule_id, version)
        card_b = _card(b, rule_id, version)
        assert _post(b, card_b, "reject-form", {"reason": "wrong year"}).status_code == 303
        response = _post(a, card_a, "approve-form")
        assert response.status_code == 409
        assert "changed since you saw it" in soup(response).select_one(".message").get_text()
    db = _db(store)
    try:
        assert get_version(db, rule_id, version).status == "rejected"
    finally:
        db.conn.close()


def test_correct_validates_then_approves_a_new_version(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    page = _card(reviewer, rule_id, version)
    bad = _post(reviewer, page, "correct-form", {"param.amount": "三百八十", "param.currency": "USD"})
    assert bad.status_code == 422
    errors = [li.get_text() for li in soup(bad).select(".errors li")]
    assert any(e.startswith("param.amount: '三百八十' is not a number") for e in errors)
    assert any(e.startswith("param.currency: 'USD' is not one of CNY") for e in errors)
    good = _post(reviewer, page, "correct-form", {"param.amount": "385.00", "comment": "typo in the notice"})
    assert good.status_code == 303
    db = _db(store)
    try:
        history = rule_history(db, rule_id)
        newest = history.versions[0]
        assert newest.params["amount"] == "385" and newest.status == "approved" and newest.origin == "correction"
        assert get_version(db, rule_id, version).status == "superseded"
    finally:
        db.conn.close()
    card = _card(reviewer, rule_id, newest.version)
    diffs = [li.get_text(" ", strip=True) for li in card.select("#history li.action-correct ul.diff li")]
    assert diffs == ["params.amount: 380 → 385"]


def test_reject_needs_a_reason(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    page = _card(reviewer, rule_id, version)
    missing = _post(reviewer, page, "reject-form", {"reason": "  "})
    assert missing.status_code == 422
    assert "reason:" in soup(missing).select_one(".message").get_text()
    assert _post(reviewer, page, "reject-form", {"reason": "figure of another year"}).status_code == 303
    card = _card(reviewer, rule_id, version)
    assert card.select_one("#rule-status").get_text() == "rejected"
    assert "figure of another year" in card.select_one("#history li.action-reject").get_text()
    assert card.select_one("#approve-form") is None  # no actions on a decided version


def test_undo_reverses_approve_reject_and_correct(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)

    def status(v: int) -> str:
        db = _db(store)
        try:
            return get_version(db, rule_id, v).status
        finally:
            db.conn.close()

    def undo() -> Any:
        page = soup(reviewer.get("/queue"))
        return reviewer.post("/undo", data={"csrf_token": csrf_of(str(page))}, follow_redirects=False)

    for form, extra, after in (("approve-form", {}, "approved"), ("reject-form", {"reason": "no"}, "rejected")):
        page = _card(reviewer, rule_id, version)
        assert _post(reviewer, page, form, extra).status_code == 303
        assert status(version) == after
        response = undo()
        assert response.status_code == 303
        assert response.headers["location"].startswith(f"/rules/{rule_id}/{version}")
        assert status(version) == "proposed"
    page = _card(reviewer, rule_id, version)
    assert _post(reviewer, page, "correct-form", {"param.amount": "381"}).status_code == 303
    assert status(version) == "superseded"
    undo()
    assert status(version) == "proposed"
    db = _db(store)
    try:
        newest = rule_history(db, rule_id).versions[0]
        assert newest.params["amount"] == "381" and newest.status == "rejected"  # kept, withdrawn
        actions = [e.action for e in rule_history(db, rule_id).events]
        assert actions.count("undo") == 3
    finally:
        db.conn.close()


def test_undo_with_nothing_to_undo_is_a_clear_404(reviewer: TestClient) -> None:
    page = soup(reviewer.get("/queue"))
    response = reviewer.post("/undo", data={"csrf_token": csrf_of(str(page))}, follow_redirects=False)
    assert response.status_code == 404
    assert "decision to undo" in soup(response).select_one(".message").get_text()


def test_bulk_approval_records_one_event_per_rule(reviewer: TestClient, store: dict[str, Any]) -> None:
    page = soup(reviewer.get("/queue?flag=none&confidence=high"))
    boxes = page.select("#bulk-form input[name=rule]")
    assert len(boxes) >= 3
    data = [("csrf_token", csrf_of(str(page))), ("back", "/queue"), ("comment", "bulk ok")]
    data += [("rule", b["value"]) for b in boxes]
    response = reviewer.post("/bulk-approve", content=urlencode(data), follow_redirects=False,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 303
    assert f"n={len(boxes)}" in response.headers["location"]
    db = _db(store)
    try:
        events = db.execute("SELECT rule_id, comment FROM review_events WHERE action = 'approve'").fetchall()
    finally:
        db.conn.close()
    assert len(events) == len(boxes) == len({e[0] for e in events})
    assert {e[1] for e in events} == {"bulk ok"}


def test_document_page_shows_metadata_facts_rules_and_raw_link(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    card = _card(reviewer, rule_id, version)
    doc_href = card.select_one("#sources li a")["href"]
    page = soup(reviewer.get(doc_href))
    assert "吉林省" in page.select_one("#doc-title").get_text()
    assert len(page.select("#doc-facts tr")) == 4  # header + 3 facts
    assert len(page.select("#doc-rules tr")) == 4  # header + 3 rules
    assert page.select_one("#notice-text .fact") is not None
    raw = reviewer.get(page.select_one("#raw-link")["href"])
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/octet-stream"
    assert "attachment" in raw.headers["content-disposition"]
    assert "每人每年380元" in raw.content.decode("utf-8")
    twin = reviewer.get(f"{doc_href}.json").json()
    assert twin["document"]["title"].startswith("吉林省") and len(twin["facts"]) == 3


def test_audit_filters_and_csv_export(reviewer: TestClient, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    page = _card(reviewer, rule_id, version)
    _post(reviewer, page, "reject-form", {"reason": "=HYPERLINK(\"http://x\")"})
    audit = soup(reviewer.get("/audit?actor=alice"))
    rows = audit.select("#events tr.event")
    assert len(rows) == 1 and "reject" in rows[0].get_text()
    proposes = soup(reviewer.get("/audit?action=propose")).select("#events tr.event")
    assert len(proposes) == 8
    response = reviewer.get("/audit.csv?actor=alice")
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0][:4] == ["id", "at", "actor", "action"]
    assert len(table) == 2
    assert table[1][7].startswith("'=")  # a formula in a comment is defused for spreadsheets


def test_counts_go_stale_after_a_write_and_the_total_stays_exact(reviewer: TestClient, store: dict[str, Any]) -> None:
    reviewer.get("/queue/counts.json")
    assert soup(reviewer.get("/queue")).select_one("#counts-pending") is None
    rule_id, version = _jilin_380(store)
    _post(reviewer, _card(reviewer, rule_id, version), "approve-form")
    page = soup(reviewer.get("/queue"))
    assert page.select_one("#total").get_text() == "7"  # exact at once
    assert page.select_one("#filters")["data-counts-url"]  # the browser re-fetches the counts
    assert reviewer.get("/queue/counts.json").json()["total"] == 7


def test_tier_walk_and_small_path_give_the_same_order(store: dict[str, Any]) -> None:
    from review_ui import queries

    db = _db(store)
    try:
        for query in ("", "kind=personal_contribution", "flag=none", "confidence=high", "region=220000"):
            filters = queries.QueueFilters.from_query_string(query)
            total = queries.queue_total(db, filters)
            walked = queries._walk(db, filters, None, 100)  # the index walk (no total given)
            small = queries._walk(db, filters, None, 100, total=total)  # read all, sort in Python
            assert walked == small and len(walked) == total, query
            # keyset from every position, both ways, matches the full order
            for i, pos in enumerate(walked):
                assert queries._walk(db, filters, pos, 100) == walked[i + 1:]
                assert queries._walk(db, filters, pos, 100, forward=False) == walked[:i][::-1]
    finally:
        db.conn.close()


def test_undo_is_refused_once_someone_else_acted_on_the_rule(app: Any, store: dict[str, Any]) -> None:
    rule_id, version = _jilin_380(store)
    with TestClient(app, base_url="http://127.0.0.1") as a, TestClient(app, base_url="http://127.0.0.1") as b:
        login(a)
        login(b, name="bob")
        assert _post(a, _card(a, rule_id, version), "approve-form").status_code == 303
        # bob withdraws the approval; alice's undo must not silently reverse bob's decision
        assert _post(b, _card(b, rule_id, version), "reject-form", {"reason": "withdrawn"}).status_code == 303
        page = soup(a.get("/queue"))
        response = a.post("/undo", data={"csrf_token": csrf_of(str(page))}, follow_redirects=False)
        assert response.status_code == 409
        assert "bob" in soup(response).select_one(".message").get_text()
    db = _db(store)
    try:
        assert get_version(db, rule_id, version).status == "rejected"
    finally:
        db.conn.close()
