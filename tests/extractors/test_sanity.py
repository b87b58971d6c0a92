"""Sanity flags for reviewers, and the national ranges they use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.sanity import rule_to_sanity_flags

# fmt: off
@pytest.mark.parametrize("kind,year,params,published,expected", [
    ("enrollment_period", 2024, {"start": "2023-12-31", "end": "2023-10-01"}, None, ["window_reversed"]),
    ("enrollment_period", 2024, {"start": "2023-09-01", "end": "2023-12-31"}, "2024-02-01", ["before_publication"]),
    ("enrollment_period", 2024, {"start": "2023-09-01", "end": "2023-12-31"}, "2023-09-08", []),
    ("assistance", 2024, {"mode": "percent", "percent": "120"}, None, ["percent_over_100"]),
    ("coverage_target", 2024, {"percent": "100", "bound": "min"}, None, []),
    ("personal_contribution", 2024, {"amount": "4000"}, None, ["amount_out_of_range"]),
    ("personal_contribution", 2024, {"amount": "40"}, None, ["amount_out_of_range"]),
    ("personal_contribution", 2024, {"amount": "400"}, None, []),
    ("personal_contribution", 2018, {"amount": "180"}, None, []),   # 阳泉 2018, below the national 220
    ("fiscal_subsidy", 2023, {"amount": "640", "bound": "min"}, None, []),
    ("fiscal_subsidy", 2023, {"amount": "64"}, None, ["amount_out_of_range"]),
    ("personal_contribution", 1999, {"amount": "4000"}, None, []),  # no national figure that year: no judgement
])
# fmt: on
def test_flags(kind: str, year: int, params: dict, published: str | None, expected: list[str]) -> None:
    assert rule_to_sanity_flags(kind, year, params, published) == expected


def test_long_term_care_amounts_are_not_judged_by_the_medical_range() -> None:
    assert rule_to_sanity_flags("personal_contribution", 2024, {"amount": "10"}, None, {"scheme": "long_term_care"}) == []


def test_ranges_file_states_its_source_and_calibration() -> None:
    rows = [json.loads(x) for x in (Path("extractors/data/rule_ranges.jsonl")).read_text(encoding="utf-8").splitlines() if x]
    note = rows[0]["_note"]
    assert "医保发" in note and "Calibration" in note
    assert {r["kind"] for r in rows[1:]} == {"personal_contribution", "fiscal_subsidy", "assistance"}
