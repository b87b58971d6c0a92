"""Each failure mode has a fixture in invalid/: CLI arguments, the exit status, and what the
message must contain (the offending value, and the allowed values or a fix)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.cli import main
from rulestore_builders import contribution, make_extraction
from rulestore.db import open_db
from rulestore.review import approve
from rulestore.store import ingest_extraction

CASES = sorted((Path(__file__).parent / "invalid").glob("*.json"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A rule with version 1 superseded by an approved version 2."""
    path = str(tmp_path_factory.mktemp("invalid") / "store.db")
    db = open_db(path)
    for amount, source in (("380", "a"), ("400", "b")):
        ext, cap = make_extraction(f"个人缴费标准为每人每年{amount}元。", [contribution(amount)], source=source)
        rule_id = ingest_extraction(db, ext, capture=cap, text=f"个人缴费标准为每人每年{amount}元。").rule_ids[0]
    approve(db, f"{rule_id}@1", actor="alice")
    approve(db, f"{rule_id}@2", actor="alice")
    db.conn.close()
    return path, rule_id


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_failure_mode(store, case: Path) -> None:
    path, rule_id = store
    spec = json.loads(case.read_text(encoding="utf-8"))
    argv = [a.replace("{rule_id}", rule_id) for a in spec["argv"]] + ["--db", path]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == spec["exit"], result.output
    for needle in spec["contains"]:
        assert needle.replace("{rule_id}", rule_id) in result.output, (needle, result.output)
    assert "Traceback" not in result.output
