"""Exports: JSON rule objects, and an OpenFisca parameter tree loaded with openfisca-core."""

from __future__ import annotations

import json

import pytest
import yaml
from openfisca_core.parameters import ParameterNode

from rulestore_builders import GUANGXI, contribution, make_extraction, make_rule
from rulestore.export import store_to_json, store_to_openfisca
from rulestore.review import approve, correct
from rulestore.store import ingest_extraction


@pytest.fixture
def approved(db):
    rules_2024 = [contribution("380"), make_rule("assistance", {"mode": "percent", "percent": "60"},
                                                  conditions={"groups": ["低保对象"]}),
                  make_rule("enrollment_period", {"start": "2023-10-01", "end": "2023-12-31"},
                            conditions={"phase": "concentrated"})]
    ext, cap = make_extraction("吉林2024", rules_2024, source="https://jl.gov.cn/2024.html")
    ids = ingest_extraction(db, ext, capture=cap, text="吉林2024").rule_ids
    ext, cap = make_extraction("吉林2025", [contribution("400", year=2025)], source="https://jl.gov.cn/2025.html",
                               year=2025, doc_number="吉医保联〔2024〕9号")
    ids += ingest_extraction(db, ext, capture=cap, text="吉林2025").rule_ids
    ext, cap = make_extraction("广西", [contribution("350", region=GUANGXI)], source="gx.txt", region=GUANGXI)
    ids += ingest_extraction(db, ext, capture=cap, text="广西").rule_ids
    for rid in ids:
        approve(db, rid, actor="alice")
    return db, ids


def test_json_export(approved, tmp_path):
    db, ids = approved
    files = store_to_json(db, tmp_path)
    rules = json.loads((tmp_path / "rules.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in rules} == set(ids) and all(r["status"] == "approved" for r in rules)
    assert all(isinstance(r["evidence"], list) for r in rules)
    assert json.loads(files[1].read_text())["rules"] == len(ids)


def test_openfisca_export_loads_and_answers_by_date(approved, tmp_path):
    db, ids = approved
    # a correction approved later: the export carries the current value and its approver
    correct(db, ids[0], actor="bob", params={"amount": "381"}, approve=True)
    store_to_openfisca(db, tmp_path)
    root = tmp_path / "resident_medical_insurance"
    node = ParameterNode("resident_medical_insurance", directory_path=str(root))
    jilin = node.children["220000"].personal_contribution.basic_medical_all.amount
    assert jilin("2024-06-01") == 381
    assert jilin("2025-03-01") == 400
    assert node.children["450000"].personal_contribution.basic_medical_all.amount("2024-06-01") == 350
    # a year with no rule does not silently inherit the last value
    assert node.children["450000"].personal_contribution.basic_medical_all.amount("2025-06-01") is None
    # the dated node (what an OpenFisca formula sees) answers the same
    assert node("2024-06-01")["220000"].personal_contribution.basic_medical_all.amount == 381
    raw = yaml.safe_load((root / "220000.yaml").read_text(encoding="utf-8"))
    value = raw["personal_contribution"]["basic_medical_all"]["amount"]["values"]["2024-01-01"]
    meta = value["metadata"]
    assert meta["document_number"] == "吉医保联〔2023〕27号" and meta["source"] == "https://jl.gov.cn/2024.html"
    assert len(meta["capture_sha256"]) == 64 and meta["span"] == [10, 26] and meta["approved_by"] == "bob"
    assert meta["rule_version"] == 2


def test_export_cli(approved, tmp_path, db_path):
    from click.testing import CliRunner

    from ingest.cli import main

    db, _ = approved
    result = CliRunner().invoke(main, ["export", "--format", "openfisca", "--out", str(tmp_path / "of"),
                                       "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "of" / "resident_medical_insurance" / "220000.yaml").exists()
