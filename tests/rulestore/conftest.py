"""Fixtures for rulestore tests: a fresh store file per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulestore.db import open_db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    database = open_db(db_path)
    yield database
    database.conn.close()
