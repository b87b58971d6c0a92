"""Exceptions of the review UI, translated to one error shape by app.py.

    ReviewUIError(status, message)
    ├── NotLoggedIn                 401 (HTML pages redirect to /login instead)
    ├── Forbidden(role)             403 the account's role may not do this
    ├── CsrfFailed                  403 missing or wrong CSRF token
    ├── NotFound(what, key)         404
    ├── Conflict(rule_id, seen, current)  409 the rule changed since the reviewer saw it
    ├── InvalidInput(errors)        422 "location: message" lines
    └── LoginThrottled(retry_after) 429
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "CsrfFailed",
    "Forbidden",
    "InvalidInput",
    "LoginThrottled",
    "NotFound",
    "NotLoggedIn",
    "ReviewUIError",
]


class ReviewUIError(Exception):
    status: int = 500
    title: str = "Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotLoggedIn(ReviewUIError):
    status = 401
    title = "Login required"

    def __init__(self, message: str = "log in first: open /login") -> None:
        super().__init__(message)


class Forbidden(ReviewUIError):
    status = 403
    title = "Forbidden"

    def __init__(self, role: str | None, needed: str) -> None:
        super().__init__(f"your role {role!r} may not do this; it needs {needed!r}; ask an admin")
        self.role = role
        self.needed = needed


class CsrfFailed(ReviewUIError):
    status = 403
    title = "Form expired"

    def __init__(self) -> None:
        super().__init__("missing or wrong CSRF token; reload the page and submit again")


class NotFound(ReviewUIError):
    status = 404
    title = "Not found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"no {what} {key!r}")
        self.what = what
        self.key = key


class Conflict(ReviewUIError):
    status = 409
    title = "Changed meanwhile"

    def __init__(self, rule_id: object, seen: object, current: object) -> None:
        super().__init__(
            f"rule {rule_id} changed since you opened it (you saw version {seen}, it is now "
            f"{current}); reload the card and review again")
        self.rule_id = rule_id
        self.seen = seen
        self.current = current


class InvalidInput(ReviewUIError):
    status = 422
    title = "Invalid input"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class LoginThrottled(ReviewUIError):
    status = 429
    title = "Too many attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after
