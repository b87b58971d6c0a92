"""Bitemporal queries, region inheritance, the change feed and their bad inputs."""

from __future__ import annotations

import time

import pytest

from rulestore_builders import GUANGXI, QINBEI, contribution, make_extraction, make_rule
from rulestore.db import now_iso
from rulestore.errors import InvalidDate, InvalidValue, UnknownRegion
from rulestore.query import changes_since, query_rules
from rulestore.review import approve, correct
from rulestore.store import ingest_extraction


def _store(db, rules, source, region=None):
    ext, cap = make_extraction(source, rules, source=source, region=region)
    return ingest_extraction(db, ext, capture=cap, text=source)


def _tick() -> str:
    """A record time strictly between two writes."""
    time.sleep(0.002)
    t = now_iso()
    time.sleep(0.002)
    return t


def test_as_of_answers_what_was_approved_then(db):
    rid = _store(db, [contribution("380")], "a").rule_ids[0]
    before_any = _tick()
    approve(db, rid, actor="alice")
    after_first = _tick()
    correct(db, rid, actor="bob", params={"amount": "390"}, approve=True)
    now = query_rules(db, "吉林省", 2024)
    assert [r.params["amount"] for r in now] == ["390"]
    assert query_rules(db, "220000", 2024, as_of=before_any) == []
    [then] = query_rules(db, "220000", 2024, as_of=after_first)
    assert (then.params["amount"], then.version) == ("380", 1)
    assert then.status == "superseded"  # it is superseded now, but was the approved one then


def test_county_inherits_city_province_and_national_and_says_from_where(db):
    county = make_rule("personal_contribution", {"amount": "350"}, year=2023, region=QINBEI,
                       conditions={"scheme": "basic_medical", "population": "all"})
    province = [make_rule("personal_contribution", {"amount": "999"}, year=2023, region=GUANGXI,
                          conditions={"scheme": "basic_medical", "population": "all"}),
                make_rule("enrollment_period", {"start": "2022-09-01", "end": "2022-12-31"}, year=2023,
                          region=GUANGXI, conditions={"phase": "concentrated"})]
    national = [make_rule("fiscal_subsidy", {"amount": "610", "bound": "min"}, year=2023,
                          region={"code": "000000"})]
    for rules, src, region in ((([county]), "c", QINBEI), (province, "p", GUANGXI), (national, "n", {"code": "000000"})):
        for rid in _store(db, rules, src, region).rule_ids:
            approve(db, rid, actor="alice")
    answers = {r.kind: r for r in query_rules(db, "钦北区", 2023)}
    assert answers["personal_contribution"].params["amount"] == "350"  # the county's own beats the province's
    assert answers["personal_contribution"].from_level == "county"
    assert answers["enrollment_period"].from_region == "450000"
    assert answers["enrollment_period"].from_level == "province"
    assert answers["fiscal_subsidy"].from_level == "national"
    # the province itself sees its own contribution, not the county's
    assert {r.params.get("amount") for r in query_rules(db, "广西壮族自治区", 2023, kind="personal_contribution")} == {"999"}
    assert query_rules(db, "钦北区", 2024) == []  # another policy year


def test_proposed_rules_never_answer(db):
    _store(db, [contribution("380")], "a")
    assert query_rules(db, "吉林省", 2024) == []


def test_change_feed_since(db):
    rid = _store(db, [contribution("380")], "a").rule_ids[0]
    feed = changes_since(db, 0)
    assert [(c.action, c.status) for c in feed] == [("propose", "proposed")]
    approve(db, rid, actor="alice")
    newer = changes_since(db, feed[-1].seq)
    assert [(c.rule_id, c.version, c.action) for c in newer] == [(rid, 1, "approve")]
    assert changes_since(db, newer[-1].seq) == []


@pytest.mark.parametrize("region,year,as_of,error,needle", [
    ("火星市", 2024, None, UnknownRegion, "火星市"),
    ("999999", 2024, None, UnknownRegion, "999999"),
    ("吉林省", 2024, "2024-13-01", InvalidDate, "2024-13-01"),
    ("吉林省", 2024, "yesterday", InvalidDate, "yesterday"),
    ("吉林省", "20x4", None, InvalidValue, "20x4"),
    ("朝阳区", 2024, None, InvalidValue, "110105"),  # ambiguous: the candidates are listed
])
def test_bad_query_input_names_the_value(db, region, year, as_of, error, needle):
    with pytest.raises(error) as err:
        query_rules(db, region, year, as_of=as_of)
    assert needle in str(err.value)


def test_short_region_names_resolve(db):
    rid = _store(db, [contribution("380")], "a").rule_ids[0]
    approve(db, rid, actor="alice")
    assert [r.id for r in query_rules(db, "吉林", 2024)] == [rid]
