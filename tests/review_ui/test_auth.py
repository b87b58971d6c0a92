"""Logins, sessions, CSRF and throttling: writes need a reviewer session plus its CSRF token."""

from __future__ import annotations

from typing import Any

import pytest
from review_helpers import SECRET, csrf_of, login, soup
from fastapi.testclient import TestClient

import review_seed
from review_ui import Settings, create_app
from rulestore import get_version, open_db


def _first_card(client: TestClient) -> tuple[str, Any]:
    queue = soup(client.get("/queue"))
    href = queue.select("tr.rule-row")[0]["data-href"]
    return str(href).split("?")[0], soup(client.get(href))


def _status(store: dict[str, Any], path: str) -> str:
    _, _, rule_id, version = path.split("/")
    db = open_db(store["path"])
    try:
        return get_version(db, rule_id, int(version)).status
    finally:
        db.conn.close()


def test_pages_need_a_login(client: TestClient) -> None:
    response = client.get("/queue?kind=fiscal_subsidy", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    as_json = client.get("/queue.json")
    assert as_json.status_code == 401
    assert as_json.json()["ok"] is False


def test_login_sets_a_signed_httponly_samesite_cookie(client: TestClient) -> None:
    response = login(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/queue"
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("nr_session="))
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert client.get("/queue").status_code == 200


def test_wrong_password_is_refused_without_a_session(client: TestClient) -> None:
    response = login(client, password="wrong password!")
    assert response.status_code == 401
    assert soup(response).select_one("#login-error").get_text() == "wrong user name or password"
    assert "nr_session" not in response.headers.get("set-cookie", "")
    unknown = login(client, name="mallory")
    assert unknown.status_code == 401
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": review_seed.PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF" in soup(response).select_one(".message").get_text()


def test_failed_logins_are_throttled(store: dict[str, Any]) -> None:
    app = create_app(store["path"], Settings(secret_key=SECRET, login_max_failures=3, login_window=600))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for _ in range(3):
            assert login(client, password="nope nope nope").status_code == 401
        # even the right password is refused while throttled
        blocked = login(client)
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert "too many failed logins" in soup(blocked).select_one(".message").get_text()


def test_open_redirect_after_login_is_refused(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": review_seed.PASSWORD,
                                           "csrf_token": csrf_of(page.text), "next": "//evil.example/x"},
                           follow_redirects=False)
    assert response.headers["location"] == "/queue"


def test_tampered_session_cookie_is_not_a_login(client: TestClient) -> None:
    login(client)
    value = client.cookies.get("nr_session")
    client.cookies.set("nr_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_write_without_csrf_token_is_refused_and_writes_nothing(reviewer: TestClient, store: dict[str, Any]) -> None:
    path, card = _first_card(reviewer)
    seen = card.select_one("#approve-form input[name=seen]")["value"]
    response = reviewer.post(f"{path}/approve", data={"seen": seen}, follow_redirects=False)
    assert response.status_code == 403
    forged = reviewer.post(f"{path}/approve", data={"seen": seen, "csrf_token": "0" * 64}, follow_redirects=False)
    assert forged.status_code == 403
    assert _status(store, path) == "proposed"
    # the CSRF header works for scripts
    token = card.select_one("#approve-form input[name=csrf_token]")["value"]
    ok = reviewer.post(f"{path}/approve", data={"seen": seen}, headers={"X-CSRF-Token": token},
                       follow_redirects=False)
    assert ok.status_code == 303
    assert _status(store, path) == "approved"


def test_csrf_token_of_another_session_does_not_work(app: Any, store: dict[str, Any]) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as a, TestClient(app, base_url="http://127.0.0.1") as b:
        login(a)
        login(b, name="bob")
        path, card_a = _first_card(a)
        token_a = card_a.select_one("#approve-form input[name=csrf_token]")["value"]
        seen = card_a.select_one("#approve-form input[name=seen]")["value"]
        response = b.post(f"{path}/approve", data={"seen": seen, "csrf_token": token_a}, follow_redirects=False)
        assert response.status_code == 403
        assert _status(store, path) == "proposed"


def test_logout_ends_the_session_for_good(client: TestClient) -> None:
    login(client)
    page = client.get("/queue")
    old_cookie = client.cookies.get("nr_session")
    response = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set("nr_session", old_cookie)  # a stolen copy of the cookie no longer works
    assert client.get("/queue", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", ["/api/rules", "/api/changes"])
def test_api_reads_need_a_token(reviewer: TestClient, store: dict[str, Any], path: str) -> None:
    # a reviewer session is not an API credential
    denied = reviewer.get(path)
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "invalid_credentials"
    allowed = reviewer.get(path, headers={"Authorization": f"Bearer {store['token']}"})
    assert allowed.status_code == 200
    assert isinstance(allowed.json(), list) and allowed.json()
