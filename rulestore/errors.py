"""The rulestore exception hierarchy; the CLI and the API translate each at their edge.

    StoreError                          base: every error carries the offending value
    ├── NotFound(what, value)           no such rule / version / user / token
    ├── InvalidValue(field, value, expected)
    │   ├── UnknownRegion(value)        a region name or code the division table lacks
    │   └── InvalidDate(field, value)   not YYYY-MM-DD / ISO datetime
    ├── ReviewError(rule_id, version)
    │   ├── InvalidTransition(status, action)   e.g. approving a superseded version
    │   ├── StaleVersion(seen, current)         the rule changed since the reviewer saw it
    │   ├── AmbiguousVersion(candidates)        several proposed versions, none named
    │   └── SameApprover(actor)                 two-person rule: the second approver must differ
    ├── AuthError
    │   ├── InvalidCredentials(user)    unknown user, wrong password, unknown/revoked token
    │   └── InsufficientRights(needed, held)    e.g. a token without the scope
    └── MigrationError(name)            a migration failed; nothing of it was applied

Every exception has ``code`` (a stable lower_snake string used in the API's error body),
``status`` (the HTTP status the API answers with) and ``detail`` (a JSON-able dict).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AmbiguousVersion",
    "AuthError",
    "InsufficientRights",
    "InvalidCredentials",
    "InvalidDate",
    "InvalidTransition",
    "InvalidValue",
    "MigrationError",
    "NotFound",
    "ReviewError",
    "SameApprover",
    "StaleVersion",
    "StoreError",
    "UnknownRegion",
]


class StoreError(Exception):
    """Base class. ``message`` is for people; ``detail`` carries the data."""

    code = "store_error"
    status = 400

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail: dict[str, Any] = detail


class NotFound(StoreError):
    code = "not_found"
    status = 404

    def __init__(self, what: str, value: object, hint: str = "") -> None:
        msg = f"no {what} {value!r}" + (f"; {hint}" if hint else "")
        super().__init__(msg, what=what, value=value)
        self.what = what
        self.value = value


class InvalidValue(StoreError):
    code = "invalid_value"
    status = 422

    def __init__(self, field: str, value: object, expected: str) -> None:
        super().__init__(f"invalid {field} {value!r}; expected {expected}", field=field, value=value,
                         expected=expected)
        self.field = field
        self.value = value
        self.expected = expected


class UnknownRegion(InvalidValue):
    code = "unknown_region"
    status = 404

    def __init__(self, value: str, suggestions: list[str] | None = None) -> None:
        expected = "a region name (吉林省, 钦北区) or a 6-digit division code (220000)"
        if suggestions:
            expected += "; did you mean " + ", ".join(suggestions) + "?"
        super().__init__("region", value, expected)
        self.message = f"unknown region {value!r}; use {expected}"
        self.args = (self.message,)
        self.detail["suggestions"] = suggestions or []


class InvalidDate(InvalidValue):
    code = "invalid_date"

    def __init__(self, field: str, value: object, expected: str = "YYYY-MM-DD, e.g. 2024-01-15") -> None:
        super().__init__(field, value, expected)


class ReviewError(StoreError):
    code = "review_error"
    status = 409

    def __init__(self, message: str, rule_id: str, version: int | None, **detail: Any) -> None:
        super().__init__(message, rule_id=rule_id, version=version, **detail)
        self.rule_id = rule_id
        self.version = version


class InvalidTransition(ReviewError):
    code = "invalid_transition"

    def __init__(self, rule_id: str, version: int, status: str, action: str, hint: str = "") -> None:
        msg = f"cannot {action} version {version} of rule {rule_id}: it is {status}"
        super().__init__(msg + (f"; {hint}" if hint else ""), rule_id, version, status=status, action=action)
        self.status_now = status
        self.action = action


class StaleVersion(ReviewError):
    code = "stale_version"

    def __init__(self, rule_id: str, version: int | None, seen: int, current: int, changed_by: str | None,
                 changed_at: str | None) -> None:
        who = f" by {changed_by} at {changed_at}" if changed_by else ""
        msg = (f"rule {rule_id} changed since you saw it (you saw revision {seen}, it is now revision "
               f"{current}{who}); reload it and review again — nothing was written")
        super().__init__(msg, rule_id, version, seen=seen, current=current, changed_by=changed_by,
                         changed_at=changed_at)


class AmbiguousVersion(ReviewError):
    code = "ambiguous_version"

    def __init__(self, rule_id: str, candidates: list[int]) -> None:
        msg = (f"rule {rule_id} has several proposed versions {candidates}; name one, "
               f"e.g. {rule_id}@{candidates[-1]} or --version {candidates[-1]}")
        super().__init__(msg, rule_id, None, candidates=candidates)


class SameApprover(ReviewError):
    code = "same_approver"

    def __init__(self, rule_id: str, version: int, actor: str) -> None:
        msg = (f"{actor} already approved version {version} of rule {rule_id}; this store requires "
               "two different people to approve (setting require_two_approvals)")
        super().__init__(msg, rule_id, version, actor=actor)


class AuthError(StoreError):
    code = "unauthorized"
    status = 401


class InvalidCredentials(AuthError):
    code = "invalid_credentials"

    def __init__(self, what: str, value: str, reason: str) -> None:
        super().__init__(f"{what} {value!r} {reason}", what=what, value=value, reason=reason)


class InsufficientRights(AuthError):
    code = "forbidden"
    status = 403

    def __init__(self, who: str, needed: str, held: list[str]) -> None:
        super().__init__(f"{who} lacks {needed!r} (has {held or 'nothing'}); create a token or user with "
                         f"{needed!r}", who=who, needed=needed, held=held)
        self.needed = needed
        self.held = held


class MigrationError(StoreError):
    code = "migration_error"
    status = 500

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"migration {name!r} failed and was rolled back: {reason}", name=name)
        self.name = name
