"""Group words: who a rule is for, without list numbers, units or qualifiers that are not people."""

from __future__ import annotations

import pytest

from extractors.groups import phrase_to_groups


# fmt: off
@pytest.mark.parametrize("phrase,expected", [
    ("1.特困户、孤儿", ["特困户", "孤儿"]),
    ("(三)低保对象", ["低保对象"]),
    ("二、返贫致贫人口", ["返贫致贫人口"]),
    ("一、二级重度残疾人", ["一、二级重度残疾人"]),  # grades one and two, not item 一
    ("特困人员、一、二级重度残疾人和低保对象", ["特困人员", "一、二级重度残疾人", "低保对象"]),
    ("城乡低保对象、突发严重困难户,标准为每人", ["城乡低保对象", "突发严重困难户"]),
    ("本市低保家庭成员", ["低保家庭成员"]),
])
# fmt: on
def test_phrase_to_groups(phrase: str, expected: list[str]) -> None:
    assert phrase_to_groups(phrase) == expected
