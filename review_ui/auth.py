"""Logins, sessions, CSRF tokens and failed-login throttling for the review UI.

A session is a signed cookie (itsdangerous, HttpOnly, SameSite=Lax) holding the user name
and a random session id; the CSRF token is an HMAC of that id, so it needs no server
state and dies with the session. Before login an anonymous signed id plays the same role,
which protects the login form too. Passwords are verified by rulestore.accounts (argon2id
hashes, same work for unknown names); the user's role is read from rulestore on every request, so removing
or demoting an account takes effect at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from .errors import CsrfFailed, LoginThrottled
from .settings import Settings

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Session",
    "SessionManager",
    "Throttle",
]

SESSION_COOKIE = "nr_session"
ANON_COOKIE = "nr_anon"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
WRITE_ROLES = frozenset({"reviewer", "admin"})

@dataclass(frozen=True)
class Session:
    """What the signed cookie says: who, under which session id (None user: not logged in)."""

    sid: str
    user: str | None


class SessionManager:
    """Signs and reads session cookies and derives CSRF tokens from them."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._serializer = URLSafeTimedSerializer(settings.secret_key, salt="noticerules.session")
        self._csrf_key = hashlib.sha256(("csrf:" + settings.secret_key).encode()).digest()
        # logout revokes the session id for the life of the process (the cookie itself
        # would stay valid until it expires otherwise)
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def read(self, request: Request) -> Session | None:
        """The session of a request: logged in, anonymous, or None (no valid cookie)."""
        for name in (SESSION_COOKIE, ANON_COOKIE):
            raw = request.cookies.get(name)
            if not raw:
                continue
            try:
                data = self._serializer.loads(raw, max_age=self._settings.session_max_age)
            except BadSignature:
                continue
            if not isinstance(data, dict) or not isinstance(data.get("sid"), str):
                continue
            with self._lock:
                if data["sid"] in self._revoked:
                    continue
            user = data.get("user") if name == SESSION_COOKIE else None
            return Session(sid=data["sid"], user=user if isinstance(user, str) else None)
        return None

    def new_anonymous(self) -> Session:
        """A session for a visitor who is not logged in (it carries the login form's CSRF token)."""
        return Session(sid=secrets.token_urlsafe(18), user=None)

    def set_anonymous(self, response: Response, session: Session) -> None:
        self._set(response, ANON_COOKIE, session)

    def login(self, response: Response, user: str) -> Session:
        """Start a new session for `user` (a new id: a fixation-proof login)."""
        session = Session(sid=secrets.token_urlsafe(18), user=user)
        self._set(response, SESSION_COOKIE, session)
        response.delete_cookie(ANON_COOKIE, path="/")
        return session

    def logout(self, request: Request, response: Response) -> None:
        session = self.read(request)
        if session is not None:
            with self._lock:
                self._revoked.add(session.sid)
        response.delete_cookie(SESSION_COOKIE, path="/")

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._csrf_key, session.sid.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, session: Session | None, token: str | None) -> None:
        """Raise CsrfFailed unless `token` belongs to `session`."""
        if session is None or not token or not hmac.compare_digest(token, self.csrf_token(session)):
            raise CsrfFailed()

    def _set(self, response: Response, name: str, session: Session) -> None:
        value = self._serializer.dumps({"sid": session.sid, "user": session.user})
        response.set_cookie(
            name, value, max_age=self._settings.session_max_age, path="/", httponly=True,
            samesite="lax", secure=self._settings.cookie_secure)


class Throttle:
    """Counts failed logins per key (user name, client address) in a sliding window."""

    def __init__(self, max_failures: int, window: int) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Raise LoginThrottled when any key has used up its failures in the window."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    raise LoginThrottled(retry_after=max(1, int(times[0] + self.window - now) + 1))

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times
