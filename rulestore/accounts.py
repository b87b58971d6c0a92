"""Reviewers (users with roles, argon2 password hashes) and API read tokens (stored hashed).

    >>> add_user(db, "alice", "s3cret-pass", role="reviewer")            # doctest: +SKIP
    >>> token = create_token(db, "billing-engine", scopes=["rules:read"])  # doctest: +SKIP
    >>> token_to_info(db, token, needed="rules:read").name                # doctest: +SKIP
    'billing-engine'

Tokens are 256-bit random strings shown once; the store keeps only their SHA-256 (a fast
hash is enough for a secret with that much entropy; passwords get argon2id).
"""

from __future__ import annotations

import hashlib
import json
import secrets

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .db import now_iso, transaction
from .errors import InsufficientRights, InvalidCredentials, InvalidValue, NotFound
from .models import TokenInfo, User

__all__ = [
    "ROLES",
    "SCOPES",
    "add_user",
    "create_token",
    "list_tokens",
    "list_users",
    "revoke_token",
    "token_to_info",
    "verify_password",
]

ROLES = ("reviewer", "admin")
# what a read token may be allowed; "read" grants all of them
SCOPES = ("rules:read", "changes:read", "export:read", "read")
_TOKEN_PREFIX = "nr_"
_hasher = PasswordHasher()


def add_user(db: sqlite_utils.Database, name: str, password: str, *, role: str = "reviewer") -> User:
    """Add a user; the password is stored as an argon2id hash."""
    if not name or not name.strip() or len(name) > 64:
        raise InvalidValue("user name", name, "1 to 64 characters")
    if role not in ROLES:
        raise InvalidValue("role", role, " / ".join(ROLES))
    if len(password) < 8:
        raise InvalidValue("password", "*" * len(password), "at least 8 characters")
    at = now_iso()
    with transaction(db):
        if db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise InvalidValue("user name", name, "a name not taken yet")
        db.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                   [name, role, _hasher.hash(password), at])
    return User(name=name, role=role, created_at=at)  # type: ignore[arg-type]


def list_users(db: sqlite_utils.Database) -> list[User]:
    return [User(name=r[0], role=r[1], created_at=r[2], disabled=r[3] is not None)
            for r in db.execute("SELECT name, role, created_at, disabled_at FROM users ORDER BY name")]


def verify_password(db: sqlite_utils.Database, name: str, password: str) -> User:
    """The user when the password matches; :class:`InvalidCredentials` else (same for unknown users)."""
    row = db.execute("SELECT name, role, created_at, disabled_at, password_hash FROM users WHERE name = ?",
                     [name]).fetchone()
    if row is None:
        _hasher.hash(password)  # same work as a real check: no timing hint that the user is unknown
        raise InvalidCredentials("user", name, "is unknown or the password is wrong")
    try:
        _hasher.verify(row[4], password)
    except (VerificationError, InvalidHashError):
        raise InvalidCredentials("user", name, "is unknown or the password is wrong") from None
    if row[3] is not None:
        raise InvalidCredentials("user", name, "is disabled")
    return User(name=row[0], role=row[1], created_at=row[2])


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: sqlite_utils.Database, name: str, *, scopes: list[str] | None = None,
                 created_by: str | None = None) -> str:
    """Create an API token and return it (the only time it is visible)."""
    scopes = list(scopes or ["read"])
    for scope in scopes:
        if scope not in SCOPES:
            raise InvalidValue("scope", scope, " / ".join(SCOPES))
    if not name.strip():
        raise InvalidValue("token name", name, "a name saying who uses it, e.g. billing-engine")
    token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(db):
        db.execute("INSERT INTO tokens (name, token_hash, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                   [name, _hash_token(token), json.dumps(sorted(set(scopes))), created_by, now_iso()])
    return token


def revoke_token(db: sqlite_utils.Database, token_id: int) -> TokenInfo:
    with transaction(db):
        if db.execute("SELECT 1 FROM tokens WHERE id = ?", [token_id]).fetchone() is None:
            raise NotFound("token", token_id, "list tokens with `noticerules tokens list`")
        db.execute("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", [now_iso(), token_id])
    return next(t for t in list_tokens(db) if t.id == token_id)


def list_tokens(db: sqlite_utils.Database) -> list[TokenInfo]:
    return [TokenInfo(id=r[0], name=r[1], scopes=json.loads(r[2]), created_by=r[3], created_at=r[4], revoked_at=r[5])
            for r in db.execute("SELECT id, name, scopes, created_by, created_at, revoked_at FROM tokens ORDER BY id")]


def token_to_info(db: sqlite_utils.Database, token: str | None, *, needed: str) -> TokenInfo:
    """The token's record if it is valid and holds ``needed`` (or ``read``).

    Raises :class:`InvalidCredentials` (missing, unknown, revoked) or :class:`InsufficientRights`.
    """
    if not token:
        raise InvalidCredentials("token", "", "is missing; send 'Authorization: Bearer <token>' "
                                 "(create one with `noticerules tokens create NAME`)")
    row = db.execute("SELECT id, name, scopes, created_by, created_at, revoked_at FROM tokens WHERE token_hash = ?",
                     [_hash_token(token)]).fetchone()
    shown = token[:6] + "…"
    if row is None:
        raise InvalidCredentials("token", shown, "is unknown")
    info = TokenInfo(id=row[0], name=row[1], scopes=json.loads(row[2]), created_by=row[3], created_at=row[4],
                     revoked_at=row[5])
    if info.revoked_at is not None:
        raise InvalidCredentials("token", shown, f"was revoked at {info.revoked_at}")
    if needed not in info.scopes and "read" not in info.scopes:
        raise InsufficientRights(f"token {info.name!r}", needed, info.scopes)
    return info
