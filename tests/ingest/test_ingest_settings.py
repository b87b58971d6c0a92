"""Ingest settings: declared once with default, env and help; env overrides validated."""

from __future__ import annotations

from dataclasses import fields

import pytest

import ingest.docx
import ingest.encoding
import ingest.errors
import ingest.fetch
import ingest.html
import ingest.parse
import ingest.pdf
import ingest.selectors
import ingest.settings
import ingest.txt
from ingest.settings import SETTINGS, Settings, settings_from_env


def test_every_field_declared_once_with_help() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
    for setting in SETTINGS:
        assert setting.env == "NOTICERULES_" + setting.name.upper()
        assert len(setting.help) > 20
        assert getattr(Settings(), setting.name) == setting.default


def test_defaults() -> None:
    s = settings_from_env({})
    assert s.max_bytes == 20_000_000
    assert "noticerules" in s.user_agent and "https://" in s.user_agent


def test_env_overrides() -> None:
    s = settings_from_env({"NOTICERULES_MAX_BYTES": "50_000_000", "NOTICERULES_READ_TIMEOUT": "2.5",
                           "NOTICERULES_USER_AGENT": "x/1 (+https://example.org)"})
    assert s.max_bytes == 50_000_000 and s.read_timeout == 2.5 and s.user_agent.startswith("x/1")


@pytest.mark.parametrize("env,words", [
    ({"NOTICERULES_MAX_BYTES": "20MB"}, ["NOTICERULES_MAX_BYTES='20MB'", "integer", "20000000"]),
    ({"NOTICERULES_MAX_BYTES": "-1"}, ["max_bytes", "positive"]),
    ({"NOTICERULES_CONNECT_TIMEOUT": "0"}, ["connect_timeout", "positive"]),
])
def test_bad_env_values(env: dict[str, str], words: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        settings_from_env(env)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("module", [ingest.docx, ingest.encoding, ingest.errors, ingest.fetch, ingest.html,
                                    ingest.parse, ingest.pdf, ingest.selectors, ingest.settings, ingest.txt])
def test_all_is_sorted_and_complete(module: object) -> None:
    names = list(module.__all__)  # type: ignore[attr-defined]
    assert names == sorted(names)
    public = {n for n, v in vars(module).items() if not n.startswith("_")
              and getattr(v, "__module__", None) == module.__name__}  # type: ignore[attr-defined]
    assert public <= set(names)
