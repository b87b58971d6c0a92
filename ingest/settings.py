"""Ingest settings (size limit, timeouts, user agent), each declared once with default, env and help.

    >>> settings_from_env({"NOTICERULES_MAX_BYTES": "1000"}).max_bytes
    1000
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import NamedTuple

__all__ = ["SETTINGS", "Setting", "Settings", "settings_from_env"]


class Setting(NamedTuple):
    """One setting: its name (= the Settings field), default, environment variable and help."""

    name: str
    default: int | float | str
    env: str
    help: str


# The one place each setting is declared; Settings below takes its defaults from here and
# the README table is generated from it (a test checks every field is listed).
SETTINGS: tuple[Setting, ...] = (
    Setting("max_bytes", 20_000_000, "NOTICERULES_MAX_BYTES",
            "Largest input accepted, in bytes, for files (checked from stat before reading) and "
            "downloads (checked from Content-Length and while streaming). Real notices are far "
            "below 20 MB; a bigger file is almost always a scan or a wrong link."),
    Setting("connect_timeout", 10.0, "NOTICERULES_CONNECT_TIMEOUT",
            "Seconds to wait for a TCP/TLS connection when fetching a URL."),
    Setting("read_timeout", 30.0, "NOTICERULES_READ_TIMEOUT",
            "Seconds to wait between bytes of a response (slow gov servers need generous values)."),
    Setting("max_redirects", 5, "NOTICERULES_MAX_REDIRECTS",
            "Redirects followed when fetching one URL."),
    Setting("user_agent", "noticerules/0.1 (+https://github.com/noticerules/noticerules; notice-rules bot)",
            "NOTICERULES_USER_AGENT",
            "User-Agent sent with every request; names the project and where to read about it."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Validated ingest settings; build with settings_from_env() or Settings(max_bytes=…)."""

    max_bytes: int = int(_DEFAULTS["max_bytes"])
    connect_timeout: float = float(_DEFAULTS["connect_timeout"])
    read_timeout: float = float(_DEFAULTS["read_timeout"])
    max_redirects: int = int(_DEFAULTS["max_redirects"])
    user_agent: str = str(_DEFAULTS["user_agent"])

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive number of bytes, got {self.max_bytes}")
        for name in ("connect_timeout", "read_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {getattr(self, name)}")
        if self.max_redirects < 0:
            raise ValueError(f"max_redirects must be 0 or more, got {self.max_redirects}")
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty; name the project and a contact URL")


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings with each NOTICERULES_* variable that is set layered over the defaults.

    A malformed value raises ValueError naming the variable, the value and the expected form.
    """
    env = os.environ if environ is None else environ
    types = {f.name: type(_DEFAULTS[f.name]) for f in fields(Settings)}
    values: dict[str, int | float | str] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env)
        if raw is None or raw.strip() == "":
            continue
        kind = types[setting.name]
        try:
            values[setting.name] = kind(raw.strip().replace("_", "")) if kind is not str else raw
        except ValueError:
            raise ValueError(
                f"{setting.env}={raw!r}: expected {'an integer' if kind is int else 'a number'}, "
                f"e.g. {setting.env}={setting.default}"
            ) from None
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ValueError(f"invalid ingest setting from the environment: {exc}") from None
