"""Settings of the review UI: each declared once, with its default and help text."""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """Everything the review UI can be told; `Settings.help()` lists them for docs and tests.

    >>> Settings(page_size=20).page_size
    20
    """

    secret_key: str = field(default="", metadata={"help": (
        "Key that signs session cookies and CSRF tokens. Empty: a random key per process "
        "(every restart logs reviewers out). Set NOTICERULES_SECRET for a stable one.")})
    cookie_secure: bool = field(default=False, metadata={"help": (
        "Mark cookies Secure (HTTPS only). Off by default because `serve` listens on plain HTTP "
        "on 127.0.0.1; turn it on behind a TLS proxy.")})
    session_max_age: int = field(default=12 * 3600, metadata={"help": (
        "Seconds a login stays valid (the signed cookie's age limit).")})
    login_max_failures: int = field(default=5, metadata={"help": (
        "Failed logins allowed per user name and per client address within login_window "
        "before further attempts are refused with 429.")})
    login_window: int = field(default=15 * 60, metadata={"help": (
        "Seconds over which failed logins are counted, and how long a throttled name waits.")})
    page_size: int = field(default=50, metadata={"help": "Rules per queue page and audit page."})
    template_dir: str | None = field(default=None, metadata={"help": (
        "A directory searched before the built-in templates, so any template can be overridden.")})
    raw_capture_url: str | None = field(default=None, metadata={"help": (
        "Base URL of raw captures, joined with a document's sha256; unset: /documents/ID/raw.")})

    def __post_init__(self) -> None:
        if not self.secret_key:
            object.__setattr__(self, "secret_key", secrets.token_urlsafe(32))
        elif len(self.secret_key) < 16:
            raise ValueError(
                f"secret_key is {len(self.secret_key)} characters long; use at least 16, "
                "e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'")
        for name in ("session_max_age", "login_max_failures", "login_window", "page_size"):
            value = getattr(self, name)
            if value < 1:
                raise ValueError(f"{name}={value!r}: must be a positive integer")
        if self.page_size > 500:
            warnings.warn(f"page_size={self.page_size} is large; using 500", stacklevel=2)
            object.__setattr__(self, "page_size", 500)
        if self.template_dir is not None and not Path(self.template_dir).is_dir():
            raise ValueError(f"template_dir {self.template_dir!r} is not a directory; create it or leave it unset")

    @classmethod
    def help(cls) -> dict[str, str]:
        """Each setting's name mapped to its help text."""
        return {f.name: f.metadata["help"] for f in fields(cls)}

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> "Settings":
        """Build from a mapping, naming any unknown key and listing the known ones."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown review UI setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)
